"""The catalog version: one number that changes with every committed write to the catalog.

Public catalog answers (categories, product lists and details, reviews) are cached under this
number, so it must change in the same transaction as any write that could change one of them,
whoever makes it. That is done here, below every repository: ``track_catalog_writes`` (called by
``make_engine`` for every engine shopcore builds) watches each statement a connection sends, and
when one writes a catalog table, the transaction's COMMIT is preceded by
``UPDATE catalog_version SET version = version + 1``. So a use case, a CLI command or a script
that writes through an engine made by ``make_engine`` cannot forget the bump, and the new
version becomes visible exactly when the write does, to every process and server.

Which tables count: every table except those known not to feed a catalog answer (accounts,
carts, orders, idempotency keys), so that a table added later counts until someone decides
otherwise. ``users`` counts for UPDATE and DELETE only: vendor and reviewer names appear in
catalog answers, but a new user appears in none.

The row is updated last, just before COMMIT, so its lock is held for the shortest possible time
and is always the last lock a transaction takes (no lock-order cycle with product rows).
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
import time
from typing import Any

from sqlalchemy import Connection, Engine, event, make_url
from sqlalchemy.exc import DBAPIError

from shopcore.adapters.sqlalchemy.tables import metadata

TABLE = "catalog_version"
DIRTY = "shop_catalog_written"  # key in the DBAPI connection's info dict

NOT_CATALOG = frozenset({
    "logins", "refresh_tokens", "cart_items", "orders", "order_lines", "order_history",
    "idempotency_keys", "alembic_version", TABLE,
})  # fmt: skip
WRITES_ONLY_WHEN_CHANGED = frozenset({"users"})  # INSERT changes no catalog answer

_WRITE = re.compile(
    r"^\s*(?P<verb>INSERT|REPLACE|UPDATE|DELETE|TRUNCATE)\b"
    r"(?:\s+(?:OR\s+\w+|IGNORE|LOW_PRIORITY|INTO|FROM|TABLE))*"
    r"\s+[`\"\[]?(?P<table>\w+)",
    re.IGNORECASE,
)
# Reads, transaction control and schema changes (a migration that changes catalog rows does it
# with INSERT/UPDATE/DELETE, which count).
_NOT_DATA = re.compile(
    r"^\s*(SELECT|BEGIN|PRAGMA|SAVEPOINT|RELEASE|ROLLBACK|SHOW|SET|CREATE|ALTER|DROP)\b", re.I
)
_ANY_WRITE = re.compile(r"\b(INSERT|REPLACE|UPDATE|DELETE)\b", re.IGNORECASE)


def is_catalog_write(statement: str) -> bool:
    """Whether ``statement`` (SQL text, as sent to the database) may change a catalog answer."""
    match = _WRITE.match(statement)
    if match:
        table, verb = match["table"].lower(), match["verb"].upper()
        if table in NOT_CATALOG:
            return False
        return not (table in WRITES_ONLY_WHEN_CHANGED and verb in ("INSERT", "REPLACE"))
    if _NOT_DATA.match(statement) or not _ANY_WRITE.search(statement):
        return False
    # Something else that writes (a CTE, a multi-table statement): count it unless every table
    # it names is known not to matter.
    names = {word.lower() for word in re.findall(r"\w+", statement)}
    return any(name in names for name in metadata.tables if name not in NOT_CATALOG)


def track_catalog_writes(engine: Engine) -> None:
    """Bump the catalog version inside every transaction on ``engine`` that wrote the catalog."""
    if event.contains(engine, "before_cursor_execute", _watch):
        return
    event.listen(engine, "before_cursor_execute", _watch)
    event.listen(engine, "commit", _bump_before_commit)
    event.listen(engine, "rollback", _forget)


def _watch(conn: Connection, cursor: Any, statement: str, *args: Any) -> None:
    if DIRTY not in conn.info and is_catalog_write(statement):
        conn.info[DIRTY] = True


def _bump_before_commit(conn: Connection) -> None:
    if not conn.info.pop(DIRTY, False):
        return
    try:
        updated = conn.exec_driver_sql(f"UPDATE {TABLE} SET version = version + 1 WHERE id = 1")
    except DBAPIError as error:
        if _is_missing_table(error):  # a schema from before this table: read_version() then
            return  # reads nothing, so nothing is cached and there is nothing to invalidate
        raise
    if updated.rowcount == 0:  # the row was deleted (tests empty every table): start it again
        conn.exec_driver_sql(_restart_statement(conn.dialect.name))


def _is_missing_table(error: DBAPIError) -> bool:
    args = getattr(error.orig, "args", ())
    return "no such table" in str(error.orig) or bool(args and args[0] == 1146)


def initial_version() -> int:
    """Where a version row starts: microseconds since 1970. A new database (or a row deleted
    and made again) so starts above any number an older one reached by counting writes, and a
    shared cache (Redis) that outlived the old database holds nothing under it."""
    return time.time_ns() // 1000


def _restart_statement(dialect: str) -> str:
    start = initial_version()
    if dialect == "mysql":
        return (f"INSERT INTO {TABLE} (id, version) VALUES (1, {start}) "
                "ON DUPLICATE KEY UPDATE version = version + 1")  # fmt: skip
    # SQLite and PostgreSQL; the existing row's column is named by its table (PostgreSQL
    # finds a bare ``version`` ambiguous with ``excluded.version``).
    return (f"INSERT INTO {TABLE} (id, version) VALUES (1, {start}) "
            f"ON CONFLICT (id) DO UPDATE SET version = {TABLE}.version + 1")  # fmt: skip


def _forget(conn: Connection) -> None:
    conn.info.pop(DIRTY, None)


class VersionReader:
    """Reads the version with one statement and one round trip: on a connection of its own per
    thread (no pool checkout), in autocommit (no BEGIN, no ROLLBACK), without pre-ping. It is
    paid by every anonymous catalog read, cached or not. A failure reads as None (nothing is
    cached then) and the next read connects again."""

    SELECT = f"SELECT version FROM {TABLE} WHERE id = 1"

    def __init__(self, url: str) -> None:
        self._url = url
        self._engine: Engine | None = None
        self._local = threading.local()

    def _connect(self) -> Any:
        if self._engine is None:
            from shopcore.adapters.sqlalchemy.engine import make_engine

            options: dict[str, Any] = {"pool_pre_ping": False}
            backend = make_url(self._url).get_backend_name()
            if backend == "mysql":
                options["connect_args"] = {"charset": "utf8mb4", "autocommit": True}
            elif backend == "postgresql":  # else an idle open transaction would block DDL
                options["isolation_level"] = "AUTOCOMMIT"
            self._engine = make_engine(self._url, **options)  # SQLite: autocommits already
        conn = self._engine.raw_connection()
        conn.detach()  # this thread's own from now on: never back to the pool
        return conn

    def read(self) -> int | None:
        for _ in range(2):  # a connection the server closed while idle: once more, on a new one
            try:
                row = self._select()
            except Exception:  # noqa: BLE001 - unreachable or broken: drop it
                self._drop()
                continue
            return None if row is None else int(row[0])
        return None

    def _select(self) -> Any:
        local = self._local
        if getattr(local, "pid", None) != os.getpid():  # none yet, or inherited by a fork
            local.conn, local.pid = self._connect(), os.getpid()
        cursor = local.conn.cursor()
        try:
            cursor.execute(self.SELECT)
            return cursor.fetchone()
        finally:
            cursor.close()

    def _drop(self) -> None:
        conn, self._local.pid = getattr(self._local, "conn", None), None
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.invalidate()

    def dispose(self) -> None:
        self._drop()
        if self._engine is not None:
            self._engine.dispose()
