"""Engine creation with the per-dialect settings the use cases rely on."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from shopcore.adapters.sqlalchemy.catalog_version import track_catalog_writes

SQLITE_BUSY_TIMEOUT_MS = 15_000
# PostgreSQL waits for a row lock forever by default; InnoDB gives up after 50 s (1205). This
# bound ends a wait well before gunicorn's 30 s worker timeout, with 55P03 (lock_not_available),
# which the retry policy treats like MySQL's lock wait timeout.
POSTGRESQL_LOCK_TIMEOUT_MS = 10_000


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; for SQLite, WAL, foreign keys and explicit transaction control.

    MySQL/MariaDB connects in utf8mb4; PostgreSQL with a bounded lock wait (above) and its
    default READ COMMITTED isolation, which every locking pattern of the repositories is
    written for alongside InnoDB's REPEATABLE READ (see stock.py).

    On SQLite, a unit of work that writes begins with ``BEGIN IMMEDIATE``: it takes the write
    lock up front, so two writers queue (up to the busy timeout) instead of both reading and
    then failing to upgrade their locks. Readers are never blocked (WAL).
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        kwargs.setdefault("connect_args", {})
        kwargs["connect_args"].setdefault("check_same_thread", False)
        kwargs["connect_args"].setdefault("timeout", SQLITE_BUSY_TIMEOUT_MS / 1000)
        engine = create_engine(url, **kwargs)
        _configure_sqlite(engine, in_memory=parsed.database in (None, "", ":memory:"))
    else:
        kwargs.setdefault("pool_pre_ping", True)
        kwargs.setdefault("pool_recycle", 1800)
        if parsed.get_backend_name() == "mysql":
            kwargs.setdefault("connect_args", {"charset": "utf8mb4"})
        elif parsed.get_backend_name() == "postgresql":
            kwargs.setdefault("isolation_level", "READ COMMITTED")  # whatever the server's default
            connect_args = kwargs.setdefault("connect_args", {})
            connect_args.setdefault("options", f"-c lock_timeout={POSTGRESQL_LOCK_TIMEOUT_MS}")
        engine = create_engine(url, **kwargs)
    track_catalog_writes(engine)  # every catalog write bumps the catalog version (issue 7)
    return engine


def _configure_sqlite(engine: Engine, *, in_memory: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get("sqlite_immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
