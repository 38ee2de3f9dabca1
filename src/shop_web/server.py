"""gunicorn, driven from Python so ``shop serve`` needs no config file.

Its workers are ours (http_workers.py): what gunicorn answers itself is JSON in the contract's
shape, and no answer names the server software. Its access log is off: the app writes one JSON
line per request (observability.py, logs.py).
"""

from __future__ import annotations

import functools
import logging
import logging.config
import multiprocessing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import click
from gunicorn.app.base import BaseApplication

from shop_web import http_workers, logs
from shop_web.app import create_app
from shop_web.config import ConfigError


@dataclass(frozen=True)
class ServeOptions:
    """``shop serve``'s settings; ``None`` workers or threads: chosen by :meth:`shaped_for`."""

    bind: tuple[str, ...]
    workers: int | None = None
    threads: int | None = None
    timeout: int = 30
    graceful_timeout: int = 30
    keep_alive: int = 5
    log_level: str = "info"

    def shaped_for(self, config: Mapping[str, Any]) -> ServeOptions:
        """The processes and threads that keep every rate limit per client.

        ``memory://`` counters live in one process, so they get one worker with several
        threads, and more workers are refused; a shared storage (Redis) or no limits at all
        keep the multi-process default.
        """
        concurrency = default_workers()
        if not counts_in_process(config):
            return replace(self, workers=self.workers or concurrency, threads=self.threads or 1)
        if self.workers is not None and self.workers > 1:
            raise ConfigError(
                f"--workers {self.workers} (SHOP_WORKERS) needs a shared rate-limit storage: "
                f"SHOP_RATELIMIT_STORAGE_URL={config['RATELIMIT_STORAGE_URI']} counts in one "
                "process, so each worker would give a client its whole limit again. Point "
                "SHOP_RATELIMIT_STORAGE_URL at Redis (redis://host:6379/0), or serve with "
                "--workers 1 and more --threads."
            )
        return replace(self, workers=1, threads=self.threads or concurrency)

    def gunicorn(self) -> dict[str, Any]:
        """gunicorn settings; more than one thread per worker selects the gthread worker."""
        if self.workers is None or self.threads is None:
            raise ValueError("shape the options with shaped_for(config) first")
        return {
            "bind": list(self.bind),
            "workers": self.workers,
            "threads": self.threads,
            "worker_class": http_workers.THREADED if self.threads > 1 else http_workers.SYNC,
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


def counts_in_process(config: Mapping[str, Any]) -> bool:
    """Whether rate limits are on and counted in a process's own memory."""
    storage = str(config.get("RATELIMIT_STORAGE_URI", "memory://"))
    return bool(config.get("RATELIMIT_ENABLED", True)) and storage.startswith("memory://")


def check_app(options: ServeOptions) -> ServeOptions:
    """Build the app once in the master so bad settings stop the start, with one clear error;
    answer the options shaped for its settings."""
    app = create_app()
    engine = app.extensions["shopcore"].engine
    if engine is not None:
        engine.dispose()  # the workers open their own connections
    return options.shaped_for(app.config)


def default_workers() -> int:
    return 2 * multiprocessing.cpu_count() + 1


_SECONDS = click.IntRange(min=0)
_option = functools.partial(click.option, show_default=True, show_envvar=True)
_OPTIONS = [
    _option("--workers", "-w", type=click.IntRange(min=1), envvar="SHOP_WORKERS",
                 show_default="2 x cores + 1; 1 with memory:// rate limits",
                 help="Processes; more than 1 needs a shared SHOP_RATELIMIT_STORAGE_URL."),
    _option("--threads", type=click.IntRange(min=1), envvar="SHOP_THREADS",
                 show_default="1; 2 x cores + 1 with memory:// rate limits",
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
    ShopServer(check_app(options).gunicorn()).run()
