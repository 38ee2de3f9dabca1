"""Request ids, one log line per request, and security headers on every answer.

The request line holds the path without its query string and never a header, so tokens sent in
either are not logged; logs.py formats it as JSON and scrubs what is left.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
import time
import uuid

from flask import Flask, Response, g, request

from shop_web.logs import scrub

log = logging.getLogger("shop.request")

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
JSON_CSP = "default-src 'none'; frame-ancestors 'none'"
SWAGGER_ENDPOINT = "api-docs.openapi_swagger_ui"
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.S)
_STATIC_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


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
