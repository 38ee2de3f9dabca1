"""Reading, cancelling and moving orders through the status machine (in-memory adapters)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shopcore.adapters.memory.orders import MemoryOrderRepository
from shopcore.domain.errors import IllegalTransition, OrderNotFound, PermissionDenied
from shopcore.domain.orders import OrderStatus, PaymentStatus
from shopcore.use_cases.order_management import StatusChangeCommand
from tests.unit.orders_helpers import add_product, place, stock_of, stored_orders


@pytest.fixture
def shop(harness):
    vendor = harness.register("vendor@example.com", "vendor")
    buyer = harness.register("ann@example.com")
    tea = add_product(harness, vendor, "tea", price="20.00", stock=10)
    return harness, vendor, buyer, tea


def change(h, admin, number, status=None, payment=None):
    cmd = StatusChangeCommand(
        status=OrderStatus(status) if status else None,
        payment_status=PaymentStatus(payment) if payment else None,
    )
    return h.shop.change_order_status.execute(admin, number, cmd)


def test_the_owner_cancels_a_pending_order_and_the_stock_comes_back(shop):
    h, _, buyer, tea = shop
    placed = place(h, buyer, ("tea", 4))
    h.clock.advance(minutes=5)

    cancelled = h.shop.cancel_order.execute(buyer, placed.order_number)

    assert cancelled.status is OrderStatus.CANCELLED and stock_of(h, tea) == 10
    assert [(e.status, e.by.id) for e in cancelled.history] == [
        ("pending", buyer.user_id), ("cancelled", buyer.user_id),
    ]  # fmt: skip
    assert cancelled.updated_at == h.clock.now() != cancelled.created_at
    assert stored_orders(h)[0].status == "cancelled"


def test_the_owner_cannot_cancel_a_confirmed_order_but_an_admin_can(shop):
    h, _, buyer, tea = shop
    admin = h.admin()
    placed = place(h, buyer, ("tea", 4))
    change(h, admin, placed.order_number, "confirmed")

    with pytest.raises(IllegalTransition):
        h.shop.cancel_order.execute(buyer, placed.order_number)
    assert stock_of(h, tea) == 6

    h.shop.cancel_order.execute(admin, placed.order_number)
    assert stock_of(h, tea) == 10


def test_a_second_cancel_is_refused_and_restores_nothing(shop):
    h, _, buyer, tea = shop
    placed = place(h, buyer, ("tea", 4))
    h.shop.cancel_order.execute(buyer, placed.order_number)
    with pytest.raises(IllegalTransition):
        h.shop.cancel_order.execute(buyer, placed.order_number)
    assert stock_of(h, tea) == 10


def test_a_cancel_racing_another_change_restores_stock_once(shop, monkeypatch):
    """The loser read the order before the winner committed: its compare-and-set misses."""
    h, _, buyer, tea = shop
    placed = place(h, buyer, ("tea", 4))
    stale = h.shop.get_order.execute(buyer, placed.order_number)
    h.shop.cancel_order.execute(buyer, placed.order_number)
    monkeypatch.setattr(MemoryOrderRepository, "get_by_number", lambda self, number: stale)

    with pytest.raises(IllegalTransition):
        h.shop.cancel_order.execute(buyer, placed.order_number)
    assert stock_of(h, tea) == 10
    assert len(stored_orders(h)[0].history) == 2


def test_someone_elses_order_is_not_found_for_reading_and_cancelling(shop):
    h, vendor, buyer, _ = shop
    placed = place(h, buyer, ("tea", 1))
    for stranger in (h.register("bob@example.com"), vendor):
        with pytest.raises(OrderNotFound):
            h.shop.get_order.execute(stranger, placed.order_number)
        with pytest.raises(OrderNotFound):
            h.shop.cancel_order.execute(stranger, placed.order_number)
    with pytest.raises(OrderNotFound):
        h.shop.get_order.execute(buyer, "ORD-NOPE")
    assert h.shop.get_order.execute(h.admin(), placed.order_number) == placed


def test_admins_walk_a_cod_order_to_delivered_and_it_becomes_paid(shop):
    h, _, buyer, _ = shop
    admin = h.admin()
    placed = place(h, buyer, ("tea", 1), method="cod")
    for status in ("confirmed", "shipped", "delivered"):
        result = change(h, admin, placed.order_number, status)
    assert (result.status, result.payment_status) == ("delivered", "paid")
    assert [e.status for e in result.history] == ["pending", "confirmed", "shipped", "delivered"]
    assert result.history[-1].by.name == "Admin"
    assert h.shop.get_order.execute(buyer, placed.order_number).history == result.history


@pytest.mark.parametrize(
    ("steps", "illegal"),
    [
        ([], "shipped"), ([], "delivered"), ([], "pending"), (["confirmed"], "pending"),
        (["confirmed", "shipped"], "cancelled"),
        (["confirmed", "shipped", "delivered"], "cancelled"), (["cancelled"], "confirmed"),
    ],
)  # fmt: skip
def test_illegal_status_changes_are_conflicts_and_change_nothing(shop, steps, illegal):
    h, _, buyer, tea = shop
    admin = h.admin()
    placed = place(h, buyer, ("tea", 2))
    for step in steps:
        change(h, admin, placed.order_number, step)
    before = stored_orders(h)[0]
    with pytest.raises(IllegalTransition):
        change(h, admin, placed.order_number, illegal)
    assert stored_orders(h)[0] == before
    assert stock_of(h, tea) == (10 if "cancelled" in steps else 8)


def test_an_admin_cancelling_a_paid_order_refunds_it_and_restocks(shop):
    h, _, buyer, tea = shop
    admin = h.admin()
    placed = place(h, buyer, ("tea", 3))
    change(h, admin, placed.order_number, payment="paid")
    result = change(h, admin, placed.order_number, "cancelled")
    assert (result.status, result.payment_status) == ("cancelled", "refunded")
    assert stock_of(h, tea) == 10


def test_payment_changes_are_recorded_too(shop):
    h, _, buyer, _ = shop
    admin = h.admin()
    placed = place(h, buyer, ("tea", 1))
    result = change(h, admin, placed.order_number, payment="paid")
    assert [(e.status, e.payment_status) for e in result.history] == [
        ("pending", "unpaid"), ("pending", "paid"),
    ]  # fmt: skip


def test_only_admins_change_statuses(shop):
    h, vendor, buyer, _ = shop
    placed = place(h, buyer, ("tea", 1))
    for who in (buyer, vendor):
        with pytest.raises(PermissionDenied):
            change(h, who, placed.order_number, "confirmed")


def test_lists_are_newest_first_own_only_for_customers_and_all_for_admins(shop):
    h, _, buyer, _ = shop
    bob = h.register("bob@example.com")
    numbers = []
    for who in (buyer, bob, buyer):
        numbers.append(place(h, who, ("tea", 1)).order_number)
        h.clock.advance(minutes=1)

    own = h.shop.list_orders.execute(buyer, None, 0, 20)
    assert [o.order_number for o in own.items] == [numbers[2], numbers[0]] and own.total == 2
    everyone = h.shop.list_orders.execute(h.admin(), None, 0, 2)
    assert [o.order_number for o in everyone.items] == [numbers[2], numbers[1]]
    assert everyone.total == 3


def test_lists_filter_by_status(shop):
    h, _, buyer, _ = shop
    first = place(h, buyer, ("tea", 1))
    place(h, buyer, ("tea", 1))
    h.shop.cancel_order.execute(buyer, first.order_number)
    page = h.shop.list_orders.execute(buyer, OrderStatus.CANCELLED, 0, 20)
    assert [o.order_number for o in page.items] == [first.order_number] and page.total == 1


def test_vendors_see_orders_of_their_products_with_only_their_lines(shop):
    h, vendor, buyer, _ = shop
    other = h.register("other@example.com", "vendor")
    add_product(h, other, "mug", price="7.50")
    mixed = place(h, buyer, ("tea", 1), ("mug", 2))
    place(h, buyer, ("mug", 1))

    page = h.shop.list_vendor_orders.execute(vendor, None, 0, 20)

    assert page.total == 1
    [seen] = page.items
    assert seen.order_number == mixed.order_number
    assert [line.product_slug for line in seen.lines] == ["tea"]
    assert (seen.subtotal, seen.total) == (Decimal("20.00"), Decimal("20.00"))


def test_admins_see_every_order_with_every_line_in_the_vendor_view(shop):
    h, _, buyer, _ = shop
    other = h.register("other@example.com", "vendor")
    add_product(h, other, "mug")
    place(h, buyer, ("tea", 1), ("mug", 2))
    page = h.shop.list_vendor_orders.execute(h.admin(), None, 0, 20)
    assert [len(order.lines) for order in page.items] == [2]


def test_customers_have_no_vendor_view(shop):
    h, _, buyer, _ = shop
    with pytest.raises(PermissionDenied):
        h.shop.list_vendor_orders.execute(buyer, None, 0, 20)
