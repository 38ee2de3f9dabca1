"""Helpers for the cart and order integration tests (no tests here).

Products are written straight through the unit of work, so these tests do not depend on the
catalog API.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from shopcore.bootstrap import UseCases
from shopcore.domain.catalog import Category, Product
from shopcore.domain.clock import utcnow

SHIPPING = {
    "full_name": "Ann Lee", "phone": "+91 98765 43210", "address_line1": "1 Main St",
    "city": "Pune", "postal_code": "411001", "country": "IN",
}  # fmt: skip
ORDER_KEYS = {
    "order_number", "status", "payment_method", "payment_status", "items", "subtotal",
    "shipping_cost", "total", "shipping", "history", "created_at", "updated_at",
}  # fmt: skip


class Shop:
    """Products in the database and order calls over HTTP."""

    def __init__(self, api: Any) -> None:
        self.api = api
        self.core: UseCases = api.client.application.extensions["shopcore"]

    def product(
        self, vendor_id: int, slug: str | None = None, *, price: str = "10.00",
        discount: str | None = None, stock: int = 10, active: bool = True,
    ) -> Product:  # fmt: skip
        now, tag = utcnow(), uuid.uuid4().hex[:8]
        slug = slug or f"product-{tag}"
        with self.core.uow_factory() as uow:
            category = Category("Things", f"things-{tag}", now)
            uow.categories.add(category)
            assert category.id is not None
            product = Product(
                vendor_id, category.id, slug.replace("-", " ").title(), slug, "", Decimal(price),
                stock, now, now, discount_price=None if discount is None else Decimal(discount),
                is_active=active,
            )  # fmt: skip
            uow.products.add(product)
            uow.commit()
        return product

    def stock(self, product: Product) -> int:
        with self.core.uow_factory(read_only=True) as uow:
            stored = uow.products.get(product.id or 0)
        assert stored is not None
        return stored.stock

    def update(self, product: Product, **changes: Any) -> None:
        with self.core.uow_factory() as uow:
            stored = uow.products.get(product.id or 0)
            assert stored is not None
            for name, value in changes.items():
                setattr(stored, name, value)
            uow.products.save(stored)
            uow.commit()

    def order(
        self, token: str, items: list[tuple[str, Any]] | None, *, key: str | None = None,
        method: str = "card", path: str = "/api/orders/", **extra: Any,
    ) -> Any:  # fmt: skip
        body: dict[str, Any] = {"shipping": SHIPPING, "payment_method": method, **extra}
        if items is not None:
            body["items"] = [{"product": slug, "quantity": qty} for slug, qty in items]
        headers = {"Idempotency-Key": key} if key is not None else {}
        return self.api.post(path, body, token, headers=headers)

    def placed(self, token: str, items: list[tuple[str, Any]], **options: Any) -> dict[str, Any]:
        response = self.order(token, items, **options)
        assert response.status_code == 201, response.get_json()
        return response.get_json()  # type: ignore[no-any-return]

    def set_status(self, admin: str, number: str, **body: str) -> Any:
        return self.api.patch(f"/api/orders/{number}/status/", body, admin)


def vendor(api: Any) -> tuple[int, str]:
    """A new vendor's id and access token."""
    session = api.register("vendor")
    return session["user"]["id"], session["access"]
