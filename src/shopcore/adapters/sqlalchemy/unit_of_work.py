"""The SQLAlchemy unit of work: one connection and one transaction per use."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine, RootTransaction
from sqlalchemy.exc import DBAPIError

from shopcore.adapters.sqlalchemy import catalog, orders, reviews, users
from shopcore.adapters.sqlalchemy.analytics import SqlVendorAnalytics
from shopcore.adapters.sqlalchemy.catalog_queries import SqlCatalogQueries
from shopcore.adapters.sqlalchemy.retry import is_transient
from shopcore.ports.unit_of_work import TransientConflict, UnitOfWork


def _as_conflict(error: BaseException) -> TransientConflict | None:
    """The port's TransientConflict for a deadlock or lock timeout (the database already rolled
    the transaction back), so the core can run the use case again without knowing SQL."""
    if isinstance(error, DBAPIError) and is_transient(error):
        return TransientConflict(str(error.orig))
    return None


class SqlAlchemyUnitOfWork(UnitOfWork):
    """Repositories share this unit's connection; nothing is visible to others before commit.

    ``read_only`` units skip SQLite's up-front write lock (see engine.make_engine). A transient
    failure (see retry.is_transient), while beginning or inside the block, leaves the unit as
    ``TransientConflict``.
    """

    def __init__(self, engine: Engine, *, read_only: bool = False) -> None:
        self._engine, self._read_only = engine, read_only
        self._conn: Connection | None = None
        self._tx: RootTransaction | None = None

    def __enter__(self) -> Self:
        conn = self._engine.connect()
        if not self._read_only and self._engine.dialect.name == "sqlite":
            conn = conn.execution_options(sqlite_immediate=True)
        try:
            tx = conn.begin()
        except BaseException as error:  # SQLite's BEGIN IMMEDIATE may time out
            conn.close()
            conflict = _as_conflict(error)
            if conflict is not None:
                raise conflict from error
            raise
        self._conn, self._tx = conn, tx
        self.users = users.SqlUserRepository(conn)
        self.logins = users.SqlLoginRepository(conn)
        self.refresh_tokens = users.SqlRefreshTokenRepository(conn)
        self.categories = catalog.SqlCategoryRepository(conn)
        self.products = catalog.SqlProductRepository(conn)
        self.images = catalog.SqlProductImageRepository(conn)
        self.catalog = SqlCatalogQueries(conn)
        self.carts = orders.SqlCartRepository(conn)
        self.orders = orders.SqlOrderRepository(conn)
        self.idempotency = orders.SqlIdempotencyRepository(conn)
        self.stock = orders.SqlStockRepository(conn)
        self.reviews = reviews.SqlReviewRepository(conn)
        self.analytics = SqlVendorAnalytics(conn)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.rollback()
        finally:
            if self._conn is not None:
                self._conn.close()
            self._conn = self._tx = None
        conflict = None if exc is None else _as_conflict(exc)
        if conflict is not None:
            raise conflict from exc

    def commit(self) -> None:
        assert self._tx is not None, "commit() outside of the with block"
        self._tx.commit()

    def rollback(self) -> None:
        if self._tx is not None and self._tx.is_active:
            self._tx.rollback()
