"""Every permission rule is enforced by the use case itself, not only by the web layer.

shopcore is used from Python without HTTP (README, "Using shopcore from Python"), so a customer's
Principal handed straight to a use case must be refused exactly as the API refuses it.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from shopcore.bootstrap import UseCases
from shopcore.domain.errors import NotFound, PermissionDenied
from shopcore.domain.orders import Order, OrderStatus
from shopcore.domain.reviews import Review
from shopcore.domain.users import Principal
from shopcore.domain.values import Role
from shopcore.ports.users import UserFilter
from shopcore.use_cases.analytics import AnalyticsQuery
from shopcore.use_cases.catalog_categories import CategoryChanges, NewCategory
from shopcore.use_cases.catalog_edits import ProductChanges
from shopcore.use_cases.catalog_products import NewProduct
from shopcore.use_cases.order_management import StatusChangeCommand
from shopcore.use_cases.reviews import ReviewChanges
from shopcore.use_cases.users import AdminUserChanges
from tests.unit.conftest import Harness
from tests.unit.reviews_helpers import Seed

PNG = b"IMG:64x64:png"


@dataclass
class World:
    h: Harness
    admin: Principal
    vendor: Principal
    customer: Principal
    other: Principal  # a second customer
    category_id: int
    order: Order
    review: Review
    image_id: int

    @property
    def shop(self) -> UseCases:
        return self.h.shop


@pytest.fixture
def world(harness: Harness) -> World:
    admin = harness.admin()
    vendor = harness.register("vera@example.com", "vendor")
    customer = harness.register("cara@example.com")
    other = harness.register("olga@example.com")
    seed = Seed(harness)
    product = seed.product(vendor, "pot")
    order = seed.order(customer, (product, 1), status="pending")
    review = seed.review(customer, product, 4)
    image = harness.shop.add_product_image.execute(vendor, "pot", PNG)
    return World(
        harness, admin, vendor, customer, other, product.category_id, order, review, image.id
    )


def stored_role(w: World, user_id: int) -> Role:
    return w.h.store.tables["users"][user_id].role  # type: ignore[no-any-return]


# --- users: the case ------------------------------------------------------------------


def test_a_customer_principal_cannot_make_itself_an_admin_through_update_user(w: World) -> None:
    with pytest.raises(PermissionDenied):
        w.shop.update_user.execute(
            w.customer, w.customer.user_id, AdminUserChanges(role=Role.ADMIN)
        )

    assert stored_role(w, w.customer.user_id) is Role.CUSTOMER


def test_a_vendor_principal_cannot_change_another_users_role_or_deactivate_them(w: World) -> None:
    with pytest.raises(PermissionDenied):
        w.shop.update_user.execute(w.vendor, w.other.user_id, AdminUserChanges(role=Role.VENDOR))
    with pytest.raises(PermissionDenied):
        w.shop.deactivate_user.execute(w.vendor, w.other.user_id)

    stored = w.h.store.tables["users"][w.other.user_id]
    assert stored.role is Role.CUSTOMER and stored.is_active


def test_a_customer_reads_its_own_profile_but_not_someone_elses(w: World) -> None:
    assert w.shop.get_user.execute(w.customer, w.customer.user_id).id == w.customer.user_id
    with pytest.raises(PermissionDenied):
        w.shop.get_user.execute(w.customer, w.other.user_id)
    assert w.shop.get_user.execute(w.admin, w.other.user_id).id == w.other.user_id


def test_only_admins_list_users(w: World) -> None:
    for caller in (w.customer, w.vendor):
        with pytest.raises(PermissionDenied):
            w.shop.list_users.execute(caller, UserFilter(), 0, 20)

    assert w.shop.list_users.execute(w.admin, UserFilter(), 0, 20).total == 4


def test_an_admin_still_promotes_and_deactivates_users(w: World) -> None:
    w.shop.update_user.execute(w.admin, w.customer.user_id, AdminUserChanges(role=Role.ADMIN))
    w.shop.deactivate_user.execute(w.admin, w.other.user_id)

    assert stored_role(w, w.customer.user_id) is Role.ADMIN
    assert w.h.store.tables["users"][w.other.user_id].is_active is False


# --- every guarded use case, refused to a customer and allowed to the right role -------------

Call = Callable[[World, Principal], Any]


def _new_product(w: World, p: Principal) -> Any:
    cmd = NewProduct("Kettle", "", w.category_id, Decimal("9.00"), 1)
    return w.shop.create_product.execute(p, cmd)


def _import_products(w: World, p: Principal) -> Any:
    cmd = NewProduct("Cup", "", w.category_id, Decimal("3.00"), 1)
    return w.shop.import_products.execute(p, [cmd])


GUARDED: dict[str, tuple[Call, str]] = {
    # use case: (a call with the principal, the role that may make it)
    "list_users": (lambda w, p: w.shop.list_users.execute(p, UserFilter(), 0, 20), "admin"),
    "get_user": (lambda w, p: w.shop.get_user.execute(p, w.other.user_id), "admin"),
    "update_user": (
        lambda w, p: w.shop.update_user.execute(p, w.other.user_id, AdminUserChanges()),
        "admin",
    ),
    "deactivate_user": (
        lambda w, p: w.shop.deactivate_user.execute(p, w.other.user_id),
        "admin",
    ),
    "create_category": (
        lambda w, p: w.shop.create_category.execute(p, NewCategory("Mugs")),
        "admin",
    ),
    "update_category": (
        lambda w, p: w.shop.update_category.execute(
            p, w.category_id, CategoryChanges(description="Hot drinks.")
        ),
        "admin",
    ),
    "delete_category": (
        lambda w, p: w.shop.delete_category.execute(
            p, w.shop.create_category.execute(w.admin, NewCategory("Empty")).id
        ),
        "admin",
    ),
    "change_order_status": (
        lambda w, p: w.shop.change_order_status.execute(
            p, w.order.order_number, StatusChangeCommand(status=OrderStatus.CONFIRMED)
        ),
        "admin",
    ),
    "create_product": (_new_product, "vendor"),
    "import_products": (_import_products, "vendor"),
    "update_product": (
        lambda w, p: w.shop.update_product.execute(p, "pot", ProductChanges(name="Big pot")),
        "vendor",
    ),
    "delete_product": (lambda w, p: w.shop.delete_product.execute(p, "pot"), "vendor"),
    "add_product_image": (
        lambda w, p: w.shop.add_product_image.execute(p, "pot", PNG),
        "vendor",
    ),
    "delete_product_image": (
        lambda w, p: w.shop.delete_product_image.execute(p, "pot", w.image_id),
        "vendor",
    ),
    "vendor_analytics": (
        lambda w, p: w.shop.vendor_analytics.execute(p, AnalyticsQuery()),
        "vendor",
    ),
    "list_vendor_orders": (
        lambda w, p: w.shop.list_vendor_orders.execute(p, None, 0, 20),
        "vendor",
    ),
    "edit_review": (
        lambda w, p: w.shop.edit_review.execute(p, w.review.id or 0, ReviewChanges(rating=5)),
        "author",
    ),
    "delete_review": (
        lambda w, p: w.shop.delete_review.execute(p, w.review.id or 0),
        "author",
    ),
    "get_order": (lambda w, p: w.shop.get_order.execute(p, w.order.order_number), "owner"),
    "cancel_order": (lambda w, p: w.shop.cancel_order.execute(p, w.order.order_number), "owner"),
}

# Use cases with no rule to enforce beyond "the caller acts on its own things" (the principal
# is the owner by construction), open to anyone, or operator commands run from the CLI.
OWN_THINGS = {
    "update_profile", "set_avatar", "change_password", "log_out", "get_cart", "add_to_cart",
    "set_cart_quantity", "remove_from_cart", "clear_cart", "place_order", "list_orders",
    "post_review",
}  # fmt: skip
PUBLIC = {
    "register_user", "log_in", "refresh_session", "authenticate", "list_categories",
    "get_category", "list_products", "get_product", "list_reviews",
}  # fmt: skip
OPERATOR = {"create_admin", "prune"}


def _who_may(w: World, role: str) -> Principal:
    return {"admin": w.admin, "vendor": w.vendor, "author": w.customer, "owner": w.customer}[role]


@pytest.mark.parametrize("name", sorted(GUARDED))
def test_a_guarded_use_case_refuses_a_customer_principal(w: World, name: str) -> None:
    call, role = GUARDED[name]
    # The customer owns the order and wrote the review, so another customer asks for those.
    caller = w.other if role in ("author", "owner") else w.customer

    with pytest.raises((PermissionDenied, NotFound)) as caught:  # others' orders are 404
        call(w, caller)

    assert isinstance(caught.value, NotFound if role == "owner" else PermissionDenied)


@pytest.mark.parametrize("name", sorted(GUARDED))
def test_a_guarded_use_case_lets_the_right_role_through(w: World, name: str) -> None:
    call, role = GUARDED[name]

    call(w, _who_may(w, role))


@pytest.mark.parametrize("name", sorted(n for n, (_, role) in GUARDED.items() if role != "admin"))
def test_an_admin_may_do_what_vendors_authors_and_owners_may(w: World, name: str) -> None:
    call, _ = GUARDED[name]
    if name == "vendor_analytics":  # an admin names the vendor
        w.shop.vendor_analytics.execute(w.admin, AnalyticsQuery(vendor_id=w.vendor.user_id))
    else:
        call(w, w.admin)


def test_every_use_case_has_been_audited_for_its_permission_rule() -> None:
    """A new use case must be added to one of the lists above (and, if guarded, tested)."""
    use_cases = {
        name for name, member in inspect.getmembers(UseCases) if isinstance(member, property)
    }

    assert use_cases == set(GUARDED) | OWN_THINGS | PUBLIC | OPERATOR


@pytest.fixture
def w(world: World) -> World:
    return world
