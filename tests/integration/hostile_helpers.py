"""Helpers for the hostile tests (no tests here): a small shop, raw requests, database snapshots.

The hostile tests attack the real app in-process, as a client that ignores the contract would:
wrong types, broken bodies, other people's resources, forged tokens, races. After every refusal
they check that nothing was written, by comparing every table before and after.
"""

from __future__ import annotations

import io
import json
import threading
import uuid
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image

from shopcore.adapters.sqlalchemy import tables as t
from shopcore.adapters.sqlalchemy.tables import metadata
from shopcore.bootstrap import UseCases
from tests.integration.catalog_helpers import write_order
from tests.integration.conftest import Api

SHIPPING = {
    "full_name": "Ann Lee", "phone": "+91 98765 43210", "address_line1": "1 Main St",
    "city": "Pune", "postal_code": "411001", "country": "IN",
}  # fmt: skip
MEGABYTE = "x" * 1_000_000
# Tables whose rows change on reads or on refusals by design, left out of "nothing was written".
VOLATILE = {"catalog_version"}


def send(
    client: FlaskClient, method: str, path: str, body: Any = None, token: str | None = None,
    **kwargs: Any,
) -> Any:  # fmt: skip
    """A JSON request; ``body`` may be raw bytes/str, or any value ``json.dumps`` can write
    (unlike the app's orjson, that includes integers beyond 64 bits)."""
    headers = dict(kwargs.pop("headers", {}))
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if body is not None and not isinstance(body, bytes | str):
        body = json.dumps(body)
    kwargs.setdefault("content_type", "application/json")
    return client.open(path, method=method, data=body, headers=headers, **kwargs)


def snapshot(app: Flask) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (but VOLATILE ones), in a stable order."""
    engine: sa.Engine = app.extensions["shopcore"].engine
    with engine.connect() as conn:
        return {
            table.name: sorted(tuple(map(repr, row)) for row in conn.execute(sa.select(table)))
            for table in metadata.sorted_tables
            if table.name not in VOLATILE
        }


def refusal(response: Any, *statuses: int) -> str | None:
    """None when ``response`` is one of ``statuses`` with the error shape, else what is wrong."""
    body = response.get_json(silent=True)
    if response.status_code not in statuses:
        return f"{response.status_code} {response.get_data()[:200]!r}"
    if not isinstance(body, dict) or body.get("code") != response.status_code:
        return f"not the error shape: {response.get_data()[:200]!r}"
    if not isinstance(body.get("message"), str) or not isinstance(body.get("status"), str):
        return f"not the error shape: {body}"
    errors = body.get("errors", {})
    if not all(isinstance(v, list) and all(isinstance(m, str) for m in v) for v in errors.values()):
        return f"errors are not flat: {errors}"
    return None


def at_once(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run every call in its own thread, released together; results (or errors) in order."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = calls[index]()
        except BaseException as error:  # noqa: BLE001 - the assertions report it
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def caller(app: Flask, method: str, path: str, body: Any = None, token: str | None = None):
    """A call for ``at_once``, on a client of its own: returns (status, JSON body)."""

    def call() -> tuple[int, Any]:
        response = send(app.test_client(), method, path, body, token)
        return response.status_code, response.get_json(silent=True)

    return call


def png(size: tuple[int, int] = (40, 30), fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, fmt)
    return buffer.getvalue()


class Shop:
    """An admin, two vendors, two customers, a category, a product of the first vendor with an
    image, an order of the first customer and that customer's review of a delivered purchase."""

    def __init__(self, api: Api) -> None:
        self.api, self.client = api, api.client
        self.app: Flask = api.client.application
        self.core: UseCases = self.app.extensions["shopcore"]
        sessions = {role: api.user(role) for role in ("admin", "vendor", "customer")}
        sessions["other_vendor"], sessions["other_customer"] = api.user("vendor"), api.user()
        self.sessions = sessions
        self.tokens = {role: session["access"] for role, session in sessions.items()}
        self.ids = {role: session["user"]["id"] for role, session in sessions.items()}
        self.category_id = self.category()["id"]
        self.product = self.new_product(stock=50)
        self.slug = self.product["slug"]
        self.image_id = self.upload(self.slug).get_json()["id"]
        self.order_number = self.order(self.slug)["order_number"]
        self.delivered(self.ids["customer"], self.product)
        self.review_id = self.review(self.slug)["id"]

    def call(self, method: str, path: str, body: Any = None, role: str | None = None) -> Any:
        return send(self.client, method, path, body, self.tokens[role] if role else None)

    def category(self, name: str | None = None) -> Any:
        body = {"name": name or f"Shelf {uuid.uuid4().hex[:6]}"}
        return self.created(self.call("POST", "/api/categories/", body, "admin"))

    def new_product(self, role: str = "vendor", **fields: Any) -> Any:
        body = {"name": f"Pot {uuid.uuid4().hex[:6]}", "description": "", "price": "10.00",
                "stock": 5, "category": self.category_id, **fields}  # fmt: skip
        return self.created(self.call("POST", "/api/products/", body, role))

    def upload(self, slug: str, role: str = "vendor", data: bytes | None = None) -> Any:
        return self.client.post(
            f"/api/products/{slug}/images/", data={"image": (io.BytesIO(data or png()), "a.png")},
            headers={"Authorization": f"Bearer {self.tokens[role]}"},
            content_type="multipart/form-data",
        )  # fmt: skip

    def order(self, slug: str, role: str = "customer", quantity: int = 1) -> Any:
        body = {"items": [{"product": slug, "quantity": quantity}], "shipping": SHIPPING,
                "payment_method": "card"}  # fmt: skip
        return self.created(self.call("POST", "/api/orders/", body, role))

    def review(self, slug: str, role: str = "customer") -> Any:
        body = {"rating": 4, "comment": "Fine."}
        return self.created(self.call("POST", f"/api/products/{slug}/reviews/", body, role))

    def delivered(self, buyer_id: int, product: dict[str, Any]) -> None:
        """A delivered order of ``product`` for ``buyer_id``, written straight to the tables."""
        write_order(self.core.engine, buyer_id, product, status="delivered", payment="paid")

    def stock(self, slug: str) -> int:
        with self.core.engine.connect() as conn:
            query = sa.select(t.products.c.stock).where(t.products.c.slug == slug)
            return int(conn.execute(query).scalar_one())

    @staticmethod
    def created(response: Any) -> Any:
        assert response.status_code == 201, response.get_json()
        return response.get_json()
