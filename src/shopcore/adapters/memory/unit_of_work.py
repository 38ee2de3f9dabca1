"""An in-memory unit of work with real transaction semantics.

Entering takes a store-wide lock (units run one at a time, like serializable transactions) and a
snapshot; leaving without commit restores the snapshot. Repositories hand out copies, so an
entity changed but not saved is not changed in the store, just as with a database.
"""

from __future__ import annotations

import copy
import itertools
import threading
from collections import defaultdict
from types import TracebackType
from typing import Any, Self

from shopcore.adapters.memory import catalog, orders, reviews, users
from shopcore.adapters.memory.analytics import MemoryVendorAnalytics
from shopcore.adapters.memory.catalog_queries import MemoryCatalogQueries
from shopcore.ports.unit_of_work import UnitOfWork


class InMemoryStore:
    """All tables as dicts keyed by primary key, plus id sequences."""

    def __init__(self) -> None:
        self.tables: defaultdict[str, dict[Any, Any]] = defaultdict(dict)
        self.sequences: defaultdict[str, itertools.count[int]] = defaultdict(
            lambda: itertools.count(1)
        )
        self.lock = threading.RLock()
        # Every row read FOR UPDATE, as (table, key) (key None: the whole table), in order:
        # the store needs no row locks, so this is how a unit test sees a use case take them.
        self.locks: list[tuple[str, Any]] = []

    def next_id(self, table: str) -> int:
        return next(self.sequences[table])


class InMemoryUnitOfWork(UnitOfWork):
    def __init__(self, store: InMemoryStore | None = None) -> None:
        self.store = store or InMemoryStore()
        self.committed = False
        self._snapshot: dict[str, dict[Any, Any]] | None = None
        self.users = users.MemoryUserRepository(self.store)
        self.logins = users.MemoryLoginRepository(self.store)
        self.refresh_tokens = users.MemoryRefreshTokenRepository(self.store)
        self.categories = catalog.MemoryCategoryRepository(self.store)
        self.products = catalog.MemoryProductRepository(self.store)
        self.images = catalog.MemoryProductImageRepository(self.store)
        self.catalog = MemoryCatalogQueries(self.store)
        self.carts = orders.MemoryCartRepository(self.store)
        self.orders = orders.MemoryOrderRepository(self.store)
        self.idempotency = orders.MemoryIdempotencyRepository(self.store)
        self.stock = orders.MemoryStockRepository(self.store)
        self.reviews = reviews.MemoryReviewRepository(self.store)
        self.analytics = MemoryVendorAnalytics(self.store)

    def __enter__(self) -> Self:
        self.store.lock.acquire()
        self.committed = False
        self._snapshot = copy.deepcopy(dict(self.store.tables))
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
            self._snapshot = None
            self.store.lock.release()

    def commit(self) -> None:
        self._snapshot = copy.deepcopy(dict(self.store.tables))
        self.committed = True

    def rollback(self) -> None:
        if self._snapshot is not None:
            self.store.tables.clear()
            self.store.tables.update(copy.deepcopy(self._snapshot))
