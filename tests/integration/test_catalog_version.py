"""The catalog version: bumped by every committed catalog write, on any engine shopcore makes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from shopcore.adapters.sqlalchemy import tables as t
from shopcore.adapters.sqlalchemy.catalog_version import VersionReader, is_catalog_write
from shopcore.adapters.sqlalchemy.engine import make_engine

NOW = datetime(2026, 11, 24, tzinfo=UTC)


@pytest.mark.parametrize(
    ("statement", "counts"),
    [
        ("UPDATE products SET stock=(products.stock - ?) WHERE products.id = ?", True),
        ("INSERT INTO product_images (product_id) VALUES (%(product_id)s)", True),
        ("DELETE FROM reviews WHERE reviews.id = ?", True),
        ("INSERT INTO `categories` (name) VALUES (%s)", True),
        ("INSERT OR IGNORE INTO products (id) VALUES (1)", True),
        ("UPDATE users SET first_name=? WHERE users.id = ?", True),
        ("DELETE FROM users WHERE id = 1", True),
        ("  update products set name = 'x'", True),
        ("WITH picked AS (SELECT 1) UPDATE products SET stock = 0", True),
        ("INSERT INTO some_future_table (a) VALUES (1)", True),  # counts until decided
        ("INSERT INTO users (email) VALUES (?)", False),  # a new user is in no answer
        ("INSERT INTO orders (order_number) VALUES (?)", False),
        ("UPDATE orders SET status=? WHERE orders.id = ?", False),
        ("INSERT INTO order_lines (order_id) VALUES (?)", False),
        ("DELETE FROM cart_items WHERE user_id = ?", False),
        ("UPDATE logins SET revoked_at=?", False),
        ("INSERT INTO refresh_tokens (jti) VALUES (?)", False),
        ("INSERT INTO idempotency_keys (key) VALUES (?)", False),
        ("UPDATE catalog_version SET version = version + 1 WHERE id = 1", False),
        ("SELECT * FROM products WHERE slug = ? FOR UPDATE", False),
        ("BEGIN IMMEDIATE", False),
        ("CREATE TRIGGER t AFTER INSERT ON products BEGIN INSERT INTO x VALUES (1); END", False),
        ("WITH picked AS (SELECT 1) UPDATE orders SET status = 'x'", False),
    ],
)
def test_statements_that_can_change_a_catalog_answer_are_recognised(
    statement: str, counts: bool
) -> None:
    assert is_catalog_write(statement) is counts


@pytest.fixture
def engine(database_url: str) -> Iterator[sa.Engine]:
    engine = make_engine(database_url)
    yield engine
    with engine.begin() as conn:
        conn.execute(t.categories.delete())
        conn.execute(t.users.delete())
    engine.dispose()


@pytest.fixture
def reader(database_url: str) -> Iterator[VersionReader]:
    reader = VersionReader(database_url)
    yield reader
    reader.dispose()


def _category(conn: sa.Connection, name: str) -> None:
    conn.execute(sa.insert(t.categories).values(name=name, slug=name, description="",
                                                created_at=NOW))  # fmt: skip


def _version(reader: VersionReader) -> int:
    version = reader.read()
    assert version is not None
    return version


def test_a_committed_catalog_write_bumps_the_version_once(
    engine: sa.Engine, reader: VersionReader
) -> None:
    before = _version(reader)
    with engine.begin() as conn:
        _category(conn, "a")
        _category(conn, "b")
        assert _version(reader) == before  # not before the commit, seen from elsewhere

    assert _version(reader) == before + 1


def test_a_rolled_back_write_leaves_the_version_alone(
    engine: sa.Engine, reader: VersionReader
) -> None:
    before = _version(reader)
    with engine.connect() as conn:
        _category(conn, "a")
        conn.rollback()
    with engine.begin() as conn:  # the same pooled connection: no leftover mark
        conn.execute(sa.select(t.categories)).all()

    assert _version(reader) == before


def test_writes_outside_the_catalog_leave_the_version_alone(
    engine: sa.Engine, reader: VersionReader
) -> None:
    before = _version(reader)
    with engine.begin() as conn:
        conn.execute(sa.insert(t.users).values(email="a@example.com", password_hash="x",
                                               role="customer", is_active=True,
                                               date_joined=NOW))  # fmt: skip
    assert _version(reader) == before

    with engine.begin() as conn:
        conn.execute(sa.update(t.users).values(first_name="Ann"))
    assert _version(reader) == before + 1


def test_a_deleted_version_row_reads_as_none_and_comes_back_higher(
    engine: sa.Engine, reader: VersionReader
) -> None:
    before = _version(reader)
    with engine.begin() as conn:
        conn.execute(t.catalog_version.delete())
    assert reader.read() is None  # nothing may be cached now

    with engine.begin() as conn:
        _category(conn, "a")

    assert _version(reader) > before


def test_a_schema_without_the_version_table_writes_normally_and_caches_nothing(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    engine = make_engine(url)
    t.metadata.create_all(engine, tables=[t.categories])
    with engine.begin() as conn:
        _category(conn, "a")

    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(t.categories)).scalar() == 1
    assert VersionReader(url).read() is None


def test_an_unreachable_database_reads_as_no_version() -> None:
    assert VersionReader("mysql+pymysql://root@127.0.0.1:1/nothing").read() is None


def test_a_reader_whose_connection_broke_reads_on_a_new_one(reader: VersionReader) -> None:
    before = _version(reader)
    reader._local.conn.dbapi_connection.close()  # as a server closing an idle connection does

    assert reader.read() == before
