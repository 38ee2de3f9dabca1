"""A rate limit is per client however many threads or processes serve (issue 10, item 1).

``memory://`` counters live in one process, so ``shop serve`` runs one worker with threads on
them and refuses more workers; ``make run`` serves that shape. The counters are exact under
concurrent threads.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from shop_web.config import ConfigError
from shop_web.limits import ProcessMemoryStorage, storage_uri
from shop_web.server import ServeOptions, default_workers
from shopcore.adapters.sqlalchemy.migrate import upgrade
from tests.integration.conftest import AppFactory
from tests.integration.shop_server import SHOP, ShopProcess, free_port, server_env

ROOT = Path(__file__).resolve().parents[2]
MEMORY = {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}
BAD_LOGIN = {"email": "nobody@example.com", "password": "wrong-password"}


def all_at_once(count: int, action: Callable[[], Any]) -> list[Any]:
    """``action`` from ``count`` threads released together; the results in no order."""
    barrier = threading.Barrier(count)
    results: list[Any] = []

    def run() -> None:
        barrier.wait()
        results.append(action())

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.fixture
def frequent_thread_switches() -> Iterator[None]:
    """Switch threads as often as the interpreter can, so races show up in a short run."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


# --- the in-memory counters -------------------------------------------------------------------


def test_memory_limits_are_counted_by_the_thread_safe_storage() -> None:
    assert isinstance(storage_from_string(storage_uri("memory://")), ProcessMemoryStorage)
    assert storage_uri("redis://127.0.0.1:6379/1") == "redis://127.0.0.1:6379/1"


def test_memory_counters_let_exactly_the_limit_through_many_threads_at_once(
    frequent_thread_switches: None,
) -> None:
    limiter = FixedWindowRateLimiter(storage_from_string(storage_uri("memory://")))
    limit = parse("5/minute")

    admitted = [
        sum(all_at_once(32, lambda key=f"client-{round_}": limiter.hit(limit, key)))
        for round_ in range(100)
    ]

    assert admitted == [5] * 100


def test_memory_counters_start_a_new_window_when_the_last_one_ended() -> None:
    storage = ProcessMemoryStorage()

    assert [storage.incr("k", expiry=60) for _ in range(3)] == [1, 2, 3]
    storage.incr("gone", expiry=0)  # a window that has already ended

    assert storage.get("k") == 3 and storage.get("gone") == 0
    assert storage.incr("gone", expiry=60) == 1
    storage.clear("k")
    assert storage.get("k") == 0 and storage.reset() == 1


def test_the_app_lets_exactly_the_login_limit_through_concurrent_requests(
    make_app: AppFactory, frequent_thread_switches: None
) -> None:
    app = make_app(**MEMORY, RATELIMIT_LOGIN="3/minute", RATELIMIT_ANON="1000/minute")

    def log_in() -> int:
        return app.test_client().post("/api/auth/login/", json=BAD_LOGIN).status_code

    assert sorted(all_at_once(12, log_in)) == [401] * 3 + [429] * 9


# --- the shape of `shop serve` ----------------------------------------------------------------


def test_memory_limits_serve_one_worker_with_threads_by_default() -> None:
    shaped = ServeOptions(bind=("127.0.0.1:1",)).shaped_for(MEMORY)

    assert (shaped.workers, shaped.threads) == (1, default_workers())
    assert shaped.gunicorn()["worker_class"] == "shop_web.http_workers.ShopThreadWorker"
    chosen = ServeOptions(bind=("127.0.0.1:1",), workers=1, threads=3).shaped_for(MEMORY)
    assert (chosen.workers, chosen.threads) == (1, 3)
    single = ServeOptions(bind=("127.0.0.1:1",), threads=1).shaped_for(MEMORY)
    assert single.gunicorn()["worker_class"] == "shop_web.http_workers.ShopSyncWorker"


@pytest.mark.parametrize(
    "config",
    [{**MEMORY, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/1"},
     {**MEMORY, "RATELIMIT_ENABLED": False}],
    ids=["shared-storage", "limits-off"],
)  # fmt: skip
def test_shared_or_disabled_limits_keep_the_multi_process_default(config: dict[str, Any]) -> None:
    shaped = ServeOptions(bind=("127.0.0.1:1",)).shaped_for(config)
    chosen = ServeOptions(bind=("127.0.0.1:1",), workers=3, threads=2).shaped_for(config)

    assert (shaped.workers, shaped.threads) == (default_workers(), 1)
    assert (chosen.workers, chosen.threads) == (3, 2)


def test_more_workers_on_memory_limits_are_refused_naming_the_setting() -> None:
    with pytest.raises(ConfigError) as refused:
        ServeOptions(bind=("127.0.0.1:1",), workers=2).shaped_for(MEMORY)

    message = str(refused.value)
    assert "SHOP_RATELIMIT_STORAGE_URL=memory://" in message and "redis://" in message
    assert "\n" not in message


def test_options_must_be_shaped_before_they_reach_gunicorn() -> None:
    with pytest.raises(ValueError, match="shaped_for"):
        ServeOptions(bind=("127.0.0.1:1",)).gunicorn()


# --- real servers -----------------------------------------------------------------------------


@pytest.mark.slow
def test_shop_serve_refuses_three_workers_on_memory_limits(tmp_path: Path) -> None:
    env = server_env(f"sqlite:///{tmp_path / 'x.sqlite3'}", tmp_path)

    result = subprocess.run(
        [SHOP, "serve", "--workers", "3", "--port", str(free_port())],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip

    assert result.returncode == 1, result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("shop: --workers 3") and "SHOP_RATELIMIT_STORAGE_URL" in line


@pytest.mark.slow
def test_shop_serve_by_default_keeps_a_3_per_minute_login_limit_at_3(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'shop.sqlite3'}"
    upgrade(database)
    env = server_env(database, tmp_path, SHOP_RATELIMIT_LOGIN="3/minute")
    server = ShopProcess(env, workers=None)
    try:
        server.wait_ready()
        answers = all_at_once(8, lambda: server.call("POST", "/api/auth/login/", BAD_LOGIN).status)
        workers = server.workers()
    finally:
        server.stop()

    assert sorted(answers) == [401] * 3 + [429] * 5
    assert len(workers) == 1


class MakeRun(ShopProcess):
    """``make run`` on a free port and a fresh SQLite file; stopped with its whole group."""

    def __init__(self, tmp_path: Path, **extra: str) -> None:
        self.port = free_port()
        env = server_env(f"sqlite:///{tmp_path / 'run.sqlite3'}", tmp_path, **extra)
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            ["make", "--no-print-directory", "run", f"PORT={self.port}"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip

    def stop(self) -> None:
        """SIGTERM to make, gunicorn's master and its worker together; SIGKILL if they linger."""
        if self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=5)


@pytest.mark.slow
def test_make_run_keeps_a_5_per_minute_anonymous_limit_at_5(tmp_path: Path) -> None:
    run = MakeRun(tmp_path, SHOP_RATELIMIT_ANON="5/minute")
    try:
        run.wait_ready(timeout=60)  # the health check is exempt from limits
        answers = [run.call("GET", "/api/categories/") for _ in range(8)]
    finally:
        run.stop()

    assert [a.status for a in answers] == [200] * 5 + [429] * 3
    assert [a.header("X-RateLimit-Remaining") for a in answers] == ["4", "3", "2", "1"] + ["0"] * 4
