"""Security headers on every answer, a CSP that Swagger UI can live with, and safe CORS."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest

from shop_web.config import ConfigError, from_environment
from shop_web.observability import JSON_CSP

COMMON = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def assert_secured(response, csp: str = JSON_CSP) -> None:
    for name, value in COMMON.items():
        assert response.headers.get(name) == value, (name, response.status_code)
    assert response.headers["Content-Security-Policy"] == csp
    assert "Server" not in response.headers
    assert response.headers["X-Request-ID"]


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("GET", "/api/health/", {}, 200),
        ("GET", "/api/no-such-thing/", {}, 404),
        ("POST", "/api/health/", {}, 405),
        ("GET", "/api/auth/me/", {}, 401),
        ("POST", "/api/auth/register/", {"json": {}}, 422),
        ("POST", "/api/auth/login/", {"data": "{", "content_type": "text/plain"}, 400),
        ("GET", "/openapi.json", {}, 200),
        ("GET", "/media/missing.png", {}, 404),
    ],
)
def test_every_answer_carries_the_security_headers(client, method, path, kwargs, status):
    response = client.open(path, method=method, **kwargs)

    assert response.status_code == status
    assert_secured(response)


def test_a_not_modified_answer_carries_the_security_headers(client):
    first = client.get("/swagger-ui-assets/swagger-ui.css")
    again = client.get(
        "/swagger-ui-assets/swagger-ui.css", headers={"If-None-Match": first.headers["ETag"]}
    )

    assert again.status_code == 304
    assert_secured(again)


def test_a_not_modified_catalog_read_carries_the_security_headers(client):
    first = client.get("/api/categories/")
    again = client.get("/api/categories/", headers={"If-None-Match": first.headers["ETag"]})

    assert again.status_code == 304 and again.data == b""
    assert_secured(again)


def test_a_rate_limited_answer_carries_the_security_headers(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_ANON="1/minute")
    client = app.test_client()
    client.get("/api/auth/me/")

    limited = client.get("/api/auth/me/")

    assert limited.status_code == 429
    assert_secured(limited)


def test_a_server_error_carries_the_security_headers(make_app):
    app = make_app()

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("boom")

    response = app.test_client().get("/boom")

    assert response.status_code == 500
    assert response.get_json()["code"] == 500
    assert_secured(response)


def test_https_answers_ask_browsers_to_stay_on_https(client):
    response = client.get("/api/health/", base_url="https://shop.example")

    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in client.get("/api/health/").headers


# --- Swagger UI ---------------------------------------------------------------------------------


def test_the_swagger_page_allows_exactly_its_own_inline_script(client):
    page = client.get("/swagger/")

    assert page.status_code == 200 and page.mimetype == "text/html"
    csp = page.headers["Content-Security-Policy"]
    (script,) = re.findall(rb"<script>(.*?)</script>", page.data, re.S)
    digest = base64.b64encode(hashlib.sha256(script).digest()).decode()
    assert f"script-src 'self' 'sha256-{digest}';" in csp
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-eval" not in csp and "http" not in csp
    assert_secured(page, csp)


def test_the_swagger_page_loads_only_local_assets_and_they_are_served(client):
    page = client.get("/swagger/").get_data(as_text=True)
    links = re.findall(r'(?:href|src)="([^"]+)"', page)

    kinds = {}
    for link in links:
        assert link.startswith("/"), f"{link} is not local"
        response = client.get(link)
        assert response.status_code == 200, link
        kinds[link.rsplit(".", 1)[-1]] = response.mimetype
    assert kinds == {"css": "text/css", "js": "text/javascript"}
    spec_url = re.search(r'url: "([^"]+)"', page).group(1)
    assert client.get(spec_url).get_json()["openapi"].startswith("3.")


# --- CORS ---------------------------------------------------------------------------------------


def preflight(client, origin: str):
    return client.options(
        "/api/auth/me/",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "Authorization",
        },  # fmt: skip
    )


def test_cors_for_any_origin_never_allows_credentials(make_app):
    client = make_app(CORS_ORIGINS=["*"]).test_client()

    response = client.get("/api/health/", headers={"Origin": "https://evil.example"})

    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert "X-Request-ID" in response.headers["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in preflight(client, "https://a.example").headers


def test_cors_with_credentials_answers_only_the_listed_origins(make_app):
    app = make_app(CORS_ORIGINS=["https://shop.example"], CORS_ALLOW_CREDENTIALS=True)
    client = app.test_client()

    allowed = preflight(client, "https://shop.example")
    refused = preflight(client, "https://evil.example")

    assert allowed.headers["Access-Control-Allow-Origin"] == "https://shop.example"
    assert allowed.headers["Access-Control-Allow-Credentials"] == "true"
    assert_secured(allowed)
    assert "Access-Control-Allow-Origin" not in refused.headers
    assert "Access-Control-Allow-Credentials" not in refused.headers


@pytest.mark.parametrize("env", ["development", "production"])
def test_cors_refuses_any_origin_with_credentials(make_app, env):
    with pytest.raises(ConfigError, match="cannot be combined"):
        make_app(CORS_ORIGINS=["https://a.example", "*"], CORS_ALLOW_CREDENTIALS=True, SHOP_ENV=env)


def test_cors_settings_come_from_the_environment():
    config = from_environment(
        {
            "SHOP_CORS_ORIGINS": "https://a.example, https://b.example",
            "SHOP_CORS_ALLOW_CREDENTIALS": "true",
        }  # fmt: skip
    )

    assert config["CORS_ORIGINS"] == ["https://a.example", "https://b.example"]
    assert config["CORS_ALLOW_CREDENTIALS"] is True
    assert from_environment({})["CORS_ALLOW_CREDENTIALS"] is False
