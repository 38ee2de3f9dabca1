"""gunicorn, driven from Python so ``shop serve`` needs no config file.

gunicorn (>= 20.1) answers ``Server: gunicorn`` with no version; the app itself adds no Server
header. Its access log is off: the app writes one JSON line per request (observability.py, logs.py).
"""

from __future__ import annotations

import functools
import logging
import logging.config
import multiprocessing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import click
from flask import Flask
from gunicorn.app.base import BaseApplication

from shop_web import logs
from shop_web.app import create_app

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServeOptions:
    bind: tuple[str, ...]
    workers: int
    threads: int = 1
    timeout: int = 30
    graceful_timeout: int = 30
    keep_alive: int = 5
    log_level: str = "info"

    def gunicorn(self) -> dict[str, Any]:
        """gunicorn settings; more than one thread per worker selects the gthread worker."""
        return {
            "bind": list(self.bind),
            "workers": self.workers,
            "threads": self.threads,
            "worker_class": "gthread" if self.threads > 1 else "sync",
            "timeout": self.timeout,
            "graceful_timeout": self.graceful_timeout,
            "keepalive": self.keep_alive,
            "proc_name": "shop",
            "accesslog": None,
            "loglevel": self.log_level,
            "logconfig_dict": logs.logging_config(self.log_level.upper()),
        }


class ShopServer(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return create_app()  # in each worker, after the fork: no shared connections


def startup_warnings(config: Mapping[str, Any], workers: int) -> list[str]:
    """What an operator should fix before this setup serves real traffic."""
    warnings = []
    storage = str(config.get("RATELIMIT_STORAGE_URI", "memory://"))
    if workers > 1 and config.get("RATELIMIT_ENABLED", True) and storage.startswith("memory://"):
        warnings.append(
            f"rate limits are counted in each worker's memory (SHOP_RATELIMIT_STORAGE_URL="
            f"{storage}): with {workers} workers a client gets up to {workers} times its limit, "
            "and more with several servers. Point SHOP_RATELIMIT_STORAGE_URL at Redis "
            "(redis://host:6379/0) to share the counters."
        )
    return warnings


def check_app(options: ServeOptions) -> Flask:
    """Build the app once in the master so bad settings stop the start, with one clear error."""
    app = create_app()
    for warning in startup_warnings(app.config, options.workers):
        log.warning(warning)
    engine = app.extensions["shopcore"].engine
    if engine is not None:
        engine.dispose()  # the workers open their own connections
    return app


def default_workers() -> int:
    return 2 * multiprocessing.cpu_count() + 1


_SECONDS = click.IntRange(min=0)
_option = functools.partial(click.option, show_default=True, show_envvar=True)
_OPTIONS = [
    _option("--workers", "-w", type=click.IntRange(min=1), envvar="SHOP_WORKERS",
                 default=default_workers, show_default="2 x cores + 1"),
    _option("--threads", type=click.IntRange(min=1), envvar="SHOP_THREADS", default=1,
                 help="Threads per worker; more than 1 uses gthread workers."),
    _option("--host", envvar="HOST", default="127.0.0.1"),
    _option("--port", type=click.IntRange(0, 65535), envvar="PORT", default=8000),
    _option("--bind", "-b", multiple=True, envvar="SHOP_BIND",
                 help="host:port or unix:/path, repeatable; replaces --host and --port."),
    _option("--timeout", type=_SECONDS, envvar="SHOP_TIMEOUT", default=30,
                 help="Seconds before a silent worker is killed and replaced."),
    _option("--graceful-timeout", type=_SECONDS, envvar="SHOP_GRACEFUL_TIMEOUT",
                 default=30, help="Seconds workers get to finish requests on shutdown."),
    _option("--keep-alive", type=_SECONDS, envvar="SHOP_KEEPALIVE", default=5,
                 help="Seconds an idle connection is held open (gthread workers)."),
    _option("--log-level", envvar="SHOP_LOG_LEVEL", default="info",
                 type=click.Choice(["debug", "info", "warning", "error"])),
]  # fmt: skip


def serve_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The ``shop serve`` options; each also reads the environment variable it names."""
    for option in reversed(_OPTIONS):
        command = option(command)
    return command


def run(options: ServeOptions) -> None:
    logging.config.dictConfig(logs.logging_config(options.log_level.upper()))
    logging.captureWarnings(True)  # Python warnings become JSON log lines too
    check_app(options)
    ShopServer(options.gunicorn()).run()
