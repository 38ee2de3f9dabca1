"""Scenario 4's correctness check, in SQL after the run: stock taken == units ordered."""

from __future__ import annotations

import sqlalchemy as sa

from bench.report import Row
from shopcore.adapters.sqlalchemy.tables import order_lines, orders, products


def total_stock(engine: sa.Engine, slugs: list[str]) -> int:
    query = sa.select(sa.func.coalesce(sa.func.sum(products.c.stock), 0))
    with engine.connect() as conn:
        return int(conn.execute(query.where(products.c.slug.in_(slugs))).scalar_one())


def units_ordered(engine: sa.Engine, slugs: list[str]) -> int:
    """Units of these products in orders that are not cancelled."""
    query = (
        sa.select(sa.func.coalesce(sa.func.sum(order_lines.c.quantity), 0))
        .join(orders, orders.c.id == order_lines.c.order_id)
        .join(products, products.c.id == order_lines.c.product_id)
        .where(orders.c.status != "cancelled", products.c.slug.in_(slugs))
    )
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def notes(engine: sa.Engine, slugs: list[str], before: int, row: Row | None) -> list[str]:
    if row is None or row.result is None:
        return []
    taken = before - total_stock(engine, slugs)
    ordered = units_ordered(engine, slugs)
    r = row.result
    return [
        f"scenario 4: {r.count(201, 201) / r.seconds:,.0f} orders/s placed (201), "
        f"{r.count(500, 599)} 5xx, other answers: {_others(r.statuses)}",
        f"scenario 4 stock check (SQL, after the run, warm-up included): stock taken {taken:,} "
        f"units, units in non-cancelled orders {ordered:,}: oversold {ordered - taken:,}"
        + ("" if ordered == taken else "  <-- MISMATCH"),
    ]


def _others(statuses: dict[int, int]) -> str:
    rest = {code: n for code, n in statuses.items() if code != 201}
    return ", ".join(f"{code}: {n}" for code, n in sorted(rest.items())) or "none"
