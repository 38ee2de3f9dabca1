"""Read-side port: aggregate figures of one vendor's catalog, sales and reviews."""

from __future__ import annotations

import abc
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True)
class SalesWindow:
    """Orders placed at ``start`` or later and before ``end`` (either side may be open)."""

    start: datetime | None = None
    end: datetime | None = None

    def contains(self, moment: datetime) -> bool:
        return (self.start is None or moment >= self.start) and (
            self.end is None or moment < self.end
        )


@dataclass(frozen=True)
class ProductCounts:
    total: int
    active: int


@dataclass(frozen=True)
class SalesTotals:
    units: int
    revenue: Decimal
    orders: int


@dataclass(frozen=True)
class ProductSales:
    slug: str
    name: str
    units_sold: int
    revenue: Decimal


@dataclass(frozen=True)
class StockLevel:
    slug: str
    name: str
    stock: int


@dataclass(frozen=True)
class RatingTotals:
    """The sum and the number of every rating given to the vendor's products."""

    total: int
    count: int


class VendorAnalytics(abc.ABC):
    """Aggregates over one vendor's data.

    Each method is one aggregate query, whatever the number of orders or products. Sales
    count every order line of the vendor whose order is not cancelled.
    """

    @abc.abstractmethod
    def product_counts(self, vendor_id: int) -> ProductCounts: ...

    @abc.abstractmethod
    def sales(self, vendor_id: int, window: SalesWindow) -> SalesTotals:
        """Units, revenue (sum of line totals) and distinct orders of the vendor's lines."""

    @abc.abstractmethod
    def top_products(self, vendor_id: int, window: SalesWindow, limit: int) -> list[ProductSales]:
        """Best sellers by revenue, then units, then slug."""

    @abc.abstractmethod
    def low_stock(self, vendor_id: int, threshold: int, limit: int) -> list[StockLevel]:
        """Active products with ``stock <= threshold``, by stock then slug."""

    @abc.abstractmethod
    def ratings(self, vendor_id: int) -> RatingTotals:
        """Every review of every product of the vendor (active or not)."""
