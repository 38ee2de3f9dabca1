"""What a request body may be: JSON read with every number with a fraction as a Decimal, refused
when it is unsafe (NaN, a repeated key, a lone surrogate, nesting too deep), and sent with the
content type its route reads. The answers' encoder is ``json_provider.py``."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from typing import Any

from flask import current_app, request
from werkzeug.exceptions import BadRequest


def refuse_constant(name: str) -> Any:
    """``NaN`` and ``Infinity`` are not JSON (RFC 8259), though Python's parser reads them."""
    raise ValueError(f"{name} is not a JSON value")


# C0 control characters and DEL, except tab, line feed and carriage return: refused in bodies.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# What ``"\\ud800"`` decodes to without its other half: not text, so neither the database driver
# nor the JSON encoder of an error answer could write it.
_LONE_SURROGATES = re.compile("[\ud800-\udfff]")


class UnsafeJson(ValueError):
    """Parseable, but refused: the message says why (it is shown to the client)."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object, unless a key repeats: parsers disagree on which of two ``"role"``s counts."""
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise UnsafeJson("an object repeats a key")
    return obj


def loads(data: str | bytes) -> Any:
    """Parse JSON with every number with a fraction as a Decimal.

    Raises ValueError for NaN and Infinity and bytes that are not UTF-8, and UnsafeJson for a
    repeated key, a lone surrogate, and nesting too deep for the parser (RecursionError).
    """
    try:
        value = json.loads(
            data,
            parse_float=Decimal,
            parse_constant=refuse_constant,
            object_pairs_hook=_unique_keys,
        )
    except RecursionError as exc:
        raise UnsafeJson("it is nested too deeply") from exc
    if any(_LONE_SURROGATES.search(text) for text, _ in strings(value)):
        raise UnsafeJson("a string holds a lone surrogate (half of a UTF-16 pair)")
    return value


def strings(value: Any) -> Iterator[tuple[str, str]]:
    """Every string in parsed JSON, object keys included, with its dotted path.

    Paths read like ``items.0.product``. Iterative, so that nesting as deep as the parser allows
    cannot exhaust the stack.
    """
    pending: list[tuple[str, Any]] = [("", value)]
    while pending:
        path, item = pending.pop()
        if isinstance(item, str):
            yield item, path
        elif isinstance(item, dict | list):
            for key, child in item.items() if isinstance(item, dict) else enumerate(item):
                child_path = f"{path}.{key}" if path else str(key)
                if isinstance(key, str):
                    yield key, child_path
                pending.append((child_path, child))


def require_content_type() -> None:
    """400 for a body the route cannot read: not JSON, or for an upload not multipart.

    A ``before_request`` hook. Flask runs those before it raises a routing error, so an
    unknown path (404) or a wrong method (405) is left to routing: a content type is only
    wrong for a route that exists, and the answer that names the real mistake comes first.
    Validation (422) comes after, in the view's argument parsing.
    """
    if request.routing_exception is not None:
        return
    if request.method not in ("POST", "PUT", "PATCH") or not _has_body():
        return
    if _expects_upload(request.endpoint or "", request.method):
        boundary = request.mimetype_params.get("boundary")  # without one no part is found
        if request.mimetype != "multipart/form-data" or not boundary:
            raise BadRequest("Send the file as multipart/form-data in the field 'image'.")
    elif not request.is_json:
        raise BadRequest("Send the body as JSON, with Content-Type: application/json.")


def _has_body() -> bool:
    return bool(request.content_length) or request.headers.get("Transfer-Encoding") == "chunked"


@cache
def _expects_upload(endpoint: str, method: str) -> bool:
    view = current_app.view_functions.get(endpoint)
    func = getattr(getattr(view, "view_class", None), method.lower(), None)
    arguments = getattr(func, "_apidoc", {}).get("arguments", {})
    return any(p.get("in") == "files" for p in arguments.get("parameters", []))
