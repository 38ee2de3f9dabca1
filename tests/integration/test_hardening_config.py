"""`shop` checks every setting and its database before it does anything: one line, exit 1, no
traceback (issue 10, item 8); `shop -e FILE`, `shop info` and the instance folder (item 13)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

import shop_web

SHOP = Path(sys.executable).with_name("shop")
CHECKOUT = Path(shop_web.__file__).resolve().parents[2]
SECRET = "config-test-secret-key-of-at-least-32-bytes"


def base_env(tmp_path: Path) -> dict[str, str]:
    """Only what a shell would have: no SHOP_* setting leaks in from the test run."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path / "home"),
        "SHOP_INSTANCE_PATH": str(tmp_path / "instance"),
        "SHOP_SECRET_KEY": SECRET,
    }


def run_shop(
    env: dict[str, str], *args: str, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SHOP), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=90
    )


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def assert_refused_in_one_line(done: subprocess.CompletedProcess[str], variable: str) -> str:
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"shop: {variable}")
    assert "Traceback" not in done.stdout + done.stderr
    return lines[0]


SERVE = ("serve", "--workers", "1", "--host", "127.0.0.1", "--port", "0")
COMMANDS = [("db", "upgrade"), SERVE, ("prune",), ("seed-demo",), ("info",),
            ("create-admin", "--email", "a@example.com", "--password", "s3cret-pass"),
            ("db", "revision", "-m", "nothing")]  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: " ".join(command[:2]))
def test_a_bad_setting_stops_every_command_with_one_line_and_status_1(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    env = {**base_env(tmp_path), "SHOP_ACCESS_TOKEN_MINUTES": "abc"}

    line = assert_refused_in_one_line(run_shop(env, *command), "SHOP_ACCESS_TOKEN_MINUTES")

    assert line == "shop: SHOP_ACCESS_TOKEN_MINUTES='abc': expected a whole number from 1 to 525600"
    assert not (tmp_path / "instance" / "shop.sqlite3").exists()  # stopped before any work


@pytest.mark.parametrize(
    ("variable", "value"),
    [("SHOP_RATELIMIT_ANON", "lots"), ("SHOP_RATELIMIT_ENABLED", "maybe"),
     ("SHOP_DATABASE_URL", "mysql+pymysql://shop:hunter2@db:port/shop")],
)  # fmt: skip
def test_serve_refuses_a_bad_setting_before_gunicorn_starts(
    tmp_path: Path, variable: str, value: str
) -> None:
    done = run_shop({**base_env(tmp_path), variable: value}, *SERVE)

    line = assert_refused_in_one_line(done, variable)
    assert "hunter2" not in line
    assert "gunicorn" not in done.stdout + done.stderr.lower()  # no master, no worker started


def test_settings_that_only_fail_together_stop_serve_in_the_master_with_one_line(
    tmp_path: Path,
) -> None:
    env = {**base_env(tmp_path), "SHOP_CORS_ORIGINS": "*", "SHOP_CORS_ALLOW_CREDENTIALS": "true"}

    done = run_shop(env, *SERVE)

    assert done.returncode == 1 and "Traceback" not in done.stderr
    refusals = [line for line in done.stderr.splitlines() if line.startswith("shop: ")]
    assert refusals == [
        "shop: SHOP_CORS_ORIGINS='*' cannot be combined with SHOP_CORS_ALLOW_CREDENTIALS=true: "
        "list the origins that may send credentials"
    ]
    assert "Booting worker" not in done.stderr


@pytest.mark.parametrize("command", [("db", "upgrade"), SERVE], ids=str)
def test_an_unreachable_database_stops_the_start_naming_it_without_its_password(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    port = closed_port()
    url = f"mysql+pymysql://shop:hunter2@127.0.0.1:{port}/shop"

    done = run_shop({**base_env(tmp_path), "SHOP_DATABASE_URL": url}, *command)

    line = assert_refused_in_one_line(done, "SHOP_DATABASE_URL")
    assert f"'mysql+pymysql://shop:***@127.0.0.1:{port}/shop': cannot connect:" in line
    assert "Connection refused" in line and "hunter2" not in done.stdout + done.stderr


def test_a_sqlite_database_that_cannot_be_opened_stops_the_start_with_the_drivers_reason(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()

    done = run_shop({**base_env(tmp_path), "SHOP_DATABASE_URL": f"sqlite:///{folder}"}, "prune")

    line = assert_refused_in_one_line(done, "SHOP_DATABASE_URL")
    assert line.endswith("cannot connect: unable to open database file")


# --- shop -e FILE, shop info and the instance folder -------------------------------------------


def test_shop_e_loads_settings_from_a_file_before_they_are_read(tmp_path: Path) -> None:
    settings = tmp_path / "shop.env"
    settings.write_text(
        f"SHOP_INSTANCE_PATH={tmp_path / 'from-file'}\n"
        "# a comment\n"
        f"SHOP_DATABASE_URL=sqlite:///{tmp_path / 'from-file.sqlite3'}\n"
        "SHOP_ENV=production\n"
    )
    env = {**base_env(tmp_path), "SHOP_ENV": "development"}  # the environment wins over the file
    del env["SHOP_INSTANCE_PATH"]

    info = run_shop(env, "-e", str(settings), "info")
    upgraded = run_shop(env, "-e", str(settings), "db", "upgrade")

    assert info.returncode == 0, info.stderr
    assert f"instance folder: {tmp_path / 'from-file'}" in info.stdout
    assert "environment:     development" in info.stdout
    assert upgraded.returncode == 0, upgraded.stderr
    assert (tmp_path / "from-file.sqlite3").is_file()


def test_shop_e_with_a_bad_setting_in_the_file_names_it_in_one_line(tmp_path: Path) -> None:
    settings = tmp_path / "shop.env"
    settings.write_text("SHOP_RATELIMIT_LOGIN=often\n")

    done = run_shop(base_env(tmp_path), "-e", str(settings), "db", "upgrade")

    assert_refused_in_one_line(done, "SHOP_RATELIMIT_LOGIN='often'")


def test_shop_run_from_another_folder_finds_the_checkouts_instance_folder(tmp_path: Path) -> None:
    env = base_env(tmp_path)
    del env["SHOP_INSTANCE_PATH"]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    done = run_shop(env, "info", cwd=elsewhere)

    assert done.returncode == 0, done.stderr
    assert f"instance folder: {CHECKOUT / 'instance'}" in done.stdout  # what `make run` uses
    assert f"sqlite:///{CHECKOUT / 'instance' / 'shop.sqlite3'}" in done.stdout
    assert list(elsewhere.iterdir()) == []  # nothing made in the current folder


def test_shop_help_says_where_the_instance_folder_comes_from(tmp_path: Path) -> None:
    done = run_shop(base_env(tmp_path), "--help")

    assert done.returncode == 0, done.stderr
    assert "SHOP_INSTANCE_PATH" in done.stdout and "shop info" in done.stdout
    assert "-e, --env-file" in done.stdout and "info" in done.stdout
