"""A fresh, migrated database for one benchmark run: a SQLite temp file, or MariaDB/MySQL."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from shopcore.adapters.sqlalchemy.engine import make_engine
from shopcore.adapters.sqlalchemy.migrate import upgrade


@dataclass
class BenchDatabase:
    url: str
    kind: str  # "sqlite" or "mysql"
    label: str

    def engine(self) -> sa.Engine:
        return make_engine(self.url)

    def drop(self) -> None:
        if self.kind == "mysql":
            _mysql_server_do(self.url, "DROP DATABASE IF EXISTS `{name}`")
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(sa.make_url(self.url).database + suffix).unlink(missing_ok=True)


def create(server_url: str, workdir: Path) -> BenchDatabase:
    """Create a fresh database (dropping one of the same name) and migrate it to head."""
    if server_url:
        url = sa.make_url(server_url)
        if url.get_backend_name() != "mysql" or not url.database:
            raise SystemExit("SHOP_BENCH_DATABASE_URL must be mysql+pymysql://user@host/dbname")
        rendered = url.render_as_string(hide_password=False)
        _mysql_server_do(rendered, "DROP DATABASE IF EXISTS `{name}`")
        _mysql_server_do(rendered, "CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
        db = BenchDatabase(rendered, "mysql", f"MariaDB/MySQL {_mysql_version(rendered)}")
    else:
        path = workdir / "bench.sqlite3"
        db = BenchDatabase(f"sqlite:///{path}", "sqlite", f"SQLite {_sqlite_version()}")
    upgrade(db.url)
    return db


def _mysql_server_do(url: str, statement: str) -> None:
    parsed = sa.make_url(url)
    server = make_engine(parsed.set(database=""), poolclass=sa.pool.NullPool)
    with server.connect() as conn:
        conn.exec_driver_sql(statement.format(name=parsed.database))
    server.dispose()


def _mysql_version(url: str) -> str:
    parsed = sa.make_url(url)
    server = make_engine(parsed.set(database=""), poolclass=sa.pool.NullPool)
    with server.connect() as conn:
        version = str(conn.exec_driver_sql("SELECT VERSION()").scalar_one())
    server.dispose()
    return version


def _sqlite_version() -> str:
    import sqlite3

    return sqlite3.sqlite_version
