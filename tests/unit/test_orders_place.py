"""PlaceOrder on in-memory adapters: live stock, all or nothing, snapshots, idempotency."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from shopcore.adapters.memory.orders import MemoryIdempotencyRepository
from shopcore.adapters.system import RandomIds
from shopcore.domain.errors import (
    EmptyOrder,
    IdempotencyKeyReused,
    OutOfStock,
    RuleViolation,
)
from shopcore.domain.orders import OrderStatus
from tests.unit.fakes import SequentialIds
from tests.unit.orders_helpers import (
    SHIPPING,
    add_product,
    command,
    place,
    set_price,
    stock_of,
    stored_orders,
)


@pytest.fixture
def people(harness):
    return harness.register("vendor@example.com", "vendor"), harness.register("ann@example.com")


def test_an_order_takes_stock_and_freezes_name_and_final_price(harness, people):
    vendor, buyer = people
    tea = add_product(harness, vendor, "green-tea", price="24.00", discount="19.99", stock=5)
    placed = place(harness, buyer, ("green-tea", 3))

    assert stock_of(harness, tea) == 2
    [line] = placed.lines
    assert (line.product_slug, line.product_name, line.vendor_id) == (
        "green-tea", "Green Tea", vendor.user_id,
    )  # fmt: skip
    assert (line.unit_price, line.quantity, line.line_total) == (
        Decimal("19.99"),
        3,
        Decimal("59.97"),
    )
    assert (placed.subtotal, placed.shipping_cost, placed.total) == (
        Decimal("59.97"), Decimal("0.00"), Decimal("59.97"),
    )  # fmt: skip
    assert placed.status is OrderStatus.PENDING and placed.user_id == buyer.user_id
    assert stored_orders(harness)[0].order_number == placed.order_number


def test_later_price_and_name_changes_do_not_touch_a_placed_order(harness, people):
    vendor, buyer = people
    tea = add_product(harness, vendor, "tea", price="10.00")
    placed = place(harness, buyer, ("tea", 1))
    set_price(harness, tea, "99.00")

    again = harness.shop.get_order.execute(buyer, placed.order_number)
    assert again.lines[0].unit_price == Decimal("10.00")
    assert (again.subtotal, again.shipping_cost, again.total) == (
        Decimal("10.00"), Decimal("5.00"), Decimal("15.00"),
    )  # fmt: skip


def test_the_last_units_can_be_bought_down_to_zero(harness, people):
    vendor, buyer = people
    tea = add_product(harness, vendor, "tea", stock=3)
    place(harness, buyer, ("tea", 3))
    assert stock_of(harness, tea) == 0


def test_one_short_line_fails_the_whole_order_and_names_the_product(harness, people):
    vendor, buyer = people
    tea = add_product(harness, vendor, "tea", stock=10)
    mug = add_product(harness, vendor, "mug", stock=1)

    with pytest.raises(OutOfStock) as caught:
        place(harness, buyer, ("tea", 4), ("mug", 2))

    assert "Mug" in caught.value.message
    assert caught.value.errors == {"items.1.quantity": ["Only 1 left of 'Mug'."]}
    assert (stock_of(harness, tea), stock_of(harness, mug)) == (10, 1)
    assert stored_orders(harness) == []


def test_every_short_line_is_reported(harness, people):
    vendor, buyer = people
    add_product(harness, vendor, "tea", stock=0)
    add_product(harness, vendor, "mug", stock=1)
    with pytest.raises(OutOfStock) as caught:
        place(harness, buyer, ("tea", 1), ("mug", 2))
    assert set(caught.value.errors) == {"items.0.quantity", "items.1.quantity"}


@pytest.mark.parametrize("active", [True, False])
def test_unknown_and_inactive_products_are_refused_by_line(harness, people, active):
    vendor, buyer = people
    tea = add_product(harness, vendor, "tea", stock=5)
    add_product(harness, vendor, "old-mug", active=active)
    items = [("tea", 1), ("ghost", 1)] + ([] if active else [("old-mug", 1)])

    with pytest.raises(RuleViolation) as caught:
        place(harness, buyer, *items)

    expected = {"items.1.product"} | (set() if active else {"items.2.product"})
    assert set(caught.value.errors) == expected
    assert "ghost" in caught.value.errors["items.1.product"][0]
    assert stock_of(harness, tea) == 5 and stored_orders(harness) == []


@pytest.mark.parametrize("quantity", [0, -2, 1001, True, 1.5, "2"])
def test_quantities_must_be_whole_numbers_from_one_to_a_thousand(harness, people, quantity):
    vendor, buyer = people
    add_product(harness, vendor, "tea", stock=5000)
    with pytest.raises(RuleViolation) as caught:
        place(harness, buyer, ("tea", 1), ("tea", quantity))
    assert set(caught.value.errors) == {"items.1.quantity"}


def test_a_product_listed_twice_is_one_line_with_the_quantities_added(harness, people):
    vendor, buyer = people
    tea = add_product(harness, vendor, "tea", stock=10)
    add_product(harness, vendor, "mug", stock=10)
    placed = place(harness, buyer, ("tea", 2), ("mug", 1), ("tea", 3))
    assert [(line.product_slug, line.quantity) for line in placed.lines] == [("tea", 5), ("mug", 1)]
    assert stock_of(harness, tea) == 5


def test_repeats_that_add_up_beyond_a_thousand_are_refused(harness, people):
    vendor, buyer = people
    add_product(harness, vendor, "tea", stock=5000)
    with pytest.raises(RuleViolation) as caught:
        place(harness, buyer, ("tea", 600), ("tea", 401))
    assert set(caught.value.errors) == {"items.1.quantity"}


def test_a_repeated_short_product_is_reported_at_its_first_line(harness, people):
    vendor, buyer = people
    add_product(harness, vendor, "tea", stock=4)
    with pytest.raises(OutOfStock) as caught:
        place(harness, buyer, ("tea", 3), ("tea", 3))
    assert set(caught.value.errors) == {"items.0.quantity"}


def test_an_empty_item_list_is_refused(harness, people):
    _, buyer = people
    with pytest.raises(EmptyOrder):
        place(harness, buyer)


def test_order_numbers_are_random_and_unique(harness, people):
    vendor, buyer = people
    add_product(harness, vendor, "tea", stock=10)
    harness.shop.ids = RandomIds()
    numbers = {place(harness, buyer, ("tea", 1)).order_number for _ in range(5)}
    assert len(numbers) == 5
    assert all(re.fullmatch(r"ORD-20261124-[2-9A-Z]{8}", number) for number in numbers)


class RepeatingIds(SequentialIds):
    """Hands out one order number twice, as a random generator might once in a while."""

    def __init__(self) -> None:
        super().__init__()
        self.numbers = iter(["ORD-X-1", "ORD-X-1", "ORD-X-2"])

    def order_number(self, now):  # noqa: ANN001
        return next(self.numbers)


def test_an_order_number_already_taken_is_drawn_again(harness, people):
    vendor, buyer = people
    add_product(harness, vendor, "tea", stock=10)
    harness.shop.ids = RepeatingIds()
    first, second = place(harness, buyer, ("tea", 1)), place(harness, buyer, ("tea", 1))
    assert (first.order_number, second.order_number) == ("ORD-X-1", "ORD-X-2")


def test_creation_opens_the_history_with_the_buyer(harness, people):
    vendor, buyer = people
    add_product(harness, vendor, "tea")
    placed = place(harness, buyer, ("tea", 1))
    [entry] = placed.history
    assert (entry.status, entry.payment_status, entry.by.id, entry.by.name) == (
        "pending", "unpaid", buyer.user_id, "Ann Lee",
    )  # fmt: skip
    assert entry.at == harness.clock.now() == placed.created_at


# --- from the cart ------------------------------------------------------------------------


def test_ordering_the_cart_orders_every_line_and_empties_it(harness, people):
    vendor, buyer = people
    tea, mug = add_product(harness, vendor, "tea"), add_product(harness, vendor, "mug")
    harness.shop.add_to_cart.execute(buyer, "tea", 2)
    harness.shop.add_to_cart.execute(buyer, "mug", 1)

    placed = place(harness, buyer, from_cart=True)

    assert [(line.product_slug, line.quantity) for line in placed.lines] == [("tea", 2), ("mug", 1)]
    assert (stock_of(harness, tea), stock_of(harness, mug)) == (8, 9)
    assert harness.shop.get_cart.execute(buyer).items == []


def test_explicit_items_leave_the_cart_alone(harness, people):
    vendor, buyer = people
    add_product(harness, vendor, "tea")
    harness.shop.add_to_cart.execute(buyer, "tea", 2)
    place(harness, buyer, ("tea", 1))
    assert harness.shop.get_cart.execute(buyer).item_count == 2


def test_an_empty_cart_cannot_be_ordered(harness, people):
    _, buyer = people
    with pytest.raises(EmptyOrder):
        place(harness, buyer, from_cart=True)


def test_a_cart_holding_a_product_no_longer_sold_fails_clearly_and_is_kept(harness, people):
    vendor, buyer = people
    add_product(harness, vendor, "tea")
    mug = add_product(harness, vendor, "mug")
    harness.shop.add_to_cart.execute(buyer, "tea", 1)
    harness.shop.add_to_cart.execute(buyer, "mug", 1)
    set_price(harness, mug, "10.00", active=False)

    with pytest.raises(RuleViolation) as caught:
        place(harness, buyer, from_cart=True)

    assert caught.value.errors == {"items.1.product": ["No product 'mug' is for sale."]}
    assert harness.shop.get_cart.execute(buyer).item_count == 2


def test_a_cart_line_short_of_stock_fails_at_ordering_time(harness, people):
    vendor, buyer = people
    tea = add_product(harness, vendor, "tea", stock=1)
    harness.shop.add_to_cart.execute(buyer, "tea", 3)
    with pytest.raises(OutOfStock):
        place(harness, buyer, from_cart=True)
    assert stock_of(harness, tea) == 1
    assert harness.shop.get_cart.execute(buyer).item_count == 3


# --- idempotency --------------------------------------------------------------------------


def test_the_same_key_and_body_answer_the_first_order_without_taking_stock_again(harness, people):
    vendor, buyer = people
    tea = add_product(harness, vendor, "tea", stock=10)
    first = place(harness, buyer, ("tea", 2), key="k-1")
    again = place(harness, buyer, ("tea", 2), key="k-1")
    assert again == first
    assert stock_of(harness, tea) == 8 and len(stored_orders(harness)) == 1


def test_the_same_key_with_another_body_is_a_conflict_and_changes_nothing(harness, people):
    vendor, buyer = people
    tea = add_product(harness, vendor, "tea", stock=10)
    place(harness, buyer, ("tea", 2), key="k-1")
    for other in (command(("tea", 3), key="k-1"), command(("tea", 2), key="k-1", method="cod")):
        with pytest.raises(IdempotencyKeyReused):
            harness.shop.place_order.execute(buyer, other)
    assert stock_of(harness, tea) == 8 and len(stored_orders(harness)) == 1


def test_keys_belong_to_one_user(harness, people):
    vendor, buyer = people
    add_product(harness, vendor, "tea", stock=10)
    other = harness.register("bob@example.com")
    first = place(harness, buyer, ("tea", 1), key="same")
    second = place(harness, other, ("tea", 1), key="same")
    assert first.order_number != second.order_number


def test_a_failed_attempt_does_not_use_up_its_key(harness, people):
    vendor, buyer = people
    tea = add_product(harness, vendor, "tea", stock=1)
    with pytest.raises(OutOfStock):
        place(harness, buyer, ("tea", 2), key="k")
    with harness.uow() as uow:
        stored = uow.products.get(tea.id)
        stored.set_stock(5)
        uow.products.save(stored)
        uow.commit()
    assert place(harness, buyer, ("tea", 2), key="k").lines[0].quantity == 2


@pytest.mark.parametrize("key", ["", "k" * 256])
def test_a_key_must_be_one_to_255_characters(harness, people, key):
    vendor, buyer = people
    add_product(harness, vendor, "tea")
    with pytest.raises(RuleViolation) as caught:
        place(harness, buyer, ("tea", 1), key=key)
    assert set(caught.value.errors) == {"Idempotency-Key"}
    assert stored_orders(harness) == []


def test_a_request_that_loses_the_race_for_its_key_answers_the_winners_order(
    harness, people, monkeypatch
):
    """Simulates a database whose snapshot did not yet show the concurrent winner's key: the
    claim fails, and a fresh look in a new transaction answers the winner's order."""
    vendor, buyer = people
    tea = add_product(harness, vendor, "tea", stock=10)
    winner = place(harness, buyer, ("tea", 1), key="k")
    real_get = MemoryIdempotencyRepository.get
    calls = []

    def stale_first_look(self, user_id, key):  # noqa: ANN001
        calls.append(key)
        return None if len(calls) == 1 else real_get(self, user_id, key)

    monkeypatch.setattr(MemoryIdempotencyRepository, "get", stale_first_look)
    answer = place(harness, buyer, ("tea", 1), key="k")

    assert answer.order_number == winner.order_number and len(calls) == 2
    assert stock_of(harness, tea) == 9 and len(stored_orders(harness)) == 1


def test_the_fingerprint_covers_items_shipping_and_payment_but_not_the_key():
    base = command(("tea", 1), key="a")
    assert base.fingerprint() == command(("tea", 1), key="b").fingerprint()
    assert base.fingerprint() != command(("tea", 2), key="a").fingerprint()
    assert base.fingerprint() != command(key="a", from_cart=True).fingerprint()
    moved = SHIPPING.__class__(**{**SHIPPING.__dict__, "city": "Mumbai"})
    assert base.fingerprint() != command(("tea", 1), key="a", shipping=moved).fingerprint()
