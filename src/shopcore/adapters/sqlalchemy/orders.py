"""SQL repositories for carts, orders and idempotency keys."""

from __future__ import annotations

from sqlalchemy import Connection

from shopcore.ports.orders import CartRepository, IdempotencyRepository, OrderRepository


class SqlCartRepository(CartRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn


class SqlOrderRepository(OrderRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn


class SqlIdempotencyRepository(IdempotencyRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
