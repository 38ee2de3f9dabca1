"""The database schema as SQLAlchemy Core tables.

Alembic migrations create it (``shop db upgrade``); a test checks that these tables and the
migrations agree. Repositories map rows to domain entities explicitly, so the domain never sees
SQLAlchemy.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects import mysql
from sqlalchemy.types import TypeDecorator

from shopcore.domain.clock import as_utc

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UTCDateTime(TypeDecorator[object]):
    """Timestamps stored as naive UTC with microseconds, read back as aware UTC."""

    impl = DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect):  # type: ignore[no-untyped-def]
        if dialect.name == "mysql":
            return dialect.type_descriptor(mysql.DATETIME(fsp=6))
        return dialect.type_descriptor(DateTime())

    def process_bind_param(self, value, dialect):  # type: ignore[no-untyped-def]
        return None if value is None else as_utc(value).replace(tzinfo=None)

    def process_result_value(self, value, dialect):  # type: ignore[no-untyped-def]
        return None if value is None else as_utc(value)


def Money() -> Numeric[Decimal]:  # noqa: N802 - reads like a type in table definitions
    return Numeric(12, 2, asdecimal=True)


def storable(text: str) -> bool:
    """False for text no column can hold: PostgreSQL refuses the NUL character in text, even as
    a parameter, where SQLite and MySQL would compare it. A look-up by such text finds nothing,
    so the repositories answer that without asking, alike on every database."""
    return "\x00" not in text


def ExactString(length: int) -> String:  # noqa: N802 - reads like a type in table definitions
    """Text compared code point for code point. MySQL's default collation would make ``KEY``
    equal ``key`` and ``josé@`` equal ``jose@``: two idempotency keys, or two addresses, one."""
    return String(length).with_variant(mysql.VARCHAR(length, collation="utf8mb4_bin"), "mysql")


users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", ExactString(254), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("first_name", String(100), nullable=False, server_default=""),
    Column("last_name", String(100), nullable=False, server_default=""),
    Column("phone", String(32), nullable=False, server_default=""),
    Column("address", String(500), nullable=False, server_default=""),
    Column("role", String(16), nullable=False),
    Column("profile_image", String(255)),
    Column("is_active", Boolean, nullable=False),
    Column("date_joined", UTCDateTime, nullable=False),
    Index(None, "role"),
)

logins = Table(
    "logins",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime),
    Index(None, "user_id"),
    Index(None, "expires_at"),
)

refresh_tokens = Table(
    "refresh_tokens",
    metadata,
    Column("jti", String(64), primary_key=True),
    Column("login_id", String(64), ForeignKey("logins.id", ondelete="CASCADE"), nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("used_at", UTCDateTime),
    Index(None, "login_id"),
    Index(None, "expires_at"),
)

categories = Table(
    "categories",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False),
    Column("slug", String(120), nullable=False, unique=True),
    Column("description", Text, nullable=False),
    Column("parent_id", Integer, ForeignKey("categories.id", ondelete="RESTRICT")),
    Column("created_at", UTCDateTime, nullable=False),
    Index(None, "parent_id"),
)

products = Table(
    "products",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("vendor_id", Integer, ForeignKey("users.id", ondelete="RESTRICT"), nullable=False),
    Column(
        "category_id", Integer, ForeignKey("categories.id", ondelete="RESTRICT"), nullable=False
    ),
    Column("name", String(200), nullable=False),
    Column("slug", String(220), nullable=False, unique=True),
    Column("description", Text, nullable=False),
    Column("price", Money(), nullable=False),
    Column("discount_price", Money()),
    # Derived from price and discount_price by the domain, stored so that filters, ordering and
    # their indexes work on it; the repository writes it from Product.final_price every time.
    Column("final_price", Money(), nullable=False),
    Column("stock", Integer, nullable=False),
    Column("is_active", Boolean, nullable=False),
    Column("rating_avg", Numeric(3, 2, asdecimal=True)),
    Column("rating_count", Integer, nullable=False, server_default="0"),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    CheckConstraint("stock >= 0", name="stock_not_negative"),
    CheckConstraint("price > 0", name="price_positive"),
    Index(None, "is_active", "created_at", "id"),
    Index(None, "is_active", "final_price", "id"),
    Index(None, "is_active", "name", "id"),
    Index(None, "is_active", "rating_avg", "id"),
    Index(None, "category_id", "is_active"),
    Index(None, "vendor_id", "is_active"),
    # Search. MySQL/MariaDB only: SQLite searches the FTS5 table ``products_fts`` instead,
    # which the initial migration creates with the triggers that keep it in step.
    Index("ft_products_name_description", "name", "description", mysql_prefix="FULLTEXT"),
)

product_images = Table(
    "product_images",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("product_id", Integer, ForeignKey("products.id", ondelete="CASCADE"), nullable=False),
    Column("path", String(255), nullable=False),
    Column("thumbnail_path", String(255), nullable=False),
    Column("width", Integer, nullable=False),
    Column("height", Integer, nullable=False),
    Column("position", Integer, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index(None, "product_id", "position"),
)

cart_items = Table(
    "cart_items",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("product_id", Integer, ForeignKey("products.id", ondelete="CASCADE"), primary_key=True),
    Column("quantity", Integer, nullable=False),
    Column("added_at", UTCDateTime, nullable=False),
    CheckConstraint("quantity > 0", name="quantity_positive"),
)

orders = Table(
    "orders",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("order_number", String(32), nullable=False, unique=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="RESTRICT"), nullable=False),
    Column("status", String(16), nullable=False),
    Column("payment_method", String(16), nullable=False),
    Column("payment_status", String(16), nullable=False),
    Column("subtotal", Money(), nullable=False),
    Column("shipping_cost", Money(), nullable=False),
    Column("total", Money(), nullable=False),
    Column("ship_full_name", String(200), nullable=False),
    Column("ship_phone", String(32), nullable=False),
    Column("ship_address_line1", String(255), nullable=False),
    Column("ship_address_line2", String(255), nullable=False, server_default=""),
    Column("ship_city", String(100), nullable=False),
    Column("ship_state", String(100), nullable=False, server_default=""),
    Column("ship_postal_code", String(20), nullable=False),
    Column("ship_country", String(100), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index(None, "user_id", "created_at"),
    Index(None, "status", "created_at"),
    Index(None, "created_at"),
)

order_lines = Table(
    "order_lines",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("order_id", Integer, ForeignKey("orders.id", ondelete="CASCADE"), nullable=False),
    Column("product_id", Integer, ForeignKey("products.id", ondelete="RESTRICT"), nullable=False),
    Column("vendor_id", Integer, ForeignKey("users.id", ondelete="RESTRICT"), nullable=False),
    Column("product_slug", String(220), nullable=False),
    Column("product_name", String(200), nullable=False),
    Column("unit_price", Money(), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("line_total", Money(), nullable=False),
    CheckConstraint("quantity > 0", name="quantity_positive"),
    Index(None, "order_id"),
    Index(None, "product_id"),
    Index(None, "vendor_id", "order_id"),
)

order_history = Table(
    "order_history",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("order_id", Integer, ForeignKey("orders.id", ondelete="CASCADE"), nullable=False),
    Column("status", String(16), nullable=False),
    Column("payment_status", String(16), nullable=False),
    Column("by_user_id", Integer, ForeignKey("users.id", ondelete="SET NULL")),
    Column("by_name", String(200), nullable=False, server_default=""),
    Column("at", UTCDateTime, nullable=False),
    Index(None, "order_id", "at"),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("key", ExactString(255), nullable=False),
    Column("request_hash", String(64), nullable=False),
    Column("order_number", String(32)),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("user_id", "key"),
    Index(None, "created_at"),
)

reviews = Table(
    "reviews",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("product_id", Integer, ForeignKey("products.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("rating", SmallInteger, nullable=False),
    Column("title", String(120), nullable=False, server_default=""),
    Column("comment", Text, nullable=False),
    Column("verified_purchase", Boolean, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("product_id", "user_id"),
    CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
    Index(None, "product_id", "created_at"),
    Index(None, "user_id"),
)

# One row: the catalog version, bumped in the same transaction as every write that can change a
# public catalog answer, which is cached under it (see catalog_version.py).
catalog_version = Table(
    "catalog_version",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("version", BigInteger, nullable=False),
)
