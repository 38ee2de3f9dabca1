"""The app in the harness's own process: which routes exist, tokens for the order scenario,
and how many SQL statements one request of each scenario sends (outside the timed runs)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask
from sqlalchemy import event
from werkzeug.exceptions import MethodNotAllowed, NotFound

from bench.scenarios import Probe


def make_app(database_url: str, secret: str, media_root: str, **config: Any) -> Flask:
    """The app as the servers run it (``config``: the cache settings of the run)."""
    from shop_web import create_app

    return create_app({"DATABASE_URL": database_url, "SECRET_KEY": secret,
                       "RATELIMIT_ENABLED": False, "MEDIA_ROOT": media_root, **config})  # fmt: skip


def has_route(app: Flask, method: str, path: str) -> bool:
    adapter = app.url_map.bind("localhost")
    try:
        adapter.match(path.split("?")[0], method=method)
    except (NotFound, MethodNotAllowed):
        return False
    return True


def issue_tokens(app: Flask, user_ids: list[int]) -> list[str]:
    """An access token per user, from a real login row (as signing in would make), without
    paying argon2 for each: the login use case's own token minter, one transaction."""
    shop = app.extensions["shopcore"]
    tokens = []
    with shop.uow_factory() as uow:
        for user_id in user_ids:
            user = uow.users.get(user_id)
            tokens.append(shop.minter.open_login(uow, user).access)
        uow.commit()
    return tokens


@dataclass(frozen=True)
class SqlCount:
    first: int  # statements of the first request (a cold cache, where there is one)
    repeat: int  # statements of the same request again
    status: int

    def __str__(self) -> str:
        if self.status >= 300:
            return f"HTTP {self.status}"
        return str(self.first) if self.first == self.repeat else f"{self.first} / {self.repeat}"


def count_statements(app: Flask, probe: Probe) -> SqlCount:
    """Statements on the app's engine, plus the catalog-version read of a cacheable request
    (one SELECT, on a connection of its own, so the engine does not see it)."""
    shop = app.extensions["shopcore"]
    engine, read_version = shop.engine, type(shop).catalog_version
    seen: list[str] = []

    def listener(*args: Any) -> None:
        seen.append(args[2])  # the statement

    def counted_version() -> int | None:
        seen.append("SELECT version FROM catalog_version")
        return read_version(shop)  # type: ignore[no-any-return]

    client = app.test_client()
    headers = {"Authorization": f"Bearer {probe.token}"} if probe.token else {}
    event.listen(engine, "before_cursor_execute", listener)
    shop.catalog_version = counted_version
    try:
        counts = []
        for _ in range(2):
            seen.clear()
            response = client.open(probe.path, method=probe.method, headers=headers,
                                   json=probe.body)  # fmt: skip
            counts.append(len(seen))
    finally:
        event.remove(engine, "before_cursor_execute", listener)
        del shop.catalog_version
    return SqlCount(counts[0], counts[1], response.status_code)
