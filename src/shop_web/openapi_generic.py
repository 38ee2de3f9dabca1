"""The answers and headers any operation may give, written into each operation of /openapi.json.

flask-smorest would otherwise document them all at once with a ``default`` response, which makes
every status code "documented" and hides a missing 403 or 409. Instead each operation lists what
it can really answer: the views document their own statuses, and this plugin adds the generic
ones where they apply, with the headers that every answer, or every rate-limited one, carries.
"""

from __future__ import annotations

from typing import Any

from apispec import APISpec, BasePlugin

from shop_web.caching import CACHE_CONTROL_DOC
from shop_web.limits import exempt


def _integer(description: str) -> dict[str, Any]:
    return {"description": description, "schema": {"type": "integer", "minimum": 0}}


HEADERS: dict[str, dict[str, Any]] = {
    "X-Request-ID": {
        "description": "The request's id, also in its log lines: the caller's own "
        "`X-Request-ID` when it is 1 to 128 of `A-Z a-z 0-9 . _ -`, otherwise a new one.",
        "required": True,
        "schema": {"type": "string", "pattern": "^[A-Za-z0-9._-]{1,128}$"},
    },
    "Cache-Control": {
        "description": CACHE_CONTROL_DOC,
        "required": True,
        "schema": {"type": "string"},
    },
    "Vary": {
        "description": "`Authorization`: the answer depends on the caller (a vendor or an "
        "admin also sees inactive products), so a cache keeps one answer per caller.",
        "required": True,
        "schema": {"type": "string"},
    },
    "Retry-After": {
        **_integer("Seconds to wait before sending the request again."),
        "required": True,
    },
    "X-RateLimit-Limit": _integer(
        "Requests allowed to this caller in the current window (absent when limits are off)."
    ),
    "X-RateLimit-Remaining": _integer("Requests left to this caller in the current window."),
    "X-RateLimit-Reset": _integer("When the current window ends, in Unix seconds."),
}
EVERY_ANSWER = ("X-Request-ID", "Cache-Control")
LIMITED_ANSWER = (*EVERY_ANSWER, "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")
# Headers of flask-smorest's shared responses beyond LIMITED_ANSWER: name -> header component.
SHARED_RESPONSE_HEADERS = {
    "TOO_MANY_REQUESTS": {"Retry-After": "Retry-After"},
    "SERVICE_UNAVAILABLE": {"Retry-After": "Retry-After"},
    "NOT_MODIFIED": {"ETag": "ETAG", "Vary": "Vary"},  # ETAG: flask-smorest's component
}
ETAG_DOC = (
    "A strong tag of this exact body. Send it back in `If-None-Match` to get 304 without a "
    "body while the answer has not changed."
)


class GenericResponses(BasePlugin):  # type: ignore[misc]
    """400 and 413 where there is a body, 401 where a token is read, 429 and 503 where limited,
    and the headers of each answer."""

    def init_spec(self, spec: APISpec) -> None:
        super().init_spec(spec)
        for name, header in HEADERS.items():
            spec.components.header(name, header)

    def operation_helper(
        self, path: str | None = None, operations: dict[str, Any] | None = None, **_: Any
    ) -> None:
        limited = bool(path) and not exempt(str(path))
        for operation in (operations or {}).values():
            responses = operation.setdefault("responses", {})
            if "requestBody" in operation:
                responses.setdefault("400", "BAD_REQUEST")  # not JSON, wrong content type
                responses.setdefault("413", "PAYLOAD_TOO_LARGE")
            if any("bearerAuth" in requirement for requirement in operation.get("security", [])):
                responses.setdefault("401", "UNAUTHORIZED")  # a bad token, even where optional
            if limited:
                responses.setdefault("429", "TOO_MANY_REQUESTS")
                # Rate-limit storage down with SHOP_RATELIMIT_FAIL_CLOSED, or the database busy.
                responses.setdefault("503", "SERVICE_UNAVAILABLE")
            for response in responses.values():
                if isinstance(response, dict):  # the operation's own; names are shared ones
                    _add_headers(response, limited)


def _add_headers(response: dict[str, Any], limited: bool) -> None:
    headers = response.setdefault("headers", {})
    names = [*(LIMITED_ANSWER if limited else EVERY_ANSWER)]
    if "ETag" in headers:  # a catalog read (Blueprint.catalog_read)
        names.append("Vary")
    for name in names:
        headers.setdefault(name, name)  # apispec turns a component's name into its $ref


def document_shared_responses(spec: APISpec) -> None:
    """Add the headers to flask-smorest's shared responses (``NOT_FOUND``, ...), which only
    rate-limited operations use, and say what the ETag is."""
    components = spec.components
    for name, response in {**components.responses_lazy, **components.responses}.items():
        wanted = {header: header for header in LIMITED_ANSWER}
        wanted.update(SHARED_RESPONSE_HEADERS.get(name, {}))
        headers = response.setdefault("headers", {})
        for header, component in wanted.items():
            headers.setdefault(header, components.get_ref("header", component))
    etag = components.headers_lazy.get("ETAG") or components.headers.get("ETAG")
    if etag is not None:
        etag["description"] = ETAG_DOC
