"""The ports every group of use cases is built from, the retry policy they all run under, and
the few helpers the web layer asks for that are not use cases."""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection
from functools import cached_property
from typing import TYPE_CHECKING, Any

from shopcore.adapters.sqlalchemy.catalog_version import VersionReader
from shopcore.bootstrap.retry import RetryPolicy
from shopcore.bootstrap.settings import Settings
from shopcore.domain.errors import InvalidToken
from shopcore.ports.security import Clock, IdGenerator, PasswordHasher, TokenIssuer
from shopcore.ports.slugs import Slugger
from shopcore.ports.storage import FileStorage, ImageProcessor
from shopcore.ports.unit_of_work import UnitOfWork
from shopcore.use_cases import auth

if TYPE_CHECKING:
    from shopcore.adapters.sqlalchemy.operations import DatabaseOperations

UowFactory = Callable[..., UnitOfWork]


class Wiring:
    """Holds the adapters; each use-case group (accounts, catalog, ...) builds on it.

    Every public property of a group builds a use case, and every use case it builds runs under
    the one retry policy (``__init_subclass__`` below): a new use case cannot forget it.
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name, attribute in list(vars(cls).items()):
            if isinstance(attribute, property) and not name.startswith("_"):
                setattr(cls, name, _under_retry_policy(attribute))

    def __init__(
        self,
        *,
        uow_factory: UowFactory,
        hasher: PasswordHasher,
        tokens: TokenIssuer,
        storage: FileStorage,
        images: ImageProcessor,
        clock: Clock,
        ids: IdGenerator,
        slugger: Slugger,
        settings: Settings,
        engine: Any = None,
        database: DatabaseOperations | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.uow_factory, self.hasher, self.tokens = uow_factory, hasher, tokens
        self.storage, self.images, self.clock, self.ids = storage, images, clock, ids
        self.slugger, self.settings, self.engine, self.database = (
            slugger,
            settings,
            engine,
            database,
        )
        self.retry = retry or RetryPolicy()
        self.minter = auth.make_minter(
            tokens=tokens,
            clock=clock,
            ids=ids,
            settings=auth.AuthSettings(settings.access_ttl, settings.refresh_ttl),
        )

    def _uow(self, *, read_only: bool = False) -> UnitOfWork:
        return self.uow_factory(read_only=read_only)

    # --- helpers for the web layer (not use cases) -------------------------------------------

    def media_url(self, name: str | None) -> str | None:
        return None if not name else self.storage.url(name)

    def tokens_subject(self, access_token: str) -> str | None:
        """The user id in a correctly signed, unexpired access token, without a database look-up.

        Only for keying rate limits; authorization always goes through ``authenticate``.
        """
        try:
            return str(self.tokens.decode(access_token, "access").subject)
        except InvalidToken:
            return None

    def catalog_version(self) -> int | None:
        """The committed catalog version, which every catalog write bumps in its own transaction
        (adapters/sqlalchemy/catalog_version.py); None when there is none to read (in memory,
        or the database is unreachable): then no catalog answer may be cached."""
        reader = self._catalog_versions
        return None if reader is None else reader.read()

    def stock_levels(self, product_ids: Collection[int]) -> dict[int, int] | None:
        """The committed stock of these products (the ones that exist), which catalog answers
        cached under the version show; None when it cannot be read."""
        reader = self._catalog_versions
        return None if reader is None else reader.stock_levels(product_ids)

    @cached_property
    def _catalog_versions(self) -> VersionReader | None:
        if self.engine is None:
            return None
        return VersionReader(self.engine)


def _under_retry_policy(build: property) -> property:
    """The same property, with the use case it builds wrapped by the instance's retry policy."""
    fget = build.fget
    assert fget is not None

    @functools.wraps(fget)
    def build_retried(self: Wiring) -> Any:
        return self.retry.wrap(fget(self))

    return property(build_retried, doc=build.__doc__)
