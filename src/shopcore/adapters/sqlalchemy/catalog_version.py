"""The catalog version: one number that changes with every committed write to the catalog.

Public catalog answers (categories, product lists and details, reviews) are cached under this
number, so it must change in the same transaction as any write that could change one of them,
whoever makes it. That is done here, below every repository: ``track_catalog_writes`` (called by
``make_engine`` for every engine shopcore builds) looks at each statement a connection executes,
and when one may write a catalog table, the transaction's COMMIT is preceded by an UPDATE of the
version row. So a use case, a CLI command or a script that writes through an engine made by
``make_engine`` cannot forget the bump, and the new version becomes visible exactly when the
write does, to every process and server.

How a write is recognised: for a statement SQLAlchemy compiled from an Insert, Update or Delete
construct, by the table it names (SQLAlchemy knows it; no SQL text is read), and likewise for
each such construct used as a CTE. SQL that SQLAlchemy did not build (``text()``,
``exec_driver_sql``) names no table SQLAlchemy knows, so it counts as a catalog write unless it
is plainly no write at all (a SELECT, a transaction or session statement): a raw write cannot
slip past, at the price of a needless bump for a raw write elsewhere.

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
import threading
import time
from collections.abc import Collection
from typing import Any

from sqlalchemy import Connection, Engine, event, inspect, update
from sqlalchemy.dialects import mysql, postgresql, sqlite
from sqlalchemy.engine.interfaces import ExecutionContext
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.dml import Insert, UpdateBase
from sqlalchemy.sql.elements import TextClause

from shopcore.adapters.sqlalchemy.tables import catalog_version, products

TABLE = catalog_version.name
DIRTY = "shop_catalog_written"  # key in the DBAPI connection's info dict
RESHAPED = "shop_schema_changed"  # the transaction changed the schema (a migration)

NOT_CATALOG = frozenset({
    "logins", "refresh_tokens", "cart_items", "orders", "order_lines", "order_history",
    "idempotency_keys", "alembic_version", TABLE,
})  # fmt: skip
WRITES_ONLY_WHEN_CHANGED = frozenset({"users"})  # INSERT changes no catalog answer

# The first word of SQL text that writes no row: reads, transaction and session control.
# Anything else in SQL text (INSERT, UPDATE, a CTE, a schema change) counts as a catalog write.
NO_WRITE = frozenset({
    "select", "begin", "commit", "rollback", "savepoint", "release", "start", "set", "show",
    "explain", "describe", "pragma", "values",
})  # fmt: skip
SCHEMA_CHANGE = frozenset({"create", "drop", "alter", "rename"})


# Execution option of an UPDATE that changes only the stock of products and moves none from
# in stock to sold out or back (SqlStockRepository): such a write leaves the version alone,
# because every cached answer that shows stock has it laid over from the table when served
# (``VersionReader.stock_levels``, shop_web.cache_store), and no list filtered by ``in_stock``
# changes its members.
STOCK_ONLY = "shop_stock_only"


def writes_catalog(dml: UpdateBase) -> bool:
    """Whether the Insert, Update or Delete construct ``dml`` may change a catalog answer."""
    table = getattr(dml, "table", None)
    name = getattr(table, "name", None)
    if name is None:  # not a plain table: count it
        return True
    if name in NOT_CATALOG:
        return False
    return not (name in WRITES_ONLY_WHEN_CHANGED and isinstance(dml, Insert))


def is_catalog_write(statement: str, context: ExecutionContext | None) -> bool:
    """Whether executing ``statement`` (as sent to the database) in ``context`` may change a
    catalog answer: from the construct SQLAlchemy compiled, else (SQL text) conservatively."""
    compiled = getattr(context, "compiled", None)
    construct = getattr(compiled, "statement", None)
    if isinstance(construct, UpdateBase):
        if context is not None and context.execution_options.get(STOCK_ONLY):
            return False
        if writes_catalog(construct):
            return True
    elif construct is not None and not isinstance(construct, TextClause):
        pass  # a SELECT or another construct SQLAlchemy built: it reads, unless a CTE writes
    else:
        return _first_word(statement) not in NO_WRITE
    ctes = getattr(compiled, "ctes", None) or ()
    return any(isinstance(cte.element, UpdateBase) and writes_catalog(cte.element) for cte in ctes)


def track_catalog_writes(engine: Engine) -> None:
    """Bump the catalog version inside every transaction on ``engine`` that wrote the catalog."""
    if event.contains(engine, "before_cursor_execute", _watch):
        return
    event.listen(engine, "before_cursor_execute", _watch)
    event.listen(engine, "commit", _bump_before_commit)
    event.listen(engine, "rollback", _forget)


def _watch(
    conn: Connection,
    cursor: Any,
    statement: str,
    parameters: Any,
    context: ExecutionContext | None,
    executemany: bool,
) -> None:
    if DIRTY not in conn.info and is_catalog_write(statement, context):
        conn.info[DIRTY] = True
    if _first_word(statement) in SCHEMA_CHANGE:
        conn.info[RESHAPED] = True


def _first_word(statement: str) -> str:
    first = statement.lstrip(" \t\r\n(").split(None, 1)
    return first[0].lower().rstrip(";") if first else ""


_BUMP = (
    update(catalog_version)
    .where(catalog_version.c.id == 1)
    .values(version=catalog_version.c.version + 1)
)


def _bump_before_commit(conn: Connection) -> None:
    reshaped = conn.info.pop(RESHAPED, False)
    if not conn.info.pop(DIRTY, False):
        return
    if reshaped and not inspect(conn).has_table(catalog_version.name):
        return  # a migration before or after this table: no version to bump. (Asked first,
        # because on PostgreSQL a failed UPDATE would abort the migration's transaction.)
    try:
        updated = conn.execute(_BUMP)
    except DBAPIError as error:
        if _is_missing_table(error):  # a schema from before this table: read_version() then
            return  # reads nothing, so nothing is cached and there is nothing to invalidate
        raise
    if updated.rowcount == 0:  # the row was deleted (tests empty every table): start it again
        conn.execute(_restart_statement(conn.dialect.name))


def _is_missing_table(error: DBAPIError) -> bool:
    args = getattr(error.orig, "args", ())
    return "no such table" in str(error.orig) or bool(args and args[0] == 1146)


def initial_version() -> int:
    """Where a version row starts: microseconds since 1970. A new database (or a row deleted
    and made again) so starts above any number an older one reached by counting writes, and a
    shared cache (Redis) that outlived the old database holds nothing under it."""
    return time.time_ns() // 1000


def _restart_statement(dialect: str) -> Any:
    row = {"id": 1, "version": initial_version()}
    bumped = {"version": catalog_version.c.version + 1}
    if dialect == "mysql":
        return mysql.insert(catalog_version).values(row).on_duplicate_key_update(bumped)
    if dialect == "postgresql":
        pg = postgresql.insert(catalog_version).values(row)
        return pg.on_conflict_do_update(index_elements=["id"], set_=bumped)
    lite = sqlite.insert(catalog_version).values(row)
    return lite.on_conflict_do_update(index_elements=["id"], set_=bumped)


def _forget(conn: Connection) -> None:
    conn.info.pop(DIRTY, None)
    conn.info.pop(RESHAPED, None)


class VersionReader:
    """Reads the version with one statement and one round trip, through the engine it is given:
    on a connection of that engine's own per thread, taken out of its pool once (no checkout per
    read), in autocommit (no BEGIN, no ROLLBACK, and on MySQL no snapshot older than the last
    commit), without pre-ping. It is paid by every anonymous catalog read, cached or not. A
    failure reads as None (nothing is cached then) and the next read connects again."""

    SELECT = f"SELECT version FROM {TABLE} WHERE id = 1"

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._local = threading.local()

    def _connect(self) -> Any:
        conn = self._engine.raw_connection()
        conn.detach()  # this thread's own from now on: never back to the pool
        dbapi_connection = conn.dbapi_connection
        assert dbapi_connection is not None  # a connection just checked out
        self._engine.dialect.set_isolation_level(dbapi_connection, "AUTOCOMMIT")
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

    def stock_levels(self, product_ids: Collection[int]) -> dict[int, int] | None:
        """The committed stock of each product of ``product_ids`` that exists, in one round
        trip on the same connection; None when it cannot be read."""
        if not product_ids:
            return {}
        listed = ", ".join(str(int(i)) for i in product_ids)  # ints: nothing to quote
        statement = f"SELECT id, stock FROM {products.name} WHERE id IN ({listed})"
        for _ in range(2):
            try:
                rows = self._fetch(statement, all_rows=True)
            except Exception:  # noqa: BLE001 - as in read()
                self._drop()
                continue
            return {int(row[0]): int(row[1]) for row in rows}
        return None

    def _select(self) -> Any:
        return self._fetch(self.SELECT, all_rows=False)

    def _fetch(self, statement: str, *, all_rows: bool) -> Any:
        local = self._local
        if getattr(local, "pid", None) != os.getpid():  # none yet, or inherited by a fork
            local.conn, local.pid = self._connect(), os.getpid()
        cursor = local.conn.cursor()
        try:
            cursor.execute(statement)
            return cursor.fetchall() if all_rows else cursor.fetchone()
        finally:
            cursor.close()

    def _drop(self) -> None:
        conn, self._local.pid = getattr(self._local, "conn", None), None
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.invalidate()

    def dispose(self) -> None:
        """Close this thread's connection (the engine is the caller's, and stays open)."""
        self._drop()
