"""Every answer is the contract's, from whichever layer gives it (issue 10, items 5 and 10).

What gunicorn refuses before the app sees it is JSON in the contract's error shape, for the
sync and the gthread worker; no path is answered with a redirect; no answer names the server
software; CORS answers vary on Origin.
"""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from shopcore.adapters.sqlalchemy.migrate import upgrade
from tests.integration.conftest import AppFactory
from tests.integration.shop_server import ShopProcess, call, server_env

BIG = "a" * 10_240  # over gunicorn's 8,190-byte limit for one header


@pytest.fixture(scope="module", params=["sync", "gthread"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ShopProcess]:
    """One real ``shop serve`` per worker class: one worker, one thread (sync) or four."""
    tmp_path: Path = tmp_path_factory.mktemp(f"edge-{request.param}")
    database = f"sqlite:///{tmp_path / 'shop.sqlite3'}"
    upgrade(database)
    threads = "1" if request.param == "sync" else "4"
    process = ShopProcess(server_env(database, tmp_path), workers=1, args=("--threads", threads))
    try:
        process.wait_ready()
        yield process
    finally:
        process.stop()


def raw(port: int, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send bytes as they are, read the answer until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=15) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {name.strip().lower(): value.strip()
               for name, value in (line.split(":", 1) for line in lines)}  # fmt: skip
    return int(status_line.split()[1]), headers, body


def get(path: str, *headers: str) -> bytes:
    lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


REFUSED = {
    "huge-authorization": (get("/api/auth/me/", f"Authorization: Bearer {BIG}"), 431),
    "huge-request-id": (get("/api/health/", f"X-Request-ID: {BIG}"), 431),
    "huge-idempotency-key": (get("/api/orders/", f"Idempotency-Key: {BIG}"), 431),
    "url-over-4kB": (get("/api/products/?search=" + "a" * 5000), 414),
    "bare-cr-in-a-header": (get("/api/health/", "X-Note: one\rtwo"), 400),
    "garbage-request-line": (b"HELLO\r\n\r\n", 400),
}
# Werkzeug's phrases, as in the app's own error answers
PHRASES = {400: "Bad Request", 414: "Request URI Too Long", 431: "Request Header Fields Too Large"}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(REFUSED))
def test_what_gunicorn_refuses_is_answered_in_the_contracts_json(
    server: ShopProcess, case: str
) -> None:
    request, expected = REFUSED[case]

    status, headers, body = raw(server.port, request)

    assert status == expected
    assert headers["content-type"] == "application/json"
    assert int(headers["content-length"]) == len(body)
    answer = json.loads(body)
    assert set(answer) == {"code", "status", "message"}
    assert (answer["code"], answer["status"]) == (expected, PHRASES[expected])
    assert answer["message"] and "aaaa" not in answer["message"]  # never echoes the request
    assert "server" not in headers and headers["connection"] == "close"
    assert headers["x-content-type-options"] == "nosniff" and headers["x-request-id"]
    assert headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("method", "path"), [("POST", "/api//auth/login/"), ("GET", "/api//products/")]
)
def test_doubled_slashes_inside_a_path_are_a_json_404_never_a_redirect(
    server: ShopProcess, method: str, path: str
) -> None:
    body = {"email": "a@example.com", "password": "x"} if method == "POST" else None

    answer = server.call(method, path, body)

    assert answer.status == 404 and answer.header("Location") is None
    assert answer.body["code"] == 404 and answer.body["status"] == "Not Found"


@pytest.mark.slow
def test_leading_slashes_are_the_same_path_never_a_redirect(server: ShopProcess) -> None:
    # Werkzeug reads ``//api/...`` as ``/api/...`` for the whole request (request.path, so
    # limits, CORS and the cache see the one path), so it is that route's answer.
    health = server.call("GET", "//api/health/")
    login = server.call("POST", "//api/auth/login/", {"email": "a@example.com", "password": "x"})

    assert (health.status, login.status) == (200, 401)
    assert health.header("Location") is None and login.body["code"] == 401


@pytest.mark.slow
def test_no_answer_names_the_server_software(server: ShopProcess) -> None:
    kept_alive = {"Connection": "keep-alive"}
    answers = [server.call("GET", "/api/health/"), server.call("GET", "/api/nowhere/"),
               call(server.port, "GET", "/api/health", headers=kept_alive)]  # fmt: skip

    assert [a.status for a in answers] == [200, 404, 200]
    assert [a.header("Server") for a in answers] == [None, None, None]


# --- no redirect anywhere in the url_map ------------------------------------------------------


def test_no_rule_in_the_url_map_can_redirect(app: Flask) -> None:
    rules = list(app.url_map.iter_rules())

    assert not app.url_map.merge_slashes and not app.url_map.redirect_defaults
    assert [r.rule for r in rules if r.redirect_to or r.strict_slashes or r.merge_slashes] == []


def _spellings(rule: str) -> list[str]:
    path = re.sub(r"<[^>]+>", "1", rule)
    bare = path.rstrip("/")
    doubled = bare[:1] + bare[1:].replace("/", "//", 1)  # /api//products/1
    return [bare, bare + "/", doubled + "/"]


def test_every_route_in_every_spelling_answers_without_a_redirect(app: Flask) -> None:
    client = app.test_client()
    seen = {}
    for rule in app.url_map.iter_rules():
        method = sorted(rule.methods - {"HEAD", "OPTIONS"})[0]  # type: ignore[operator]
        for path in _spellings(rule.rule):
            kwargs: dict[str, Any] = {"json": {}} if method in ("POST", "PUT", "PATCH") else {}
            seen[f"{method} {path}"] = client.open(path, method=method, **kwargs).status_code

    assert len(seen) > 60
    assert {request: status for request, status in seen.items() if 300 <= status < 400} == {}


# --- CORS -------------------------------------------------------------------------------------


def vary(response: Any) -> list[str]:
    return [v.strip().lower() for h in response.headers.getlist("Vary") for v in h.split(",")]


def test_cors_answers_for_one_allowed_origin_vary_on_origin(make_app: AppFactory) -> None:
    client = make_app(CORS_ORIGINS=["https://shop.example"]).test_client()
    preflight = {"Origin": "https://shop.example", "Access-Control-Request-Method": "GET"}

    allowed = client.get("/api/health/", headers={"Origin": "https://shop.example"})
    others = [
        client.get("/api/health/", headers={"Origin": "https://evil.example"}),
        client.get("/api/health/"),
        client.get("/api/nowhere/", headers={"Origin": "https://shop.example"}),
        client.options("/api/auth/me/", headers=preflight),
    ]

    assert allowed.headers["Access-Control-Allow-Origin"] == "https://shop.example"
    assert "Access-Control-Allow-Origin" not in others[0].headers
    for response in [allowed, *others]:
        assert vary(response).count("origin") == 1, response.headers


def test_cors_vary_keeps_the_caches_own_and_names_origin_once(make_app: AppFactory) -> None:
    client = make_app(CORS_ORIGINS=["https://a.example", "https://b.example"]).test_client()

    answer = client.get("/api/categories/", headers={"Origin": "https://b.example"})

    assert answer.status_code == 200
    assert answer.headers["Access-Control-Allow-Origin"] == "https://b.example"
    assert vary(answer).count("origin") == 1 and "authorization" in vary(answer)


def test_without_cors_answers_do_not_vary_on_origin(app: Flask) -> None:
    answer = app.test_client().get("/api/health/", headers={"Origin": "https://shop.example"})

    assert "origin" not in vary(answer)
