"""A fresh, migrated database for one benchmark run: a SQLite temp file, MariaDB/MySQL or
PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from shopcore.adapters.sqlalchemy import databases
from shopcore.adapters.sqlalchemy.engine import make_engine
from shopcore.adapters.sqlalchemy.migrate import upgrade

SERVER_LABELS = {"mysql": "MariaDB/MySQL", "postgresql": "PostgreSQL"}


@dataclass
class BenchDatabase:
    url: str
    kind: str  # "sqlite", "mysql" or "postgresql"
    label: str

    def engine(self) -> sa.Engine:
        return make_engine(self.url)

    def drop(self) -> None:
        if self.kind in SERVER_LABELS:
            databases.drop_database(self.url)
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(sa.make_url(self.url).database + suffix).unlink(missing_ok=True)


def create(server_url: str, workdir: Path) -> BenchDatabase:
    """Create a fresh database (dropping one of the same name) and migrate it to head."""
    if server_url:
        url = sa.make_url(server_url)
        kind = url.get_backend_name()
        if kind not in SERVER_LABELS or not url.database:
            raise SystemExit(
                "SHOP_BENCH_DATABASE_URL must be mysql+pymysql://user@host/dbname "
                "or postgresql+psycopg://user@host/dbname"
            )
        rendered = url.render_as_string(hide_password=False)
        databases.create_database(rendered)
        db = BenchDatabase(rendered, kind, f"{SERVER_LABELS[kind]} {_version(rendered, kind)}")
    else:
        path = workdir / "bench.sqlite3"
        db = BenchDatabase(f"sqlite:///{path}", "sqlite", f"SQLite {_sqlite_version()}")
    upgrade(db.url)
    return db


def _version(url: str, kind: str) -> str:
    version = databases.server_version(url)
    if kind == "postgresql":  # "PostgreSQL 15.8 (Debian ...) on x86_64-pc-linux-gnu, ..."
        return version.split()[1]
    return version


def _sqlite_version() -> str:
    import sqlite3

    return sqlite3.sqlite_version
