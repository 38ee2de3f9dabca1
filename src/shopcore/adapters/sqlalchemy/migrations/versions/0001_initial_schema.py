"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-24 04:05:25.065476
"""

from __future__ import annotations

import time

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "categories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["categories.id"],
            name=op.f("fk_categories_parent_id_categories"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_categories")),
        sa.UniqueConstraint("slug", name=op.f("uq_categories_slug")),
    )
    with op.batch_alter_table("categories", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_categories_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "email",
            sa.String(length=254).with_variant(
                mysql.VARCHAR(length=254, collation="utf8mb4_bin"), "mysql"
            ),
            nullable=False,
        ),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("first_name", sa.String(length=100), server_default="", nullable=False),
        sa.Column("last_name", sa.String(length=100), server_default="", nullable=False),
        sa.Column("phone", sa.String(length=32), server_default="", nullable=False),
        sa.Column("address", sa.String(length=500), server_default="", nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("profile_image", sa.String(length=255), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column(
            "date_joined",
            sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_users_role"), ["role"], unique=False)

    op.create_table(
        "idempotency_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "key",
            sa.String(length=255).with_variant(
                mysql.VARCHAR(length=255, collation="utf8mb4_bin"), "mysql"
            ),
            nullable=False,
        ),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("order_number", sa.String(length=32), nullable=True),
        sa.Column(
            "created_at", sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_idempotency_keys_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_keys")),
        sa.UniqueConstraint("user_id", "key", name=op.f("uq_idempotency_keys_user_id_key")),
    )
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_idempotency_keys_created_at"), ["created_at"], unique=False
        )

    op.create_table(
        "logins",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql"), nullable=False
        ),
        sa.Column(
            "expires_at", sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql"), nullable=False
        ),
        sa.Column(
            "revoked_at", sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql"), nullable=True
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_logins_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_logins")),
    )
    with op.batch_alter_table("logins", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_logins_expires_at"), ["expires_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_logins_user_id"), ["user_id"], unique=False)

    op.create_table(
        "orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_number", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("payment_method", sa.String(length=16), nullable=False),
        sa.Column("payment_status", sa.String(length=16), nullable=False),
        sa.Column("subtotal", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("shipping_cost", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("total", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("ship_full_name", sa.String(length=200), nullable=False),
        sa.Column("ship_phone", sa.String(length=32), nullable=False),
        sa.Column("ship_address_line1", sa.String(length=255), nullable=False),
        sa.Column("ship_address_line2", sa.String(length=255), server_default="", nullable=False),
        sa.Column("ship_city", sa.String(length=100), nullable=False),
        sa.Column("ship_state", sa.String(length=100), server_default="", nullable=False),
        sa.Column("ship_postal_code", sa.String(length=20), nullable=False),
        sa.Column("ship_country", sa.String(length=100), nullable=False),
        sa.Column(
            "created_at", sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql"), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_orders_user_id_users"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orders")),
        sa.UniqueConstraint("order_number", name=op.f("uq_orders_order_number")),
    )
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_orders_created_at"), ["created_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_orders_status_created_at"), ["status", "created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_orders_user_id_created_at"), ["user_id", "created_at"], unique=False
        )

    op.create_table(
        "products",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vendor_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("slug", sa.String(length=220), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("price", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("discount_price", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("final_price", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("stock", sa.Integer(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("rating_avg", sa.Numeric(precision=3, scale=2), nullable=True),
        sa.Column("rating_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column(
            "created_at", sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql"), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql"), nullable=False
        ),
        sa.CheckConstraint("price > 0", name=op.f("ck_products_price_positive")),
        sa.CheckConstraint("stock >= 0", name=op.f("ck_products_stock_not_negative")),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["categories.id"],
            name=op.f("fk_products_category_id_categories"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["vendor_id"],
            ["users.id"],
            name=op.f("fk_products_vendor_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_products")),
        sa.UniqueConstraint("slug", name=op.f("uq_products_slug")),
    )
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_products_category_id_is_active"),
            ["category_id", "is_active"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_products_is_active_created_at_id"),
            ["is_active", "created_at", "id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_products_is_active_final_price_id"),
            ["is_active", "final_price", "id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_products_is_active_name_id"), ["is_active", "name", "id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_products_is_active_rating_avg_id"),
            ["is_active", "rating_avg", "id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_products_vendor_id_is_active"), ["vendor_id", "is_active"], unique=False
        )
    create_product_search()

    op.create_table(
        "cart_items",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column(
            "added_at", sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql"), nullable=False
        ),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_cart_items_quantity_positive")),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_cart_items_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_cart_items_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "product_id", name=op.f("pk_cart_items")),
    )
    op.create_table(
        "order_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("payment_status", sa.String(length=16), nullable=False),
        sa.Column("by_user_id", sa.Integer(), nullable=True),
        sa.Column("by_name", sa.String(length=200), server_default="", nullable=False),
        sa.Column("at", sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql"), nullable=False),
        sa.ForeignKeyConstraint(
            ["by_user_id"],
            ["users.id"],
            name=op.f("fk_order_history_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
            name=op.f("fk_order_history_order_id_orders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_history")),
    )
    with op.batch_alter_table("order_history", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_order_history_order_id_at"), ["order_id", "at"], unique=False
        )

    op.create_table(
        "order_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("vendor_id", sa.Integer(), nullable=False),
        sa.Column("product_slug", sa.String(length=220), nullable=False),
        sa.Column("product_name", sa.String(length=200), nullable=False),
        sa.Column("unit_price", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("line_total", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_order_lines_quantity_positive")),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
            name=op.f("fk_order_lines_order_id_orders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_order_lines_product_id_products"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["vendor_id"],
            ["users.id"],
            name=op.f("fk_order_lines_vendor_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_lines")),
    )
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_order_lines_order_id"), ["order_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_order_lines_product_id"), ["product_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_order_lines_vendor_id_order_id"), ["vendor_id", "order_id"], unique=False
        )

    op.create_table(
        "product_images",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=255), nullable=False),
        sa.Column("thumbnail_path", sa.String(length=255), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_product_images_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_images")),
    )
    with op.batch_alter_table("product_images", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_product_images_product_id_position"),
            ["product_id", "position"],
            unique=False,
        )

    op.create_table(
        "refresh_tokens",
        sa.Column("jti", sa.String(length=64), nullable=False),
        sa.Column("login_id", sa.String(length=64), nullable=False),
        sa.Column(
            "expires_at", sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql"), nullable=False
        ),
        sa.Column(
            "used_at", sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql"), nullable=True
        ),
        sa.ForeignKeyConstraint(
            ["login_id"],
            ["logins.id"],
            name=op.f("fk_refresh_tokens_login_id_logins"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("jti", name=op.f("pk_refresh_tokens")),
    )
    with op.batch_alter_table("refresh_tokens", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_refresh_tokens_expires_at"), ["expires_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_refresh_tokens_login_id"), ["login_id"], unique=False)

    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("rating", sa.SmallInteger(), nullable=False),
        sa.Column("title", sa.String(length=120), server_default="", nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("verified_purchase", sa.Boolean(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql"), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql"), nullable=False
        ),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name=op.f("ck_reviews_rating_range")),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_reviews_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_reviews_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
        sa.UniqueConstraint("product_id", "user_id", name=op.f("uq_reviews_product_id_user_id")),
    )
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reviews_product_id_created_at"),
            ["product_id", "created_at"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_reviews_user_id"), ["user_id"], unique=False)

    create_catalog_version()


def downgrade() -> None:
    op.drop_table("catalog_version")
    # Tables only: their indexes go with them. Dropping an index first fails on MySQL when
    # it backs a foreign key.
    op.drop_table("reviews")
    op.drop_table("refresh_tokens")
    op.drop_table("product_images")
    op.drop_table("order_lines")
    op.drop_table("order_history")
    op.drop_table("cart_items")
    drop_product_search()
    op.drop_table("products")
    op.drop_table("orders")
    op.drop_table("logins")
    op.drop_table("idempotency_keys")
    op.drop_table("users")
    op.drop_table("categories")


# --- product search (dialect-specific, so written by hand) -----------------------------------
# MySQL/MariaDB: a FULLTEXT index (declared in tables.py as well). SQLite: an FTS5 table over
# products' name and description, kept in step by triggers; the models-vs-migration comparison
# skips it (migrations/env.py). A later migration that rebuilds ``products`` with
# batch_alter_table on SQLite drops these triggers and must create them again.
SQLITE_PRODUCT_SEARCH = (
    "CREATE VIRTUAL TABLE products_fts USING fts5(name, description, content='products', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER products_fts_insert AFTER INSERT ON products BEGIN "
    "INSERT INTO products_fts(rowid, name, description) "
    "VALUES (new.id, new.name, new.description); END",
    "CREATE TRIGGER products_fts_delete AFTER DELETE ON products BEGIN "
    "INSERT INTO products_fts(products_fts, rowid, name, description) "
    "VALUES ('delete', old.id, old.name, old.description); END",
    "CREATE TRIGGER products_fts_update AFTER UPDATE OF name, description ON products BEGIN "
    "INSERT INTO products_fts(products_fts, rowid, name, description) "
    "VALUES ('delete', old.id, old.name, old.description); "
    "INSERT INTO products_fts(rowid, name, description) "
    "VALUES (new.id, new.name, new.description); END",
)
# PostgreSQL: full-text search over a text folded the way FTS5 tokenizes (lower case, accents
# off through the unaccent extension, each run of letters and digits a word), with a GIN index:
# - shop_search_text(text): ' creme brulee torch ', every run of non-alphanumerics one space;
# - shop_search_vector(text): its words as a tsvector of the 'simple' configuration (no
#   stemming, no stopwords), indexed over name || ' ' || description;
# - shop_search_query(text): the words of a search folded the same way, each a prefix
#   ('creme:* & brulee:*'); NULL, which matches nothing, when nothing is left of them.
# unaccent() is only STABLE (it finds its dictionary by name), so the wrapper names the
# dictionary with its schema and is declared IMMUTABLE, which an index expression requires.
# CREATE EXTENSION needs a superuser, or (PostgreSQL 13+) the database owner, unaccent being a
# trusted extension; where the app's user may do neither, a DBA runs
# ``CREATE EXTENSION unaccent`` once beforehand and the migration finds it.
POSTGRESQL_SEARCH_FUNCTIONS = (
    """CREATE FUNCTION shop_search_text(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT ' ' || regexp_replace(
        lower({unaccent}.unaccent('{unaccent}.unaccent'::regdictionary, $1)),
        '[^[:alnum:]]+', ' ', 'g') || ' ' $$""",
    """CREATE FUNCTION shop_search_vector(text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT to_tsvector('pg_catalog.simple', shop_search_text($1)) $$""",
    """CREATE FUNCTION shop_search_query(text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT to_tsquery('pg_catalog.simple',
        replace(NULLIF(btrim(shop_search_text($1)), ''), ' ', ':* & ') || ':*') $$""",
    "CREATE INDEX ix_products_search ON products "
    "USING gin (shop_search_vector(name || ' ' || description))",
)
# Sorting as on SQLite and MySQL: names case-insensitively, unrated products lowest (PostgreSQL
# sorts NULL above every value), each indexed like tables.py's plain (is_active, name, id) and
# (is_active, rating_avg, id), which the comparison with tables.py still finds.
POSTGRESQL_SORT_INDEXES = (
    "CREATE INDEX ix_products_is_active_lower_name_id ON products (is_active, lower(name), id)",
    "CREATE INDEX ix_products_is_active_rating_avg_nulls_first_id "
    "ON products (is_active, rating_avg NULLS FIRST, id)",
)


def create_product_search() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "mysql":
        op.create_index(
            "ft_products_name_description",
            "products",
            ["name", "description"],
            mysql_prefix="FULLTEXT",
        )
    elif dialect == "sqlite":
        for statement in SQLITE_PRODUCT_SEARCH:
            op.execute(statement)
    elif dialect == "postgresql":
        unaccent = _postgresql_extension("unaccent")
        for statement in (*POSTGRESQL_SEARCH_FUNCTIONS, *POSTGRESQL_SORT_INDEXES):
            op.execute(statement.replace("{unaccent}", unaccent))


def _postgresql_extension(name: str) -> str:
    """Create extension ``name`` unless it exists; the (quoted) schema it lives in."""
    op.execute(f"CREATE EXTENSION IF NOT EXISTS {name}")
    schema = (
        op.get_bind()
        .exec_driver_sql(
            "SELECT quote_ident(n.nspname) FROM pg_extension e "
            "JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = %(name)s",
            {"name": name},
        )
        .scalar_one()
    )
    return str(schema)


def drop_product_search() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "mysql":
        op.drop_index("ft_products_name_description", table_name="products")
    elif dialect == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS products_fts_{trigger}")
        op.execute("DROP TABLE IF EXISTS products_fts")
    elif dialect == "postgresql":  # the other indexes go with the table; the extension stays
        op.execute("DROP INDEX IF EXISTS ix_products_search")
        for function in ("shop_search_query", "shop_search_vector", "shop_search_text"):
            op.execute(f"DROP FUNCTION IF EXISTS {function}(text)")


# --- the catalog version (adapters/sqlalchemy/catalog_version.py) ----------------------------
# One row, bumped in the same transaction as every catalog write; public catalog answers are
# cached under it. It starts at microseconds since 1970, so a new database never reuses a
# version that a shared cache (Redis) may still hold answers of an older database under.
def create_catalog_version() -> None:
    table = op.create_table(
        "catalog_version",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_version")),
    )
    op.bulk_insert(table, [{"id": 1, "version": time.time_ns() // 1000}])
