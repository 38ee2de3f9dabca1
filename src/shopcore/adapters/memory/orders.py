"""In-memory repositories for carts, orders and idempotency keys."""

from __future__ import annotations

from typing import Any

from shopcore.ports.orders import CartRepository, IdempotencyRepository, OrderRepository


class MemoryCartRepository(CartRepository):
    def __init__(self, store: Any) -> None:
        self.store = store


class MemoryOrderRepository(OrderRepository):
    def __init__(self, store: Any) -> None:
        self.store = store


class MemoryIdempotencyRepository(IdempotencyRepository):
    def __init__(self, store: Any) -> None:
        self.store = store
