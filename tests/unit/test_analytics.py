"""Vendor analytics: who sees what, and the arithmetic, on in-memory adapters."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from shopcore.domain.errors import PermissionDenied, RuleViolation, UserNotFound
from shopcore.ports.analytics import ProductSales, SalesWindow, StockLevel
from shopcore.use_cases.analytics import AnalyticsQuery, ShowVendorAnalytics, sales_window
from tests.unit.reviews_helpers import Seed


@pytest.fixture
def seed(harness):
    return Seed(harness)


@pytest.fixture
def vendor(harness):
    return harness.register("vendor@example.com", role="vendor")


@pytest.fixture
def buyer(harness):
    return harness.register("buyer@example.com")


def report(harness, who, **query):
    return harness.shop.vendor_analytics.execute(who, AnalyticsQuery(**query))


def test_a_vendor_without_products_or_sales_has_zeros(harness, vendor):
    figures = report(harness, vendor)
    assert (figures.product_count, figures.active_product_count) == (0, 0)
    assert (figures.units_sold, figures.revenue, figures.order_count) == (0, Decimal("0.00"), 0)
    assert figures.rating_avg is None
    assert figures.low_stock == [] and figures.top_products == []


def test_products_are_counted_active_and_inactive(harness, seed, vendor):
    seed.product(vendor, "a")
    seed.product(vendor, "b", active=False)
    seed.product(harness.register("rival@example.com", role="vendor"), "c")
    figures = report(harness, vendor)
    assert (figures.product_count, figures.active_product_count) == (2, 1)


def test_sales_add_up_every_order_that_was_not_cancelled(harness, seed, vendor, buyer):
    tea = seed.product(vendor, "tea", price="3.35")
    mug = seed.product(vendor, "mug", price="12.10")
    seed.order(buyer, (tea, 3), (mug, 1), status="pending")  # 10.05 + 12.10
    seed.order(buyer, (tea, 1), status="confirmed")  # 3.35
    seed.order(buyer, (mug, 2), status="shipped")  # 24.20
    seed.order(buyer, (tea, 2), status="delivered")  # 6.70
    seed.order(buyer, (mug, 100), status="cancelled")  # never counts

    figures = report(harness, vendor)
    assert figures.units_sold == 3 + 1 + 1 + 2 + 2
    assert figures.revenue == Decimal("56.40")
    assert figures.order_count == 4


def test_only_the_vendors_own_lines_of_a_shared_order_count(harness, seed, vendor, buyer):
    rival = harness.register("rival@example.com", role="vendor")
    tea = seed.product(vendor, "tea", price="5.00")
    rival_tea = seed.product(rival, "rival-tea", price="7.00")
    seed.order(buyer, (tea, 1), (rival_tea, 4))

    mine, theirs = report(harness, vendor), report(harness, rival)
    assert (mine.units_sold, mine.revenue, mine.order_count) == (1, Decimal("5.00"), 1)
    assert (theirs.units_sold, theirs.revenue, theirs.order_count) == (4, Decimal("28.00"), 1)
    assert [p.slug for p in mine.top_products] == ["tea"]


def test_top_products_are_the_five_best_by_revenue(harness, seed, vendor, buyer):
    prices = {"a": "1.00", "b": "9.00", "c": "3.00", "d": "4.00", "e": "2.00", "f": "8.00"}
    products = {slug: seed.product(vendor, slug, price=price) for slug, price in prices.items()}
    seed.order(buyer, *((product, 2) for product in products.values()))
    seed.order(buyer, (products["a"], 50), status="cancelled")

    top = report(harness, vendor).top_products
    assert top == [
        ProductSales("b", "B", 2, Decimal("18.00")),
        ProductSales("f", "F", 2, Decimal("16.00")),
        ProductSales("d", "D", 2, Decimal("8.00")),
        ProductSales("c", "C", 2, Decimal("6.00")),
        ProductSales("e", "E", 2, Decimal("4.00")),
    ]


def test_equal_revenue_ranks_more_units_first_then_by_slug(harness, seed, vendor, buyer):
    cheap = seed.product(vendor, "cheap", price="2.00")
    dear = seed.product(vendor, "dear", price="4.00")
    also = seed.product(vendor, "also-dear", price="4.00")
    seed.order(buyer, (cheap, 4), (dear, 2), (also, 2))
    assert [p.slug for p in report(harness, vendor).top_products] == ["cheap", "also-dear", "dear"]


def test_low_stock_lists_active_products_at_or_below_the_threshold(harness, seed, vendor):
    seed.product(vendor, "five", stock=5)
    seed.product(vendor, "six", stock=6)
    seed.product(vendor, "zero", stock=0)
    seed.product(vendor, "b-two", stock=2)
    seed.product(vendor, "a-two", stock=2)
    seed.product(vendor, "hidden", stock=1, active=False)

    assert report(harness, vendor).low_stock == [
        StockLevel("zero", "Zero", 0),
        StockLevel("a-two", "A-Two", 2),
        StockLevel("b-two", "B-Two", 2),
        StockLevel("five", "Five", 5),
    ]


def test_the_low_stock_threshold_is_configurable_and_the_list_is_capped(harness, seed, vendor):
    for n in range(25):
        seed.product(vendor, f"p{n:02d}", stock=n)
    show = ShowVendorAnalytics(uow=harness.uow(), low_stock_threshold=30)
    low = show.execute(vendor, AnalyticsQuery()).low_stock
    assert [item.stock for item in low] == list(range(20))
    strict = ShowVendorAnalytics(uow=harness.uow(), low_stock_threshold=0)
    assert [item.slug for item in strict.execute(vendor, AnalyticsQuery()).low_stock] == ["p00"]


def test_the_rating_is_the_mean_of_every_review_weighted_by_count(harness, seed, vendor):
    loved = seed.product(vendor, "loved")
    hated = seed.product(vendor, "hated")
    seed.product(vendor, "unrated")
    for n in range(3):
        seed.review(harness.register(f"fan{n}@example.com"), loved, 5)
    seed.review(harness.register("critic@example.com"), hated, 2)
    # (5 + 5 + 5 + 2) / 4 = 4.25, where the mean of the product averages would be 3.50
    assert report(harness, vendor).rating_avg == Decimal("4.25")


def test_reviews_of_other_vendors_products_do_not_count(harness, seed, vendor):
    rival = harness.register("rival@example.com", role="vendor")
    seed.review(harness.register("x@example.com"), seed.product(rival, "theirs"), 1)
    seed.review(harness.register("y@example.com"), seed.product(vendor, "mine"), 4)
    assert report(harness, vendor).rating_avg == Decimal("4.00")


# --- the period ------------------------------------------------------------------------------


def _at(day, hour=12):
    return datetime(2026, 11, day, hour, tzinfo=UTC)


def test_from_and_to_dates_include_whole_days(harness, seed, vendor, buyer):
    tea = seed.product(vendor, "tea", price="1.00")
    for day, hour, quantity in [(1, 23, 1), (2, 0, 2), (3, 23, 4), (4, 0, 8)]:
        seed.order(buyer, (tea, quantity), at=_at(day, hour))

    assert report(harness, vendor, start=date(2026, 11, 2), end=date(2026, 11, 3)).units_sold == 6
    assert report(harness, vendor, start=date(2026, 11, 2)).units_sold == 14
    assert report(harness, vendor, end=date(2026, 11, 1)).units_sold == 1
    assert report(harness, vendor, start=date(2026, 11, 4), end=date(2026, 11, 4)).units_sold == 8


def test_datetime_bounds_are_inclusive_instants(harness, seed, vendor, buyer):
    tea = seed.product(vendor, "tea", price="1.00")
    seed.order(buyer, (tea, 1), at=_at(5, 10))
    seed.order(buyer, (tea, 2), at=_at(5, 11))
    figures = report(harness, vendor, start=_at(5, 10), end=_at(5, 10))
    assert (figures.units_sold, figures.order_count) == (1, 1)
    naive = datetime(2026, 11, 5, 11)  # no offset: UTC
    assert report(harness, vendor, start=naive).units_sold == 2


def test_the_period_filters_sales_and_top_products_but_not_stock(harness, seed, vendor, buyer):
    tea = seed.product(vendor, "tea", stock=1)
    seed.order(buyer, (tea, 1), at=_at(1))
    figures = report(harness, vendor, start=date(2026, 11, 2))
    assert (figures.units_sold, figures.top_products) == (0, [])
    assert [item.slug for item in figures.low_stock] == ["tea"]
    assert figures.product_count == 1


def test_from_after_to_is_refused():
    with pytest.raises(RuleViolation) as caught:
        sales_window(date(2026, 11, 3), date(2026, 11, 2))
    assert "from" in caught.value.errors
    with pytest.raises(RuleViolation):
        sales_window(_at(3, 10), _at(3, 9))


def test_a_window_is_built_from_dates_and_datetimes():
    window = sales_window(date(2026, 11, 2), date(2026, 11, 3))
    assert window == SalesWindow(_at(2, 0), _at(4, 0))
    instant = sales_window(None, _at(3, 9))
    assert instant == SalesWindow(None, _at(3, 9) + timedelta(microseconds=1))
    assert sales_window(None, None) == SalesWindow()


def test_bounds_at_the_edge_of_the_calendar_are_refused_not_crashed_on():
    edges = [
        (None, date.max), (None, datetime.max),
        (datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))), None),
    ]  # fmt: skip
    for start, end in edges:
        with pytest.raises(RuleViolation) as caught:
            sales_window(start, end)
        assert list(caught.value.errors) == ["to" if end else "from"]


# --- who sees what ---------------------------------------------------------------------------


def test_a_vendor_may_name_itself_but_no_other_vendor(harness, seed, vendor):
    rival = harness.register("rival@example.com", role="vendor")
    assert report(harness, vendor, vendor_id=vendor.user_id).product_count == 0
    with pytest.raises(PermissionDenied):
        report(harness, vendor, vendor_id=rival.user_id)


def test_an_admin_sees_the_vendor_it_names(harness, seed, vendor):
    seed.product(vendor, "tea")
    assert report(harness, harness.admin(), vendor_id=vendor.user_id).product_count == 1


def test_an_admin_must_name_a_vendor(harness):
    with pytest.raises(RuleViolation) as caught:
        report(harness, harness.admin())
    assert "vendor" in caught.value.errors


def test_an_unknown_vendor_or_a_customer_is_not_a_vendor(harness, buyer):
    admin = harness.admin()
    for vendor_id in (9999, buyer.user_id):
        with pytest.raises(UserNotFound):
            report(harness, admin, vendor_id=vendor_id)


def test_customers_see_no_analytics(harness, buyer):
    with pytest.raises(PermissionDenied):
        report(harness, buyer)
