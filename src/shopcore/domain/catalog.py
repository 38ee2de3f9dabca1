"""Catalog: categories, products and their images."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from shopcore.domain.errors import PermissionDenied, RuleViolation
from shopcore.domain.users import Principal
from shopcore.domain.values import money


@dataclass
class Category:
    name: str
    slug: str
    created_at: datetime
    description: str = ""
    parent_id: int | None = None
    id: int | None = None


@dataclass
class ProductImage:
    product_id: int
    path: str
    thumbnail_path: str
    width: int
    height: int
    position: int
    created_at: datetime
    id: int | None = None


@dataclass
class Product:
    vendor_id: int
    category_id: int
    name: str
    slug: str
    description: str
    price: Decimal
    stock: int
    created_at: datetime
    updated_at: datetime
    discount_price: Decimal | None = None
    is_active: bool = True
    rating_avg: Decimal | None = None
    rating_count: int = 0
    id: int | None = None
    images: list[ProductImage] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.set_pricing(self.price, self.discount_price)
        self.set_stock(self.stock)

    @property
    def final_price(self) -> Decimal:
        return self.discount_price if self.discount_price is not None else self.price

    @property
    def in_stock(self) -> bool:
        return self.stock > 0

    def set_pricing(self, price: Decimal, discount_price: Decimal | None) -> None:
        """Price above zero; a discount, when set, at zero or more and below the price."""
        price = money(price)
        discount = None if discount_price is None else money(discount_price)
        errors: dict[str, list[str]] = {}
        if price <= 0:
            errors["price"] = ["Price must be greater than zero."]
        if discount is not None and discount < 0:
            errors["discount_price"] = ["Discount price must not be negative."]
        elif discount is not None and discount >= price:
            errors["discount_price"] = ["Discount price must be below the price."]
        if errors:
            raise RuleViolation("Invalid pricing.", errors=errors)
        self.price, self.discount_price = price, discount

    def set_stock(self, stock: int) -> None:
        if stock < 0:
            raise RuleViolation("Stock must not be negative.", errors={"stock": ["Must be >= 0."]})
        self.stock = stock

    def is_visible_to(self, principal: Principal | None) -> bool:
        """Inactive products are hidden from everyone but their vendor and admins."""
        return self.is_active or self.is_managed_by(principal)

    def is_managed_by(self, principal: Principal | None) -> bool:
        if principal is None:
            return False
        return principal.is_admin or principal.user_id == self.vendor_id

    def ensure_managed_by(self, principal: Principal) -> None:
        if not self.is_managed_by(principal):
            raise PermissionDenied("Only the product's vendor or an admin may change it.")
