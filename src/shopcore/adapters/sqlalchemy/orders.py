"""SQL repository for orders (carts: cart.py; stock: stock.py; idempotency keys: idempotency.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, and_, exists, func, insert, select, true, update

from shopcore.adapters.sqlalchemy.cart import SqlCartRepository
from shopcore.adapters.sqlalchemy.idempotency import SqlIdempotencyRepository
from shopcore.adapters.sqlalchemy.stock import SqlStockRepository
from shopcore.domain.orders import (
    Actor,
    Order,
    OrderLine,
    OrderStatus,
    PaymentMethod,
    PaymentStatus,
    ShippingAddress,
    StatusChange,
)
from shopcore.ports.orders import OrderFilter, OrderRepository

from .tables import order_history, order_lines, orders, storable

__all__ = [
    "SqlCartRepository",
    "SqlIdempotencyRepository",
    "SqlOrderRepository",
    "SqlStockRepository",
]

_SHIPPING_FIELDS = (
    "full_name", "phone", "address_line1", "address_line2", "city", "state", "postal_code",
    "country",
)  # fmt: skip
_LINE_FIELDS = (
    "product_id", "vendor_id", "product_slug", "product_name", "unit_price", "quantity",
    "line_total",
)  # fmt: skip


def _order_row(order: Order) -> dict[str, Any]:
    row: dict[str, Any] = {
        f"ship_{name}": getattr(order.shipping, name) for name in _SHIPPING_FIELDS
    }
    row.update(
        order_number=order.order_number, user_id=order.user_id, status=order.status.value,
        payment_method=order.payment_method.value, payment_status=order.payment_status.value,
        subtotal=order.subtotal, shipping_cost=order.shipping_cost, total=order.total,
        created_at=order.created_at, updated_at=order.updated_at,
    )  # fmt: skip
    return row


def _history_row(order_id: int, change: StatusChange) -> dict[str, Any]:
    return {
        "order_id": order_id, "status": change.status.value,
        "payment_status": change.payment_status.value, "by_user_id": change.by.id,
        "by_name": change.by.name[:200], "at": change.at,
    }  # fmt: skip


def _order_from_row(data: Any, lines: list[OrderLine], history: list[StatusChange]) -> Order:
    shipping = ShippingAddress(**{name: data[f"ship_{name}"] for name in _SHIPPING_FIELDS})
    return Order(
        order_number=data["order_number"], user_id=data["user_id"],
        payment_method=PaymentMethod(data["payment_method"]), shipping=shipping,
        created_at=data["created_at"], updated_at=data["updated_at"], lines=lines,
        status=OrderStatus(data["status"]), payment_status=PaymentStatus(data["payment_status"]),
        subtotal=data["subtotal"], shipping_cost=data["shipping_cost"], total=data["total"],
        history=history, id=data["id"],
    )  # fmt: skip


class SqlOrderRepository(OrderRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, order: Order) -> None:
        result = self.conn.execute(insert(orders).values(_order_row(order)))
        order_id = int(result.inserted_primary_key[0])  # type: ignore[index]
        order.id = order_id
        line_rows = [
            {"order_id": order_id, **{name: getattr(line, name) for name in _LINE_FIELDS}}
            for line in order.lines
        ]
        self.conn.execute(insert(order_lines), line_rows)
        history_rows = [_history_row(order_id, change) for change in order.history]
        self.conn.execute(insert(order_history), history_rows)

    def number_taken(self, order_number: str) -> bool:
        stmt = select(exists().where(orders.c.order_number == order_number))
        return bool(self.conn.execute(stmt).scalar())

    def get_by_number(self, order_number: str) -> Order | None:
        if not storable(order_number):
            return None
        stmt = select(orders).where(orders.c.order_number == order_number)
        found = _hydrate(self.conn, self.conn.execute(stmt).all())
        return found[0] if found else None

    def list(self, filters: OrderFilter, offset: int, limit: int) -> tuple[list[Order], int]:
        where = and_(true(), *_conditions(filters))
        total = self.conn.execute(select(func.count()).select_from(orders).where(where)).scalar()
        stmt = (
            select(orders)
            .where(where)
            .order_by(orders.c.created_at.desc(), orders.c.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return _hydrate(self.conn, self.conn.execute(stmt).all()), int(total or 0)

    def save_change(self, order: Order, was: tuple[OrderStatus, PaymentStatus]) -> bool:
        # Compare-and-set in one statement: InnoDB re-checks the WHERE against the latest
        # committed row after waiting for its lock, so of two racing changes only one matches.
        stmt = (
            update(orders)
            .where(
                orders.c.id == order.id,
                orders.c.status == was[0].value,
                orders.c.payment_status == was[1].value,
            )
            .values(
                status=order.status.value,
                payment_status=order.payment_status.value,
                updated_at=order.updated_at,
            )
        )
        if self.conn.execute(stmt).rowcount != 1:
            return False
        assert order.id is not None
        self.conn.execute(insert(order_history).values(_history_row(order.id, order.history[-1])))
        return True


def _hydrate(conn: Connection, rows: Sequence[Any]) -> list[Order]:
    """Orders with their lines and history: two more queries, whatever the page size."""
    ids = [row.id for row in rows]
    if not ids:
        return []
    lines: dict[int, list[OrderLine]] = defaultdict(list)
    stmt = select(order_lines).where(order_lines.c.order_id.in_(ids))
    for line in conn.execute(stmt.order_by(order_lines.c.id)).all():
        data = line._mapping
        lines[data["order_id"]].append(OrderLine(**{n: data[n] for n in _LINE_FIELDS}))
    history: dict[int, list[StatusChange]] = defaultdict(list)
    stmt = select(order_history).where(order_history.c.order_id.in_(ids))
    for entry in conn.execute(stmt.order_by(order_history.c.id)).all():
        history[entry.order_id].append(
            StatusChange(
                OrderStatus(entry.status),
                PaymentStatus(entry.payment_status),
                Actor(entry.by_user_id, entry.by_name),
                entry.at,
            )  # fmt: skip
        )
    return [_order_from_row(row._mapping, lines[row.id], history[row.id]) for row in rows]


def _conditions(filters: OrderFilter) -> list[Any]:
    conditions: list[Any] = []
    if filters.user_id is not None:
        conditions.append(orders.c.user_id == filters.user_id)
    if filters.status is not None:
        conditions.append(orders.c.status == filters.status.value)
    if filters.vendor_id is not None:
        holds = (order_lines.c.order_id == orders.c.id) & (
            order_lines.c.vendor_id == filters.vendor_id
        )
        conditions.append(exists().where(holds))
    return conditions
