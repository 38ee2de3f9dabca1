"""Products: their vendor (or an admin) changes or removes them."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal

from shopcore.domain.catalog import PRODUCT_NAME_MAX, Product, clean_catalog_name, clean_description
from shopcore.domain.errors import ProductOrdered
from shopcore.domain.users import Principal
from shopcore.ports.catalog_queries import ProductView
from shopcore.ports.security import Clock
from shopcore.ports.storage import FileStorage
from shopcore.ports.unit_of_work import UnitOfWork
from shopcore.use_cases.catalog import KEEP, Keep, managed_product, require_category
from shopcore.use_cases.catalog_products import product_view

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ProductChanges:
    """What an update sets; None (or KEEP for the discount) leaves a field as it is."""

    name: str | None = None
    description: str | None = None
    category_id: int | None = None
    price: Decimal | None = None
    discount_price: Decimal | None | Keep = KEEP  # None removes the discount
    stock: int | None = None
    is_active: bool | None = None


class UpdateProduct:
    """The product's vendor or an admin changes it (PUT and PATCH); the slug stays."""

    def __init__(self, *, uow: UnitOfWork, clock: Clock):
        self.uow, self.clock = uow, clock

    def execute(self, principal: Principal, slug: str, changes: ProductChanges) -> ProductView:
        with self.uow as uow:
            product = managed_product(uow, slug, principal)
            _apply(uow, product, changes)
            product.updated_at = self.clock.now()
            uow.products.save(product)
            view = product_view(uow, slug)
            uow.commit()
        return view


def _apply(uow: UnitOfWork, product: Product, changes: ProductChanges) -> None:
    if changes.name is not None:
        product.name = clean_catalog_name(changes.name, "name", PRODUCT_NAME_MAX)
    if changes.description is not None:
        product.description = clean_description(changes.description)
    if changes.category_id is not None and changes.category_id != product.category_id:
        require_category(uow, changes.category_id)
        product.category_id = changes.category_id
    discount = product.discount_price
    if not isinstance(changes.discount_price, Keep):
        discount = changes.discount_price
    price = product.price if changes.price is None else changes.price
    product.set_pricing(price, discount)
    if changes.stock is not None:
        product.set_stock(changes.stock)
    if changes.is_active is not None:
        product.is_active = changes.is_active


class DeleteProduct:
    """Erases a product and its image files, or only deactivates it when orders hold it."""

    def __init__(self, *, uow: UnitOfWork, clock: Clock, storage: FileStorage):
        self.uow, self.clock, self.storage = uow, clock, storage

    def execute(self, principal: Principal, slug: str) -> None:
        try:
            files = self._remove(principal, slug, may_erase=True)
        except ProductOrdered:  # an order took it between our check and the delete
            files = self._remove(principal, slug, may_erase=False)
        for name in files:  # after the commit: a failed transaction keeps every file
            try:
                self.storage.delete(name)
            except OSError:
                log.warning("could not delete %s of an erased product", name, exc_info=True)

    def _remove(self, principal: Principal, slug: str, *, may_erase: bool) -> list[str]:
        with self.uow as uow:
            product = managed_product(uow, slug, principal)
            assert product.id is not None
            files: list[str] = []
            if may_erase and not uow.products.has_order_lines(product.id):
                for image in uow.images.list_for_product(product.id):
                    files += [image.path, image.thumbnail_path]
                uow.products.delete(product.id)
            else:
                product.is_active = False
                product.updated_at = self.clock.now()
                uow.products.save(product)
            uow.commit()
        return files
