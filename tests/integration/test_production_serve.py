"""`shop serve`: gunicorn with options from flags and the environment, JSON logs, no leaks."""

from __future__ import annotations

import json
import os
import subprocess

import pytest
from click.testing import CliRunner

from shop_web import cli
from shop_web.server import ServeOptions, default_workers
from shopcore.adapters.sqlalchemy.migrate import upgrade
from tests.integration.shop_server import SHOP, ShopProcess, free_port, server_env

pytestmark = pytest.mark.slow


@pytest.fixture
def started(monkeypatch):
    seen: list[ServeOptions] = []
    monkeypatch.setattr(cli, "run", seen.append)
    return seen


def serve(args: list[str], env: dict[str, str] | None = None):
    result = CliRunner().invoke(cli.main, ["serve", *args], env=env or {})
    assert result.exit_code == 0, result.output
    return result


def test_serve_takes_its_settings_from_options(started):
    serve(["-w", "3", "--threads", "4", "--host", "0.0.0.0", "--port", "9000", "--timeout", "60",
           "--graceful-timeout", "20", "--keep-alive", "2", "--log-level", "warning"])  # fmt: skip

    (options,) = started
    assert options == ServeOptions(
        bind=("0.0.0.0:9000",), workers=3, threads=4, timeout=60, graceful_timeout=20,
        keep_alive=2, log_level="warning",
    )  # fmt: skip
    settings = options.gunicorn()
    assert settings["worker_class"] == "shop_web.http_workers.ShopThreadWorker"
    assert settings["keepalive"] == 2
    assert settings["accesslog"] is None


def test_serve_takes_its_settings_from_the_environment(started):
    env = {
        "SHOP_WORKERS": "5",
        "HOST": "10.0.0.1",
        "PORT": "8080",
        "SHOP_TIMEOUT": "45",
        "SHOP_GRACEFUL_TIMEOUT": "15",
        "SHOP_KEEPALIVE": "7",
        "SHOP_THREADS": "1",
    }
    serve([], env=env)

    (options,) = started
    assert options.bind == ("10.0.0.1:8080",)
    assert (options.workers, options.timeout, options.graceful_timeout) == (5, 45, 15)
    assert options.keep_alive == 7
    assert options.gunicorn()["worker_class"] == "shop_web.http_workers.ShopSyncWorker"


def test_bind_replaces_host_and_port_and_may_repeat(started):
    serve(["--bind", "unix:/run/shop.sock", "-b", "127.0.0.1:9001", "--port", "1"])
    serve([], env={"SHOP_BIND": "127.0.0.1:9002 [::1]:9002"})

    assert started[0].bind == ("unix:/run/shop.sock", "127.0.0.1:9001")
    assert started[1].bind == ("127.0.0.1:9002", "[::1]:9002")


def test_serve_defaults_to_two_workers_per_core_plus_one_on_shared_limits(started):
    serve([])

    assert (started[0].workers, started[0].threads) == (None, None)  # shaped by the settings
    shared = {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "redis://r/0"}
    assert started[0].shaped_for(shared).workers == default_workers() == 2 * os.cpu_count() + 1
    assert started[0].bind == ("127.0.0.1:8000",) and started[0].timeout == 30


@pytest.mark.parametrize("args", [["-w", "0"], ["--timeout", "-1"], ["--port", "70000"]])
def test_serve_refuses_nonsense(started, args):
    result = CliRunner().invoke(cli.main, ["serve", *args], env={})

    assert result.exit_code == 2 and started == []


def test_serve_refuses_weak_production_settings_with_a_clear_error(tmp_path):
    env = server_env(f"sqlite:///{tmp_path / 'x.sqlite3'}", tmp_path, SHOP_ENV="production")
    env["SHOP_SECRET_KEY"] = "short"

    result = subprocess.run(
        [SHOP, "serve", "-w", "1", "--port", str(free_port())],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip

    assert result.returncode == 1
    assert "shop: SHOP_SECRET_KEY must be set to at least 32 bytes" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_real_shop_serve_answers_safely_and_logs_json_lines(tmp_path):
    database = f"sqlite:///{tmp_path / 'shop.sqlite3'}"
    upgrade(database)
    env = server_env(database, tmp_path, SHOP_RATELIMIT_ENABLED="false")  # no limits: 2 workers
    server = ShopProcess(env, workers=2)
    try:
        server.wait_ready()
        answer = server.call(
            "GET", "/api/health/?token=leak-me", headers={"X-Request-ID": "serve-check-1"}
        )
        workers = server.workers()
    finally:
        server.stop()

    assert answer.status == 200 and answer.body == {"status": "ok", "database": "ok"}
    assert answer.header("Server") is None  # the server software is not advertised
    assert answer.header("X-Content-Type-Options") == "nosniff"
    assert answer.header("Content-Security-Policy") == "default-src 'none'; frame-ancestors 'none'"
    assert answer.header("X-Request-ID") == "serve-check-1"
    assert len(workers) == 2
    output = server.output()
    lines = [json.loads(line) for line in output.splitlines() if line.strip()]
    assert "leak-me" not in output
    (request,) = [line for line in lines if line.get("request_id") == "serve-check-1"]
    assert request["path"] == "/api/health/" and request["status"] == 200
    assert all(line["logger"] != "gunicorn.access" for line in lines)
