"""JSON in and out: orjson for speed, Decimal for every JSON number with a fraction."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import orjson
from flask.json.provider import JSONProvider


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


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


class OrjsonProvider(JSONProvider):
    def dumps(self, obj: Any, **kwargs: Any) -> str:
        return orjson.dumps(obj, default=_default).decode()

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return loads(s)

    def response(self, *args: Any, **kwargs: Any) -> Any:
        obj = self._prepare_response_obj(args, kwargs)
        body = orjson.dumps(obj, default=_default)
        return self._app.response_class(body, mimetype="application/json")
