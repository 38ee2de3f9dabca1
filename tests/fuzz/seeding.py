"""Fuzzing set-up: the app on a temporary SQLite file, seeded, and a token for each role.

Self-contained on purpose (no MariaDB, no Redis), so `make fuzz` runs anywhere.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from shop_web import create_app
from shopcore.use_cases.users import CreateAdminCommand

PASSWORD = "s3cret-pass"
SHIPPING = {
    "full_name": "Fuzz Buyer",
    "phone": "+1 555 0100",
    "address_line1": "1 Main St",
    "city": "Springfield",
    "postal_code": "12345",
    "country": "US",
}


@dataclass
class Seeded:
    """What exists before fuzzing starts: a token per role, and real objects to call."""

    tokens: dict[str, str]
    user_ids: dict[str, int]
    category_id: int
    product_slug: str
    order_number: str
    review_id: int


def build_app(root: Path) -> Flask:
    """The app whose /openapi.json is fuzzed; ``seed`` creates and fills its database."""
    return create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{root / 'shop.sqlite3'}",
            "SECRET_KEY": "fuzz-secret-key-of-at-least-32-bytes!!",
            "RATELIMIT_ENABLED": False,
            "ARGON2_MEMORY_KIB": 1024,
            "ARGON2_TIME_COST": 1,
            "MEDIA_ROOT": str(root / "media"),
            "CORS_ORIGINS": [],
            "TRUSTED_PROXIES": 0,
        }
    )


def _ok(response: Any, status: int) -> Any:
    assert response.status_code == status, (response.status_code, response.get_json())
    return response.get_json(silent=True)


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _register(client: FlaskClient, role: str) -> dict[str, Any]:
    body = {"email": f"{role}-{uuid.uuid4().hex[:8]}@example.com", "password": PASSWORD,
            "first_name": role.title(), "last_name": "Fuzz", "role": role}  # fmt: skip
    return _ok(client.post("/api/auth/register/", json=body), 201)  # type: ignore[no-any-return]


def _admin(app: Flask, client: FlaskClient) -> dict[str, Any]:
    email = f"admin-{uuid.uuid4().hex[:8]}@example.com"
    app.extensions["shopcore"].create_admin.execute(CreateAdminCommand(email, PASSWORD))
    body = {"email": email, "password": PASSWORD}
    return _ok(client.post("/api/auth/login/", json=body), 200)  # type: ignore[no-any-return]


def seed(fuzz_app: Flask) -> Seeded:
    """A customer, a vendor and an admin; a category, a product, a delivered order, a review."""
    fuzz_app.extensions["shopcore"].upgrade_schema()
    client = fuzz_app.test_client()
    sessions = {"customer": _register(client, "customer"), "vendor": _register(client, "vendor"),
                "admin": _admin(fuzz_app, client)}  # fmt: skip
    tokens = {role: session["access"] for role, session in sessions.items()}
    gone = _register(client, "customer")
    body, headers = {"refresh": gone["refresh"]}, _bearer(gone["access"])
    _ok(client.post("/api/auth/logout/", json=body, headers=headers), 204)
    tokens["revoked"] = gone["access"]
    admin, vendor, customer = (_bearer(tokens[r]) for r in ("admin", "vendor", "customer"))
    category = _ok(client.post("/api/categories/", json={"name": "Fuzz"}, headers=admin), 201)
    product = _ok(
        client.post(
            "/api/products/",
            json={
                "name": "Fuzz lamp",
                "description": "Bright.",
                "category": category["id"],
                "price": "19.99",
                "stock": 1000,
            },  # fmt: skip
            headers=vendor,
        ),
        201,
    )
    order = _ok(
        client.post(
            "/api/orders/",
            json={
                "items": [{"product": product["slug"], "quantity": 1}],
                "shipping": SHIPPING,
                "payment_method": "cod",
            },  # fmt: skip
            headers=customer,
        ),
        201,
    )
    number = order["order_number"]
    for status in ("confirmed", "shipped", "delivered"):
        path = f"/api/orders/{number}/status/"
        _ok(client.patch(path, json={"status": status}, headers=admin), 200)
    review = _ok(
        client.post(
            f"/api/products/{product['slug']}/reviews/",
            json={"rating": 4, "comment": "Works."},
            headers=customer,
        ),
        201,
    )
    user_ids = {role: session["user"]["id"] for role, session in sessions.items()}
    return Seeded(tokens, user_ids, category["id"], product["slug"], number, review["id"])
