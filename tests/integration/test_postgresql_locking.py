"""PostgreSQL's lock failures go through the retry policy MariaDB's go through.

Deadlocks (40P01), serialization failures (40001) and lock timeouts (55P03) are transient: the
transaction is aborted and nothing of it is kept, so the use case runs again. The real lock
timeout below is the one ``make_engine`` bounds every PostgreSQL connection with.
"""

from __future__ import annotations

import threading

import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from shopcore.adapters.sqlalchemy.catalog_version import VersionReader
from shopcore.adapters.sqlalchemy.engine import make_engine
from shopcore.adapters.sqlalchemy.retry import is_transient
from tests.integration.orders_helpers import Shop, vendor


def pg_error(driver: type[psycopg.Error], cls: type[DBAPIError] = OperationalError) -> DBAPIError:
    return cls("UPDATE products ...", {}, driver("lock trouble"))


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (pg_error(psycopg.errors.DeadlockDetected), True),  # 40P01
        (pg_error(psycopg.errors.SerializationFailure), True),  # 40001
        (pg_error(psycopg.errors.LockNotAvailable), True),  # 55P03: lock_timeout ran out
        (pg_error(psycopg.errors.UniqueViolation, IntegrityError), False),  # 23505
        (pg_error(psycopg.errors.AdminShutdown), False),  # 57P01: not a lock problem
        (pg_error(psycopg.errors.UndefinedTable), False),  # 42P01
    ],
)
def test_postgresql_deadlocks_serialization_failures_and_lock_timeouts_are_transient(
    error, transient
):
    assert is_transient(error) is transient


@pytest.mark.postgresql_only
def test_a_real_lock_timeout_is_recognised_as_transient(app, api, database_url):
    shop = Shop(api)
    product = shop.product(vendor(api)[0], stock=5)
    engine = make_engine(database_url, poolclass=sa.pool.NullPool)
    holding, released = threading.Event(), threading.Event()

    def hold_the_row() -> None:
        with engine.connect() as conn, conn.begin():
            _take(conn, product.id)
            holding.set()
            released.wait(timeout=30)

    holder = threading.Thread(target=hold_the_row)
    holder.start()
    try:
        assert holding.wait(timeout=10)
        with pytest.raises(OperationalError) as raised, engine.connect() as conn, conn.begin():
            conn.exec_driver_sql("SET LOCAL lock_timeout = '100ms'")
            _take(conn, product.id)
    finally:
        released.set()
        holder.join(timeout=30)
        engine.dispose()

    assert raised.value.orig.sqlstate == "55P03"
    assert is_transient(raised.value)
    assert shop.stock(product) == 4  # the holder's change only


@pytest.mark.postgresql_only
def test_every_postgresql_connection_bounds_its_lock_waits_and_reads_committed(database_url):
    engine = make_engine(database_url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SHOW lock_timeout").scalar_one() == "10s"
        isolation = conn.exec_driver_sql("SHOW transaction_isolation").scalar_one()
    engine.dispose()
    assert isolation == "read committed"


def _take(conn: sa.Connection, product_id: int) -> None:
    conn.execute(
        sa.text("UPDATE products SET stock = stock - 1 WHERE id = :id"), {"id": product_id}
    )


@pytest.mark.postgresql_only
def test_the_catalog_version_reader_leaves_no_transaction_open(app, database_url):
    """It keeps its connection between reads: an open transaction there would hold a lock on
    catalog_version for good, and a migration altering that table would wait behind it."""
    reader = VersionReader(app.extensions["shopcore"].engine)
    try:
        assert reader.read() is not None
        engine = make_engine(database_url, poolclass=sa.pool.NullPool)
        with engine.connect() as conn:
            states = conn.exec_driver_sql(
                "SELECT state FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).scalars()
            assert "idle in transaction" not in set(states)
        engine.dispose()
    finally:
        reader.dispose()
