"""Limits and filters the use cases state, tested at the limit, one past it, and on each side."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shopcore.domain.catalog import MAX_IMAGES_PER_PRODUCT, Category, Product
from shopcore.domain.errors import InvalidToken, RuleViolation
from shopcore.domain.orders import MAX_LINE_QUANTITY, OrderStatus
from shopcore.use_cases.auth import LogInCommand, RegisterCommand
from shopcore.use_cases.order_management import StatusChangeCommand
from shopcore.use_cases.orders import IDEMPOTENCY_KEY_MAX, MAX_ORDER_LINES
from tests.unit.catalog_helpers import Catalog
from tests.unit.conftest import Harness
from tests.unit.orders_helpers import add_product, place, stock_of, stored_orders

# --- order lines ------------------------------------------------------------------------------


@pytest.fixture
def people(harness: Harness):
    return harness.register("vendor@example.com", "vendor"), harness.register("ann@example.com")


def _products(h: Harness, vendor, count: int) -> list[str]:
    """``count`` products at 1.00 in one category, added in one unit of work (fast)."""
    now = h.clock.now()
    with h.uow() as uow:
        category = Category("Bulk", "bulk", now)
        uow.categories.add(category)
        assert category.id is not None
        for i in range(count):
            uow.products.add(
                Product(vendor.user_id, category.id, f"P{i}", f"p{i}", "", Decimal(1), 5, now, now)
            )
        uow.commit()
    return [f"p{i}" for i in range(count)]


def test_an_order_of_exactly_the_maximum_number_of_lines_is_placed(harness, people) -> None:
    vendor, buyer = people
    slugs = _products(harness, vendor, MAX_ORDER_LINES)

    order = place(harness, buyer, *[(slug, 1) for slug in slugs])

    assert len(order.lines) == MAX_ORDER_LINES
    assert order.subtotal == Decimal(MAX_ORDER_LINES)


def test_an_order_of_one_line_past_the_maximum_is_refused_and_takes_no_stock(
    harness, people
) -> None:
    vendor, buyer = people
    slugs = _products(harness, vendor, MAX_ORDER_LINES)

    with pytest.raises(RuleViolation) as caught:
        place(harness, buyer, *[(slug, 1) for slug in slugs], (slugs[0], 1))

    assert caught.value.errors == {"items": [f"At most {MAX_ORDER_LINES} lines per order."]}
    assert stored_orders(harness) == []


def test_repeated_lines_adding_up_to_exactly_the_maximum_quantity_are_one_line(
    harness, people
) -> None:
    vendor, buyer = people
    tea = add_product(harness, vendor, "tea", price="1.00", stock=MAX_LINE_QUANTITY)

    order = place(harness, buyer, ("tea", MAX_LINE_QUANTITY - 1), ("tea", 1))

    assert [(line.product_slug, line.quantity) for line in order.lines] == [
        ("tea", MAX_LINE_QUANTITY)
    ]
    assert stock_of(harness, tea) == 0


def test_repeated_lines_adding_up_to_one_past_the_maximum_are_refused_at_the_repeat(
    harness, people
) -> None:
    vendor, buyer = people
    tea = add_product(harness, vendor, "tea", stock=2 * MAX_LINE_QUANTITY)
    add_product(harness, vendor, "pot")

    with pytest.raises(RuleViolation) as caught:
        place(harness, buyer, ("tea", MAX_LINE_QUANTITY), ("pot", 1), ("tea", 1))

    message = f"Must be a whole number from 1 to {MAX_LINE_QUANTITY}. Repeats add up."
    assert caught.value.errors == {"items.2.quantity": [message]}
    assert stock_of(harness, tea) == 2 * MAX_LINE_QUANTITY


def test_a_line_quantity_of_exactly_the_maximum_is_placed_and_one_more_refused(
    harness, people
) -> None:
    vendor, buyer = people
    add_product(harness, vendor, "tea", stock=2 * MAX_LINE_QUANTITY)

    assert place(harness, buyer, ("tea", MAX_LINE_QUANTITY)).lines[0].quantity == MAX_LINE_QUANTITY
    with pytest.raises(RuleViolation) as caught:
        place(harness, buyer, ("tea", MAX_LINE_QUANTITY + 1))
    assert list(caught.value.errors) == ["items.0.quantity"]


def test_an_unknown_product_and_a_bad_quantity_are_reported_on_their_own_lines(
    harness, people
) -> None:
    vendor, buyer = people
    add_product(harness, vendor, "tea")
    add_product(harness, vendor, "old", active=False)

    with pytest.raises(RuleViolation) as caught:
        place(harness, buyer, ("tea", 1), ("nope", 1), ("old", 1), ("tea", 0))

    assert set(caught.value.errors) == {
        "items.1.product", "items.2.product", "items.3.quantity",
    }  # fmt: skip


@pytest.mark.parametrize("length", [1, IDEMPOTENCY_KEY_MAX])
def test_an_idempotency_key_of_one_to_the_maximum_characters_is_accepted(
    harness, people, length: int
) -> None:
    vendor, buyer = people
    add_product(harness, vendor, "tea")

    first = place(harness, buyer, ("tea", 1), key="k" * length)
    again = place(harness, buyer, ("tea", 1), key="k" * length)

    assert again.order_number == first.order_number


@pytest.mark.parametrize("length", [0, IDEMPOTENCY_KEY_MAX + 1])
def test_an_empty_or_too_long_idempotency_key_is_refused(harness, people, length: int) -> None:
    vendor, buyer = people
    add_product(harness, vendor, "tea")

    with pytest.raises(RuleViolation) as caught:
        place(harness, buyer, ("tea", 1), key="k" * length)

    assert caught.value.errors == {
        "Idempotency-Key": [f"Must be 1 to {IDEMPOTENCY_KEY_MAX} characters."]
    }
    assert stored_orders(harness) == []


# --- vendor orders ----------------------------------------------------------------------------


def test_the_vendor_order_list_filters_by_status(harness, people) -> None:
    vendor, buyer = people
    add_product(harness, vendor, "tea", stock=10)
    admin = harness.admin()
    pending = place(harness, buyer, ("tea", 1))
    confirmed = place(harness, buyer, ("tea", 2))
    harness.shop.change_order_status.execute(
        admin, confirmed.order_number, StatusChangeCommand(status=OrderStatus.CONFIRMED)
    )

    def numbers(status: OrderStatus | None) -> list[str]:
        page = harness.shop.list_vendor_orders.execute(vendor, status, 0, 10)
        assert page.total == len(page.items)
        return [order.order_number for order in page.items]

    assert numbers(OrderStatus.CONFIRMED) == [confirmed.order_number]
    assert numbers(OrderStatus.PENDING) == [pending.order_number]
    assert numbers(OrderStatus.CANCELLED) == []
    assert set(numbers(None)) == {pending.order_number, confirmed.order_number}


def test_the_vendor_order_list_pages_with_offset_and_limit(harness, people) -> None:
    vendor, buyer = people
    add_product(harness, vendor, "tea", stock=10)
    placed = [place(harness, buyer, ("tea", 1)).order_number for _ in range(3)]

    page = harness.shop.list_vendor_orders.execute(vendor, None, 1, 1)

    assert page.total == 3
    assert [order.order_number for order in page.items] == [placed[1]]


# --- product images ---------------------------------------------------------------------------


def _image(n: int) -> bytes:
    return f"IMG:64x48:png:{n}".encode()


def test_deleting_a_product_with_several_images_removes_every_image_file(harness) -> None:
    catalog = Catalog(harness)
    pot = catalog.product("Tea Pot")
    for n in range(3):
        harness.shop.add_product_image.execute(catalog.vendor, pot.slug, _image(n))
    assert len(harness.storage) == 6  # three images and their thumbnails

    harness.shop.delete_product.execute(catalog.vendor, pot.slug)

    assert len(harness.storage) == 0
    assert harness.store.tables["product_images"] == {}


def test_a_product_takes_exactly_the_maximum_number_of_images_and_refuses_one_more(
    harness,
) -> None:
    catalog = Catalog(harness)
    pot = catalog.product("Tea Pot")
    positions = [
        harness.shop.add_product_image.execute(catalog.vendor, pot.slug, _image(n)).position
        for n in range(MAX_IMAGES_PER_PRODUCT)
    ]
    assert positions == list(range(MAX_IMAGES_PER_PRODUCT))

    with pytest.raises(RuleViolation) as caught:
        harness.shop.add_product_image.execute(catalog.vendor, pot.slug, _image(99))

    message = f"A product has at most {MAX_IMAGES_PER_PRODUCT} images."
    assert caught.value.errors == {"image": [message]}
    assert len(harness.storage) == 2 * MAX_IMAGES_PER_PRODUCT


# --- price filters ----------------------------------------------------------------------------


def test_a_price_range_whose_bounds_are_equal_finds_the_products_at_exactly_that_price(
    harness,
) -> None:
    catalog = Catalog(harness)
    category = catalog.category("Tea").id
    for name, price in (("Cheap", "9.99"), ("Exact", "10.00"), ("Dear", "10.01")):
        catalog.product(name, price=price, category_id=category)

    found = catalog.slugs(min_price=Decimal("10.00"), max_price=Decimal("10.00"))

    assert found == ["exact"]


def test_a_price_range_whose_maximum_is_one_cent_below_its_minimum_is_refused(harness) -> None:
    catalog = Catalog(harness)

    with pytest.raises(RuleViolation) as caught:
        catalog.slugs(min_price=Decimal("10.00"), max_price=Decimal("9.99"))

    assert caught.value.errors == {"max_price": ["Must not be below min_price."]}


# --- deactivated accounts -----------------------------------------------------------------------


def _deactivate_behind_the_logins_back(h: Harness, user_id: int) -> None:
    """Deactivate without revoking logins, as a row edited by hand (or a bug) would."""
    with h.uow() as uow:
        user = uow.users.get(user_id)
        assert user is not None
        user.is_active = False
        uow.users.save(user)
        uow.commit()


def test_refresh_refuses_a_deactivated_user_whose_logins_are_still_live(harness) -> None:
    session = harness.shop.register_user.execute(
        RegisterCommand("ann@example.com", "s3cret-pass", "Ann", "Lee")
    )
    assert session.user.id is not None
    _deactivate_behind_the_logins_back(harness, session.user.id)

    with pytest.raises(InvalidToken):
        harness.shop.refresh_session.execute(session.refresh)
    assert all(login.revoked_at is None for login in harness.store.tables["logins"].values())


def test_log_in_refuses_a_deactivated_user_whose_logins_are_still_live(harness) -> None:
    session = harness.shop.register_user.execute(
        RegisterCommand("ann@example.com", "s3cret-pass", "Ann", "Lee")
    )
    assert session.user.id is not None
    _deactivate_behind_the_logins_back(harness, session.user.id)

    from shopcore.domain.errors import InvalidCredentials

    with pytest.raises(InvalidCredentials):
        harness.shop.log_in.execute(LogInCommand("ann@example.com", "s3cret-pass"))
    assert len(harness.store.tables["logins"]) == 1
