"""Redis: clients with short timeouts, a health probe, and what happens when it is down.

Redis holds only what may be lost (rate-limit counters); orders, stock, idempotency keys and
token revocations live in the database. So a Redis outage must not take the API down: by default
the rate limits fail open (requests pass, each failure is logged), and with
``SHOP_RATELIMIT_FAIL_CLOSED=true`` a request that cannot be counted gets 503 instead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import redis
from flask import Flask, current_app
from flask.typing import ResponseReturnValue
from flask_limiter import Limiter
from limits.errors import StorageError

from shop_web.errors import error_response

log = logging.getLogger(__name__)

REDIS_SCHEMES = ("redis://", "rediss://", "redis+", "unix://")
CONNECT_TIMEOUT_S = 0.5  # a down Redis must cost a request little time, not hang it
SOCKET_TIMEOUT_S = 1.0
EXTENSION = "shop_redis"

Probe = Callable[[], bool]


def is_redis(url: str) -> bool:
    return url.startswith(REDIS_SCHEMES)


def client_options() -> dict[str, Any]:
    return {"socket_connect_timeout": CONNECT_TIMEOUT_S, "socket_timeout": SOCKET_TIMEOUT_S}


def limiter_storage_options(storage_uri: str) -> dict[str, Any]:
    """Options for flask-limiter's storage: errors as StorageError, and short Redis timeouts."""
    options: dict[str, Any] = {"wrap_exceptions": True}
    if is_redis(storage_uri):
        options.update(client_options())
    return options


class RedisState:
    """The app's Redis client (``SHOP_REDIS_URL``) and the probes the health check runs."""

    def __init__(self, url: str) -> None:
        self.client: redis.Redis | None = None
        self.probes: dict[str, Probe] = {}
        if url:
            self.client = redis.Redis.from_url(url, **client_options())
            self.probes["redis"] = self._ping

    def _ping(self) -> bool:
        assert self.client is not None
        try:
            return bool(self.client.ping())
        except redis.RedisError:
            return False

    def status(self) -> str | None:
        """``ok``/``unavailable``, or None when no Redis is configured at all."""
        if not self.probes:
            return None
        down = [name for name, probe in self.probes.items() if not probe()]
        if down:
            log.warning("redis unavailable: %s", ", ".join(down))
        return "unavailable" if down else "ok"


def init_app(app: Flask) -> RedisState:
    state = RedisState(app.config.get("REDIS_URL", ""))
    app.extensions[EXTENSION] = state
    app.register_error_handler(StorageError, _fail_closed)
    return state


def watch_limiter(app: Flask, limiter: Limiter) -> None:
    """Let the health check see the rate-limit storage when it is a Redis."""
    if limiter.enabled and is_redis(app.config["RATELIMIT_STORAGE_URI"]):
        app.extensions[EXTENSION].probes["rate-limit storage"] = limiter.storage.check


def state() -> RedisState:
    return current_app.extensions[EXTENSION]  # type: ignore[no-any-return]


def _fail_closed(error: StorageError) -> ResponseReturnValue:
    """Only reached with SHOP_RATELIMIT_FAIL_CLOSED=true: otherwise the limiter swallows it."""
    log.error("rate-limit storage unavailable, refusing the request: %s", error.storage_error)
    return error_response(503, "The service is temporarily unavailable; try again shortly.")
