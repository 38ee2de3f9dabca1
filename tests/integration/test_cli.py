"""The ``shop`` command: db upgrade, db revision, create-admin and serve."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner, Result
from flask import Flask

from shop_web.cli import main
from shopcore.adapters.sqlalchemy import migrate, tables
from shopcore.adapters.sqlalchemy.engine import make_engine
from shopcore.adapters.sqlalchemy.tables import metadata, users

SECRET = "cli-test-secret-key-of-at-least-32-bytes"
SHOP = Path(sys.executable).with_name("shop")


def environment(database_url: str, tmp_path: Path) -> dict[str, str]:
    return {
        "SHOP_DATABASE_URL": database_url,
        "SHOP_SECRET_KEY": SECRET,
        "SHOP_MEDIA_ROOT": str(tmp_path / "media"),
        "SHOP_RATELIMIT_ENABLED": "false",
    }


def shop(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=True)


def stored_admin(database_url: str, email: str) -> Any:
    engine = make_engine(database_url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        row = conn.execute(sa.select(users).where(users.c.email == email)).first()
    engine.dispose()
    return row


def test_db_upgrade_creates_the_schema_on_a_new_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"

    result = shop(environment(url, tmp_path), "db", "upgrade")

    assert result.exit_code == 0, result.output
    assert "up to date" in result.output
    engine = make_engine(url)
    assert set(metadata.tables) <= set(sa.inspect(engine).get_table_names())
    engine.dispose()
    assert shop(environment(url, tmp_path), "db", "upgrade").exit_code == 0  # idempotent


def test_create_admin_makes_an_admin_who_can_log_in(
    app: Flask, database_url: str, tmp_path: Path
) -> None:
    env = environment(database_url, tmp_path)

    result = shop(env, "create-admin", "--email", "Boss@Example.com", "--password", "s3cret-pass")

    assert result.exit_code == 0, result.output
    assert "boss@example.com" in result.output
    row = stored_admin(database_url, "boss@example.com")
    assert row.role == "admin" and row.password_hash.startswith("$argon2id$")
    login = {"email": "boss@example.com", "password": "s3cret-pass"}
    session = app.test_client().post("/api/auth/login/", json=login).get_json()
    assert session["user"]["role"] == "admin"


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [("boss@example.com", "s3cret-pass", "already exists"),
     ("BOSS@example.com", "another-pass", "already exists"),
     ("new@example.com", "1234", "too weak"),
     ("not-an-email", "s3cret-pass", "valid email")],
)  # fmt: skip
def test_create_admin_refuses_bad_input_with_a_message_and_no_traceback(
    app: Flask, database_url: str, tmp_path: Path, email: str, password: str, message: str
) -> None:
    env = environment(database_url, tmp_path)
    shop(env, "create-admin", "--email", "boss@example.com", "--password", "s3cret-pass")

    result = shop(env, "create-admin", "--email", email, "--password", password)

    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # handled by click, not a crash
    assert message in result.output and "Traceback" not in result.output


def test_the_console_script_reports_a_duplicate_admin_without_a_traceback(
    app: Flask, database_url: str, tmp_path: Path
) -> None:
    env = {**os.environ, **environment(database_url, tmp_path)}
    command = [str(SHOP), "create-admin", "--email", "dup@example.com", "--password", "s3cret-pass"]
    assert subprocess.run(command, env=env, capture_output=True, timeout=60).returncode == 0

    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)

    assert again.returncode == 1
    assert "already exists" in again.stderr and "Traceback" not in again.stderr + again.stdout


@pytest.mark.parametrize("shop_env", ["production", "development"])
def test_a_short_secret_is_refused_by_the_cli(tmp_path: Path, shop_env: str) -> None:
    env = {**environment(f"sqlite:///{tmp_path / 'p.sqlite3'}", tmp_path),
           "SHOP_ENV": shop_env, "SHOP_SECRET_KEY": "short"}  # fmt: skip

    result = shop(env, "db", "upgrade")

    assert result.exit_code != 0 and "SHOP_SECRET_KEY" in result.output
    assert "Traceback" not in result.output


# --- serve ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_health(
    url: str, server: subprocess.Popen[bytes], deadline: float
) -> tuple[str, bytes]:
    """The Server header and the body of the first answer."""
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server exited"
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                return response.headers.get("Server", ""), response.read()
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer in time")


@pytest.mark.slow
def test_shop_serve_runs_gunicorn_and_answers_health(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'served.sqlite3'}"
    env = {**os.environ, **environment(url, tmp_path)}
    assert shop(environment(url, tmp_path), "db", "upgrade").exit_code == 0
    port = free_port()

    server = subprocess.Popen(
        [str(SHOP), "serve", "--workers", "1", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        health = f"http://127.0.0.1:{port}/api/health/"
        software, body = wait_for_health(health, server, time.monotonic() + 20)
        assert software == ""  # no Server header: the software is not advertised
        assert b'"database":"ok"' in body.replace(b" ", b"")
    finally:
        server.send_signal(signal.SIGTERM)
        _out, err = server.communicate(timeout=20)
    assert server.returncode == 0, err.decode()[-2000:]


# --- db revision ------------------------------------------------------------------------------


@pytest.fixture
def migrations_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the package's migrations folder that `shop db revision` writes into."""
    copy = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(migrate, "MIGRATIONS", copy)
    return copy


def written_revisions(migrations: Path) -> list[Path]:
    return sorted(set((migrations / "versions").glob("*.py")) - {migrations / "versions" / FIRST})


FIRST = "0001_initial_schema.py"


def test_db_revision_writes_a_migration_without_operations_when_the_tables_match(
    database_url: str, tmp_path: Path, migrations_copy: Path
) -> None:
    result = shop(environment(database_url, tmp_path), "db", "revision", "-m", "Nothing changed")

    assert result.exit_code == 0, result.output
    [written] = written_revisions(migrations_copy)
    assert written.name == "0002_nothing_changed.py"
    source = written.read_text()
    assert "revision = '0002'" in source and "down_revision = '0001'" in source
    assert "op." not in source  # upgrade() and downgrade() only pass
    assert f"wrote {written}" in result.output and "by hand" in result.output


def test_db_revision_writes_the_operation_for_a_column_added_to_the_tables(
    database_url: str, tmp_path: Path, migrations_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    extended = sa.MetaData(naming_convention=metadata.naming_convention)
    for table in metadata.tables.values():
        table.to_metadata(extended)
    extended.tables["users"].append_column(sa.Column("nickname", sa.String(40), nullable=True))
    monkeypatch.setattr(tables, "metadata", extended)  # what migrations/env.py compares with

    result = shop(environment(database_url, tmp_path), "db", "revision", "-m", "user nickname")

    assert result.exit_code == 0, result.output
    [written] = written_revisions(migrations_copy)
    source = written.read_text()
    assert "add_column" in source and "'nickname'" in source and "drop_column" in source
    assert "by hand" not in result.output
    fresh = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    migrate.upgrade(fresh)  # the written migration applies after the first one
    engine = make_engine(fresh)
    assert "nickname" in {column["name"] for column in sa.inspect(engine).get_columns("users")}
    engine.dispose()


def test_db_revision_refuses_a_database_that_is_not_up_to_date(
    tmp_path: Path, migrations_copy: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"

    result = shop(environment(url, tmp_path), "db", "revision", "-m", "too early")

    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "not up to date" in result.output and "shop db upgrade" in result.output
    assert written_revisions(migrations_copy) == []
