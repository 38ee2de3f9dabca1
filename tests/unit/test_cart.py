"""The cart use cases on in-memory adapters."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shopcore.domain.errors import CartLineNotFound, ProductUnavailable, RuleViolation
from tests.unit.orders_helpers import add_product, set_price


@pytest.fixture
def shop(harness):
    vendor = harness.register("vendor@example.com", "vendor")
    buyer = harness.register("ann@example.com")
    return harness, vendor, buyer


def lines(cart):
    return [(item.product.slug, item.quantity) for item in cart.items]


def test_adding_shows_the_line_at_the_current_price_with_totals(shop):
    h, vendor, buyer = shop
    add_product(h, vendor, "tea", price="12.00", discount="9.99")
    add_product(h, vendor, "mug", price="5.00")
    h.shop.add_to_cart.execute(buyer, "tea", 2)
    cart = h.shop.add_to_cart.execute(buyer, "mug", 1)

    assert lines(cart) == [("tea", 2), ("mug", 1)]
    assert [item.line_total for item in cart.items] == [Decimal("19.98"), Decimal("5.00")]
    assert (cart.total, cart.item_count) == (Decimal("24.98"), 3)


def test_adding_a_product_already_there_adds_to_its_quantity(shop):
    h, vendor, buyer = shop
    add_product(h, vendor, "tea")
    h.shop.add_to_cart.execute(buyer, "tea", 2)
    assert lines(h.shop.add_to_cart.execute(buyer, "tea", 3)) == [("tea", 5)]


def test_a_line_holds_at_most_a_thousand_units(shop):
    h, vendor, buyer = shop
    add_product(h, vendor, "tea")
    h.shop.add_to_cart.execute(buyer, "tea", 999)
    with pytest.raises(RuleViolation) as caught:
        h.shop.add_to_cart.execute(buyer, "tea", 2)
    assert "999" in caught.value.errors["quantity"][0]
    assert lines(h.shop.add_to_cart.execute(buyer, "tea", 1)) == [("tea", 1000)]


@pytest.mark.parametrize("quantity", [0, -1, 1001, True, 2.5])
def test_adding_needs_a_whole_quantity_from_one_to_a_thousand(shop, quantity):
    h, vendor, buyer = shop
    add_product(h, vendor, "tea")
    with pytest.raises(RuleViolation):
        h.shop.add_to_cart.execute(buyer, "tea", quantity)
    assert h.shop.get_cart.execute(buyer).items == []


def test_unknown_and_inactive_products_cannot_be_added(shop):
    h, vendor, buyer = shop
    add_product(h, vendor, "old", active=False)
    for slug in ("ghost", "old"):
        with pytest.raises(ProductUnavailable) as caught:
            h.shop.add_to_cart.execute(buyer, slug, 1)
        assert set(caught.value.errors) == {"product"}


def test_a_product_out_of_stock_can_still_be_added(shop):
    h, vendor, buyer = shop
    add_product(h, vendor, "tea", stock=0)
    assert lines(h.shop.add_to_cart.execute(buyer, "tea", 3)) == [("tea", 3)]


def test_the_cart_follows_price_changes(shop):
    h, vendor, buyer = shop
    tea = add_product(h, vendor, "tea", price="10.00")
    h.shop.add_to_cart.execute(buyer, "tea", 2)
    set_price(h, tea, "12.50")
    assert h.shop.get_cart.execute(buyer).total == Decimal("25.00")


def test_setting_a_quantity_replaces_it_and_zero_removes_the_line(shop):
    h, vendor, buyer = shop
    add_product(h, vendor, "tea")
    add_product(h, vendor, "mug")
    h.shop.add_to_cart.execute(buyer, "tea", 2)
    h.shop.add_to_cart.execute(buyer, "mug", 2)
    assert lines(h.shop.set_cart_quantity.execute(buyer, "tea", 7)) == [("tea", 7), ("mug", 2)]
    assert lines(h.shop.set_cart_quantity.execute(buyer, "tea", 0)) == [("mug", 2)]


@pytest.mark.parametrize("quantity", [-1, 1001])
def test_setting_a_quantity_outside_the_range_is_refused(shop, quantity):
    h, vendor, buyer = shop
    add_product(h, vendor, "tea")
    h.shop.add_to_cart.execute(buyer, "tea", 2)
    with pytest.raises(RuleViolation):
        h.shop.set_cart_quantity.execute(buyer, "tea", quantity)
    assert lines(h.shop.get_cart.execute(buyer)) == [("tea", 2)]


def test_changing_or_removing_a_product_not_in_the_cart_is_not_found(shop):
    h, vendor, buyer = shop
    add_product(h, vendor, "tea")
    for action in (
        lambda: h.shop.set_cart_quantity.execute(buyer, "tea", 1),
        lambda: h.shop.remove_from_cart.execute(buyer, "tea"),
        lambda: h.shop.remove_from_cart.execute(buyer, "ghost"),
    ):
        with pytest.raises(CartLineNotFound):
            action()


def test_a_product_no_longer_sold_can_be_removed_but_not_raised(shop):
    h, vendor, buyer = shop
    tea = add_product(h, vendor, "tea")
    h.shop.add_to_cart.execute(buyer, "tea", 1)
    set_price(h, tea, "10.00", active=False)
    with pytest.raises(ProductUnavailable):
        h.shop.set_cart_quantity.execute(buyer, "tea", 3)
    assert lines(h.shop.set_cart_quantity.execute(buyer, "tea", 0)) == []


def test_removing_and_clearing(shop):
    h, vendor, buyer = shop
    add_product(h, vendor, "tea")
    add_product(h, vendor, "mug")
    h.shop.add_to_cart.execute(buyer, "tea", 1)
    h.shop.add_to_cart.execute(buyer, "mug", 1)
    h.shop.remove_from_cart.execute(buyer, "tea")
    assert lines(h.shop.get_cart.execute(buyer)) == [("mug", 1)]
    h.shop.clear_cart.execute(buyer)
    assert h.shop.get_cart.execute(buyer).items == []


def test_one_users_cart_is_invisible_and_untouchable_to_another(shop):
    h, vendor, buyer = shop
    bob = h.register("bob@example.com")
    add_product(h, vendor, "tea")
    h.shop.add_to_cart.execute(buyer, "tea", 2)

    assert h.shop.get_cart.execute(bob).items == []
    with pytest.raises(CartLineNotFound):
        h.shop.remove_from_cart.execute(bob, "tea")
    h.shop.clear_cart.execute(bob)
    assert lines(h.shop.get_cart.execute(buyer)) == [("tea", 2)]
