"""The composition root: wires use cases to real or in-memory adapters.

From Python::

    from shopcore.bootstrap import Settings, bootstrap
    shop = bootstrap(Settings(database_url="sqlite:///shop.db", secret_key="x" * 32))
    shop.upgrade_schema()
    session = shop.register_user.execute(RegisterCommand(...))

or, with no database at all, ``shop = bootstrap_in_memory()``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from shopcore.adapters.hashing import Argon2Hasher
from shopcore.adapters.images import PillowImageProcessor
from shopcore.adapters.memory.security import InMemoryTokenIssuer
from shopcore.adapters.memory.storage import InMemoryFileStorage
from shopcore.adapters.memory.unit_of_work import InMemoryStore, InMemoryUnitOfWork
from shopcore.adapters.sqlalchemy.engine import make_engine
from shopcore.adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWork
from shopcore.adapters.storage import LocalFileStorage
from shopcore.adapters.system import RandomIds, SystemClock
from shopcore.adapters.tokens import JwtTokenIssuer
from shopcore.bootstrap.accounts import AccountUseCases
from shopcore.bootstrap.catalog import CatalogUseCases
from shopcore.bootstrap.orders import OrderUseCases
from shopcore.bootstrap.retry import RetryPolicy
from shopcore.bootstrap.reviews import ReviewUseCases
from shopcore.bootstrap.settings import Settings
from shopcore.bootstrap.wiring import UowFactory
from shopcore.ports.security import Clock, IdGenerator, PasswordHasher, TokenIssuer
from shopcore.ports.storage import FileStorage, ImageProcessor
from shopcore.ports.unit_of_work import UnitOfWork

__all__ = [
    "RetryPolicy", "Settings", "UseCases", "UowFactory", "bootstrap", "bootstrap_in_memory",
]  # fmt: skip


class UseCases(AccountUseCases, CatalogUseCases, OrderUseCases, ReviewUseCases):
    """Builds a fresh use case, with a fresh unit of work, on every access: share it freely.

    Each use case runs under ``retry`` (a RetryPolicy): a transaction that lost a race with a
    concurrent one (deadlock, lock timeout, a slug or key taken meanwhile) runs again.
    """


def bootstrap(
    settings: Settings,
    *,
    uow_factory: UowFactory | None = None,
    hasher: PasswordHasher | None = None,
    tokens: TokenIssuer | None = None,
    storage: FileStorage | None = None,
    images: ImageProcessor | None = None,
    clock: Clock | None = None,
    ids: IdGenerator | None = None,
    retry: RetryPolicy | None = None,
) -> UseCases:
    """Wire the use cases to SQLAlchemy at ``settings.database_url``, unless given other ports.

    The engine is created here, never at import time.
    """
    engine = None
    if uow_factory is None:
        _ensure_sqlite_folder(settings.database_url)
        engine = make_engine(settings.database_url, **settings.engine_options)
        bound = engine

        def uow_factory(*, read_only: bool = False) -> UnitOfWork:
            return SqlAlchemyUnitOfWork(bound, read_only=read_only)

    if storage is None:  # never `storage or ...`: an empty InMemoryFileStorage is falsy
        storage = LocalFileStorage(settings.media_root, url_prefix=settings.media_url)
    return UseCases(
        uow_factory=uow_factory,
        hasher=hasher
        or Argon2Hasher(
            memory_cost=settings.argon2_memory_kib, time_cost=settings.argon2_time_cost
        ),
        tokens=tokens or JwtTokenIssuer(settings.secret_key),
        storage=storage,
        images=images or PillowImageProcessor(max_pixels=settings.max_image_pixels),
        clock=clock or SystemClock(),
        ids=ids or RandomIds(),
        settings=settings,
        engine=engine,
        retry=retry,
    )


def bootstrap_in_memory(settings: Settings | None = None, **ports: Any) -> UseCases:
    """Use cases on in-memory adapters: no database, no files. Real hashing unless overridden."""
    store = InMemoryStore()
    clock = ports.pop("clock", None) or SystemClock()

    def uow_factory(*, read_only: bool = False) -> UnitOfWork:
        return InMemoryUnitOfWork(store)

    return bootstrap(
        settings or Settings(),
        uow_factory=uow_factory,
        tokens=ports.pop("tokens", None) or InMemoryTokenIssuer(clock),
        storage=ports.pop("storage", InMemoryFileStorage()),
        clock=clock,
        **ports,
    )


def _ensure_sqlite_folder(url: str) -> None:
    prefix = "sqlite:///"
    if url.startswith(prefix) and url[len(prefix) :] not in ("", ":memory:"):
        Path(url[len(prefix) :]).parent.mkdir(parents=True, exist_ok=True)
