"""The unit of work: one transaction, and the repositories that work inside it."""

from __future__ import annotations

import abc
from types import TracebackType
from typing import Self

from shopcore.domain.errors import ShopError
from shopcore.ports.analytics import VendorAnalytics
from shopcore.ports.catalog import CategoryRepository, ProductImageRepository, ProductRepository
from shopcore.ports.catalog_queries import CatalogQueries
from shopcore.ports.orders import (
    CartRepository,
    IdempotencyRepository,
    OrderRepository,
    StockRepository,
)
from shopcore.ports.reviews import ReviewRepository
from shopcore.ports.users import LoginRepository, RefreshTokenRepository, UserRepository


class TransientConflict(Exception):
    """The unit of work lost a race with a concurrent one and was rolled back.

    A deadlock, a lock wait timeout or a serialization failure (the SQL unit of work translates
    them), or a row a concurrent writer claimed first (a slug, an idempotency key): running the
    whole use case again, in a fresh transaction that sees the winner's commit, may succeed.
    The composition root does exactly that for every use case, a bounded number of times.
    ``final`` is the error to report when it keeps happening; None means "busy" (503).
    """

    def __init__(self, detail: str = "", *, final: ShopError | None = None) -> None:
        super().__init__(detail or "The transaction lost a race with a concurrent one.")
        self.final = final


class UnitOfWork(abc.ABC):
    """Use as ``with uow: ...; uow.commit()``. Leaving the block without commit rolls back."""

    users: UserRepository
    logins: LoginRepository
    refresh_tokens: RefreshTokenRepository
    categories: CategoryRepository
    products: ProductRepository
    images: ProductImageRepository
    catalog: CatalogQueries  # read models of the catalog (lists and detail pages)
    carts: CartRepository
    orders: OrderRepository
    idempotency: IdempotencyRepository
    stock: StockRepository
    reviews: ReviewRepository
    analytics: VendorAnalytics  # read-only aggregates (vendor analytics)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()

    @abc.abstractmethod
    def commit(self) -> None: ...

    @abc.abstractmethod
    def rollback(self) -> None:
        """Undo whatever was not committed; a no-op after commit."""
