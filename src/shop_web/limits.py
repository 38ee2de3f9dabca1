"""Rate limits (flask-limiter): per address for anonymous callers, per user otherwise."""

from __future__ import annotations

import threading
import time
from typing import Any

from flask import Flask, Response, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits.storage import Storage

from shop_web import redis_state
from shop_web.api.base import bearer_token, use_cases

EXEMPT_PREFIXES = ("/api/health", "/swagger", "/openapi.json", "/media/")


def exempt(path: str) -> bool:
    """Whether requests to ``path`` are never counted nor limited (health checks, docs, media)."""
    return path.startswith(EXEMPT_PREFIXES)


SWEEP_SECONDS = 60.0  # how often expired counters are dropped, so memory stays bounded


class ProcessMemoryStorage(Storage):
    """``memory://``: fixed-window counters in this process, every operation under one lock.

    limits' own MemoryStorage reads a count back after releasing its lock, so threads serving
    the same client at once see each other's hits: some are refused under the limit, and a
    window that rolls over can lose a hit. ``shop serve`` answers from threads (gthread) when
    the counters are in memory, so they must be exact under concurrency.
    """

    STORAGE_SCHEME = ["shop+memory"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._lock = threading.Lock()
        self._counters: dict[str, tuple[int, float]] = {}  # key -> (hits, window ends at)
        self._next_sweep = time.time() + SWEEP_SECONDS

    @property
    def base_exceptions(self) -> type[Exception]:
        return ValueError

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        now = time.time()
        with self._lock:
            self._sweep(now)
            hits, ends = self._counters.get(key, (0, now))
            if ends <= now:  # a new window starts with this hit
                hits, ends = 0, now + expiry
            self._counters[key] = (hits + amount, ends)
            return hits + amount

    def get(self, key: str) -> int:
        return self._live(key)[0]

    def get_expiry(self, key: str) -> float:
        return self._live(key)[1]

    def check(self) -> bool:
        return True

    def reset(self) -> int:
        with self._lock:
            count = len(self._counters)
            self._counters.clear()
            return count

    def clear(self, key: str) -> None:
        with self._lock:
            self._counters.pop(key, None)

    def _live(self, key: str) -> tuple[int, float]:
        now = time.time()
        with self._lock:
            hits, ends = self._counters.get(key, (0, now))
            return (hits, ends) if ends > now else (0, now)

    def _sweep(self, now: float) -> None:
        if now < self._next_sweep:
            return
        self._counters = {k: v for k, v in self._counters.items() if v[1] > now}
        self._next_sweep = now + SWEEP_SECONDS


def storage_uri(configured: str) -> str:
    """The limits storage for ``SHOP_RATELIMIT_STORAGE_URL``: ``memory://`` is ours (above)."""
    scheme, sep, rest = configured.partition("://")
    return (
        f"{ProcessMemoryStorage.STORAGE_SCHEME[0]}://{rest}"
        if scheme == "memory" and sep
        else configured
    )


def _user_id() -> str | None:
    token = bearer_token()
    if token is None:
        return None
    return use_cases().tokens_subject(token)


def caller_key() -> str:
    """``user:<id>`` for a correctly signed access token, else the client address."""
    user = _user_id()
    return f"user:{user}" if user else f"addr:{get_remote_address()}"


def default_limit() -> str:
    config = current_app.config
    return config["RATELIMIT_USER"] if _user_id() else config["RATELIMIT_ANON"]


def create_limiter(app: Flask) -> Limiter:
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    limiter = Limiter(
        key_func=caller_key,
        # One budget per caller across the whole API (default limits would give each route
        # its own); the login limit comes on top of it.
        application_limits=[default_limit],
        # Unknown paths and wrong methods count too (flask-limiter skips requests without an
        # endpoint), so probing for routes is limited and those answers carry the headers.
        request_identifier=lambda: request.endpoint or "unrouted",
        storage_uri=storage_uri(app.config["RATELIMIT_STORAGE_URI"]),
        strategy="fixed-window",
        headers_enabled=True,
        # Fail open (requests pass, the failure is logged) unless told to fail closed (503).
        swallow_errors=not app.config.get("RATELIMIT_FAIL_CLOSED", False),
        storage_options=redis_state.limiter_storage_options(app.config["RATELIMIT_STORAGE_URI"]),
    )
    limiter.request_filter(lambda: exempt(request.path))

    @app.after_request  # registered before the limiter's own hook, so it runs after it
    def retry_after_only_when_limited(response: Response) -> Response:
        if response.status_code not in (429, 503):  # 503: ServiceBusy sets its own
            response.headers.pop("Retry-After", None)
        return response

    limiter.init_app(app)
    # flask-limiter keeps only weak references to itself (none at all when disabled), but the
    # login limit's wrapper needs it for the app's whole life.
    app.extensions["shop_limiter"] = limiter
    redis_state.watch_limiter(app, limiter)
    return limiter


def limit_login(app: Flask, limiter: Limiter) -> None:
    """The login limit counts attempts per client address, whoever they claim to be."""
    endpoint = "auth.login"
    view = app.view_functions[endpoint]
    limited = limiter.limit(
        lambda: current_app.config["RATELIMIT_LOGIN"],
        key_func=lambda: f"login:{get_remote_address()}",
    )(view)
    app.view_functions[endpoint] = limited
