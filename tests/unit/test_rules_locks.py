"""The rows each use case reads FOR UPDATE, and the checks it makes itself, not the store.

The in-memory store needs no row locks (its units of work run one at a time), so it notes every
locking read in ``store.locks``; these tests state which rows a use case must lock, so dropping a
``lock=True`` fails here as it would fail under concurrency on a database.
"""

from __future__ import annotations

import pytest

from shopcore.domain.errors import CategoryInUse, DuplicateReview, EmailTaken
from shopcore.use_cases.auth import ChangePasswordCommand, LogInCommand, RegisterCommand
from shopcore.use_cases.catalog_categories import CategoryChanges
from shopcore.use_cases.catalog_edits import ProductChanges
from shopcore.use_cases.reviews import ReviewChanges, ReviewInput
from shopcore.use_cases.users import CreateAdminCommand
from tests.unit.catalog_helpers import Catalog
from tests.unit.conftest import Harness
from tests.unit.orders_helpers import add_product, place
from tests.unit.reviews_helpers import Seed

PASSWORD = "s3cret-pass"


def _sign_up(h: Harness, email: str = "ann@example.com"):
    return h.shop.register_user.execute(RegisterCommand(email, PASSWORD, "Ann", "Lee"))


def test_log_in_reads_the_user_under_a_row_lock_before_opening_the_login(harness) -> None:
    user_id = _sign_up(harness).user.id
    harness.store.locks.clear()

    harness.shop.log_in.execute(LogInCommand("ann@example.com", PASSWORD))

    assert harness.store.locks == [("users", user_id)]


def test_a_password_change_reads_the_user_under_a_row_lock(harness) -> None:
    session = _sign_up(harness)
    principal = harness.shop.authenticate.execute(session.access)
    harness.store.locks.clear()

    harness.shop.change_password.execute(principal, ChangePasswordCommand(PASSWORD, "new-pass-99"))

    assert harness.store.locks == [("users", session.user.id)]


def test_placing_an_order_from_the_cart_locks_the_cart_first(harness) -> None:
    vendor, buyer = harness.register("v@example.com", "vendor"), harness.register()
    tea = add_product(harness, vendor, "tea")
    harness.shop.add_to_cart.execute(buyer, "tea", 1)
    harness.store.locks.clear()

    place(harness, buyer, from_cart=True)

    assert harness.store.locks == [("cart_items", buyer.user_id), ("products", tea.id)]


def test_an_order_of_explicit_items_locks_no_cart_and_takes_stock_by_ascending_id(
    harness,
) -> None:
    vendor, buyer = harness.register("v@example.com", "vendor"), harness.register()
    tea, pot = add_product(harness, vendor, "tea"), add_product(harness, vendor, "pot")
    harness.store.locks.clear()

    place(harness, buyer, ("pot", 1), ("tea", 1))

    assert harness.store.locks == [("products", tea.id), ("products", pot.id)]


def test_a_cancelled_order_puts_its_stock_back_by_ascending_product_id(harness) -> None:
    vendor, buyer = harness.register("v@example.com", "vendor"), harness.register()
    tea, pot = add_product(harness, vendor, "tea"), add_product(harness, vendor, "pot")
    order = place(harness, buyer, ("pot", 1), ("tea", 2))
    harness.store.locks.clear()

    harness.shop.cancel_order.execute(buyer, order.order_number)

    assert harness.store.locks == [("products", tea.id), ("products", pot.id)]


def test_moving_a_category_locks_every_category_before_reading_one(harness) -> None:
    catalog = Catalog(harness)
    home, kitchen = catalog.category("Home"), catalog.category("Kitchen")
    harness.store.locks.clear()

    harness.shop.update_category.execute(
        catalog.admin, kitchen.id, CategoryChanges(parent_id=home.id)
    )

    assert harness.store.locks == [("categories", None)]


def test_changing_a_product_locks_its_row(harness) -> None:
    catalog = Catalog(harness)
    pot = catalog.product("Tea Pot")
    harness.store.locks.clear()

    harness.shop.update_product.execute(catalog.vendor, pot.slug, ProductChanges(stock=9))

    assert harness.store.locks == [("products", pot.id)]


def test_reading_a_product_takes_no_lock(harness) -> None:
    catalog = Catalog(harness)
    pot = catalog.product("Tea Pot")
    harness.store.locks.clear()

    harness.shop.get_product.execute(pot.slug)

    assert harness.store.locks == []


@pytest.fixture
def reviewed(harness):
    """A product, a customer who received it and reviewed it, and their review's id."""
    seed = Seed(harness)
    vendor = harness.register("vendor@example.com", "vendor")
    tea = seed.product(vendor, "green-tea")
    buyer = harness.register("buyer@example.com")
    seed.order(buyer, (tea, 1))
    review = harness.shop.post_review.execute(buyer, "green-tea", ReviewInput(4, "Fine."))
    return tea, buyer, review.id


def test_posting_a_review_locks_its_product(harness) -> None:
    seed = Seed(harness)
    vendor = harness.register("vendor@example.com", "vendor")
    tea = seed.product(vendor, "green-tea")
    buyer = harness.register("buyer@example.com")
    seed.order(buyer, (tea, 1))
    harness.store.locks.clear()

    harness.shop.post_review.execute(buyer, "green-tea", ReviewInput(4, "Fine."))

    assert harness.store.locks == [("products", tea.id)]


def test_editing_a_review_locks_its_product_then_re_reads_the_review_locked(
    harness, reviewed
) -> None:
    tea, buyer, review_id = reviewed
    harness.store.locks.clear()

    harness.shop.edit_review.execute(buyer, review_id, ReviewChanges(rating=5))

    assert harness.store.locks == [("products", tea.id), ("reviews", review_id)]


def test_deleting_a_review_locks_its_product_then_re_reads_the_review_locked(
    harness, reviewed
) -> None:
    tea, buyer, review_id = reviewed
    harness.store.locks.clear()

    harness.shop.delete_review.execute(buyer, review_id)

    assert harness.store.locks == [("products", tea.id), ("reviews", review_id)]


# --- the use cases' own checks (the store refuses these too, but not with the domain error) ---


def test_a_second_review_is_refused_by_the_use_case_with_the_domain_error(
    harness, reviewed
) -> None:
    _tea, buyer, _review_id = reviewed

    with pytest.raises(DuplicateReview) as caught:
        harness.shop.post_review.execute(buyer, "green-tea", ReviewInput(1, "Changed my mind."))

    assert caught.value.message == DuplicateReview.default_message
    assert len(harness.store.tables["reviews"]) == 1


def test_an_admin_with_a_taken_email_is_refused_by_the_use_case_with_the_domain_error(
    harness,
) -> None:
    _sign_up(harness)

    with pytest.raises(EmailTaken) as caught:
        harness.shop.create_admin.execute(CreateAdminCommand("ANN@example.com", PASSWORD))

    assert caught.value.errors == {"email": ["A user with this email already exists."]}
    assert len(harness.store.tables["users"]) == 1


def test_a_category_holding_only_an_inactive_product_is_refused_by_the_use_case(harness) -> None:
    catalog = Catalog(harness)
    tea = catalog.category("Tea")
    catalog.product("Old Tea", category_id=tea.id, is_active=False)

    with pytest.raises(CategoryInUse) as caught:
        harness.shop.delete_category.execute(catalog.admin, tea.id)

    assert caught.value.message == "The category still holds products."
    assert tea.id in harness.store.tables["categories"]
