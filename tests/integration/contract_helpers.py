"""Helpers for the contract tests (no tests here): a small shop built through the HTTP API only.

The contract tests check /work/shared/API.md clause by clause as a client sees it, so they set
up their data through the same routes a client would use, never through the core.
"""

from __future__ import annotations

import io
import re
import uuid
from typing import Any

from PIL import Image

from tests.integration.conftest import PASSWORD, Api

MONEY = re.compile(r"^-?\d+\.\d{2}$")
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$")
ABSOLUTE = "http://localhost/"
SHIPPING = {
    "full_name": "Ann Lee",
    "phone": "+91 98765 43210",
    "address_line1": "1 Main St",
    "city": "Pune",
    "postal_code": "411001",
    "country": "IN",
}
USER_KEYS = {
    "id",
    "email",
    "first_name",
    "last_name",
    "phone",
    "address",
    "role",
    "profile_image",
    "is_active",
    "date_joined",
}
PRODUCT_KEYS = {
    "id",
    "slug",
    "name",
    "description",
    "category",
    "vendor",
    "price",
    "discount_price",
    "final_price",
    "stock",
    "in_stock",
    "is_active",
    "images",
    "rating_avg",
    "rating_count",
    "created_at",
    "updated_at",
}
ORDER_KEYS = {
    "order_number",
    "status",
    "payment_method",
    "payment_status",
    "items",
    "subtotal",
    "shipping_cost",
    "total",
    "shipping",
    "history",
    "created_at",
    "updated_at",
}
PAGE_KEYS = {"count", "next", "previous", "results"}


def png(size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def upload(data: bytes | None = None) -> dict[str, Any]:
    """Keyword arguments for a multipart request with the ``image`` field."""
    return {
        "data": {"image": (io.BytesIO(data or png()), "a.png")},
        "content_type": "multipart/form-data",
    }


def tag() -> str:
    return uuid.uuid4().hex[:8]


class World:
    """An admin, a vendor, a customer and a category, made over HTTP, with shortcuts."""

    def __init__(self, api: Api) -> None:
        self.api = api
        admin, vendor, customer = api.user("admin"), api.user("vendor"), api.user("customer")
        self.admin, self.admin_id = admin["access"], admin["user"]["id"]
        self.vendor, self.vendor_id = vendor["access"], vendor["user"]["id"]
        self.customer, self.customer_id = customer["access"], customer["user"]["id"]
        self.category_id = self.category()["id"]

    def session(self, role: str = "customer") -> dict[str, Any]:
        """A fresh user of ``role`` with ``{user, access, refresh}``."""
        return self.api.user(role)  # type: ignore[no-any-return]

    def login(self, email: str) -> dict[str, Any]:
        response = self.api.post("/api/auth/login/", {"email": email, "password": PASSWORD})
        assert response.status_code == 200, response.get_json()
        return response.get_json()  # type: ignore[no-any-return]

    def category(self, name: str | None = None, **extra: Any) -> dict[str, Any]:
        body = {"name": name or f"Lamps {tag()}", **extra}
        response = self.api.post("/api/categories/", body, self.admin)
        assert response.status_code == 201, response.get_json()
        return response.get_json()  # type: ignore[no-any-return]

    def product(self, token: str | None = None, **fields: Any) -> dict[str, Any]:
        body = {
            "name": f"Desk Lamp {tag()}",
            "description": "A bright lamp.",
            "category": self.category_id,
            "price": "20.00",
            "stock": 50,
            **fields,
        }
        response = self.api.post("/api/products/", body, token or self.vendor)
        assert response.status_code == 201, response.get_json()
        return response.get_json()  # type: ignore[no-any-return]

    def image(self, slug: str) -> dict[str, Any]:
        response = self.api.post(f"/api/products/{slug}/images/", token=self.vendor, **upload())
        assert response.status_code == 201, response.get_json()
        return response.get_json()  # type: ignore[no-any-return]

    def order_body(self, items: list[tuple[str, int]] | None, method: str = "cod") -> Any:
        body: dict[str, Any] = {"shipping": SHIPPING, "payment_method": method}
        if items is not None:
            body["items"] = [{"product": slug, "quantity": qty} for slug, qty in items]
        return body

    def order(self, token: str, items: list[tuple[str, int]], method: str = "cod") -> Any:
        response = self.api.post("/api/orders/", self.order_body(items, method), token)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def status(self, number: str, **change: str) -> Any:
        response = self.api.patch(f"/api/orders/{number}/status/", change, self.admin)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def deliver(self, number: str) -> Any:
        for status in ("confirmed", "shipped", "delivered"):
            order = self.status(number, status=status)
        return order

    def delivered(self, token: str, slug: str, quantity: int = 1) -> Any:
        return self.deliver(self.order(token, [(slug, quantity)])["order_number"])

    def review(self, token: str, slug: str, rating: int = 5) -> dict[str, Any]:
        self.delivered(token, slug)
        body = {"rating": rating, "comment": "Works well."}
        response = self.api.post(f"/api/products/{slug}/reviews/", body, token)
        assert response.status_code == 201, response.get_json()
        return response.get_json()  # type: ignore[no-any-return]


def assert_error(response: Any, code: int) -> dict[str, Any]:
    """The contract's error body: JSON ``{code, status, message, errors?}`` with a flat errors."""
    assert response.status_code == code, (response.status_code, response.data[:300])
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert {"code", "status", "message"} <= set(body) <= {"code", "status", "message", "errors"}
    assert body["code"] == code and isinstance(body["message"], str) and body["message"]
    for name, messages in body.get("errors", {}).items():
        assert name not in ("json", "query", "files", "form", "headers"), body
        assert isinstance(messages, list) and all(isinstance(m, str) for m in messages), body
    return body  # type: ignore[no-any-return]
