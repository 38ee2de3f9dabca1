"""One JSON log line per request, with a request id, and nothing secret in any log line."""

from __future__ import annotations

import io
import json
import logging
import re
import uuid

import pytest

from shop_web import create_app
from shop_web.logs import JsonFormatter, logging_config, scrub
from shop_web.observability import request_id_from
from tests.integration.conftest import PASSWORD
from tests.integration.conftest import test_config as make_config

CARD = "4111 1111-1111 1111"


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO)
    return caplog


def request_lines(caplog: pytest.LogCaptureFixture) -> list[dict]:
    formatter = JsonFormatter()
    return [json.loads(formatter.format(r)) for r in caplog.records if r.name == "shop.request"]


def every_line(caplog: pytest.LogCaptureFixture) -> str:
    formatter = JsonFormatter()
    return "\n".join(formatter.format(record) for record in caplog.records)


def test_each_request_writes_one_json_line_with_its_fields(api, logs):
    response = api.get("/api/health/", headers={"X-Request-ID": "lb-abc.123_x"})

    (line,) = request_lines(logs)
    assert response.headers["X-Request-ID"] == "lb-abc.123_x"
    assert line["request_id"] == "lb-abc.123_x"
    assert line["method"] == "GET"
    assert line["path"] == "/api/health/"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["remote_addr"] == "127.0.0.1"
    assert line["user_id"] is None
    assert line["level"] == "INFO"
    assert line["logger"] == "shop.request"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", line["ts"])


def test_a_request_without_an_id_gets_a_new_one_each_time(api, logs):
    first = api.get("/api/health/").headers["X-Request-ID"]
    second = api.get("/api/health/").headers["X-Request-ID"]

    assert re.fullmatch(r"[0-9a-f]{32}", first) and first != second
    assert [line["request_id"] for line in request_lines(logs)] == [first, second]


@pytest.mark.parametrize(
    "header",
    ["x" * 129, "has space", "semi;colon", "new\u00e9line", "4111111111111111", ""],
)
def test_an_unsafe_request_id_is_replaced_by_a_new_one(api, logs, header):
    response = api.get("/api/health/", headers={"X-Request-ID": header})

    given = response.headers["X-Request-ID"]
    assert given != header and re.fullmatch(r"[0-9a-f]{32}", given)


def test_a_request_id_of_exactly_128_characters_is_kept():
    assert request_id_from("a" * 128) == "a" * 128


def test_the_path_is_logged_without_its_query_string(api, logs):
    api.get("/api/health/?token=secret-in-query&card=4111111111111111")

    (line,) = request_lines(logs)
    assert line["path"] == "/api/health/"
    assert "secret-in-query" not in every_line(logs)
    assert "4111111111111111" not in every_line(logs)


def test_an_authenticated_request_logs_the_user_id(api, logs):
    session = api.register()
    logs.clear()

    api.get("/api/auth/me/", session["access"])

    (line,) = request_lines(logs)
    assert line["user_id"] == session["user"]["id"]


def test_tokens_and_passwords_never_reach_the_log(api, logs):
    session = api.register()
    api.post("/api/auth/login/", {"email": session["user"]["email"], "password": PASSWORD})
    api.post("/api/auth/login/", {"email": session["user"]["email"], "password": "wrong-pass1"})
    api.get("/api/auth/me/", session["access"])
    api.post("/api/auth/refresh/", {"refresh": session["refresh"]})
    api.get("/api/auth/me/", "not-a-valid-token")

    text = every_line(logs)
    assert len(request_lines(logs)) == 6
    for secret in (session["access"], session["refresh"], PASSWORD, "wrong-pass1"):
        assert secret not in text
    assert "not-a-valid-token" not in text


def test_a_server_error_is_logged_as_an_error_with_its_request_id_and_scrubbed(
    database_url, media_root, logs
):
    app = create_app(make_config(database_url, media_root))
    token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"

    @app.get("/boom")
    def boom() -> None:
        raise ValueError(f"card {CARD} token {token} password=hunter2hunter2")

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logging.getLogger().addHandler(handler)  # formats while the request is still running
    try:
        response = app.test_client().get("/boom", headers={"X-Request-ID": "req-boom"})
    finally:
        logging.getLogger().removeHandler(handler)

    assert response.status_code == 500
    assert response.headers["X-Request-ID"] == "req-boom"
    error, line = (json.loads(text) for text in stream.getvalue().splitlines())
    assert error["request_id"] == "req-boom" and error["level"] == "ERROR"
    assert "ValueError" in error["exception"]
    assert line["request_id"] == "req-boom"
    assert line["status"] == 500 and line["level"] == "ERROR"
    text = stream.getvalue()
    for secret in (CARD, "4111", token, "hunter2hunter2"):
        assert secret not in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("paid with 4111111111111111 today", "paid with [redacted] today"),
        ("card 4111 1111 1111 1111.", "card [redacted]."),
        ("card 4111-1111-1111-1111", "card [redacted]"),
        ("amex 3782 822463 10005", "amex [redacted]"),
        ("nineteen 6011000990139424123", "nineteen [redacted]"),
        ("Authorization: Bearer abc.def-ghi", "Authorization: Bearer [redacted]"),
        (
            '{"password": "s3cret pass", "email": "a@b.c"}',
            '{"password": [redacted], "email": "a@b.c"}',
        ),
        ("new_password=hunter2&x=1", "new_password=[redacted]&x=1"),
        ("refresh_token: abc123", "refresh_token: [redacted]"),
        ("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig_nature", "jwt [redacted]"),
    ],
)
def test_scrub_hides_secrets(text, expected):
    assert scrub(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "order ORD-20261124-00000042 total 19.99",
        "GET /api/orders/ORD-20261124-23456789/ 200",
        "2026-11-24T10:15:00+00:00",
        "product 123456789012 has 12 digits",
        "GET /api/products/42/ 200",
    ],
)
def test_scrub_keeps_ordinary_text(text):
    assert scrub(text) == text


def test_the_json_formatter_keeps_extra_fields_and_scrubs_strings():
    record = logging.makeLogRecord(
        {
            "name": "x",
            "levelno": logging.WARNING,
            "levelname": "WARNING",
            "msg": "paid %s",
            "args": ("4111111111111111",),
            "note": "Bearer abc",
        }  # fmt: skip
    )

    line = json.loads(JsonFormatter().format(record))

    assert line["message"] == "paid [redacted]"
    assert line["note"] == "Bearer [redacted]"
    assert line["level"] == "WARNING"


def test_the_logging_config_writes_json_and_silences_gunicorns_access_log():
    config = logging_config("INFO")

    assert config["formatters"]["json"]["()"] is JsonFormatter
    assert config["root"]["handlers"] == ["stderr"]
    assert config["loggers"]["gunicorn.access"]["propagate"] is False
    assert config["loggers"]["gunicorn.access"]["level"] == "CRITICAL"


def test_request_ids_are_unique_per_request(api, logs):
    ids = {api.get("/api/health/").headers["X-Request-ID"] for _ in range(20)}
    assert len(ids) == 20
    assert all(uuid.UUID(hex=i) for i in ids)


def test_a_generated_request_id_that_starts_with_digits_is_logged_whole():
    request_id = "4111111111111111" + "ab" * 8
    record = logging.makeLogRecord({"msg": "x", "request_id": request_id, "nested": {"t": CARD}})

    line = json.loads(JsonFormatter().format(record))

    assert line["request_id"] == request_id
    assert CARD not in json.dumps(line) and "[redacted]" in line["nested"]
