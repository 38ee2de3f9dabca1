"""Integration tests: the real app on SQLite, and on MariaDB/MySQL when SHOP_TEST_MYSQL_URL is set.

Every test that uses ``app``/``client``/``api`` runs once per database. With pytest-xdist each
worker gets its own SQLite file and its own MySQL database. When SHOP_TEST_MYSQL_URL is set and
the server cannot be reached, the tests fail: they never skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from shop_web import create_app
from shopcore.adapters.sqlalchemy.engine import make_engine
from shopcore.adapters.sqlalchemy.migrate import upgrade
from shopcore.adapters.sqlalchemy.tables import metadata
from shopcore.bootstrap import UseCases
from shopcore.use_cases.users import CreateAdminCommand

MYSQL_URL = os.environ.get("SHOP_TEST_MYSQL_URL", "")
DATABASES = ["sqlite", "mysql"] if MYSQL_URL else ["sqlite"]
PASSWORD = "s3cret-pass"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """``mysql_only`` tests run only as the MariaDB/MySQL case of ``database_url``."""
    skip = pytest.mark.skip(reason="MariaDB/MySQL only (set SHOP_TEST_MYSQL_URL)")
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if item.get_closest_marker("mysql_only") and params.get("database_url") != "mysql":
            item.add_marker(skip)


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def _mysql_database_url() -> str:
    """A database of this worker's own, created fresh next to the one CI named."""
    url = sa.make_url(MYSQL_URL)
    name = f"{url.database}_{_worker()}"
    server = make_engine(url.set(database=""), poolclass=sa.pool.NullPool)
    with server.connect() as conn:  # an unreachable server raises here: a failure, not a skip
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS `{name}`")
        conn.exec_driver_sql(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
    server.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session", params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "mysql":
        url = _mysql_database_url()
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'shop.sqlite3'}"
    upgrade(url)
    return url


def test_config(database_url: str, media_root: str, **overrides: Any) -> dict[str, Any]:
    config = {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key-of-at-least-32-bytes!!",
        "RATELIMIT_ENABLED": False,
        "ARGON2_MEMORY_KIB": 1024,  # fast hashing in tests; production uses OWASP's minimum
        "ARGON2_TIME_COST": 1,
        "MEDIA_ROOT": media_root,
        "CORS_ORIGINS": [],
        "TRUSTED_PROXIES": 0,
    }
    config.update(overrides)
    return config


@pytest.fixture(scope="session")
def media_root(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("media"))


@pytest.fixture(scope="session")
def session_app(database_url: str, media_root: str) -> Flask:
    return create_app(test_config(database_url, media_root))


def _empty_tables(use_cases: UseCases) -> None:
    with use_cases.engine.begin() as conn:
        # Rows pointing at rows of their own table (sub-categories) would block the deletes.
        for table in metadata.sorted_tables:
            for fk in table.foreign_keys:
                if fk.column.table is table and fk.parent.nullable:
                    conn.execute(table.update().values({fk.parent.name: None}))
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def app(session_app: Flask) -> Iterator[Flask]:
    """The app of the current database; every table is emptied after the test."""
    yield session_app
    _empty_tables(session_app.extensions["shopcore"])


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


class Api:
    """Test client helper: JSON calls with optional auth, and users of each role."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def call(self, method: str, path: str, token: str | None = None, **kwargs: Any) -> Any:
        headers = kwargs.pop("headers", {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return self.client.open(path, method=method, headers=headers, **kwargs)

    def get(self, path: str, token: str | None = None, **kw: Any) -> Any:
        return self.call("GET", path, token, **kw)

    def post(self, path: str, json: Any = None, token: str | None = None, **kw: Any) -> Any:
        return self.call("POST", path, token, json=json, **kw)

    def put(self, path: str, json: Any = None, token: str | None = None, **kw: Any) -> Any:
        return self.call("PUT", path, token, json=json, **kw)

    def patch(self, path: str, json: Any = None, token: str | None = None, **kw: Any) -> Any:
        return self.call("PATCH", path, token, json=json, **kw)

    def delete(self, path: str, token: str | None = None, **kw: Any) -> Any:
        return self.call("DELETE", path, token, **kw)

    def register(self, role: str = "customer", email: str | None = None) -> dict[str, Any]:
        """A new user of ``role`` (customer or vendor); returns ``{user, access, refresh}``."""
        email = email or f"{role}-{uuid.uuid4().hex[:10]}@example.com"
        body = {"email": email, "password": PASSWORD, "first_name": role.title(),
                "last_name": "Tester", "role": role}  # fmt: skip
        response = self.post("/api/auth/register/", body)
        assert response.status_code == 201, response.get_json()
        return response.get_json()  # type: ignore[no-any-return]

    def token(self, role: str = "customer") -> str:
        """The access token of a fresh user of ``role`` (customer, vendor or admin)."""
        return self.user(role)["access"]  # type: ignore[no-any-return]

    def user(self, role: str = "customer") -> dict[str, Any]:
        if role != "admin":
            return self.register(role)
        email = f"admin-{uuid.uuid4().hex[:10]}@example.com"
        shop: UseCases = self.client.application.extensions["shopcore"]
        shop.create_admin.execute(CreateAdminCommand(email, PASSWORD))
        response = self.post("/api/auth/login/", {"email": email, "password": PASSWORD})
        return response.get_json()  # type: ignore[no-any-return]


@pytest.fixture
def api(client: FlaskClient) -> Api:
    return Api(client)


AppFactory = Callable[..., Flask]


@pytest.fixture
def make_app(app: Flask, database_url: str, media_root: str) -> Iterator[AppFactory]:
    """Build apps with settings of their own (limits, sizes, CORS) on the current database.

    They share the database with ``app``, whose fixture empties the tables afterwards.
    """
    made: list[Flask] = []

    def factory(**overrides: Any) -> Flask:
        made.append(create_app(test_config(database_url, media_root, **overrides)))
        return made[-1]

    yield factory
    for new in made:
        new.extensions["shopcore"].engine.dispose()
