"""The catalog version: bumped by every committed catalog write, on any engine shopcore makes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from shopcore.adapters.sqlalchemy import tables as t
from shopcore.adapters.sqlalchemy.catalog_version import VersionReader
from shopcore.adapters.sqlalchemy.engine import make_engine

NOW = datetime(2026, 11, 24, tzinfo=UTC)


@pytest.fixture
def engine(database_url: str) -> Iterator[sa.Engine]:
    engine = make_engine(database_url)
    yield engine
    with engine.begin() as conn:
        conn.execute(t.categories.delete())
        conn.execute(t.users.delete())
    engine.dispose()


@pytest.fixture
def reader(engine: sa.Engine) -> Iterator[VersionReader]:
    reader = VersionReader(engine)
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
    assert VersionReader(engine).read() is None


def test_an_unreachable_database_reads_as_no_version() -> None:
    engine = make_engine("mysql+pymysql://root@127.0.0.1:1/nothing")
    assert VersionReader(engine).read() is None


def test_a_reader_whose_connection_broke_reads_on_a_new_one(reader: VersionReader) -> None:
    before = _version(reader)
    reader._local.conn.dbapi_connection.close()  # as a server closing an idle connection does

    assert reader.read() == before


RAW_CATALOG_WRITES = [
    "UPDATE products SET stock = 0",
    "  update products set name = 'x'",
    "INSERT INTO categories (name, slug, description, created_at) "
    "VALUES ('r', 'r', '', '2026-11-24 00:00:00')",
    "WITH picked AS (SELECT 1 AS one) UPDATE products SET stock = 1",
    "DELETE FROM product_images",
]


@pytest.mark.parametrize("through", ["exec_driver_sql", "text"])
@pytest.mark.parametrize("sql", RAW_CATALOG_WRITES)
def test_a_raw_sql_write_through_the_engine_bumps_the_version(
    engine: sa.Engine, reader: VersionReader, sql: str, through: str, database_url: str
) -> None:
    if sql.startswith("WITH") and database_url.startswith("mysql"):
        pytest.skip("MariaDB has no UPDATE after a WITH clause")
    before = _version(reader)
    with engine.begin() as conn:
        if through == "text":  # compiled by SQLAlchemy, but it names no table either
            conn.execute(sa.text(sql))
        else:
            conn.exec_driver_sql(sql)
    assert _version(reader) == before + 1


def test_raw_sql_that_writes_nothing_leaves_the_version_alone(
    engine: sa.Engine, reader: VersionReader
) -> None:
    before = _version(reader)
    with engine.begin() as conn:
        conn.exec_driver_sql("SELECT count(*) FROM products")
        conn.execute(sa.text("  select 1"))
    assert _version(reader) == before


def test_core_writes_count_by_the_table_they_name(engine: sa.Engine, reader: VersionReader) -> None:
    before = _version(reader)
    with engine.begin() as conn:  # tables that feed no catalog answer
        conn.execute(sa.delete(t.cart_items))
        conn.execute(sa.update(t.orders).values(status="cancelled"))
        conn.execute(sa.delete(t.idempotency_keys))
        conn.execute(sa.select(t.products).with_for_update()).all()
    assert _version(reader) == before

    with engine.begin() as conn:
        conn.execute(sa.update(t.products).values(stock=t.products.c.stock))
    assert _version(reader) == before + 1


def test_a_catalog_write_inside_a_cte_of_a_select_counts(
    engine: sa.Engine, reader: VersionReader, database_url: str
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("only PostgreSQL runs a data-changing WITH inside a SELECT")
    before = _version(reader)
    changed = sa.update(t.products).values(stock=0).returning(t.products.c.id).cte("changed")
    with engine.begin() as conn:
        conn.execute(sa.select(changed.c.id)).all()
    assert _version(reader) == before + 1


def test_the_reader_sees_every_commit_made_after_its_first_read(
    engine: sa.Engine, reader: VersionReader
) -> None:
    """It reads through the given engine in autocommit: no snapshot (InnoDB REPEATABLE READ)
    from its first read may hide a later commit."""
    before = _version(reader)
    for step in range(1, 4):
        with engine.begin() as conn:
            _category(conn, f"c{step}")
        assert _version(reader) == before + step


def test_the_reader_connects_through_the_engine_it_is_given(engine: sa.Engine) -> None:
    """Not through a second engine built from the URL rendered with its password."""
    seen: list[str] = []
    sa.event.listen(engine, "connect", lambda *_: seen.append("connect"))
    reader = VersionReader(engine)
    try:
        assert reader.read() is not None
    finally:
        reader.dispose()
    assert seen == ["connect"]
    assert engine.pool.checkedout() == 0  # taken out of the pool for good, not leaked into it
