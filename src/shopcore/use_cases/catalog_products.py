"""Products: vendors (and admins) add what they sell, one at a time or in bulk.

Changing and removing them is in ``catalog_edits``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from shopcore.domain.catalog import (
    PRODUCT_NAME_MAX,
    PRODUCT_SLUG_MAX,
    RESERVED_PRODUCT_SLUGS,
    Product,
    clean_catalog_name,
    clean_description,
)
from shopcore.domain.errors import ProductNotFound
from shopcore.domain.users import Principal
from shopcore.ports.catalog_queries import ProductView
from shopcore.ports.security import Clock
from shopcore.ports.slugs import Slugger
from shopcore.ports.unit_of_work import UnitOfWork
from shopcore.use_cases.catalog import (
    allocate_slug,
    ensure_can_sell,
    require_category,
    slug_clash_retried,
)


@dataclass(frozen=True)
class NewProduct:
    name: str
    description: str
    category_id: int
    price: Decimal
    stock: int
    discount_price: Decimal | None = None
    is_active: bool = True


def product_view(uow: UnitOfWork, slug: str) -> ProductView:
    """The read model of a product just written, from inside the same unit of work."""
    view = uow.catalog.product(slug)
    if view is None:
        raise ProductNotFound()
    return view


class CreateProduct:
    """A vendor or an admin adds a product they sell; the slug comes from the name."""

    def __init__(self, *, uow: UnitOfWork, clock: Clock, slugger: Slugger):
        self.uow, self.clock, self.slugger = uow, clock, slugger

    def execute(self, principal: Principal, cmd: NewProduct) -> ProductView:
        ensure_can_sell(principal)
        with self.uow as uow:
            product = new_product(uow, self.slugger, principal.user_id, cmd, self.clock.now())
            with slug_clash_retried():
                uow.products.add(product)
            view = product_view(uow, product.slug)
            uow.commit()
        return view


class ImportProducts:
    """Many products of one seller in one transaction (demo data, bulk loads)."""

    def __init__(self, *, uow: UnitOfWork, clock: Clock, slugger: Slugger):
        self.uow, self.clock, self.slugger = uow, clock, slugger

    def execute(self, principal: Principal, items: Sequence[NewProduct]) -> list[str]:
        """Add every item or none; return the new slugs in order."""
        ensure_can_sell(principal)
        with self.uow as uow:
            slugs = []
            for item in items:
                now = self.clock.now()
                product = new_product(uow, self.slugger, principal.user_id, item, now)
                with slug_clash_retried():
                    uow.products.add(product)
                slugs.append(product.slug)
            uow.commit()
        return slugs


def new_product(
    uow: UnitOfWork, slugger: Slugger, vendor_id: int, cmd: NewProduct, now: datetime
) -> Product:
    """A validated product with a free slug, not yet added."""
    name = clean_catalog_name(cmd.name, "name", PRODUCT_NAME_MAX)
    description = clean_description(cmd.description)
    product = Product(
        vendor_id=vendor_id, category_id=cmd.category_id, name=name, slug="",
        description=description, price=cmd.price, discount_price=cmd.discount_price,
        stock=cmd.stock, is_active=cmd.is_active, created_at=now, updated_at=now,
    )  # fmt: skip
    require_category(uow, cmd.category_id)
    product.slug = allocate_slug(
        slugger, name, max_length=PRODUCT_SLUG_MAX, fallback="product",
        taken=uow.products.taken_slugs, reserved=RESERVED_PRODUCT_SLUGS,
    )  # fmt: skip
    return product
