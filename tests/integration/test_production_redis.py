"""Redis: shared rate-limit counters, a health report, and an outage that does not stop the API.

Uses Redis database 14 on the host of SHOP_TEST_REDIS_URL (127.0.0.1:6379 by default) with a
key prefix of its own per test, so it never touches the database the scale-out test flushes.
Without SHOP_TEST_REDIS_URL and no Redis running, the tests that need a live one skip; with it
set, an unreachable Redis fails them.
"""

from __future__ import annotations

import logging
import os
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis

from shop_web import create_app, redis_state
from shop_web.config import from_environment
from tests.integration.conftest import Api
from tests.integration.conftest import test_config as make_config

DOWN = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connection refused at once


def live_redis_url() -> str:
    configured = os.environ.get("SHOP_TEST_REDIS_URL", "")
    parts = urlsplit(configured or "redis://127.0.0.1:6379/14")
    url = urlunsplit(parts._replace(path="/14"))
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        if configured:
            pytest.fail(f"SHOP_TEST_REDIS_URL is set but Redis is unreachable: {error}")
        pytest.skip("no Redis at 127.0.0.1:6379 (set SHOP_TEST_REDIS_URL to require one)")
    return url


@pytest.fixture
def make_app(make_app):
    """conftest's factory, with rate-limit keys of this test's own in the shared Redis."""

    def build(**overrides):
        overrides.setdefault("RATELIMIT_KEY_PREFIX", f"test-{uuid.uuid4().hex}")
        return make_app(**overrides)

    return build


def limited(make_app, storage: str, limit: str = "2/minute", **overrides):
    return make_app(
        RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=storage, RATELIMIT_ANON=limit, **overrides
    )


# --- health ---------------------------------------------------------------------------------


def test_health_has_no_redis_entry_when_none_is_configured(client):
    assert client.get("/api/health/").get_json() == {"status": "ok", "database": "ok"}


def test_health_reports_a_reachable_redis(make_app):
    app = make_app(REDIS_URL=live_redis_url())

    response = app.test_client().get("/api/health/")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "redis": "ok"}


def test_health_reports_a_reachable_rate_limit_redis(make_app):
    app = limited(make_app, live_redis_url())

    response = app.test_client().get("/api/health/")

    assert response.get_json() == {"status": "ok", "database": "ok", "redis": "ok"}


@pytest.mark.parametrize("setting", ["REDIS_URL", "RATELIMIT_STORAGE_URI"])
def test_health_is_degraded_but_up_when_redis_is_down(make_app, caplog, setting):
    app = make_app(RATELIMIT_ENABLED=True, **{setting: DOWN})

    response = app.test_client().get("/api/health/")

    assert response.status_code == 200
    assert response.get_json() == {"status": "degraded", "database": "ok", "redis": "unavailable"}
    assert any("redis unavailable" in r.getMessage() for r in caplog.records)


def test_health_ignores_a_rate_limit_redis_when_limits_are_off(make_app):
    app = make_app(RATELIMIT_ENABLED=False, RATELIMIT_STORAGE_URI=DOWN)

    assert app.test_client().get("/api/health/").get_json() == {"status": "ok", "database": "ok"}


def test_health_is_unavailable_when_the_database_is_down(media_root):
    config = make_config("mysql+pymysql://root@127.0.0.1:1/nowhere", media_root, REDIS_URL=DOWN)
    app = create_app(config)

    response = app.test_client().get("/api/health/")

    assert response.status_code == 503
    assert response.get_json() == {
        "status": "unavailable",
        "database": "unavailable",
        "redis": "unavailable",
    }


# --- shared limits --------------------------------------------------------------------------


def test_two_apps_on_one_redis_share_the_rate_limit(make_app):
    url, prefix = live_redis_url(), f"shared-{uuid.uuid4().hex}"
    first = limited(make_app, url, "3/minute", RATELIMIT_KEY_PREFIX=prefix).test_client()
    second = limited(make_app, url, "3/minute", RATELIMIT_KEY_PREFIX=prefix).test_client()

    statuses = [c.get("/api/auth/me/").status_code for c in (first, second, first, second)]

    assert statuses == [401, 401, 401, 429]
    assert second.get("/api/auth/me/").headers["Retry-After"]


# --- outage ---------------------------------------------------------------------------------


def test_a_redis_outage_fails_open_by_default_and_is_logged(make_app, caplog):
    app = limited(make_app, DOWN, "1/minute")
    client = app.test_client()
    caplog.set_level(logging.ERROR)

    statuses = [client.get("/api/health/").status_code]
    statuses += [client.get("/api/auth/me/").status_code for _ in range(3)]
    register = client.post(
        "/api/auth/register/",
        json={
            "email": f"o-{uuid.uuid4().hex[:8]}@example.com",
            "password": "s3cret-pass",
            "first_name": "O",
            "last_name": "K",
        },  # fmt: skip
    )

    assert statuses == [200, 401, 401, 401]  # the limit of one is not enforced: Redis is down
    assert register.status_code == 201
    assert client.get("/api/auth/me/", headers=bearer(register)).status_code == 200
    assert any("Swallowing error" in r.getMessage() for r in caplog.records)
    assert "X-RateLimit-Limit" not in client.get("/api/auth/me/").headers


def test_reads_and_orders_keep_working_while_every_redis_is_down(make_app):
    app = limited(make_app, DOWN, "1000/minute", RATELIMIT_USER="1000/minute", REDIS_URL=DOWN)
    api = Api(app.test_client())
    admin, vendor, customer = api.token("admin"), api.token("vendor"), api.token("customer")
    category = api.post("/api/categories/", {"name": f"C {uuid.uuid4().hex[:6]}"}, admin)
    product = api.post(
        "/api/products/",
        {
            "name": "Lamp",
            "description": "Bright.",
            "category": category.get_json()["id"],
            "price": "9.50",
            "stock": 3,
        },  # fmt: skip
        vendor,
    ).get_json()

    listed = [api.get("/api/products/").status_code for _ in range(2)]  # cache read and fill
    detail = api.get(f"/api/products/{product['slug']}/")
    order = api.post(
        "/api/orders/",
        {
            "items": [{"product": product["slug"], "quantity": 2}],
            "payment_method": "cod",
            "shipping": {
                "full_name": "A B",
                "phone": "1",
                "address_line1": "x",
                "city": "y",
                "postal_code": "1",
                "country": "US",
            },
        },  # fmt: skip
        customer,
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )

    assert listed == [200, 200] and detail.status_code == 200
    assert order.status_code == 201, order.get_json()
    assert api.get(f"/api/products/{product['slug']}/").get_json()["stock"] == 1
    assert api.get("/api/health/").get_json()["status"] == "degraded"


def test_a_redis_outage_fails_closed_when_configured(make_app, caplog):
    app = limited(make_app, DOWN, RATELIMIT_FAIL_CLOSED=True)
    client = app.test_client()

    refused = client.get("/api/auth/me/")
    login = client.post("/api/auth/login/", json={"email": "a@b.example", "password": "x" * 10})
    health = client.get("/api/health/")

    assert refused.status_code == 503
    assert refused.get_json() == {
        "code": 503,
        "status": "Service Unavailable",
        "message": "The service is temporarily unavailable; try again shortly.",
    }
    assert login.status_code == 503
    assert health.status_code == 200 and health.get_json()["status"] == "degraded"
    errors = [r for r in caplog.records if r.name == "shop_web.redis_state"]
    assert errors and errors[0].levelno == logging.ERROR


def test_fail_closed_still_serves_while_redis_is_up(make_app):
    app = limited(make_app, live_redis_url(), RATELIMIT_FAIL_CLOSED=True)

    response = app.test_client().get("/api/auth/me/")

    assert response.status_code == 401
    assert response.headers["X-RateLimit-Limit"] == "2"


def test_redis_clients_give_up_quickly(make_app):
    app = make_app(REDIS_URL=live_redis_url())

    with app.app_context():
        client = redis_state.state().client
    options = client.connection_pool.connection_kwargs

    assert options["socket_connect_timeout"] == redis_state.CONNECT_TIMEOUT_S <= 1
    assert options["socket_timeout"] == redis_state.SOCKET_TIMEOUT_S <= 1


def test_redis_settings_come_from_the_environment():
    config = from_environment(
        {
            "SHOP_REDIS_URL": "redis://r:6379/1",
            "SHOP_RATELIMIT_STORAGE_URL": "redis://r:6379/2",
            "SHOP_RATELIMIT_FAIL_CLOSED": "true",
        }  # fmt: skip
    )

    assert config["REDIS_URL"] == "redis://r:6379/1"
    assert config["RATELIMIT_STORAGE_URI"] == "redis://r:6379/2"
    assert config["RATELIMIT_FAIL_CLOSED"] is True
    assert from_environment({})["RATELIMIT_FAIL_CLOSED"] is False


def bearer(response) -> dict[str, str]:
    return {"Authorization": f"Bearer {response.get_json()['access']}"}
