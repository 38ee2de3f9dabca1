"""JSON in and out: orjson for speed, Decimal for every JSON number with a fraction."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import orjson
from flask.json.provider import JSONProvider


def refuse_constant(name: str) -> Any:
    """``NaN`` and ``Infinity`` are not JSON (RFC 8259), though Python's parser reads them."""
    raise ValueError(f"{name} is not a JSON value")


def loads(data: str | bytes) -> Any:
    """Parse JSON with every number with a fraction as a Decimal, and no NaN or Infinity."""
    return json.loads(data, parse_float=Decimal, parse_constant=refuse_constant)


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
