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
from functools import cached_property
from pathlib import Path
from typing import Any

from shopcore.adapters.hashing import Argon2Hasher
from shopcore.adapters.images import PillowImageProcessor
from shopcore.adapters.memory.security import InMemoryTokenIssuer
from shopcore.adapters.memory.storage import InMemoryFileStorage
from shopcore.adapters.memory.unit_of_work import InMemoryStore, InMemoryUnitOfWork
from shopcore.adapters.slugs import PythonSlugifySlugger
from shopcore.adapters.sqlalchemy.catalog_version import VersionReader
from shopcore.adapters.sqlalchemy.engine import make_engine
from shopcore.adapters.sqlalchemy.retry import retrying
from shopcore.adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWork
from shopcore.adapters.storage import LocalFileStorage
from shopcore.adapters.system import RandomIds, SystemClock
from shopcore.adapters.tokens import JwtTokenIssuer
from shopcore.domain.errors import InvalidToken
from shopcore.ports.security import Clock, IdGenerator, PasswordHasher, TokenIssuer
from shopcore.ports.slugs import Slugger
from shopcore.ports.storage import FileStorage, ImageProcessor
from shopcore.ports.unit_of_work import UnitOfWork
from shopcore.use_cases import analytics as analytics_uc
from shopcore.use_cases import auth, cart, maintenance, order_management, orders, users
from shopcore.use_cases import reviews as reviews_uc
from shopcore.use_cases import (  # catalog
    catalog_browse,
    catalog_categories,
    catalog_edits,
    catalog_images,
    catalog_products,
)

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

    # The slug adapter; unit tests put a standard-library fake here.
    slugger: Slugger = PythonSlugifySlugger()

    @property
    def list_categories(self) -> catalog_categories.ListCategories:
        return catalog_categories.ListCategories(uow=self._uow(read_only=True))

    @property
    def get_category(self) -> catalog_categories.GetCategory:
        return catalog_categories.GetCategory(uow=self._uow(read_only=True))

    @property
    def create_category(self) -> catalog_categories.CreateCategory:
        return retrying(
            catalog_categories.CreateCategory(
                uow=self._uow(), clock=self.clock, slugger=self.slugger
            )
        )

    @property
    def update_category(self) -> catalog_categories.UpdateCategory:
        return retrying(catalog_categories.UpdateCategory(uow=self._uow()))

    @property
    def delete_category(self) -> catalog_categories.DeleteCategory:
        return retrying(catalog_categories.DeleteCategory(uow=self._uow()))

    @property
    def list_products(self) -> catalog_browse.ListProducts:
        return catalog_browse.ListProducts(uow=self._uow(read_only=True))

    @property
    def get_product(self) -> catalog_browse.GetProduct:
        return catalog_browse.GetProduct(uow=self._uow(read_only=True))

    @property
    def create_product(self) -> catalog_products.CreateProduct:
        return retrying(
            catalog_products.CreateProduct(uow=self._uow(), clock=self.clock, slugger=self.slugger)
        )

    @property
    def import_products(self) -> catalog_products.ImportProducts:
        return retrying(
            catalog_products.ImportProducts(
                uow=self._uow(), clock=self.clock, slugger=self.slugger
            )
        )

    @property
    def update_product(self) -> catalog_edits.UpdateProduct:
        return retrying(catalog_edits.UpdateProduct(uow=self._uow(), clock=self.clock))

    @property
    def delete_product(self) -> catalog_edits.DeleteProduct:
        return retrying(
            catalog_edits.DeleteProduct(uow=self._uow(), clock=self.clock, storage=self.storage)
        )

    @property
    def add_product_image(self) -> catalog_images.AddProductImage:
        return retrying(
            catalog_images.AddProductImage(
                uow=self._uow(), images=self.images, storage=self.storage, clock=self.clock
            )
        )

    @property
    def delete_product_image(self) -> catalog_images.DeleteProductImage:
        return retrying(catalog_images.DeleteProductImage(uow=self._uow(), storage=self.storage))

    # --- cart and orders ---------------------------------------------------------------------

    @property
    def get_cart(self) -> cart.GetCart:
        return cart.GetCart(uow=self._uow(read_only=True))

    @property
    def add_to_cart(self) -> cart.AddToCart:
        return retrying(cart.AddToCart(uow=self._uow(), clock=self.clock))

    @property
    def set_cart_quantity(self) -> cart.SetCartQuantity:
        return retrying(cart.SetCartQuantity(uow=self._uow()))

    @property
    def remove_from_cart(self) -> cart.RemoveFromCart:
        return retrying(cart.RemoveFromCart(uow=self._uow()))

    @property
    def clear_cart(self) -> cart.ClearCart:
        return retrying(cart.ClearCart(uow=self._uow()))

    @property
    def place_order(self) -> orders.PlaceOrder:
        return retrying(orders.PlaceOrder(uow=self._uow(), clock=self.clock, ids=self.ids))

    @property
    def get_order(self) -> order_management.GetOrder:
        return order_management.GetOrder(uow=self._uow(read_only=True))

    @property
    def list_orders(self) -> order_management.ListOrders:
        return order_management.ListOrders(uow=self._uow(read_only=True))

    @property
    def list_vendor_orders(self) -> order_management.ListVendorOrders:
        return order_management.ListVendorOrders(uow=self._uow(read_only=True))

    @property
    def cancel_order(self) -> order_management.CancelOrder:
        return retrying(order_management.CancelOrder(uow=self._uow(), clock=self.clock))

    @property
    def change_order_status(self) -> order_management.ChangeOrderStatus:
        return retrying(order_management.ChangeOrderStatus(uow=self._uow(), clock=self.clock))

    # --- reviews and analytics ---------------------------------------------------------------

    @property
    def list_reviews(self) -> reviews_uc.ListReviews:
        return reviews_uc.ListReviews(uow=self._uow(read_only=True))

    @property
    def post_review(self) -> reviews_uc.PostReview:
        return retrying(reviews_uc.PostReview(uow=self._uow(), clock=self.clock))

    @property
    def edit_review(self) -> reviews_uc.EditReview:
        return retrying(reviews_uc.EditReview(uow=self._uow(), clock=self.clock))

    @property
    def delete_review(self) -> reviews_uc.DeleteReview:
        return retrying(reviews_uc.DeleteReview(uow=self._uow()))

    @property
    def vendor_analytics(self) -> analytics_uc.ShowVendorAnalytics:
        return analytics_uc.ShowVendorAnalytics(
            uow=self._uow(read_only=True),
            low_stock_threshold=self.settings.low_stock_threshold,
        )

    # --- maintenance (production helper) -----------------------------------------------------

    @property
    def prune(self) -> maintenance.Prune:
        return retrying(maintenance.Prune(uow=self._uow(), clock=self.clock))

    # --- performance (issue 7) ---------------------------------------------------------------

    def catalog_version(self) -> int | None:
        """The committed catalog version, which every catalog write bumps in its own transaction
        (adapters/sqlalchemy/catalog_version.py); None when there is none to read (in memory,
        or the database is unreachable): then no catalog answer may be cached."""
        reader = self._catalog_versions
        return None if reader is None else reader.read()

    @cached_property
    def _catalog_versions(self) -> VersionReader | None:
        if self.engine is None:
            return None
        return VersionReader(self.engine.url.render_as_string(hide_password=False))


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
