"""Seeding helpers for the review and analytics integration tests (no tests here).

Products go in through the product repository; orders are written with SQLAlchemy Core straight
into ``orders`` and ``order_lines``, so any status and date can be set up directly.
"""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask import Flask

from shopcore.adapters.sqlalchemy import tables as t
from shopcore.bootstrap import UseCases
from shopcore.domain.catalog import Category, Product

_numbers = itertools.count(1)


class Seed:
    def __init__(self, app: Flask) -> None:
        self.shop: UseCases = app.extensions["shopcore"]
        self.engine: sa.Engine = self.shop.engine
        self._category_id: int | None = None

    def category(self) -> int:
        if self._category_id is None:
            now = datetime.now(UTC)
            category = Category("Tea", f"tea-{uuid.uuid4().hex[:8]}", now)
            with self.shop.uow_factory() as uow:
                uow.categories.add(category)
                uow.commit()
            self._category_id = category.id
        assert self._category_id is not None
        return self._category_id

    def product(
        self, vendor_id: int, slug: str | None = None, *, price: str = "10.00", stock: int = 50,
        active: bool = True, name: str | None = None,
    ) -> Product:  # fmt: skip
        now = datetime.now(UTC)
        slug = slug or f"tea-{uuid.uuid4().hex[:8]}"
        product = Product(
            vendor_id, self.category(), name or slug.title(), slug, "Good.", Decimal(price),
            stock, now, now, is_active=active,
        )  # fmt: skip
        with self.shop.uow_factory() as uow:
            uow.products.add(product)
            uow.commit()
        return product

    def order(
        self, buyer_id: int, *items: tuple[Product, int], status: str = "delivered",
        at: datetime | None = None,
    ) -> int:  # fmt: skip
        """An order of ``items`` (product, quantity) in ``status``, placed at ``at``."""
        at = at or datetime.now(UTC)
        lines = [_line(product, quantity) for product, quantity in items]
        subtotal = sum((line["line_total"] for line in lines), Decimal("0.00"))
        with self.engine.begin() as conn:
            order_id = conn.execute(
                sa.insert(t.orders).values(_order_row(buyer_id, status, subtotal, at))
            ).inserted_primary_key[0]
            conn.execute(
                sa.insert(t.order_lines), [{**line, "order_id": order_id} for line in lines]
            )
        return int(order_id)

    def rating(self, slug: str) -> tuple[Decimal | None, int]:
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(t.products.c.rating_avg, t.products.c.rating_count).where(
                    t.products.c.slug == slug
                )
            ).one()
        return row.rating_avg, row.rating_count


def _line(product: Product, quantity: int) -> dict[str, Any]:
    return {
        "product_id": product.id, "vendor_id": product.vendor_id, "product_slug": product.slug,
        "product_name": product.name, "unit_price": product.final_price, "quantity": quantity,
        "line_total": product.final_price * quantity,
    }  # fmt: skip


def _order_row(buyer_id: int, status: str, subtotal: Decimal, at: datetime) -> dict[str, Any]:
    return {
        "order_number": f"ORD-T-{next(_numbers):06d}-{uuid.uuid4().hex[:6]}",
        "user_id": buyer_id, "status": status, "payment_method": "card",
        "payment_status": "unpaid", "subtotal": subtotal, "shipping_cost": Decimal("0.00"),
        "total": subtotal, "ship_full_name": "Ann Lee", "ship_phone": "+100",
        "ship_address_line1": "1 Main St", "ship_city": "Springfield",
        "ship_postal_code": "12345", "ship_country": "US", "created_at": at, "updated_at": at,
    }  # fmt: skip


def buyer_of(api: Any, seed: Seed, product: Product, status: str = "delivered") -> Any:
    """A new customer (its session) with an order of ``product`` in ``status``."""
    session = api.register("customer")
    seed.order(session["user"]["id"], (product, 1), status=status)
    return session


class StatementCounter:
    """Counts the SQL statements the engine runs while active (a context manager)."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine, self.count = engine, 0

    def _on_execute(self, *args: Any) -> None:
        self.count += 1

    def __enter__(self) -> StatementCounter:
        sa.event.listen(self.engine, "before_cursor_execute", self._on_execute)
        return self

    def __exit__(self, *exc: object) -> None:
        sa.event.remove(self.engine, "before_cursor_execute", self._on_execute)
