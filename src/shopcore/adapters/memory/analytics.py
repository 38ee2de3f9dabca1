"""Vendor analytics over the in-memory store: the same figures, summed in Python."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from shopcore.domain.catalog import Product
from shopcore.domain.orders import Order, OrderLine, OrderStatus
from shopcore.ports.analytics import (
    ProductCounts,
    ProductSales,
    RatingTotals,
    SalesTotals,
    SalesWindow,
    StockLevel,
    VendorAnalytics,
)


class MemoryVendorAnalytics(VendorAnalytics):
    def __init__(self, store: Any) -> None:
        self.store = store

    def _products(self, vendor_id: int) -> list[Product]:
        products = self.store.tables["products"].values()
        return [p for p in products if p.vendor_id == vendor_id]

    def _lines(self, vendor_id: int, window: SalesWindow) -> Iterator[tuple[Order, OrderLine]]:
        for order in self.store.tables["orders"].values():
            if order.status == OrderStatus.CANCELLED or not window.contains(order.created_at):
                continue
            for line in order.lines:
                if line.vendor_id == vendor_id:
                    yield order, line

    def product_counts(self, vendor_id: int) -> ProductCounts:
        products = self._products(vendor_id)
        return ProductCounts(len(products), sum(1 for p in products if p.is_active))

    def sales(self, vendor_id: int, window: SalesWindow) -> SalesTotals:
        units, revenue, orders = 0, Decimal("0.00"), set()
        for order, line in self._lines(vendor_id, window):
            units, revenue = units + line.quantity, revenue + line.line_total
            orders.add(order.id)
        return SalesTotals(units, revenue, len(orders))

    def top_products(self, vendor_id: int, window: SalesWindow, limit: int) -> list[ProductSales]:
        units: dict[int, int] = defaultdict(int)
        revenue: dict[int, Decimal] = defaultdict(Decimal)
        for _order, line in self._lines(vendor_id, window):
            units[line.product_id] += line.quantity
            revenue[line.product_id] += line.line_total
        products = self.store.tables["products"]
        sales = [
            ProductSales(products[pid].slug, products[pid].name, units[pid], revenue[pid])
            for pid in units
        ]
        sales.sort(key=lambda s: (-s.revenue, -s.units_sold, s.slug))
        return sales[:limit]

    def low_stock(self, vendor_id: int, threshold: int, limit: int) -> list[StockLevel]:
        low = [
            StockLevel(p.slug, p.name, p.stock)
            for p in self._products(vendor_id)
            if p.is_active and p.stock <= threshold
        ]
        return sorted(low, key=lambda s: (s.stock, s.slug))[:limit]

    def ratings(self, vendor_id: int) -> RatingTotals:
        product_ids = {p.id for p in self._products(vendor_id)}
        ratings = [
            r.rating for r in self.store.tables["reviews"].values() if r.product_id in product_ids
        ]
        return RatingTotals(sum(ratings), len(ratings))
