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

from sqlalchemy import Engine

from shopcore.adapters.hashing import Argon2Hasher
from shopcore.adapters.images import PillowImageProcessor
from shopcore.adapters.memory.security import InMemoryTokenIssuer
from shopcore.adapters.memory.storage import InMemoryFileStorage
from shopcore.adapters.memory.unit_of_work import InMemoryStore, InMemoryUnitOfWork
from shopcore.adapters.slugs import PythonSlugifySlugger
from shopcore.adapters.sqlalchemy.engine import make_engine
from shopcore.adapters.sqlalchemy.operations import DatabaseOperations
from shopcore.adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWork
from shopcore.adapters.storage import LocalFileStorage
from shopcore.adapters.system import RandomIds, SystemClock
from shopcore.adapters.tokens import JwtTokenIssuer
from shopcore.bootstrap.accounts import AccountUseCases
from shopcore.bootstrap.analytics import AnalyticsUseCases
from shopcore.bootstrap.catalog import CatalogUseCases
from shopcore.bootstrap.operations import OperationUseCases
from shopcore.bootstrap.orders import OrderUseCases
from shopcore.bootstrap.retry import RetryPolicy
from shopcore.bootstrap.reviews import ReviewUseCases
from shopcore.bootstrap.settings import Settings
from shopcore.bootstrap.wiring import UowFactory
from shopcore.ports.security import Clock, IdGenerator, PasswordHasher, TokenIssuer
from shopcore.ports.slugs import Slugger
from shopcore.ports.storage import FileStorage, ImageProcessor
from shopcore.ports.unit_of_work import UnitOfWork

__all__ = [
    "RetryPolicy", "Settings", "UseCases", "UowFactory", "bootstrap", "bootstrap_in_memory",
]  # fmt: skip


class UseCases(
    AccountUseCases,  # accounts.py: sign-up, sign-in, tokens, profiles, user administration
    CatalogUseCases,  # catalog.py: categories, products and their images
    OrderUseCases,  # orders.py: the cart, placing orders, managing them
    ReviewUseCases,  # reviews.py: reviews of products
    AnalyticsUseCases,  # analytics.py: a vendor's sales figures
    OperationUseCases,  # operations.py: migrations, the health check, pruning
):
    """Every use case of the shop, one property each, grouped by area in the modules named above
    (all built on ``wiring.Wiring``, which holds the ports).

    Each access builds a fresh use case, with a fresh unit of work: share the object freely.
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
    slugger: Slugger | None = None,
    retry: RetryPolicy | None = None,
) -> UseCases:
    """Wire the use cases to SQLAlchemy at ``settings.database_url``, and every other port to its
    real adapter, except the ports given here (tests and ``bootstrap_in_memory`` give fakes).

    The engine is created here, never at import time.
    """
    engine, database = None, None
    if uow_factory is None:
        _ensure_sqlite_folder(settings.database_url)
        engine = make_engine(settings.database_url, **settings.engine_options)
        database = DatabaseOperations(engine)
        uow_factory = _sql_units_of_work(engine)
    if hasher is None:
        hasher = Argon2Hasher(
            memory_cost=settings.argon2_memory_kib, time_cost=settings.argon2_time_cost
        )
    if storage is None:  # never `storage or ...`: an empty InMemoryFileStorage is falsy
        storage = LocalFileStorage(settings.media_root, url_prefix=settings.media_url)
    return UseCases(
        uow_factory=uow_factory,
        hasher=hasher,
        tokens=tokens or JwtTokenIssuer(settings.secret_key),
        storage=storage,
        images=images or PillowImageProcessor(max_pixels=settings.max_image_pixels),
        clock=clock or SystemClock(),
        ids=ids or RandomIds(),
        slugger=slugger or PythonSlugifySlugger(),
        settings=settings,
        engine=engine,
        database=database,
        retry=retry,
    )


def bootstrap_in_memory(settings: Settings | None = None, **ports: Any) -> UseCases:
    """Use cases on in-memory adapters: no database, no files. Real hashing unless overridden;
    ``ports`` are the keyword arguments of ``bootstrap``."""
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


def _sql_units_of_work(engine: Engine) -> UowFactory:
    def uow_factory(*, read_only: bool = False) -> UnitOfWork:
        return SqlAlchemyUnitOfWork(engine, read_only=read_only)

    return uow_factory


def _ensure_sqlite_folder(url: str) -> None:
    prefix = "sqlite:///"
    if url.startswith(prefix) and url[len(prefix) :] not in ("", ":memory:"):
        Path(url[len(prefix) :]).parent.mkdir(parents=True, exist_ok=True)
