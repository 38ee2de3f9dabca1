"""The public-catalog cache: exact invalidation across app instances, ETag and 304."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
import sqlalchemy as sa
from flask import Flask

from shop_web import caching, redis_state
from shop_web.api.base import CATALOG_READ
from shopcore.adapters.sqlalchemy import tables as t
from shopcore.adapters.sqlalchemy.engine import make_engine
from tests.integration.app_factory import make_app  # noqa: F401 - a fixture
from tests.integration.catalog_helpers import Shop, statements
from tests.integration.conftest import Api
from tests.integration.orders_helpers import SHIPPING

AppFactory = Callable[..., Flask]


@pytest.fixture
def shop(api: Api) -> Shop:
    return Shop(api)


@pytest.fixture
def other(make_app: AppFactory) -> Api:  # noqa: F811
    """A second app on the same database: another worker, or another server."""
    return Api(make_app().test_client())


def _get(api: Api, url: str, token: str | None = None, etag: str | None = None) -> Any:
    headers = {"If-None-Match": etag} if etag else {}
    return api.get(url, token, headers=headers)


def _statements_of(api: Api, url: str) -> int:
    with statements(api.client.application) as seen:
        assert _get(api, url).status_code == 200
    return len(seen)


def test_a_repeated_anonymous_read_runs_no_catalog_query(api: Api, shop: Shop) -> None:
    slug = shop.product()["slug"]
    for url in ("/api/categories/", "/api/products/?page_size=5", f"/api/products/{slug}/",
                f"/api/products/{slug}/reviews/"):  # fmt: skip
        assert _statements_of(api, url) > 0, url
        assert _statements_of(api, url) == 0, url


def test_a_write_through_another_instance_is_seen_on_the_next_read(
    api: Api, other: Api, shop: Shop
) -> None:
    slug = shop.product("Tea Pot")["slug"]
    for _ in range(2):  # the second read comes from the cache
        assert _get(api, f"/api/products/{slug}/").get_json()["name"] == "Tea Pot"
    listed = _get(api, "/api/products/").get_json()["results"][0]["name"]
    assert listed == "Tea Pot"

    response = other.patch(f"/api/products/{slug}/", {"name": "Coffee Pot"}, shop.vendor)
    assert response.status_code == 200

    assert _get(api, f"/api/products/{slug}/").get_json()["name"] == "Coffee Pot"
    assert _get(api, "/api/products/").get_json()["results"][0]["name"] == "Coffee Pot"


def test_a_write_made_with_shopcore_directly_is_seen_on_the_next_read(
    api: Api, shop: Shop, database_url: str
) -> None:
    slug = shop.product(stock=5)["slug"]
    assert _get(api, f"/api/products/{slug}/").get_json()["stock"] == 5
    elsewhere = make_engine(database_url)  # another process using shopcore's engine
    with elsewhere.begin() as conn:
        conn.execute(sa.update(t.products).where(t.products.c.slug == slug).values(stock=2))
    elsewhere.dispose()

    assert _get(api, f"/api/products/{slug}/").get_json()["stock"] == 2


def test_the_etag_changes_with_every_change_of_the_answer_and_only_then(
    api: Api, shop: Shop
) -> None:
    slug = shop.product("Tea Pot")["slug"]
    url = f"/api/products/{slug}/"
    first = _get(api, url)
    etag = first.headers["ETag"]
    assert not etag.startswith("W/")
    assert _get(api, url).headers["ETag"] == etag  # from the cache, the same tag
    api.register("customer")  # a write outside the catalog
    assert _get(api, url).headers["ETag"] == etag

    api.patch(url, {"name": "Coffee Pot"}, shop.vendor)
    changed = _get(api, url, etag=etag)

    assert changed.status_code == 200
    assert changed.get_json()["name"] == "Coffee Pot"
    assert changed.headers["ETag"] != etag
    assert _get(api, url, etag=changed.headers["ETag"]).status_code == 304


def test_if_none_match_gets_304_without_a_body_only_while_unchanged(api: Api, shop: Shop) -> None:
    shop.product("Tea Pot")
    url = "/api/products/?ordering=-price"
    etag = _get(api, url).headers["ETag"]

    for _ in range(2):  # computed, then cached: both answer 304
        unchanged = _get(api, url, etag=etag)
        assert unchanged.status_code == 304
        assert unchanged.data == b""
        assert unchanged.headers["ETag"] == etag
    assert _get(api, url, etag='"another"').status_code == 200
    assert _get(api, url, etag="*").status_code == 304

    shop.product("Kettle")
    assert _get(api, url, etag=etag).status_code == 200


def test_authenticated_callers_get_etags_and_304_but_never_touch_the_cache(
    api: Api, shop: Shop
) -> None:
    product = shop.product("Hidden Pot")
    url = f"/api/products/{product['slug']}/"
    api.patch(url, {"is_active": False}, shop.vendor)

    own = _get(api, url, shop.vendor)
    assert own.status_code == 200
    assert _get(api, url, shop.vendor, etag=own.headers["ETag"]).status_code == 304
    assert _get(api, url).status_code == 404  # right after the vendor's read: not cached
    assert "Hidden Pot" not in _get(api, "/api/products/").get_data(as_text=True)

    api.patch(url, {"is_active": True}, shop.vendor)
    assert _get(api, url).status_code == 200
    api.patch(url, {"is_active": False}, shop.vendor)
    assert _get(api, url).status_code == 404  # the cached anonymous answer went with the write


def test_an_order_and_its_cancellation_move_the_stock_anonymous_readers_see(
    api: Api, shop: Shop
) -> None:
    product = shop.product(stock=5)
    url = f"/api/products/{product['slug']}/"
    assert _get(api, url).get_json()["stock"] == 5

    body = {"items": [{"product": product["slug"], "quantity": 2}], "shipping": SHIPPING,
            "payment_method": "cod"}  # fmt: skip
    order = api.post("/api/orders/", body, shop.customer)
    assert order.status_code == 201, order.get_json()
    assert _get(api, url).get_json()["stock"] == 3

    number = order.get_json()["order_number"]
    assert api.post(f"/api/orders/{number}/cancel/", None, shop.customer).status_code == 200
    assert _get(api, url).get_json()["stock"] == 5


def test_a_vendor_renaming_itself_renames_it_in_product_answers(api: Api, shop: Shop) -> None:
    url = f"/api/products/{shop.product()['slug']}/"
    before = _get(api, url).get_json()["vendor"]["name"]

    response = api.patch("/api/auth/me/", {"first_name": "Renamed"}, shop.vendor)
    assert response.status_code == 200

    after = _get(api, url).get_json()["vendor"]["name"]
    assert after != before and "Renamed" in after


def test_a_new_category_is_listed_at_once(api: Api, other: Api, shop: Shop) -> None:
    before = {c["name"] for c in _get(api, "/api/categories/").get_json()}
    assert "Garden" not in before
    other.post("/api/categories/", {"name": "Garden"}, shop.admin)

    assert "Garden" in {c["name"] for c in _get(api, "/api/categories/").get_json()}


def test_error_answers_are_not_cached(api: Api, shop: Shop) -> None:
    assert _get(api, "/api/products/tea-pot/").status_code == 404
    shop.product("Tea Pot")
    assert _get(api, "/api/products/?ordering=bogus").status_code == 422
    assert _get(api, "/api/products/tea-pot/").status_code == 200


def test_without_the_cache_answers_still_carry_etags(make_app: AppFactory, shop: Shop) -> None:  # noqa: F811
    plain = Api(make_app(CATALOG_CACHE=False).test_client())
    url = f"/api/products/{shop.product()['slug']}/"
    etag = _get(plain, url).headers["ETag"]

    assert _statements_of(plain, url) > 0
    assert _get(plain, url, etag=etag).status_code == 304


@pytest.fixture
def redis_url() -> str:
    """SHOP_TEST_REDIS_URL with its database number (13 when it names none; default host
    127.0.0.1:6379): a skip without one, unless SHOP_TEST_REDIS_URL is set, then a failure."""
    configured = os.environ.get("SHOP_TEST_REDIS_URL", "")
    parts = urlsplit(configured or "redis://127.0.0.1:6379")
    url = urlunsplit(parts if parts.path.strip("/") else parts._replace(path="/13"))
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        if configured:
            pytest.fail(f"SHOP_TEST_REDIS_URL is set but Redis is unreachable: {error}")
        pytest.skip("no Redis at 127.0.0.1:6379 (set SHOP_TEST_REDIS_URL to require one)")
    return url


def test_with_redis_a_fresh_instance_answers_from_the_shared_cache(
    make_app: AppFactory,  # noqa: F811
    shop: Shop,
    redis_url: str,
) -> None:
    first, second = (Api(make_app(REDIS_URL=redis_url).test_client()) for _ in range(2))
    slug = shop.product("Tea Pot")["slug"]
    url = f"/api/products/{slug}/"
    assert _statements_of(first, url) > 0

    assert _statements_of(second, url) == 0  # filled by the first instance
    second.patch(url, {"name": "Coffee Pot"}, shop.vendor)
    assert _get(first, url).get_json()["name"] == "Coffee Pot"
    assert _get(second, url).get_json()["name"] == "Coffee Pot"


def test_the_shared_cache_uses_the_apps_one_redis_client(
    make_app: AppFactory,  # noqa: F811
) -> None:
    app = make_app(REDIS_URL="redis://127.0.0.1:6379/10")  # no connection is made here
    shared = app.extensions[caching.EXTENSION].shared

    assert shared.client is app.extensions[redis_state.EXTENSION].client


def test_the_cached_reads_are_exactly_the_views_marked_catalog_read(api: Api, shop: Shop) -> None:
    slug = shop.product()["slug"]
    marked = {rule.rule for rule in api.client.application.url_map.iter_rules()
              if _marked(api.client.application, rule.endpoint)}  # fmt: skip
    assert marked == {"/api/categories/", "/api/categories/<int:category_id>/",
                      "/api/products/", "/api/products/<slug>/",
                      "/api/products/<slug>/reviews/"}  # fmt: skip
    assert _statements_of(api, f"/api/products/{slug}/") > 0
    assert _statements_of(api, f"/api/products/{slug}/") == 0  # marked: cached


def _marked(app: Flask, endpoint: str) -> bool:
    view_class = getattr(app.view_functions[endpoint], "view_class", None)
    return bool(getattr(getattr(view_class, "get", None), CATALOG_READ, False))


def test_the_reviews_list_answers_304_from_the_cache_and_from_the_database(
    api: Api, shop: Shop
) -> None:
    url = f"/api/products/{shop.product()['slug']}/reviews/"
    etag = _get(api, url).headers["ETag"]

    cached = _get(api, url, etag=etag)
    assert cached.status_code == 304 and cached.data == b""
    uncached = _get(api, url, shop.customer, etag=etag)  # a token: computed afresh
    assert uncached.status_code == 304 and uncached.data == b""


def _order(api: Api, shop: Shop, slug: str, quantity: int) -> str:
    body = {"items": [{"product": slug, "quantity": quantity}], "shipping": SHIPPING,
            "payment_method": "cod"}  # fmt: skip
    order = api.post("/api/orders/", body, shop.customer)
    assert order.status_code == 201, order.get_json()
    return str(order.get_json()["order_number"])


def _listed(api: Api, url: str) -> dict[str, Any]:
    response = _get(api, url)
    assert response.status_code == 200
    return {p["slug"]: p for p in response.get_json()["results"]}


def test_an_orders_stock_change_shows_in_the_very_next_cached_list_and_detail_read(
    api: Api, other: Api, shop: Shop
) -> None:
    slug = shop.product("Tea Pot", stock=5)["slug"]
    detail, listing = f"/api/products/{slug}/", "/api/products/"
    for url in (detail, listing):  # cached before the order
        _get(api, url)
        assert _get(api, url).headers["X-Cache"] == "hit"
    etag = _get(api, detail).headers["ETag"]

    _order(other, shop, slug, 2)  # through another instance

    read = _get(api, detail, etag=etag)
    assert read.status_code == 200  # the answer changed: a new ETag, not a 304
    assert (read.get_json()["stock"], read.get_json()["in_stock"]) == (3, True)
    assert read.headers["ETag"] != etag
    assert read.headers["ETag"] == f'"{hashlib.blake2b(read.data, digest_size=16).hexdigest()}"'
    assert _listed(api, listing)[slug]["stock"] == 3
    assert _get(api, detail, etag=read.headers["ETag"]).status_code == 304


def test_an_unrelated_products_cached_detail_stays_cached_after_an_order(
    api: Api, shop: Shop
) -> None:
    ordered = shop.product("Tea Pot", stock=5)["slug"]
    unrelated = f"/api/products/{shop.product('Coffee Pot', stock=7)['slug']}/"
    first = _get(api, unrelated)
    assert first.headers["X-Cache"] == "miss"

    _order(api, shop, ordered, 1)

    again = _get(api, unrelated)
    assert again.headers["X-Cache"] == "hit"
    assert again.data == first.data and again.headers["ETag"] == first.headers["ETag"]
    assert _statements_of(api, unrelated) == 0  # no catalog query: from the cache


def test_selling_out_and_cancelling_move_a_product_out_of_and_back_into_the_in_stock_list(
    api: Api, shop: Shop
) -> None:
    slug = shop.product("Tea Pot", stock=2)["slug"]
    in_stock, sold_out = "/api/products/?in_stock=true", "/api/products/?in_stock=false"
    assert slug in _listed(api, in_stock) and slug not in _listed(api, sold_out)

    number = _order(api, shop, slug, 2)  # the last units
    assert slug not in _listed(api, in_stock)
    assert _listed(api, sold_out)[slug]["in_stock"] is False
    assert _get(api, f"/api/products/{slug}/").get_json()["stock"] == 0

    assert api.post(f"/api/orders/{number}/cancel/", None, shop.customer).status_code == 200
    assert _listed(api, in_stock)[slug]["stock"] == 2
    assert slug not in _listed(api, sold_out)


def test_a_product_made_inactive_never_shows_to_anonymous_readers(
    api: Api, other: Api, shop: Shop
) -> None:
    slug = shop.product("Tea Pot", stock=5)["slug"]
    detail = f"/api/products/{slug}/"
    for url in (detail, "/api/products/", "/api/products/?in_stock=true"):
        _get(api, url)
    _order(api, shop, slug, 1)  # a stock-only write first: the cache is still warm
    assert _get(api, detail).headers["X-Cache"] == "hit"

    assert other.patch(detail, {"is_active": False}, shop.vendor).status_code == 200

    assert _get(api, detail).status_code == 404
    assert slug not in _listed(api, "/api/products/")
    assert slug not in _listed(api, "/api/products/?in_stock=true")
    assert _get(api, detail, shop.vendor).status_code == 200  # its vendor still sees it


def test_a_raw_sql_write_to_a_catalog_table_through_the_engine_invalidates(
    api: Api, shop: Shop, database_url: str
) -> None:
    slug = shop.product("Tea Pot", stock=5)["slug"]
    url = f"/api/products/{slug}/"
    _get(api, url)
    assert _get(api, url).headers["X-Cache"] == "hit"
    elsewhere = make_engine(database_url)
    with elsewhere.begin() as conn:
        conn.exec_driver_sql(f"UPDATE products SET name = 'Coffee Pot' WHERE slug = '{slug}'")
    elsewhere.dispose()

    read = _get(api, url)
    assert read.headers["X-Cache"] == "miss"
    assert read.get_json()["name"] == "Coffee Pot"
