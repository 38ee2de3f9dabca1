"""Rate limits: the login limit per address, the default limits per address and per user."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from flask import Flask

from shopcore.use_cases.auth import RegisterCommand
from tests.integration.conftest import PASSWORD, Api, AppFactory

RATE_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")


def limited_app(factory: AppFactory, **limits: Any) -> Flask:
    settings = {"RATELIMIT_LOGIN": "100/minute", "RATELIMIT_ANON": "100/minute",
                "RATELIMIT_USER": "100/minute", **limits}  # fmt: skip
    return factory(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://", **settings)


def access_token(app: Flask) -> str:
    """A new user's access token, made without HTTP so no request is counted."""
    email = f"limit-{uuid.uuid4().hex[:10]}@example.com"
    shop = app.extensions["shopcore"]
    return shop.register_user.execute(RegisterCommand(email, PASSWORD, "Li", "Mit")).access  # type: ignore[no-any-return]


def from_address(
    api: Api, address: str, method: str, path: str, token: str | None = None, **kwargs: Any
) -> Any:
    return api.call(method, path, token, environ_base={"REMOTE_ADDR": address}, **kwargs)


def log_in(api: Api, address: str = "10.0.0.1", email: str = "who@example.com", **kw: Any) -> Any:
    body = {"email": email, "password": "wrong-password"}
    return from_address(api, address, "POST", "/api/auth/login/", json=body, **kw)


def assert_too_many(response: Any, window: int) -> None:
    assert response.status_code == 429
    body = response.get_json()
    assert (body["code"], body["status"]) == (429, "Too Many Requests") and body["message"]
    assert 0 < int(response.headers["Retry-After"]) <= window
    assert response.headers["X-RateLimit-Remaining"] == "0"


# --- login ------------------------------------------------------------------------------------


def test_a_sixth_login_in_a_minute_gets_429_with_retry_after(make_app: AppFactory) -> None:
    api = Api(limited_app(make_app, RATELIMIT_LOGIN="5/minute").test_client())

    answers = [log_in(api, email=f"user{i}@example.com") for i in range(5)]
    sixth = log_in(api)

    assert [a.status_code for a in answers] == [401] * 5
    assert [a.headers["X-RateLimit-Remaining"] for a in answers] == ["4", "3", "2", "1", "0"]
    for answer in answers:
        assert answer.headers["X-RateLimit-Limit"] == "5"
        assert int(answer.headers["X-RateLimit-Reset"]) > 0
        assert "Retry-After" not in answer.headers
    assert_too_many(sixth, 60)
    assert sixth.headers["X-RateLimit-Limit"] == "5"
    assert "5 per 1 minute" in sixth.get_json()["message"]


def test_the_login_limit_counts_per_client_address(make_app: AppFactory) -> None:
    api = Api(limited_app(make_app, RATELIMIT_LOGIN="2/minute").test_client())

    for _ in range(2):
        log_in(api, "10.0.0.1")

    assert log_in(api, "10.0.0.1").status_code == 429
    assert log_in(api, "10.0.0.2").status_code == 401


def test_a_limited_login_is_refused_even_with_the_right_password(make_app: AppFactory) -> None:
    app = limited_app(make_app, RATELIMIT_LOGIN="1/minute")
    api = Api(app.test_client())
    api.register(email="real@example.com")

    log_in(api)
    body = {"email": "real@example.com", "password": PASSWORD}

    assert from_address(api, "10.0.0.1", "POST", "/api/auth/login/", json=body).status_code == 429


def test_the_login_limit_trusts_forwarded_addresses_only_behind_a_proxy(
    make_app: AppFactory,
) -> None:
    behind = Api(limited_app(make_app, RATELIMIT_LOGIN="1/minute", TRUSTED_PROXIES=1).test_client())
    direct = Api(limited_app(make_app, RATELIMIT_LOGIN="1/minute").test_client())

    for api, second_client_status in ((behind, 401), (direct, 429)):
        log_in(api, headers={"X-Forwarded-For": "203.0.113.1"})
        response = log_in(api, headers={"X-Forwarded-For": "203.0.113.2"})
        assert response.status_code == second_client_status


# --- default limits ---------------------------------------------------------------------------


def test_anonymous_callers_are_limited_per_address(make_app: AppFactory) -> None:
    api = Api(limited_app(make_app, RATELIMIT_ANON="3/minute").test_client())

    answers = [from_address(api, "10.0.0.1", "GET", "/api/auth/me/") for _ in range(3)]
    fourth = from_address(api, "10.0.0.1", "GET", "/api/auth/me/")

    assert [a.status_code for a in answers] == [401] * 3
    assert [a.headers["X-RateLimit-Limit"] for a in answers] == ["3"] * 3
    assert_too_many(fourth, 60)
    assert from_address(api, "10.0.0.2", "GET", "/api/auth/me/").status_code == 401


def test_authenticated_callers_are_limited_per_user(make_app: AppFactory) -> None:
    app = limited_app(make_app, RATELIMIT_USER="3/minute", RATELIMIT_ANON="10/minute")
    api = Api(app.test_client())
    ann, bob = access_token(app), access_token(app)

    answers = [from_address(api, "10.0.0.1", "GET", "/api/auth/me/", ann) for _ in range(3)]
    fourth = from_address(api, "10.0.0.1", "GET", "/api/auth/me/", ann)

    assert [a.status_code for a in answers] == [200] * 3
    assert [a.headers["X-RateLimit-Remaining"] for a in answers] == ["2", "1", "0"]
    assert_too_many(fourth, 60)
    assert from_address(api, "10.0.0.1", "GET", "/api/auth/me/", bob).status_code == 200
    assert from_address(api, "10.0.0.2", "GET", "/api/auth/me/", ann).status_code == 429
    anonymous = from_address(api, "10.0.0.1", "GET", "/api/auth/me/")
    assert anonymous.status_code == 401 and anonymous.headers["X-RateLimit-Limit"] == "10"


def test_users_get_the_user_limit_and_anonymous_callers_the_anonymous_one(
    make_app: AppFactory,
) -> None:
    app = limited_app(make_app, RATELIMIT_USER="7/hour", RATELIMIT_ANON="4/hour")
    api = Api(app.test_client())

    assert api.get("/api/auth/me/", access_token(app)).headers["X-RateLimit-Limit"] == "7"
    assert api.get("/api/auth/me/").headers["X-RateLimit-Limit"] == "4"


@pytest.mark.parametrize("path", ["/api/health/", "/openapi.json", "/swagger/"])
def test_health_and_docs_are_not_limited(make_app: AppFactory, path: str) -> None:
    api = Api(limited_app(make_app, RATELIMIT_ANON="2/minute").test_client())

    statuses = {api.get(path).status_code for _ in range(4)}

    assert statuses == {200}


def test_disabled_limits_never_refuse_and_add_no_headers(make_app: AppFactory) -> None:
    api = Api(make_app(RATELIMIT_ENABLED=False, RATELIMIT_LOGIN="1/minute").test_client())

    answers = [log_in(api) for _ in range(3)]

    assert [a.status_code for a in answers] == [401] * 3
    assert not any(h in answers[-1].headers for h in RATE_HEADERS)
