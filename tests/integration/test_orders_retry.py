"""Deadlocks and lock timeouts: recognised, reported by the SQL unit of work as the port's
TransientConflict, retried by the one policy a bounded number of times, then a clean 503.
The policy itself is unit-tested in tests/unit/test_retry_policy.py."""

from __future__ import annotations

import sqlite3
import threading

import pymysql
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError

from shopcore.adapters.sqlalchemy.engine import make_engine
from shopcore.adapters.sqlalchemy.retry import is_transient
from shopcore.adapters.sqlalchemy.stock import SqlStockRepository
from shopcore.adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWork
from shopcore.ports.unit_of_work import TransientConflict
from tests.integration.orders_helpers import Shop, vendor


def mysql_error(code: int, cls=OperationalError, driver=pymysql.err.OperationalError):
    return cls("UPDATE products ...", {}, driver(code, "lock trouble"))


def sqlite_error(message: str):
    return OperationalError("BEGIN IMMEDIATE", {}, sqlite3.OperationalError(message))


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (mysql_error(1213), True),
        (mysql_error(1205), True),
        (sqlite_error("database is locked"), True),
        (mysql_error(2006), False),  # server has gone away: not a lock problem
        (mysql_error(1062, IntegrityError, pymysql.err.IntegrityError), False),
        (sqlite_error("no such table: orders"), False),
        (ValueError("nope"), False),
    ],
)
def test_only_deadlocks_and_lock_timeouts_are_transient(error, transient):
    assert is_transient(error) is transient


@pytest.mark.parametrize("error", [mysql_error(1213), mysql_error(1205)])
def test_the_sql_unit_of_work_reports_a_deadlock_or_lock_timeout_as_a_transient_conflict(
    app, error
):
    uow = SqlAlchemyUnitOfWork(app.extensions["shopcore"].engine)
    with pytest.raises(TransientConflict) as caught, uow:
        raise error
    assert caught.value.__cause__ is error and caught.value.final is None


def test_the_sql_unit_of_work_leaves_other_database_errors_as_they_are(app):
    uow, error = SqlAlchemyUnitOfWork(app.extensions["shopcore"].engine), mysql_error(2006)
    with pytest.raises(OperationalError) as caught, uow:
        raise error
    assert caught.value is error


def test_a_locked_sqlite_database_at_begin_is_a_transient_conflict(tmp_path, monkeypatch):
    engine = make_engine(f"sqlite:///{tmp_path / 'locked.sqlite3'}")

    def locked(self):
        raise sqlite_error("database is locked")

    monkeypatch.setattr(sa.Connection, "begin", locked)
    with pytest.raises(TransientConflict), SqlAlchemyUnitOfWork(engine):
        pass  # pragma: no cover - never entered
    engine.dispose()


def test_a_deadlock_during_placing_is_retried_invisibly(api, monkeypatch):
    shop = Shop(api)
    tea = shop.product(vendor(api)[0], "tea", stock=5)
    real_take, failures = SqlStockRepository.take, []

    def deadlock_once(self, product_id, quantity):
        if not failures:
            failures.append(1)
            raise mysql_error(1213)
        return real_take(self, product_id, quantity)

    monkeypatch.setattr(SqlStockRepository, "take", deadlock_once)
    assert shop.order(api.token(), [("tea", 2)]).status_code == 201
    assert shop.stock(tea) == 3 and failures == [1]


def test_a_database_that_stays_deadlocked_answers_503_with_retry_after(api, monkeypatch):
    shop = Shop(api)
    tea = shop.product(vendor(api)[0], "tea", stock=5)

    def always_deadlocked(self, product_id, quantity):
        raise mysql_error(1213)

    monkeypatch.setattr(SqlStockRepository, "take", always_deadlocked)
    token = api.token()
    response = shop.order(token, [("tea", 2)])

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert response.get_json()["code"] == 503
    monkeypatch.undo()
    assert shop.stock(tea) == 5
    assert api.get("/api/orders/", token).get_json()["count"] == 0


@pytest.mark.server_db
def test_a_real_deadlock_is_recognised_as_transient(app, api, database_url):
    """Two transactions lock two rows in opposite order: InnoDB picks a victim with 1213,
    PostgreSQL with SQLSTATE 40P01."""
    shop = Shop(api)
    seller = vendor(api)[0]
    first, second = shop.product(seller, stock=5), shop.product(seller, stock=5)
    engine = make_engine(database_url, poolclass=sa.pool.NullPool)
    locked = threading.Barrier(2)
    errors: list[BaseException] = []

    def lock(ids: tuple[int, int]) -> None:
        with engine.connect() as conn, conn.begin():
            try:
                _take(conn, ids[0])
                locked.wait(timeout=10)
                _take(conn, ids[1])
            except OperationalError as error:
                errors.append(error)

    threads = [threading.Thread(target=lock, args=(ids,))
               for ids in ((first.id, second.id), (second.id, first.id))]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    engine.dispose()
    assert len(errors) == 1 and is_transient(errors[0])
    if engine.dialect.name == "mysql":
        assert errors[0].orig.args[0] == 1213
    else:
        assert errors[0].orig.sqlstate == "40P01"


def _take(conn: sa.Connection, product_id: int) -> None:
    conn.execute(
        sa.text("UPDATE products SET stock = stock - 1 WHERE id = :id"), {"id": product_id}
    )
