"""What every resource module uses: the Blueprint, the caller, pagination."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlencode

import flask_smorest
from flask import current_app, g, request
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request

from shop_web import request_bodies
from shopcore.bootstrap import UseCases
from shopcore.domain.errors import InvalidToken, PermissionDenied
from shopcore.domain.users import Principal
from shopcore.domain.values import Role

F = TypeVar("F", bound=Callable[..., Any])

BEARER = [{"bearerAuth": []}]
CATALOG_READ = "shop_catalog_read"  # the attribute Blueprint.catalog_read sets on a view


class DecimalParser(FlaskParser):
    """Reads JSON numbers as Decimal, never through a binary float (money stays exact)."""

    def _raw_load_json(self, req: Any) -> Any:
        if not is_json_request(req):
            return core.missing
        data = req.get_data(cache=True)
        if not data:
            return core.missing
        try:
            value = request_bodies.loads(data)
        except json.JSONDecodeError:
            raise  # webargs treats a body that decodes to nothing as missing
        except ValueError as exc:  # NaN/Infinity, not UTF-8, a repeated key, too deep
            return self._handle_invalid_json_error(exc, req)
        _refuse_control_characters(value)
        return value

    def _handle_invalid_json_error(
        self, error: Exception, req: Any, *args: Any, **kwargs: Any
    ) -> Any:
        reason = f": {error}" if isinstance(error, request_bodies.UnsafeJson) else ""
        flask_smorest.abort(400, message=f"The body is not valid JSON{reason}.")


def _refuse_control_characters(value: Any) -> None:
    """422 naming every field (or key) whose text holds a NUL or another control character."""
    errors = {
        path or "_schema": ["Control characters (other than tab and line breaks) are not allowed."]
        for text, path in request_bodies.strings(value)
        if request_bodies.CONTROL_CHARACTERS.search(text)
    }
    if errors:
        flask_smorest.abort(422, message="The input is not valid.", messages={"json": errors})


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = DecimalParser()

    def authenticated(self, *roles: Role) -> Callable[[F], F]:
        """Require a valid access token (and one of ``roles``, when given) and document it."""

        def decorator(func: F) -> F:
            @wraps(func)
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                principal = current_principal()
                if roles and principal.role not in roles:
                    raise PermissionDenied()
                return func(*args, **kwargs)

            documented = self.doc(security=BEARER)(wrapper)
            documented = self.alt_response(401, response="UNAUTHORIZED")(documented)
            if roles:
                documented = self.alt_response(403, response="FORBIDDEN")(documented)
            return documented  # type: ignore[return-value]

        return decorator

    def optional_auth(self, func: F) -> F:
        """Let anonymous callers in, but know who a caller with a token is."""
        return self.doc(security=[{}, *BEARER])(func)  # type: ignore[no-any-return]

    def catalog_read(self, func: F) -> F:
        """Document the strong ``ETag`` and the bodiless 304 on a matching ``If-None-Match``.

        This marker is the one list of catalog reads: shop_web.caching caches the answers of the
        views that carry it, tags them and answers the 304 (keeping the ETag header on it, which
        flask-smorest's own ``etag`` would not).
        """
        func._apidoc = {**getattr(func, "_apidoc", {}), "etag": True}  # type: ignore[attr-defined]
        setattr(func, CATALOG_READ, True)
        return func


def stacked(*decorators: Callable[[Any], Any]) -> Callable[[F], F]:
    """The ``decorators`` applied as if written one above another, the first on top: one place
    for a stack that two routes share (a route and its alias)."""

    def decorate(func: F) -> F:
        for decorator in reversed(decorators):
            func = decorator(func)
        return func

    return decorate


def use_cases() -> UseCases:
    return current_app.extensions["shopcore"]  # type: ignore[no-any-return]


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def current_principal() -> Principal:
    """The authenticated caller; raises InvalidToken (401) when there is none."""
    if "principal" not in g:
        token = bearer_token()
        if token is None:
            raise InvalidToken("Authentication credentials were not provided.")
        g.principal = use_cases().authenticate.execute(token)
    return g.principal  # type: ignore[no-any-return]


def optional_principal() -> Principal | None:
    """The caller when a token is sent (an invalid one is still 401), else None."""
    if bearer_token() is None:
        return None
    return current_principal()


def page_window(args: dict[str, Any]) -> tuple[int, int]:
    """(offset, limit) from validated ``page`` and ``page_size`` arguments."""
    page, size = args.pop("page"), args.pop("page_size")
    return (page - 1) * size, size


def envelope(items: list[Any], total: int, offset: int, limit: int) -> dict[str, Any]:
    """The contract's ``{count, next, previous, results}`` with absolute links."""
    page = offset // limit + 1

    def link(number: int) -> str:
        query = request.args.to_dict(flat=False)
        query["page"] = [str(number)]
        query["page_size"] = [str(limit)]
        return f"{request.base_url}?{urlencode(query, doseq=True)}"

    return {
        "count": total,
        "next": link(page + 1) if offset + limit < total else None,
        "previous": link(page - 1) if page > 1 else None,
        "results": items,
    }
