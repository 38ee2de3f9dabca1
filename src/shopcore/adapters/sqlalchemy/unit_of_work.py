"""The SQLAlchemy unit of work: one connection and one transaction per use."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine, RootTransaction

from shopcore.adapters.sqlalchemy import catalog, orders, reviews, users
from shopcore.adapters.sqlalchemy.analytics import SqlVendorAnalytics
from shopcore.adapters.sqlalchemy.catalog_queries import SqlCatalogQueries
from shopcore.ports.unit_of_work import UnitOfWork


class SqlAlchemyUnitOfWork(UnitOfWork):
    """Repositories share this unit's connection; nothing is visible to others before commit.

    ``read_only`` units skip SQLite's up-front write lock (see engine.make_engine).
    """

    def __init__(self, engine: Engine, *, read_only: bool = False) -> None:
        self._engine, self._read_only = engine, read_only
        self._conn: Connection | None = None
        self._tx: RootTransaction | None = None

    def __enter__(self) -> Self:
        conn = self._engine.connect()
        if not self._read_only and self._engine.dialect.name == "sqlite":
            conn = conn.execution_options(sqlite_immediate=True)
        self._conn, self._tx = conn, conn.begin()
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

    def commit(self) -> None:
        assert self._tx is not None, "commit() outside of the with block"
        self._tx.commit()

    def rollback(self) -> None:
        if self._tx is not None and self._tx.is_active:
            self._tx.rollback()
