"""In-memory repositories for carts, orders, idempotency keys and stock.

``store.tables["orders"]`` maps an order id to the whole ``Order`` (lines and history included),
which other in-memory readers (reviews, analytics) rely on.
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from shopcore.adapters.memory.base import MemoryTable
from shopcore.domain.cart import CartItem, CartLine
from shopcore.domain.orders import Order, OrderStatus, PaymentStatus
from shopcore.ports.orders import (
    CartRepository,
    IdempotencyRecord,
    IdempotencyRepository,
    OrderFilter,
    OrderRepository,
    StockRepository,
)


class MemoryCartRepository(MemoryTable[CartLine], CartRepository):
    table = "cart_items"  # keyed by (user_id, product_id)

    def items(self, user_id: int) -> list[CartItem]:
        products = self.store.tables["products"]
        lines = sorted(
            (line for line in self.rows.values() if line.user_id == user_id),
            key=lambda line: (line.added_at, line.product_id),
        )
        return [
            CartItem(copy.deepcopy(products[line.product_id]), line.quantity)
            for line in lines
            if line.product_id in products
        ]

    def get(self, user_id: int, product_id: int) -> CartLine | None:
        return self._get((user_id, product_id))

    def lock(self, user_id: int) -> None:
        """Nothing to wait for (units of work on the store run one at a time), but noted."""
        self.store.locks.append((self.table, user_id))

    def put(self, line: CartLine) -> None:
        self.rows[(line.user_id, line.product_id)] = copy.deepcopy(line)

    def remove(self, user_id: int, product_id: int) -> bool:
        return self.rows.pop((user_id, product_id), None) is not None

    def clear(self, user_id: int) -> None:
        for key in [key for key, line in self.rows.items() if line.user_id == user_id]:
            del self.rows[key]


class MemoryOrderRepository(MemoryTable[Order], OrderRepository):
    table = "orders"

    def add(self, order: Order) -> None:
        self._insert(order)

    def number_taken(self, order_number: str) -> bool:
        return any(order.order_number == order_number for order in self.rows.values())

    def get_by_number(self, order_number: str) -> Order | None:
        found = next((o for o in self.rows.values() if o.order_number == order_number), None)
        return copy.deepcopy(found)

    def list(self, filters: OrderFilter, offset: int, limit: int) -> tuple[list[Order], int]:
        found = sorted(
            (order for order in self.rows.values() if _matches(order, filters)),
            key=lambda order: (order.created_at, order.id or 0),
            reverse=True,
        )
        return copy.deepcopy(found[offset : offset + limit]), len(found)

    def save_change(self, order: Order, was: tuple[OrderStatus, PaymentStatus]) -> bool:
        stored = self.rows.get(order.id)
        if stored is None or (stored.status, stored.payment_status) != was:
            return False
        stored.status, stored.payment_status = order.status, order.payment_status
        stored.updated_at = order.updated_at
        stored.history.append(copy.deepcopy(order.history[-1]))
        return True


def _matches(order: Order, filters: OrderFilter) -> bool:
    if filters.user_id is not None and order.user_id != filters.user_id:
        return False
    if filters.status is not None and order.status is not filters.status:
        return False
    if filters.vendor_id is not None:
        return any(line.vendor_id == filters.vendor_id for line in order.lines)
    return True


class MemoryIdempotencyRepository(MemoryTable[IdempotencyRecord], IdempotencyRepository):
    table = "idempotency_keys"  # keyed by (user_id, key)

    def get(self, user_id: int, key: str) -> IdempotencyRecord | None:
        return self.rows.get((user_id, key))

    def claim(self, record: IdempotencyRecord) -> bool:
        if (record.user_id, record.key) in self.rows:
            return False
        self.rows[(record.user_id, record.key)] = record
        return True

    def prune(self, before: datetime) -> int:
        stale = [key for key, record in self.rows.items() if record.created_at < before]
        for key in stale:
            del self.rows[key]
        return len(stale)


class MemoryStockRepository(StockRepository):
    """Works on the stored products themselves; the unit's store lock makes each change atomic."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def take(self, product_id: int, quantity: int) -> bool:
        self.store.locks.append(("products", product_id))  # SQL's UPDATE locks the row
        product = self.store.tables["products"].get(product_id)
        return product is not None and bool(product.take_stock(quantity))

    def put_back(self, product_id: int, quantity: int) -> None:
        self.store.locks.append(("products", product_id))
        product = self.store.tables["products"].get(product_id)
        if product is not None:
            product.put_back_stock(quantity)

    def level(self, product_id: int) -> int:
        product = self.store.tables["products"].get(product_id)
        return 0 if product is None else int(product.stock)
