"""Helpers for the catalog integration tests (no tests here)."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask import Flask
from PIL import ExifTags, Image

from shopcore.adapters.sqlalchemy import tables as t
from shopcore.bootstrap import UseCases
from tests.integration.conftest import Api


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (64, 48), **params: Any) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def jpeg_with_exif() -> bytes:
    """A 60x40 JPEG with GPS data, a camera make and orientation 6 (rotate 90 clockwise)."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "SpyCam"
    exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N",
                                  ExifTags.GPS.GPSLatitude: (52.0, 31.0, 12.0)}  # fmt: skip
    return image_bytes("JPEG", (60, 40), exif=exif)


class Shop:
    """API calls that set up catalog data, with users of each role."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.app: Flask = api.client.application
        self.core: UseCases = self.app.extensions["shopcore"]
        self.admin = api.token("admin")
        vendor = api.user("vendor")
        self.vendor, self.vendor_id = vendor["access"], vendor["user"]["id"]
        other = api.user("vendor")
        self.other_vendor, self.other_vendor_id = other["access"], other["user"]["id"]
        self.customer = api.token("customer")

    def category(self, name: str = "Kitchen", parent: int | None = None, **extra: Any) -> Any:
        body = {"name": name, "parent": parent, **extra}
        response = self.api.post("/api/categories/", body, self.admin)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def product(self, name: str = "Tea Pot", token: str | None = None, **fields: Any) -> Any:
        body = {"name": name, "description": "", "price": "10.00", "stock": 5, **fields}
        if "category" not in body:
            body["category"] = self.category(f"Shelf {uuid.uuid4().hex[:6]}")["id"]
        response = self.api.post("/api/products/", body, token or self.vendor)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def slugs(self, query: str = "") -> list[str]:
        response = self.api.get(f"/api/products/?page_size=100&{query}")
        assert response.status_code == 200, response.get_json()
        return [item["slug"] for item in response.get_json()["results"]]

    def upload(self, slug: str, data: bytes, token: str | None = None, name: str = "a.png") -> Any:
        return self.api.post(
            f"/api/products/{slug}/images/", None, token or self.vendor,
            data={"image": (io.BytesIO(data), name)}, content_type="multipart/form-data",
        )  # fmt: skip

    def media(self, url: str) -> bytes:
        response = self.api.get(url.removeprefix("http://localhost"))
        assert response.status_code == 200
        return bytes(response.data)

    def row(self, slug: str) -> Any:
        with self.core.engine.connect() as conn:
            return conn.execute(sa.select(t.products).where(t.products.c.slug == slug)).first()

    def order_line(self, product: dict[str, Any], buyer_id: int) -> None:
        """An order holding ``product``, written straight into the orders tables."""
        write_order(self.core.engine, buyer_id, product, status="pending", payment="unpaid")


@contextmanager
def statements(app: Flask) -> Iterator[list[str]]:
    """The SQL statements the app's engine runs inside the block."""
    engine: sa.Engine = app.extensions["shopcore"].engine
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


def write_order(
    engine: sa.Engine, buyer_id: int, product: dict[str, Any], *, status: str, payment: str
) -> None:
    """An order of one unit of ``product`` (as the API answers it) for ``buyer_id``, in
    ``status`` and ``payment`` status, written straight into the orders tables."""
    now, price = datetime.now(UTC), Decimal(product["final_price"])
    with engine.begin() as conn:
        order_id = conn.execute(sa.insert(t.orders).values(
            order_number=f"ORD-T-{uuid.uuid4().hex[:10]}", user_id=buyer_id,
            status=status, payment_method="card", payment_status=payment,
            subtotal=price, shipping_cost=Decimal("0"), total=price, ship_full_name="A",
            ship_phone="1", ship_address_line1="1 St", ship_city="C",
            ship_postal_code="1", ship_country="US", created_at=now, updated_at=now,
        )).inserted_primary_key[0]  # fmt: skip
        conn.execute(sa.insert(t.order_lines).values(
            order_id=order_id, product_id=product["id"], vendor_id=product["vendor"]["id"],
            product_slug=product["slug"], product_name=product["name"], unit_price=price,
            quantity=1, line_total=price,
        ))  # fmt: skip
