"""One error format for every answer: ``{code, status, message, errors?}``.

Domain errors map to HTTP here and only here, by walking the error's class hierarchy.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from flask import Flask, jsonify
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from shopcore.domain import errors as domain

log = logging.getLogger(__name__)

STATUS_BY_CATEGORY: dict[type[domain.ShopError], int] = {
    domain.NotFound: 404,
    domain.Conflict: 409,
    domain.RuleViolation: 422,
    domain.AuthenticationFailed: 401,
    domain.PermissionDenied: 403,
    domain.TemporarilyUnavailable: 503,  # e.g. the database stayed deadlocked after retries
}
RETRY_AFTER_SECONDS = "1"  # for 503 answers: the failures behind them are short-lived


def status_for(error: domain.ShopError) -> int:
    for cls in type(error).__mro__:
        if cls in STATUS_BY_CATEGORY:
            return STATUS_BY_CATEGORY[cls]
    return 500


def flatten(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """``{"shipping": {"city": [..]}, "items": {0: {..}}}`` -> ``{"shipping.city": [..]}``.

    The request location (``json``, ``query``, ``files``, ``form``) is dropped.
    """
    if isinstance(messages, Mapping):
        if not prefix and set(messages) <= {"json", "query", "files", "form", "headers"}:
            return {k: v for loc in messages.values() for k, v in flatten(loc).items()}
        flat: dict[str, list[str]] = {}
        for key, value in messages.items():
            name = "" if key == "_schema" else str(key)
            path = f"{prefix}.{name}" if prefix and name else (name or prefix or "_schema")
            flat.update(flatten(value, path))
        return flat
    if isinstance(messages, list | tuple) and all(isinstance(m, str) for m in messages):
        return {prefix or "_schema": list(messages)}
    return {prefix or "_schema": [str(messages)]}


def error_response(
    code: int, message: str, errors: Mapping[str, list[str]] | None = None
) -> ResponseReturnValue:
    body: dict[str, Any] = {"code": code, "status": HTTPStatus(code).phrase, "message": message}
    if errors:
        body["errors"] = dict(errors)
    headers = {"WWW-Authenticate": 'Bearer realm="shop"'} if code == 401 else {}
    if code == 503:
        headers["Retry-After"] = RETRY_AFTER_SECONDS
    return jsonify(body), code, headers


def handle_shop_error(error: domain.ShopError) -> ResponseReturnValue:
    return error_response(status_for(error), error.message, error.errors)


def handle_http_exception(error: HTTPException) -> ResponseReturnValue:
    code = error.code or 500
    data = getattr(error, "data", None) or {}
    errors = flatten(data["messages"]) if "messages" in data else None
    message = data.get("message") or _default_message(error, errors)
    body, status, headers = error_response(code, message, errors)  # type: ignore[misc]
    response = error.get_response() if code in (405, 429) else None
    if response is not None:  # keep Allow and Retry-After
        for name in ("Allow", "Retry-After"):
            if name in response.headers:
                headers[name] = response.headers[name]
    for name, value in (data.get("headers") or {}).items():
        headers[name] = value
    return body, status, headers


def _default_message(error: HTTPException, errors: Any) -> str:
    if errors:
        return "The input is not valid."
    if error.code == 404:
        return "The requested resource was not found."
    if error.code == 429:  # flask-limiter's description is the bare limit, "5 per 1 minute"
        return f"Too many requests: the limit is {error.description}. Retry after the delay."
    return error.description or HTTPStatus(error.code or 500).phrase


def handle_unexpected(error: Exception) -> ResponseReturnValue:
    log.exception("unhandled error", exc_info=error)
    return error_response(500, "An unexpected error occurred.")


def register(app: Flask) -> None:
    app.register_error_handler(domain.ShopError, handle_shop_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)
