"""What a CDN or a browser may keep: every answer says it in Cache-Control.

Anonymous catalog reads may be kept by a shared cache for a few seconds and are then
revalidated with their ETag; what a caller with a token reads is private; tokens, writes,
errors and the health check are never stored.
"""

from __future__ import annotations

import pytest

from shop_web.caching import SHARED_MAX_AGE
from tests.integration.catalog_helpers import Shop, image_bytes
from tests.integration.orders_helpers import SHIPPING


@pytest.fixture
def shop(api) -> Shop:
    return Shop(api)


def _shared(response) -> bool:
    control = response.cache_control
    return bool(control.public and control.s_maxage == SHARED_MAX_AGE and control.max_age == 0)


def _catalog_paths(shop: Shop) -> list[str]:
    product = shop.product("Milk Jug")
    return [
        "/api/products/",
        "/api/products/?search=jug&ordering=price",
        f"/api/products/{product['slug']}/",
        f"/api/products/{product['slug']}/reviews/",
        "/api/categories/",
        f"/api/categories/{product['category']['id']}/",
    ]


def test_anonymous_catalog_reads_may_be_kept_briefly_by_a_shared_cache(shop):
    for path in _catalog_paths(shop):
        for attempt in ("fresh", "from the app's own cache"):
            response = shop.api.get(path)
            assert response.status_code == 200, (path, attempt)
            assert _shared(response), (path, attempt, response.headers["Cache-Control"])
            assert response.cache_control.must_revalidate, path
            assert "Authorization" in response.headers["Vary"], path
            etag, weak = response.get_etag()
            assert etag and not weak, path


def test_a_304_carries_the_same_caching_headers_as_the_200(shop):
    for path in _catalog_paths(shop):
        first = shop.api.get(path)

        again = shop.api.get(path, headers={"If-None-Match": first.headers["ETag"]})

        assert again.status_code == 304 and again.data == b"", path
        for header in ("ETag", "Cache-Control", "Vary"):
            assert again.headers[header] == first.headers[header], (path, header)


def test_a_catalog_read_with_a_token_is_private_to_the_caller(shop):
    hidden = shop.product("Old Jug", is_active=False)["slug"]

    for path in (f"/api/products/{hidden}/", "/api/products/", "/api/categories/"):
        response = shop.api.get(path, shop.vendor)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "private, no-cache", path
        assert not _shared(response)
        assert "Authorization" in response.headers["Vary"]


def test_a_shared_cache_that_revalidates_sees_a_stock_change(shop):
    product = shop.product("Cup", stock=3)
    path = f"/api/products/{product['slug']}/"
    before = shop.api.get(path)
    order = {"items": [{"product": product["slug"], "quantity": 1}],
             "shipping": SHIPPING, "payment_method": "cod"}  # fmt: skip
    assert shop.api.post("/api/orders/", order, shop.customer).status_code == 201

    after = shop.api.get(path, headers={"If-None-Match": before.headers["ETag"]})
    settled = shop.api.get(path, headers={"If-None-Match": after.headers["ETag"]})

    assert after.status_code == 200 and after.get_json()["stock"] == 2
    assert after.headers["ETag"] != before.headers["ETag"] and _shared(after)
    assert settled.status_code == 304


def test_answers_that_hold_tokens_are_never_stored(api):
    email, password = "store@example.com", "s3cret-pass"
    body = {"email": email, "password": password, "first_name": "A", "last_name": "B"}
    registered = api.post("/api/auth/register/", body)
    logged_in = api.post("/api/auth/login/", {"email": email, "password": password})
    refreshed = api.post("/api/auth/refresh/", {"refresh": logged_in.get_json()["refresh"]})

    for response in (registered, logged_in, refreshed):
        assert response.status_code in (200, 201)
        assert response.headers["Cache-Control"] == "no-store"


def test_reads_of_a_caller_with_a_token_outside_the_catalog_are_private(api):
    token = api.token("customer")

    for path in ("/api/cart/", "/api/auth/me/", "/api/orders/"):
        response = api.get(path, token)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "private, no-cache", path


def test_writes_and_errors_are_never_stored(shop):
    slug = shop.product("Bowl")["slug"]
    answers = [
        shop.api.post("/api/cart/items/", {"product": slug, "quantity": 1}, shop.customer),
        shop.api.delete("/api/cart/", shop.customer),
        shop.api.get("/api/products/no-such-product/"),
        shop.api.get("/api/products/no-such-product/", shop.vendor),
        shop.api.get("/api/products/?min_price=abc"),
        shop.api.get("/api/cart/"),
        shop.api.get("/api/cart/", "not-a-token"),
        shop.api.put("/api/products/"),
        shop.api.get("/api/unknown/"),
    ]

    assert [r.status_code for r in answers] == [201, 204, 404, 404, 422, 401, 401, 405, 404]
    assert {r.headers["Cache-Control"] for r in answers} == {"no-store"}


def test_the_health_check_and_the_document_are_never_stored(client):
    for path in ("/api/health/", "/openapi.json"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"


def test_media_files_keep_their_own_long_lived_cache_control(shop):
    slug = shop.product("Plate")["slug"]
    image = shop.upload(slug, image_bytes()).get_json()

    response = shop.api.get(image["url"].removeprefix("http://localhost"))

    assert response.status_code == 200
    assert response.cache_control.max_age == 86400 and not response.cache_control.no_store


def test_the_documented_rate_limit_and_request_id_headers_are_sent(make_app):
    client = make_app(RATELIMIT_ENABLED=True, RATELIMIT_ANON="50/minute").test_client()

    for path, status in (("/api/products/", 200), ("/api/products/none/", 404)):
        response = client.get(path)
        assert response.status_code == status
        assert response.headers["X-RateLimit-Limit"] == "50"
        for header in ("X-RateLimit-Remaining", "X-RateLimit-Reset", "X-Request-ID"):
            assert response.headers[header].isascii() and response.headers[header], header
