"""Seeding helpers for the review and analytics unit tests (no tests here).

Products and orders go straight into the in-memory store through the repositories, so these
tests do not depend on the catalog and order use cases.
"""

from __future__ import annotations

import itertools
from datetime import datetime
from decimal import Decimal

from shopcore.domain.catalog import Category, Product
from shopcore.domain.orders import (
    Order,
    OrderLine,
    OrderStatus,
    PaymentMethod,
    ShippingAddress,
)
from shopcore.domain.reviews import Review
from shopcore.domain.users import Principal
from tests.unit.conftest import Harness

SHIPPING = ShippingAddress("Ann Lee", "+100", "1 Main St", "Springfield", "12345", "US")
_numbers = itertools.count(1)


class Seed:
    def __init__(self, harness: Harness) -> None:
        self.h = harness
        self.category_id: int | None = None

    def _category(self) -> int:
        if self.category_id is None:
            with self.h.uow() as uow:
                category = Category("Tea", f"tea-{next(_numbers)}", self.h.clock.now())
                uow.categories.add(category)
                uow.commit()
            self.category_id = category.id
        assert self.category_id is not None
        return self.category_id

    def product(
        self, vendor: Principal, slug: str, *, price: str = "10.00", stock: int = 50,
        active: bool = True, name: str | None = None,
    ) -> Product:  # fmt: skip
        now = self.h.clock.now()
        product = Product(
            vendor.user_id, self._category(), name or slug.title(), slug, "Good.",
            Decimal(price), stock, now, now, is_active=active,
        )  # fmt: skip
        with self.h.uow() as uow:
            uow.products.add(product)
            uow.commit()
        return product

    def order(
        self, buyer: Principal, *items: tuple[Product, int], status: str = "delivered",
        at: datetime | None = None,
    ) -> Order:  # fmt: skip
        at = at or self.h.clock.now()
        lines = [
            OrderLine(p.id or 0, p.vendor_id, p.slug, p.name, p.final_price, quantity)
            for p, quantity in items
        ]
        order = Order(
            f"ORD-{next(_numbers):06d}", buyer.user_id, PaymentMethod.CARD, SHIPPING, at, at,
            lines, status=OrderStatus(status),
        )  # fmt: skip
        with self.h.uow() as uow:
            uow.orders.add(order)
            uow.commit()
        return order

    def review(self, author: Principal, product: Product, rating: int) -> Review:
        """A review written straight into the store (no purchase check), rating refreshed."""
        now = self.h.clock.now()
        review = Review(product.id or 0, author.user_id, rating, "Fine.", now, now)
        with self.h.uow() as uow:
            uow.reviews.add(review)
            uow.reviews.refresh_rating(product.id or 0)
            uow.commit()
        return review

    def stored_product(self, slug: str) -> Product:
        with self.h.uow() as uow:
            product = uow.products.get_by_slug(slug)
        assert product is not None
        return product
