"""Integration tests: the real app on SQLite, on MariaDB/MySQL when SHOP_TEST_MYSQL_URL is set,
and on PostgreSQL when SHOP_TEST_PG_URL is set.

Every test that uses ``app``/``client``/``api`` runs once per database. With pytest-xdist each
worker gets its own SQLite file and its own MySQL and PostgreSQL databases. When a URL is set and
its server cannot be reached, the tests fail: they never skip.
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
from shopcore.adapters.sqlalchemy.databases import create_database
from shopcore.adapters.sqlalchemy.migrate import upgrade
from shopcore.adapters.sqlalchemy.tables import metadata
from shopcore.bootstrap import UseCases
from shopcore.use_cases.users import CreateAdminCommand

MYSQL_URL = os.environ.get("SHOP_TEST_MYSQL_URL", "")
PG_URL = os.environ.get("SHOP_TEST_PG_URL", "")
# The database servers configured for this run, by the name of their ``database_url`` case.
SERVER_URLS = {name: url for name, url in (("mysql", MYSQL_URL), ("postgresql", PG_URL)) if url}
DATABASES = ["sqlite", *SERVER_URLS]
PASSWORD = "s3cret-pass"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """``server_db`` tests run only as the MariaDB/MySQL and PostgreSQL cases of
    ``database_url``; ``mysql_only`` and ``postgresql_only`` tests as that one case alone."""
    server = pytest.mark.skip(reason="needs a database server (SHOP_TEST_MYSQL_URL/_PG_URL)")
    only = {
        "mysql_only": ("mysql", pytest.mark.skip(reason="MariaDB/MySQL only")),
        "postgresql_only": ("postgresql", pytest.mark.skip(reason="PostgreSQL only")),
    }
    for item in items:
        database = getattr(getattr(item, "callspec", None), "params", {}).get("database_url")
        if item.get_closest_marker("server_db") and database not in SERVER_URLS:
            item.add_marker(server)
        for marker, (wanted, skip) in only.items():
            if item.get_closest_marker(marker) and database != wanted:
                item.add_marker(skip)


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def server_database_url(kind: str, suffix: str = "") -> str:
    """A database of this worker's own, created fresh next to the one CI named for ``kind``.

    An unreachable server raises here: a failure, not a skip.
    """
    url = sa.make_url(SERVER_URLS[kind])
    name = f"{url.database}{suffix}_{_worker()}"
    rendered = url.set(database=name).render_as_string(hide_password=False)
    create_database(rendered)
    return rendered


@pytest.fixture(scope="session", params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param in SERVER_URLS:
        url = server_database_url(request.param)
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
