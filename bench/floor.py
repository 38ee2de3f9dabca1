"""The floor: the least a Flask app can do per request, in the same gunicorn configuration.

It answers every request with one fixed JSON body of ``BENCH_FLOOR_BYTES`` bytes (the size of
scenario 1's answer, measured first). It is served by ``shop serve`` itself, with the app
swapped for this one, so that the worker class, worker count, keep-alive and every other
gunicorn setting are exactly the ones the shop runs with.

    BENCH_FLOOR_BYTES=9000 python -m bench.floor --workers 4 --host 127.0.0.1 --port 8100
"""

from __future__ import annotations

import os
import sys
from types import SimpleNamespace

from flask import Flask, Response


def fixed_body(size: int) -> bytes:
    """A JSON object of exactly ``size`` bytes (at least 12)."""
    head, tail = b'{"padding":"', b'"}'
    return head + b"x" * max(0, size - len(head) - len(tail)) + tail


def create_floor_app(size: int) -> Flask:
    app = Flask(__name__)
    app.config["RATELIMIT_ENABLED"] = False  # nothing to limit: no start-up warning about it
    app.extensions["shopcore"] = SimpleNamespace(engine=None)  # what `shop serve` checks
    body = fixed_body(size)

    @app.get("/", defaults={"path": ""})
    @app.get("/<path:path>")
    def answer(path: str) -> Response:
        return Response(body, mimetype="application/json")

    return app


def main(argv: list[str]) -> None:
    from shop_web import cli, server

    app = create_floor_app(int(os.environ["BENCH_FLOOR_BYTES"]))
    server.create_app = lambda *args, **kwargs: app  # ShopServer.load() builds this instead
    cli.main(["serve", *argv], standalone_mode=True)


if __name__ == "__main__":
    main(sys.argv[1:])
