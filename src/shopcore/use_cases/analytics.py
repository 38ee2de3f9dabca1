"""Vendor analytics: what a vendor sold, earned and should restock.

Figures come from aggregate queries (a fixed number per report, whatever the number of orders);
this module only resolves whose figures to show and over which dates, and rounds the results.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from shopcore.domain.clock import as_utc
from shopcore.domain.errors import PermissionDenied, RuleViolation, UserNotFound
from shopcore.domain.reviews import average_rating
from shopcore.domain.users import Principal
from shopcore.domain.values import Role, money
from shopcore.ports.analytics import ProductSales, SalesWindow, StockLevel
from shopcore.ports.unit_of_work import UnitOfWork

LOW_STOCK_LIMIT = 20
TOP_PRODUCTS_LIMIT = 5


def sales_window(start: date | None, end: date | None) -> SalesWindow:
    """Inclusive bounds, each a date (the whole day, in UTC) or an instant.

    ``end`` becomes the exclusive instant right after it: the next midnight for a date, one
    microsecond later (the precision timestamps are stored with) for a datetime.
    """
    lower = None if start is None else _bound(_start_of, start, "from")
    upper = None if end is None else _bound(_after, end, "to")
    if lower is not None and upper is not None and lower >= upper:
        raise RuleViolation(
            "The period is empty: 'from' is after 'to'.",
            errors={"from": ["Must not be after 'to'."]},
        )
    return SalesWindow(lower, upper)


def _bound(convert: Callable[[date], datetime], value: date, name: str) -> datetime:
    """``convert(value)``, or 422 when that leaves the calendar (``to=9999-12-31``)."""
    try:
        return convert(value)
    except OverflowError:
        message = "Out of the range of supported dates (years 1 to 9999, in UTC)."
        raise RuleViolation(message, errors={name: [message]}) from None


def _start_of(value: date) -> datetime:
    if isinstance(value, datetime):
        return as_utc(value)
    return datetime.combine(value, time.min, tzinfo=UTC)


def _after(value: date) -> datetime:
    if isinstance(value, datetime):
        return as_utc(value) + timedelta(microseconds=1)
    return datetime.combine(value + timedelta(days=1), time.min, tzinfo=UTC)


@dataclass(frozen=True)
class AnalyticsQuery:
    vendor_id: int | None = None  # required from admins; vendors see only themselves
    start: date | None = None  # a date or a datetime
    end: date | None = None


@dataclass(frozen=True)
class VendorReport:
    product_count: int
    active_product_count: int
    units_sold: int
    revenue: Decimal
    order_count: int
    rating_avg: Decimal | None
    low_stock: list[StockLevel]
    top_products: list[ProductSales]


def _vendor_of(principal: Principal, requested: int | None) -> int:
    if principal.role is Role.ADMIN:
        if requested is None:
            raise RuleViolation(
                "Say which vendor's analytics to show.",
                errors={"vendor": ["Required for admins: ?vendor=<user id>."]},
            )
        return requested
    if principal.role is not Role.VENDOR:
        raise PermissionDenied("Only vendors and admins see vendor analytics.")
    if requested not in (None, principal.user_id):
        raise PermissionDenied("Vendors see their own analytics only.")
    return principal.user_id


class ShowVendorAnalytics:
    """A vendor's own figures, or any vendor's for an admin; cancelled orders never count."""

    def __init__(self, *, uow: UnitOfWork, low_stock_threshold: int = 5):
        self.uow, self.low_stock_threshold = uow, low_stock_threshold

    def execute(self, principal: Principal, query: AnalyticsQuery) -> VendorReport:
        vendor_id = _vendor_of(principal, query.vendor_id)
        window = sales_window(query.start, query.end)
        with self.uow as uow:
            vendor = uow.users.get(vendor_id)
            if vendor is None or not vendor.role.can_sell:
                raise UserNotFound("Vendor not found.")
            figures = uow.analytics
            counts, sales = figures.product_counts(vendor_id), figures.sales(vendor_id, window)
            ratings = figures.ratings(vendor_id)
            low = figures.low_stock(vendor_id, self.low_stock_threshold, LOW_STOCK_LIMIT)
            top = figures.top_products(vendor_id, window, TOP_PRODUCTS_LIMIT)
        return VendorReport(
            product_count=counts.total,
            active_product_count=counts.active,
            units_sold=sales.units,
            revenue=money(sales.revenue),
            order_count=sales.orders,
            rating_avg=average_rating(ratings.total, ratings.count),
            low_stock=low,
            top_products=top,
        )
