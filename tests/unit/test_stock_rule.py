"""Stock never goes below zero: the rule is the domain's (``can_take``, ``Product.take_stock``);
the in-memory stock repository applies it and the SQL one checks it in its conditional UPDATE."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from shopcore.adapters.memory.orders import MemoryStockRepository
from shopcore.bootstrap import RetryPolicy
from shopcore.domain.catalog import Product, can_take
from shopcore.domain.errors import OutOfStock
from tests.unit.conftest import Harness, make_harness
from tests.unit.fakes import (
    InMemoryStore,
    InMemoryUnitOfWork,
)
from tests.unit.orders_helpers import add_product, place, stock_of

NOW = datetime(2026, 11, 24, tzinfo=UTC)


def a_product(stock: int) -> Product:
    return Product(1, 1, "Tea", "tea", "", Decimal("5.00"), stock, NOW, NOW)


@pytest.mark.parametrize(
    ("stock", "quantity", "allowed"),
    [(3, 3, True), (3, 2, True), (3, 4, False), (0, 1, False)],
)
def test_units_can_be_taken_only_while_that_many_are_left(stock, quantity, allowed):
    assert can_take(stock, quantity) is allowed


def test_a_product_gives_its_last_units_and_then_no_more():
    tea = a_product(stock=3)
    assert tea.take_stock(3) is True
    assert tea.stock == 0
    assert tea.take_stock(1) is False
    assert tea.stock == 0


def test_a_product_short_of_units_keeps_its_stock_unchanged():
    tea = a_product(stock=2)
    assert tea.take_stock(5) is False
    assert tea.stock == 2


def test_units_put_back_can_be_taken_again():
    tea = a_product(stock=1)
    assert tea.take_stock(1)
    tea.put_back_stock(1)
    assert tea.take_stock(1)


class MissesOnce(MemoryStockRepository):
    """A take that finds too few units, while a concurrent cancel is putting them back: by the
    time the use case looks at the level, enough units are there again."""

    missed: set[int] = set()

    def take(self, product_id: int, quantity: int) -> bool:
        if product_id not in MissesOnce.missed:
            MissesOnce.missed.add(product_id)
            return False
        return super().take(product_id, quantity)


class RacingUnitOfWork(InMemoryUnitOfWork):
    def __init__(self, store: InMemoryStore) -> None:
        super().__init__(store)
        self.stock = MissesOnce(store)


@pytest.fixture
def racing_harness() -> Harness:
    MissesOnce.missed = set()
    return make_harness(RacingUnitOfWork, retry=RetryPolicy(sleep=lambda _seconds: None))


def test_an_order_whose_units_came_back_meanwhile_is_placed_instead_of_refused(racing_harness):
    h = racing_harness
    vendor, buyer = h.register("vendor@example.com", "vendor"), h.register("ann@example.com")
    tea = add_product(h, vendor, "tea", stock=5)

    order = place(h, buyer, ("tea", 3))  # never "Only 5 left" for 3 wanted

    assert [line.quantity for line in order.lines] == [3]
    assert stock_of(h, tea) == 2


def test_an_order_short_of_units_is_still_refused_after_the_level_is_read(racing_harness):
    h = racing_harness
    vendor, buyer = h.register("vendor@example.com", "vendor"), h.register("ann@example.com")
    tea = add_product(h, vendor, "tea", stock=2)

    with pytest.raises(OutOfStock) as caught:
        place(h, buyer, ("tea", 3))

    assert caught.value.errors == {"items.0.quantity": ["Only 2 left of 'Tea'."]}
    assert stock_of(h, tea) == 2
