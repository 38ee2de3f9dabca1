"""The answers any operation may give, written into each operation of /openapi.json.

flask-smorest would otherwise document them all at once with a ``default`` response, which makes
every status code "documented" and hides a missing 403 or 409. Instead each operation lists what
it can really answer: the views document their own statuses, and this plugin adds the generic
ones where they apply.
"""

from __future__ import annotations

from typing import Any

from apispec import BasePlugin

NOT_LIMITED = ("/api/health",)  # limits.EXEMPT_PREFIXES under /api


class GenericResponses(BasePlugin):  # type: ignore[misc]
    """400 and 413 where there is a body, 401 where a token is read, 429 and 503 where limited."""

    def operation_helper(
        self, path: str | None = None, operations: dict[str, Any] | None = None, **_: Any
    ) -> None:
        for operation in (operations or {}).values():
            responses = operation.setdefault("responses", {})
            if "requestBody" in operation:
                responses.setdefault("400", "BAD_REQUEST")  # not JSON, wrong content type
                responses.setdefault("413", "PAYLOAD_TOO_LARGE")
            if any("bearerAuth" in requirement for requirement in operation.get("security", [])):
                responses.setdefault("401", "UNAUTHORIZED")  # a bad token, even where optional
            if path and not path.startswith(NOT_LIMITED):
                responses.setdefault("429", "TOO_MANY_REQUESTS")
                # Rate-limit storage down with SHOP_RATELIMIT_FAIL_CLOSED, or the database busy.
                responses.setdefault("503", "SERVICE_UNAVAILABLE")
