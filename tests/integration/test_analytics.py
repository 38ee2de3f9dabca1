"""Vendor analytics over HTTP, on SQLite and MariaDB."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from shop_web import create_app
from shopcore.domain.reviews import Review
from tests.integration import conftest
from tests.integration.reviews_helpers import Seed, StatementCounter

PATH = "/api/vendor/analytics/"


@pytest.fixture
def seed(app):
    return Seed(app)


@pytest.fixture
def vendor(api):
    return api.register("vendor")


@pytest.fixture
def buyer_id(api):
    return api.register("customer")["user"]["id"]


def _at(day, hour=12):
    return datetime(2026, 11, day, hour, tzinfo=UTC)


def _review(seed, api, product, rating):
    author = api.register("customer")["user"]["id"]
    now = datetime.now(UTC)
    with seed.shop.uow_factory() as uow:
        uow.reviews.add(Review(product.id, author, rating, "Fine.", now, now))
        uow.reviews.refresh_rating(product.id)
        uow.commit()


def test_a_vendor_gets_its_figures_and_cancelled_orders_never_count(api, seed, vendor, buyer_id):
    me = vendor["user"]["id"]
    tea = seed.product(me, "tea", price="3.35", stock=2)
    mug = seed.product(me, "mug", price="12.10", stock=40)
    seed.product(me, "old", stock=0, active=False)
    rival_tea = seed.product(api.register("vendor")["user"]["id"], "rival-tea", price="99.00")
    seed.order(buyer_id, (tea, 3), (mug, 1), (rival_tea, 1), status="pending")
    seed.order(buyer_id, (mug, 2), status="shipped")
    seed.order(buyer_id, (tea, 2), status="delivered")
    seed.order(buyer_id, (mug, 500), status="cancelled")
    _review(seed, api, tea, 5)
    _review(seed, api, tea, 4)
    _review(seed, api, mug, 2)

    response = api.get(PATH, vendor["access"])
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {
        "product_count": 3,
        "active_product_count": 2,
        "units_sold": 8,
        "revenue": "53.05",  # 5 x 3.35 + 3 x 12.10
        "order_count": 3,
        "rating_avg": "3.67",  # (5 + 4 + 2) / 3
        "low_stock": [{"slug": "tea", "name": "Tea", "stock": 2}],
        "top_products": [
            {"slug": "mug", "name": "Mug", "units_sold": 3, "revenue": "36.30"},
            {"slug": "tea", "name": "Tea", "units_sold": 5, "revenue": "16.75"},
        ],
    }


def test_a_vendor_without_anything_gets_zeros_and_a_null_rating(api, vendor):
    body = api.get(PATH, vendor["access"]).get_json()
    assert (body["units_sold"], body["revenue"], body["order_count"]) == (0, "0.00", 0)
    assert body["rating_avg"] is None and body["low_stock"] == body["top_products"] == []


def test_only_vendors_and_admins_see_analytics(api, vendor):
    assert api.get(PATH).status_code == 401
    assert api.get(PATH, api.token("customer")).status_code == 403
    assert api.get(PATH.rstrip("/"), vendor["access"]).status_code == 200


def test_a_vendor_may_not_look_at_another_vendor(api, vendor):
    other = api.register("vendor")["user"]["id"]
    assert api.get(f"{PATH}?vendor={other}", vendor["access"]).status_code == 403
    assert api.get(f"{PATH}?vendor={vendor['user']['id']}", vendor["access"]).status_code == 200


def test_an_admin_names_the_vendor(api, seed, vendor, buyer_id):
    admin, me = api.token("admin"), vendor["user"]["id"]
    seed.order(buyer_id, (seed.product(me, "tea", price="2.50"), 4))
    body = api.get(f"{PATH}?vendor={me}", admin).get_json()
    assert (body["units_sold"], body["revenue"]) == (4, "10.00")

    missing = api.get(PATH, admin)
    assert missing.status_code == 422 and "vendor" in missing.get_json()["errors"]
    assert api.get(f"{PATH}?vendor=99999999", admin).status_code == 404
    assert api.get(f"{PATH}?vendor={buyer_id}", admin).status_code == 404
    assert api.get(f"{PATH}?vendor=abc", admin).status_code == 422


def test_from_and_to_restrict_sales_to_whole_days(api, seed, vendor, buyer_id):
    tea = seed.product(vendor["user"]["id"], "tea", price="1.00")
    for day, hour, quantity in [(1, 23, 1), (2, 0, 2), (3, 23, 4), (4, 0, 8)]:
        seed.order(buyer_id, (tea, quantity), at=_at(day, hour))
    seed.order(buyer_id, (tea, 100), at=_at(2, 12), status="cancelled")

    def units(query):
        response = api.get(f"{PATH}?{query}", vendor["access"])
        assert response.status_code == 200, response.get_json()
        return response.get_json()["units_sold"]

    assert units("from=2026-11-02&to=2026-11-03") == 6
    assert units("from=2026-11-02") == 14
    assert units("to=2026-11-01") == 1
    assert units("from=2026-11-04&to=2026-11-04") == 8
    assert units("from=2026-11-03T23:00:00%2B00:00&to=2026-11-04T00:00:00Z") == 12
    assert units("from=2026-11-02T00:00:01") == 12


@pytest.mark.parametrize(
    "query", ["from=2026-11-03&to=2026-11-02", "from=yesterday", "to=2026-13-01", "from="]
)
def test_bad_periods_are_422(api, vendor, query):
    response = api.get(f"{PATH}?{query}", vendor["access"])
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) & {"from", "to"}


def test_the_low_stock_threshold_comes_from_the_settings(database_url, media_root, api, seed):
    vendor = api.register("vendor")
    for slug, stock in [("one", 1), ("three", 3), ("seven", 7)]:
        seed.product(vendor["user"]["id"], slug, stock=stock)
    assert [p["slug"] for p in api.get(PATH, vendor["access"]).get_json()["low_stock"]] == [
        "one", "three",
    ]  # fmt: skip

    strict = create_app(conftest.test_config(database_url, media_root, LOW_STOCK_THRESHOLD=2))
    try:
        headers = {"Authorization": f"Bearer {vendor['access']}"}
        body = strict.test_client().get(PATH, headers=headers).get_json()
    finally:
        strict.extensions["shopcore"].engine.dispose()
    assert [p["slug"] for p in body["low_stock"]] == ["one"]


def test_low_stock_is_capped_at_20_and_top_products_at_5(api, seed, vendor, buyer_id):
    me = vendor["user"]["id"]
    products = [seed.product(me, f"p{n:02d}", price="1.00", stock=0) for n in range(22)]
    seed.order(buyer_id, *((product, n + 1) for n, product in enumerate(products)))
    body = api.get(PATH, vendor["access"]).get_json()
    assert [p["slug"] for p in body["low_stock"]] == [f"p{n:02d}" for n in range(20)]
    assert [p["slug"] for p in body["top_products"]] == ["p21", "p20", "p19", "p18", "p17"]
    assert body["revenue"] == str(Decimal(sum(range(1, 23))).quantize(Decimal("0.01")))


def test_the_statement_count_does_not_grow_with_the_orders(api, seed, vendor, buyer_id):
    me = vendor["user"]["id"]
    tea, mug = seed.product(me, price="3.00"), seed.product(me, price="4.00")

    def statements():
        with StatementCounter(seed.engine) as counter:
            assert api.get(PATH, vendor["access"]).status_code == 200
        return counter.count

    for _ in range(5):
        seed.order(buyer_id, (tea, 1), (mug, 2))
    five = statements()
    for n in range(45):
        seed.order(buyer_id, (tea, 1), (mug, 2), status="cancelled" if n % 9 == 0 else "shipped")
    fifty = statements()
    assert five == fifty
    assert api.get(PATH, vendor["access"]).get_json()["units_sold"] == 3 * 45


def test_the_route_is_documented(api):
    operation = api.get("/openapi.json").get_json()["paths"][PATH]["get"]
    assert {"200", "401", "403", "404", "422"} <= set(operation["responses"])
    assert {p["name"] for p in operation["parameters"]} == {"vendor", "from", "to"}
    assert "cancelled" in operation["description"]
    assert operation["security"] == [{"bearerAuth": []}]
