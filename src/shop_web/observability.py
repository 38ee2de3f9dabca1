"""Request ids, one JSON log line per request, and security headers on every answer.

Nothing secret reaches a log line: the path is logged without its query string, headers are never
logged, and every string passes through ``scrub`` (bearer tokens, JWTs, password-like fields and
card-like digit runs are replaced by ``[redacted]``).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import orjson
from flask import Flask, Response, g, has_request_context, request

log = logging.getLogger("shop.request")

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
_SECRETS = (
    (re.compile(r"(?i)\bbearer\s+[^\s\"',;]+"), "Bearer [redacted]"),
    (re.compile(r"\beyJ[\w-]*\.[\w-]+\.[\w-]*"), "[redacted]"),
    (
        re.compile(
            r"(?i)(\"?\b\w*(?:password|secret|token)\w*\"?\s*[:=]\s*)(\"[^\"]*\"|[^\s,;&]+)"
        ),
        r"\1[redacted]",
    ),
    # Card-like runs of 13 or more digits, maybe split by spaces or dashes; not the date inside an
    # order number such as ORD-20261124-23456789.
    (re.compile(r"(?<![\w-])\d(?:[ -]?\d){12,}(?!\d)"), "[redacted]"),
)

JSON_CSP = "default-src 'none'; frame-ancestors 'none'"
SWAGGER_ENDPOINT = "api-docs.openapi_swagger_ui"
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.S)
_STATIC_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def scrub(text: str) -> str:
    """``text`` with tokens, password-like values and card-like numbers replaced."""
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


def request_id_from(header: str | None) -> str:
    """The caller's ``X-Request-ID`` when it is a sane token, else a new random one."""
    if header and _SANE_REQUEST_ID.fullmatch(header) and scrub(header) == header:
        return header
    return uuid.uuid4().hex


def init_app(app: Flask) -> None:
    """Register the hooks; call before other extensions so these run first and log last."""

    @app.before_request
    def start_request() -> None:
        g.request_started = time.perf_counter()
        g.request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))

    @app.after_request
    def finish_request(response: Response) -> Response:
        _secure(response)
        if "request_id" not in g:  # a failure before our first hook ran
            start_request()
        response.headers[REQUEST_ID_HEADER] = g.request_id
        _log_request(response)
        return response


def _secure(response: Response) -> None:
    response.headers.update(_STATIC_HEADERS)
    response.headers.pop("Server", None)
    if request.endpoint == SWAGGER_ENDPOINT and response.status_code == 200:
        response.headers["Content-Security-Policy"] = swagger_csp(response.get_data())
    else:
        response.headers["Content-Security-Policy"] = JSON_CSP
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = "max-age=31536000"


def swagger_csp(page: bytes) -> str:
    """What Swagger UI needs: its own files, inline styles, and exactly its inline script."""
    hashes = " ".join(f"'sha256-{_digest(script)}'" for script in _INLINE_SCRIPT.findall(page))
    return (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        f"script-src 'self' {hashes}; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    )


def _digest(script: bytes) -> str:
    return base64.b64encode(hashlib.sha256(script).digest()).decode()


def _log_request(response: Response) -> None:
    principal = g.get("principal")
    fields = {
        "request_id": g.request_id,
        "method": request.method,
        "path": request.path,
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - g.request_started) * 1000, 2),
        "user_id": getattr(principal, "user_id", None),
        "remote_addr": request.remote_addr,
    }
    level = logging.ERROR if response.status_code >= 500 else logging.INFO
    log.log(level, "%s %s %s", request.method, request.path, response.status_code, extra=fields)


_RECORD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and any ``extra`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(record.getMessage()),
        }
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRIBUTES and not key.startswith("_"):
                entry[key] = scrub(value) if isinstance(value, str) else value
        if "request_id" not in entry and has_request_context() and "request_id" in g:
            entry["request_id"] = g.request_id
        if record.exc_info:
            entry["exception"] = scrub(self.formatException(record.exc_info))
        return orjson.dumps(entry, default=str).decode()


def logging_config(level: str = "INFO") -> dict[str, Any]:
    """A ``logging.config.dictConfig`` mapping: every logger as JSON lines on stderr.

    gunicorn's own access log is switched off: it would log query strings, and our request
    line already says everything it would.
    """
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"level": level, "handlers": ["stderr"]},
        "loggers": {
            "gunicorn.error": {"level": level, "handlers": [], "propagate": True},
            "gunicorn.access": {"level": "CRITICAL", "handlers": [], "propagate": False},
        },
    }
