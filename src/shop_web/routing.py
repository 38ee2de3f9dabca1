"""How paths match: ids in paths are bounded (a huge one is a 404, not a database error), and no
path is ever answered with a redirect (a client that POSTs and gets a 308 is broken)."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

MAX_ID = 2**31 - 1  # the largest INTEGER primary key MariaDB/MySQL store


class IdConverter(IntegerConverter):
    """``<int:name>`` as 1..MAX_ID in ASCII digits; flask-smorest documents the bounds in
    /openapi.json. Werkzeug's own ``\\d+`` matches every script's digits and int() reads them,
    so ``/api/users/%EF%BC%91/`` (a fullwidth 1) would be user 1: here it matches no route (404).
    """

    regex = "[0-9]+"

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def init_app(app: Flask) -> None:
    """Make ``<int:...>`` bounded and matching redirect-free; call before any blueprint is
    registered, as rules take these settings when they are added."""
    app.url_map.converters["int"] = IdConverter
    # Werkzeug would answer ``/api//auth/login/`` with a 308 to the merged path, and a rule's
    # alternative spelling with a 308 to its default one; both are plain 404s here.
    app.url_map.merge_slashes = False
    app.url_map.redirect_defaults = False
    for rule in app.url_map.iter_rules():  # Flask's own, added before this runs
        rule.merge_slashes = rule.strict_slashes = False
