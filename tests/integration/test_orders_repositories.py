"""One contract for the order, cart, idempotency and stock repositories, run on the in-memory
adapters and on SQL (SQLite and MariaDB), so the fakes the unit tests use stay honest."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from shopcore.adapters.memory.unit_of_work import InMemoryStore, InMemoryUnitOfWork
from shopcore.domain.cart import CartLine
from shopcore.domain.catalog import Category, Product
from shopcore.domain.orders import (
    Actor,
    Order,
    OrderLine,
    OrderStatus,
    PaymentMethod,
    PaymentStatus,
    ShippingAddress,
)
from shopcore.domain.users import User
from shopcore.ports.orders import IdempotencyRecord, OrderFilter
from tests.integration.orders_helpers import SHIPPING as SHIPPING_JSON

T0 = datetime(2026, 11, 24, 10, 0, 0, 123456, tzinfo=UTC)


@pytest.fixture(params=["memory", "sql"])
def new_uow(request, app):
    """A unit-of-work factory over fresh in-memory tables, or over the test database."""
    if request.param == "memory":
        store = InMemoryStore()
        return lambda: InMemoryUnitOfWork(store)
    return app.extensions["shopcore"].uow_factory


@pytest.fixture
def world(new_uow):
    """Two users (a buyer and a vendor) and two products of the vendor."""
    with new_uow() as uow:
        buyer = User("buyer@example.com", "x", "Ann", "Lee", T0)
        seller = User("seller@example.com", "x", "Sam", "Sell", T0)
        uow.users.add(buyer)
        uow.users.add(seller)
        category = Category("Things", "things", T0)
        uow.categories.add(category)
        products = [
            Product(seller.id, category.id, name, slug, "", Decimal("10.00"), 5, T0, T0)
            for name, slug in (("Tea", "tea"), ("Mug", "mug"))
        ]
        for product in products:
            uow.products.add(product)
        uow.commit()
    return buyer, seller, products


def make_order(buyer, seller, products, number="ORD-1", at=T0) -> Order:
    lines = [OrderLine(p.id, seller.id, p.slug, p.name, Decimal("10.00"), 2) for p in products]
    return Order.place(
        order_number=number, user_id=buyer.id, lines=lines,
        shipping=ShippingAddress(**SHIPPING_JSON), payment_method=PaymentMethod.COD,
        by=Actor(buyer.id, "Ann Lee"), at=at,
    )  # fmt: skip


def test_an_added_order_reads_back_equal_with_lines_and_history(new_uow, world):
    buyer, seller, products = world
    order = make_order(buyer, seller, products)
    with new_uow() as uow:
        uow.orders.add(order)
        uow.commit()
    assert order.id is not None
    with new_uow() as uow:
        assert uow.orders.get_by_number("ORD-1") == order
        assert uow.orders.number_taken("ORD-1") and not uow.orders.number_taken("ORD-2")
        assert uow.orders.get_by_number("ORD-2") is None


def test_lists_filter_page_and_sort_newest_first(new_uow, world):
    buyer, seller, products = world
    with new_uow() as uow:
        for i in range(3):
            uow.orders.add(
                make_order(buyer, seller, products[i % 2 :], f"ORD-{i}", T0 + timedelta(i))
            )
        uow.commit()
    with new_uow() as uow:
        page, total = uow.orders.list(OrderFilter(user_id=buyer.id), 0, 2)
        assert [o.order_number for o in page] == ["ORD-2", "ORD-1"] and total == 3
        assert uow.orders.list(OrderFilter(user_id=seller.id), 0, 10) == ([], 0)
        assert uow.orders.list(OrderFilter(vendor_id=seller.id), 2, 10)[1] == 3
        assert uow.orders.list(OrderFilter(vendor_id=buyer.id), 0, 10)[1] == 0
        assert uow.orders.list(OrderFilter(status=OrderStatus.SHIPPED), 0, 10)[1] == 0
        [with_one_line] = [o for o in page if o.order_number == "ORD-1"]
        assert [line.product_slug for line in with_one_line.lines] == ["mug"]


def test_a_status_change_is_written_only_if_nobody_changed_the_order_first(new_uow, world):
    buyer, seller, products = world
    order = make_order(buyer, seller, products)
    with new_uow() as uow:
        uow.orders.add(order)
        uow.commit()
    admin = Actor(None, "Gone Admin")
    confirmed = replace(order, history=list(order.history))
    confirmed.change(admin, T0 + timedelta(hours=1), status=OrderStatus.CONFIRMED)
    was = (OrderStatus.PENDING, PaymentStatus.UNPAID)
    with new_uow() as uow:
        assert uow.orders.save_change(confirmed, was) is True
        assert uow.orders.save_change(confirmed, was) is False  # the stored status moved on
        uow.commit()
    with new_uow() as uow:
        stored = uow.orders.get_by_number("ORD-1")
    assert stored == confirmed
    assert stored.history[-1].by == admin and stored.updated_at == T0 + timedelta(hours=1)


def test_stock_is_taken_only_when_enough_is_left_and_put_back(new_uow, world):
    _, _, (tea, _) = world
    with new_uow() as uow:
        assert uow.stock.take(tea.id, 5) is True
        assert uow.stock.take(tea.id, 1) is False
        assert uow.stock.level(tea.id) == 0
        uow.stock.put_back(tea.id, 2)
        assert uow.stock.level(tea.id) == 2
        assert uow.stock.level(999_999) == 0 and uow.stock.take(999_999, 1) is False
        uow.commit()
    with new_uow() as uow:
        assert uow.products.get(tea.id).stock == 2


def test_nothing_of_a_unit_left_without_commit_is_kept(new_uow, world):
    buyer, seller, products = world
    with new_uow() as uow:
        uow.stock.take(products[0].id, 3)
        uow.orders.add(make_order(buyer, seller, products))
    with new_uow() as uow:
        assert uow.products.get(products[0].id).stock == 5
        assert uow.orders.get_by_number("ORD-1") is None


def test_idempotency_keys_are_claimed_once_per_user_and_pruned_by_age(new_uow, world):
    buyer, seller, _ = world
    record = IdempotencyRecord(buyer.id, "k", "a" * 64, "ORD-1", T0)
    with new_uow() as uow:
        assert uow.idempotency.claim(record) is True
        assert uow.idempotency.claim(replace(record, request_hash="b" * 64)) is False
        assert uow.idempotency.claim(
            replace(record, user_id=seller.id, created_at=T0 + timedelta(days=2))
        )
        uow.commit()
    with new_uow() as uow:
        assert uow.idempotency.get(buyer.id, "k") == record
        assert uow.idempotency.get(buyer.id, "other") is None
        assert uow.idempotency.prune(T0 + timedelta(days=1)) == 1
        uow.commit()
    with new_uow() as uow:
        assert uow.idempotency.get(buyer.id, "k") is None
        assert uow.idempotency.get(seller.id, "k") is not None


def test_cart_lines_are_stored_per_user_and_read_with_their_products(new_uow, world):
    buyer, seller, (tea, mug) = world
    with new_uow() as uow:
        uow.carts.put(CartLine(buyer.id, mug.id, 2, T0))
        uow.carts.put(CartLine(buyer.id, tea.id, 1, T0 + timedelta(seconds=1)))
        uow.carts.put(CartLine(seller.id, tea.id, 9, T0))
        uow.carts.put(CartLine(buyer.id, mug.id, 4, T0))  # replaces the quantity
        uow.commit()
    with new_uow() as uow:
        items = uow.carts.items(buyer.id)
        assert [(i.product.slug, i.quantity) for i in items] == [("mug", 4), ("tea", 1)]
        assert items[0].product == uow.products.get(mug.id)
        assert uow.carts.get(buyer.id, tea.id) == CartLine(
            buyer.id, tea.id, 1, T0 + timedelta(seconds=1)
        )
        assert uow.carts.remove(buyer.id, tea.id) is True
        assert uow.carts.remove(buyer.id, tea.id) is False
        uow.carts.clear(buyer.id)
        uow.commit()
    with new_uow() as uow:
        assert uow.carts.items(buyer.id) == []
        assert [i.quantity for i in uow.carts.items(seller.id)] == [9]
