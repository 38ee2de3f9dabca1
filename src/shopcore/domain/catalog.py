"""Catalog: categories, products and their images."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from shopcore.domain.errors import PermissionDenied, RuleViolation
from shopcore.domain.users import Principal
from shopcore.domain.values import money

CATEGORY_NAME_MAX, CATEGORY_SLUG_MAX = 100, 120
PRODUCT_NAME_MAX, PRODUCT_SLUG_MAX = 200, 220
DESCRIPTION_MAX = 10_000
MAX_STOCK = 1_000_000_000
MAX_IMAGES_PER_PRODUCT = 10
# Slugs that would read like an action in a URL (``/api/products/create/``) are never handed out.
RESERVED_PRODUCT_SLUGS = frozenset({"create", "update", "delete", "images"})


def is_category_id(ref: str) -> bool:
    """A category reference of ASCII digits only is an id; anything else is a slug.

    ``str.isdigit`` alone would also take other scripts' digits (``"１"``, ``"٣"``) as an id.
    """
    return ref.isascii() and ref.isdigit()


def manages(principal: Principal | None, vendor_id: int) -> bool:
    """Admins manage every product; a vendor manages their own, while they are still a vendor
    (an admin who demotes a vendor to customer stops their selling)."""
    if principal is None:
        return False
    return principal.is_admin or (principal.role.can_sell and principal.user_id == vendor_id)


def can_take(stock: int, quantity: int) -> bool:
    """Stock never goes below zero: ``quantity`` units can be taken only while that many are
    left. (The SQL stock repository checks this in its conditional UPDATE, atomically.)"""
    return quantity <= stock


def visible_to(principal: Principal | None, *, is_active: bool, vendor_id: int) -> bool:
    """Inactive products are hidden from everyone but their vendor and admins."""
    return is_active or manages(principal, vendor_id)


def vendor_name(first_name: str, last_name: str, vendor_id: int) -> str:
    """What shoppers see as the seller: the vendor's name, never their email."""
    return f"{first_name} {last_name}".strip() or f"Vendor {vendor_id}"


def clean_catalog_name(value: str, field_name: str, max_length: int) -> str:
    """A product's or category's name: required, runs of white space made one space, at most
    ``max_length`` characters. (People's names follow ``values.clean_person_name``.)"""
    name = " ".join(value.split())
    if not name:
        raise RuleViolation("A name is required.", errors={field_name: ["Must not be blank."]})
    if len(name) > max_length:
        message = f"At most {max_length} characters."
        raise RuleViolation(message, errors={field_name: [message]})
    return name


def clean_description(value: str) -> str:
    text = value.strip()
    if len(text) > DESCRIPTION_MAX:
        message = f"At most {DESCRIPTION_MAX} characters."
        raise RuleViolation(message, errors={"description": [message]})
    return text


@dataclass
class Category:
    name: str
    slug: str
    created_at: datetime
    description: str = ""
    parent_id: int | None = None
    id: int | None = None


def check_parent(
    category_id: int | None, parent_id: int | None, parents: Mapping[int, int | None]
) -> None:
    """``parent_id`` must exist and must not be the category itself or one of its descendants.

    ``parents`` maps every category id to its parent id.
    """
    if parent_id is None:
        return
    if parent_id not in parents:
        raise RuleViolation("No such parent category.", errors={"parent": ["No such category."]})
    ancestor: int | None = parent_id
    seen: set[int] = set()  # a cycle already stored must end the walk, not hang the request
    while ancestor is not None and ancestor not in seen:
        if ancestor == category_id:
            message = "A category cannot be placed under itself or one of its sub-categories."
            raise RuleViolation(message, errors={"parent": [message]})
        seen.add(ancestor)
        ancestor = parents.get(ancestor)


def with_descendants(root_id: int, parents: Mapping[int, int | None]) -> frozenset[int]:
    """``root_id`` and the ids of every category below it, at any depth."""
    children: dict[int, list[int]] = {}
    for child, parent in parents.items():
        if parent is not None:
            children.setdefault(parent, []).append(child)
    found, pending = {root_id}, [root_id]
    while pending:
        for child in children.get(pending.pop(), []):
            if child not in found:
                found.add(child)
                pending.append(child)
    return frozenset(found)


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
        if stock > MAX_STOCK:
            message = f"Must be at most {MAX_STOCK}."
            raise RuleViolation("Stock is too large.", errors={"stock": [message]})
        self.stock = stock

    def take_stock(self, quantity: int) -> bool:
        """Take ``quantity`` units if that many are left (``can_take``); False, and no change,
        otherwise."""
        if not can_take(self.stock, quantity):
            return False
        self.stock -= quantity
        return True

    def put_back_stock(self, quantity: int) -> None:
        self.stock += quantity

    def is_visible_to(self, principal: Principal | None) -> bool:
        return visible_to(principal, is_active=self.is_active, vendor_id=self.vendor_id)

    def is_managed_by(self, principal: Principal | None) -> bool:
        return manages(principal, self.vendor_id)

    def ensure_managed_by(self, principal: Principal) -> None:
        if not self.is_managed_by(principal):
            raise PermissionDenied("Only the product's vendor or an admin may change it.")
