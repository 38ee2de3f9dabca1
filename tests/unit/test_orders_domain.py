"""The Order entity: frozen lines, exact totals, shipping rule and the status machine."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from shopcore.domain.errors import EmptyOrder, IllegalTransition, RuleViolation
from shopcore.domain.orders import (
    NEXT_STATUS,
    Actor,
    Order,
    OrderLine,
    OrderStatus,
    PaymentMethod,
    PaymentStatus,
    ShippingAddress,
    shipping_cost_for,
)
from tests.unit.orders_helpers import SHIPPING

AT = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
ADMIN = Actor(1, "Root Admin")
BUYER = Actor(2, "Ann Lee")


def line(price: str = "10.00", quantity: int = 1, vendor: int = 7, product: int = 1) -> OrderLine:
    return OrderLine(product, vendor, f"p{product}", f"P{product}", Decimal(price), quantity)


def order(*lines: OrderLine, method: PaymentMethod = PaymentMethod.CARD) -> Order:
    return Order.place(
        order_number="ORD-1", user_id=2, lines=list(lines or [line()]), shipping=SHIPPING,
        payment_method=method, by=BUYER, at=AT,
    )  # fmt: skip


def at_status(status: OrderStatus, payment: PaymentStatus = PaymentStatus.UNPAID) -> Order:
    placed = order()
    placed.status, placed.payment_status = status, payment
    return placed


def test_line_total_is_unit_price_times_quantity_whatever_is_passed_in():
    made = OrderLine(1, 2, "tea", "Tea", Decimal("19.99"), 3, line_total=Decimal("1.00"))
    assert made.line_total == Decimal("59.97")


@pytest.mark.parametrize("quantity", [0, -1, 1001, True, 2.0, "3"])
def test_line_refuses_a_quantity_outside_one_to_a_thousand(quantity):
    with pytest.raises(RuleViolation):
        OrderLine(1, 2, "tea", "Tea", Decimal("1.00"), quantity)


def test_totals_add_up_exactly_and_small_orders_pay_flat_shipping():
    placed = order(line("19.99", 2), line("0.01", 1, product=2))
    assert (placed.subtotal, placed.shipping_cost, placed.total) == (
        Decimal("39.99"), Decimal("5.00"), Decimal("44.99"),
    )  # fmt: skip
    assert placed.subtotal == sum(item.line_total for item in placed.lines)


@pytest.mark.parametrize(
    ("subtotal", "shipping"),
    [("49.99", "5.00"), ("50.00", "0.00"), ("50.01", "0.00"), ("0.01", "5.00")],
)
def test_shipping_is_free_from_fifty_on(subtotal, shipping):
    assert shipping_cost_for(Decimal(subtotal)) == Decimal(shipping)


def test_a_new_order_is_pending_unpaid_and_its_history_records_the_buyer():
    placed = order()
    assert (placed.status, placed.payment_status) == ("pending", "unpaid")
    assert placed.history[0].by == BUYER and placed.history[0].at == AT


def test_an_order_needs_lines():
    with pytest.raises(EmptyOrder):
        Order.place(
            order_number="ORD-1", user_id=2, lines=[], shipping=SHIPPING,
            payment_method=PaymentMethod.CARD, by=BUYER, at=AT,
        )  # fmt: skip


def test_shipping_address_strips_and_names_each_blank_required_field():
    with pytest.raises(RuleViolation) as caught:
        ShippingAddress("  ", "1", "street", "", "1", "IN")
    assert set(caught.value.errors) == {"shipping.full_name", "shipping.city"}
    assert ShippingAddress(" Ann ", "1", "s", "c", "1", "IN").full_name == "Ann"


def test_shipping_address_fields_have_the_databases_limits():
    with pytest.raises(RuleViolation) as caught:
        ShippingAddress("Ann", "1" * 33, "street", "city", "1", "IN", state="s" * 101)
    assert set(caught.value.errors) == {"shipping.phone", "shipping.state"}


ALL_PAIRS = [(a, b) for a in OrderStatus for b in OrderStatus]


@pytest.mark.parametrize(("start", "target"), ALL_PAIRS)
def test_status_changes_follow_the_machine_and_nothing_else(start, target):
    subject = at_status(start)
    if target in NEXT_STATUS[start]:
        subject.change(ADMIN, AT, status=target)
        assert subject.status is target and subject.history[-1].by == ADMIN
    else:
        with pytest.raises(IllegalTransition):
            subject.change(ADMIN, AT, status=target)
        assert subject.status is start and len(subject.history) == 1


def test_nothing_leaves_delivered_or_cancelled():
    for final in (OrderStatus.DELIVERED, OrderStatus.CANCELLED):
        assert NEXT_STATUS[final] == frozenset()


@pytest.mark.parametrize(
    ("start", "target", "allowed"),
    [
        ("unpaid", "paid", True), ("paid", "refunded", True), ("unpaid", "refunded", False),
        ("paid", "unpaid", False), ("refunded", "paid", False), ("paid", "paid", False),
    ],
)  # fmt: skip
def test_payment_moves_from_unpaid_to_paid_to_refunded_only(start, target, allowed):
    subject = at_status(OrderStatus.CONFIRMED, PaymentStatus(start))
    if allowed:
        subject.change(ADMIN, AT, payment_status=PaymentStatus(target))
        assert subject.payment_status == target
    else:
        with pytest.raises(IllegalTransition):
            subject.change(ADMIN, AT, payment_status=PaymentStatus(target))


def test_payment_of_a_cancelled_order_cannot_change():
    subject = at_status(OrderStatus.CANCELLED)
    with pytest.raises(IllegalTransition):
        subject.change(ADMIN, AT, payment_status=PaymentStatus.PAID)


def test_cash_on_delivery_becomes_paid_when_delivered():
    subject = order(method=PaymentMethod.COD)
    for status in (OrderStatus.CONFIRMED, OrderStatus.SHIPPED):
        subject.change(ADMIN, AT, status=status)
        assert subject.payment_status is PaymentStatus.UNPAID
    subject.change(ADMIN, AT, status=OrderStatus.DELIVERED)
    assert subject.payment_status is PaymentStatus.PAID
    assert subject.history[-1].payment_status is PaymentStatus.PAID


def test_a_card_order_is_not_marked_paid_by_delivery():
    subject = at_status(OrderStatus.SHIPPED)
    subject.change(ADMIN, AT, status=OrderStatus.DELIVERED)
    assert subject.payment_status is PaymentStatus.UNPAID


def test_cancelling_a_paid_order_refunds_it():
    subject = at_status(OrderStatus.CONFIRMED, PaymentStatus.PAID)
    subject.cancel(ADMIN, AT, as_admin=True)
    assert (subject.status, subject.payment_status) == ("cancelled", "refunded")


def test_owners_cancel_only_pending_orders_and_admins_also_confirmed_ones():
    with pytest.raises(IllegalTransition):
        at_status(OrderStatus.CONFIRMED).cancel(BUYER, AT, as_admin=False)
    with pytest.raises(IllegalTransition):
        at_status(OrderStatus.SHIPPED).cancel(ADMIN, AT, as_admin=True)
    confirmed = at_status(OrderStatus.CONFIRMED)
    confirmed.cancel(ADMIN, AT, as_admin=True)
    assert confirmed.status is OrderStatus.CANCELLED


def test_payment_and_status_in_one_change_apply_payment_first_and_record_once():
    subject = at_status(OrderStatus.SHIPPED)
    subject.change(ADMIN, AT, status=OrderStatus.DELIVERED, payment_status=PaymentStatus.PAID)
    assert (subject.status, subject.payment_status) == ("delivered", "paid")
    assert len(subject.history) == 2


def test_a_change_with_one_illegal_part_changes_nothing():
    subject = at_status(OrderStatus.DELIVERED)
    with pytest.raises(IllegalTransition):
        subject.change(ADMIN, AT, status=OrderStatus.SHIPPED, payment_status=PaymentStatus.PAID)
    assert (subject.status, subject.payment_status) == ("delivered", "unpaid")
    assert len(subject.history) == 1


def test_a_change_needs_a_status_or_a_payment_status():
    with pytest.raises(RuleViolation):
        order().change(ADMIN, AT)


def test_a_vendor_sees_only_its_lines_totalled_without_shipping():
    placed = order(line("30.00", 1, vendor=7), line("25.00", 2, vendor=8, product=2))
    mine = placed.for_vendor(8)
    assert [item.vendor_id for item in mine.lines] == [8]
    assert (mine.subtotal, mine.shipping_cost, mine.total) == (
        Decimal("50.00"), Decimal("0.00"), Decimal("50.00"),
    )  # fmt: skip
    assert len(placed.lines) == 2  # the order itself is untouched
