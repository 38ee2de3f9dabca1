"""The composition root: wires use cases to real or in-memory adapters.

From Python::

    from shopcore.bootstrap import Settings, bootstrap
    shop = bootstrap(Settings(database_url="sqlite:///shop.db", secret_key="x" * 32))
    shop.upgrade_schema()
    session = shop.register_user.execute(RegisterCommand(...))

or, with no database at all, ``shop = bootstrap_in_memory()``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
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
from shopcore.domain.errors import InvalidToken
from shopcore.ports.security import Clock, IdGenerator, PasswordHasher, TokenIssuer
from shopcore.ports.storage import FileStorage, ImageProcessor
from shopcore.ports.unit_of_work import UnitOfWork
from shopcore.use_cases import auth, users

UowFactory = Callable[..., UnitOfWork]


@dataclass(frozen=True)
class Settings:
    """Everything the core needs to know; the web layer builds it from the environment."""

    database_url: str = "sqlite:///instance/shop.sqlite3"
    secret_key: str = ""
    access_ttl: timedelta = timedelta(minutes=60)
    refresh_ttl: timedelta = timedelta(days=7)
    media_root: str = "instance/media"
    media_url: str = "/media/"
    max_image_pixels: int = 40_000_000
    argon2_memory_kib: int = 19 * 1024
    argon2_time_cost: int = 2
    low_stock_threshold: int = 5
    engine_options: dict[str, Any] = field(default_factory=dict)


class UseCases:
    """Builds a fresh use case, with a fresh unit of work, on every access."""

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
        settings: Settings,
        engine: Any = None,
    ) -> None:
        self.uow_factory, self.hasher, self.tokens = uow_factory, hasher, tokens
        self.storage, self.images, self.clock, self.ids = storage, images, clock, ids
        self.settings, self.engine = settings, engine
        self.minter = auth.make_minter(
            tokens=tokens,
            clock=clock,
            ids=ids,
            settings=auth.AuthSettings(settings.access_ttl, settings.refresh_ttl),
        )

    def _uow(self, *, read_only: bool = False) -> UnitOfWork:
        return self.uow_factory(read_only=read_only)

    # --- operations --------------------------------------------------------------------------

    def upgrade_schema(self) -> None:
        """Create or migrate the database schema (a no-op in memory)."""
        if self.engine is not None:
            from shopcore.adapters.sqlalchemy.migrate import upgrade

            upgrade(self.engine)

    def database_ok(self) -> bool:
        if self.engine is None:
            return True
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
        except Exception:  # noqa: BLE001 - any failure means "unreachable" to a health check
            return False
        return True

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

    # --- accounts ----------------------------------------------------------------------------

    @property
    def register_user(self) -> auth.RegisterUser:
        return auth.RegisterUser(uow=self._uow(), hasher=self.hasher, minter=self.minter)

    @property
    def log_in(self) -> auth.LogIn:
        return auth.LogIn(uow=self._uow(), hasher=self.hasher, minter=self.minter)

    @property
    def refresh_session(self) -> auth.RefreshSession:
        return auth.RefreshSession(uow=self._uow(), minter=self.minter)

    @property
    def log_out(self) -> auth.LogOut:
        return auth.LogOut(uow=self._uow(), minter=self.minter)

    @property
    def authenticate(self) -> auth.Authenticate:
        return auth.Authenticate(uow=self._uow(read_only=True), minter=self.minter)

    @property
    def change_password(self) -> auth.ChangePassword:
        return auth.ChangePassword(uow=self._uow(), hasher=self.hasher, clock=self.clock)

    @property
    def create_admin(self) -> users.CreateAdmin:
        return users.CreateAdmin(uow=self._uow(), hasher=self.hasher, clock=self.clock)

    @property
    def get_user(self) -> users.GetUser:
        return users.GetUser(uow=self._uow(read_only=True))

    @property
    def update_profile(self) -> users.UpdateProfile:
        return users.UpdateProfile(uow=self._uow())

    @property
    def set_avatar(self) -> users.SetAvatar:
        return users.SetAvatar(uow=self._uow(), images=self.images, storage=self.storage)

    @property
    def list_users(self) -> users.ListUsers:
        return users.ListUsers(uow=self._uow(read_only=True))

    @property
    def update_user(self) -> users.UpdateUser:
        return users.UpdateUser(uow=self._uow(), clock=self.clock)

    @property
    def deactivate_user(self) -> users.DeactivateUser:
        return users.DeactivateUser(uow=self._uow(), clock=self.clock)

    # --- catalog -----------------------------------------------------------------------------

    # --- cart and orders ---------------------------------------------------------------------

    # --- reviews and analytics ---------------------------------------------------------------


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

    return UseCases(
        uow_factory=uow_factory,
        hasher=hasher
        or Argon2Hasher(
            memory_cost=settings.argon2_memory_kib, time_cost=settings.argon2_time_cost
        ),
        tokens=tokens or JwtTokenIssuer(settings.secret_key),
        storage=storage or LocalFileStorage(settings.media_root, url_prefix=settings.media_url),
        images=images or PillowImageProcessor(max_pixels=settings.max_image_pixels),
        clock=clock or SystemClock(),
        ids=ids or RandomIds(),
        settings=settings,
        engine=engine,
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
        storage=ports.pop("storage", None) or InMemoryFileStorage(),
        clock=clock,
        **ports,
    )


def _ensure_sqlite_folder(url: str) -> None:
    prefix = "sqlite:///"
    if url.startswith(prefix) and url[len(prefix) :] not in ("", ":memory:"):
        Path(url[len(prefix) :]).parent.mkdir(parents=True, exist_ok=True)
