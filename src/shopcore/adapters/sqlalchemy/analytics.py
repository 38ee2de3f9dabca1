"""Vendor analytics as aggregate SQL: one statement per figure, whatever the number of rows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, and_, case, func, select

from shopcore.domain.orders import OrderStatus
from shopcore.domain.values import money
from shopcore.ports.analytics import (
    ProductCounts,
    ProductSales,
    RatingTotals,
    SalesTotals,
    SalesWindow,
    StockLevel,
    VendorAnalytics,
)

from .tables import order_lines, orders, products, reviews


def _sold_lines(vendor_id: int, window: SalesWindow) -> Any:
    """The vendor's order lines of orders that count as sold (every status but cancelled)."""
    conditions = [
        order_lines.c.vendor_id == vendor_id,
        orders.c.status != OrderStatus.CANCELLED.value,
    ]
    if window.start is not None:
        conditions.append(orders.c.created_at >= window.start)
    if window.end is not None:
        conditions.append(orders.c.created_at < window.end)
    return order_lines.join(orders, orders.c.id == order_lines.c.order_id), and_(*conditions)


class SqlVendorAnalytics(VendorAnalytics):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def product_counts(self, vendor_id: int) -> ProductCounts:
        active = func.coalesce(func.sum(case((products.c.is_active.is_(True), 1), else_=0)), 0)
        row = self.conn.execute(
            select(func.count(products.c.id), active).where(products.c.vendor_id == vendor_id)
        ).one()
        return ProductCounts(int(row[0]), int(row[1]))

    def sales(self, vendor_id: int, window: SalesWindow) -> SalesTotals:
        joined, where = _sold_lines(vendor_id, window)
        row = self.conn.execute(
            select(
                func.coalesce(func.sum(order_lines.c.quantity), 0),
                func.coalesce(func.sum(order_lines.c.line_total), 0),
                func.count(order_lines.c.order_id.distinct()),
            )
            .select_from(joined)
            .where(where)
        ).one()
        return SalesTotals(int(row[0]), money(row[1]), int(row[2]))

    def top_products(self, vendor_id: int, window: SalesWindow, limit: int) -> list[ProductSales]:
        joined, where = _sold_lines(vendor_id, window)
        units = func.sum(order_lines.c.quantity).label("units")
        revenue = func.sum(order_lines.c.line_total).label("revenue")
        rows = self.conn.execute(
            select(products.c.slug, products.c.name, units, revenue)
            .select_from(joined.join(products, products.c.id == order_lines.c.product_id))
            .where(where)
            .group_by(products.c.id, products.c.slug, products.c.name)
            .order_by(revenue.desc(), units.desc(), products.c.slug)
            .limit(limit)
        )
        return [ProductSales(r.slug, r.name, int(r.units), money(r.revenue)) for r in rows]

    def low_stock(self, vendor_id: int, threshold: int, limit: int) -> list[StockLevel]:
        rows = self.conn.execute(
            select(products.c.slug, products.c.name, products.c.stock)
            .where(
                products.c.vendor_id == vendor_id,
                products.c.is_active.is_(True),
                products.c.stock <= threshold,
            )
            .order_by(products.c.stock, products.c.slug)
            .limit(limit)
        )
        return [StockLevel(r.slug, r.name, r.stock) for r in rows]

    def ratings(self, vendor_id: int) -> RatingTotals:
        row = self.conn.execute(
            select(func.coalesce(func.sum(reviews.c.rating), 0), func.count(reviews.c.id))
            .select_from(reviews.join(products, products.c.id == reviews.c.product_id))
            .where(products.c.vendor_id == vendor_id)
        ).one()
        return RatingTotals(int(row[0]), int(row[1]))
