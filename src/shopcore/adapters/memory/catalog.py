"""In-memory repositories for the catalog."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from shopcore.adapters.memory.base import IntegrityViolation, MemoryTable
from shopcore.domain.catalog import Category, Product, ProductImage
from shopcore.domain.errors import ProductOrdered, SlugTaken
from shopcore.ports.catalog import CategoryRepository, ProductImageRepository, ProductRepository


class MemoryCategoryRepository(MemoryTable[Category], CategoryRepository):
    table = "categories"

    def add(self, category: Category) -> None:
        if any(c.slug == category.slug for c in self.rows.values()):
            raise SlugTaken()
        self._insert(category)

    def get(self, category_id: int) -> Category | None:
        return self._get(category_id)

    def get_by_slug(self, slug: str) -> Category | None:
        return self._first(lambda c: c.slug == slug)

    def save(self, category: Category) -> None:
        self._put(category)

    def delete(self, category_id: int) -> None:
        in_use = self.has_children(category_id) or any(
            p.category_id == category_id for p in self.store.tables["products"].values()
        )
        if in_use:  # the foreign keys' ON DELETE RESTRICT; the use case checks first
            raise IntegrityViolation("categories in use by a product or a sub-category")
        self.rows.pop(category_id, None)

    def parents(self, *, lock: bool = False) -> dict[int, int | None]:
        if lock:  # every category row; nothing to wait for here, but noted
            self._lock(None)
        return {key: c.parent_id for key, c in self.rows.items()}

    def has_children(self, category_id: int) -> bool:
        return any(c.parent_id == category_id for c in self.rows.values())

    def taken_slugs(self, candidates: Collection[str]) -> set[str]:
        return {c.slug for c in self.rows.values()} & set(candidates)


class MemoryProductRepository(MemoryTable[Product], ProductRepository):
    table = "products"

    def add(self, product: Product) -> None:
        self._check(product)
        self._insert(product)

    def get(self, product_id: int) -> Product | None:
        return self._get(product_id)

    def get_by_slug(self, slug: str) -> Product | None:
        return self._first(lambda p: p.slug == slug)

    def lock_by_slug(self, slug: str) -> Product | None:
        product = self.get_by_slug(slug)
        if product is not None:  # nothing to wait for here, but noted
            self._lock(product.id)
        return product

    def save(self, product: Product) -> None:
        self._check(product)
        self._put(product)

    def delete(self, product_id: int) -> None:
        if self.has_order_lines(product_id):
            raise ProductOrdered()
        images = self.store.tables["product_images"]
        for image_id in [k for k, i in images.items() if i.product_id == product_id]:
            del images[image_id]
        self.rows.pop(product_id, None)

    def taken_slugs(self, candidates: Collection[str]) -> set[str]:
        return {p.slug for p in self.rows.values()} & set(candidates)

    def exists_in_category(self, category_id: int) -> bool:
        return any(p.category_id == category_id for p in self.rows.values())

    def has_order_lines(self, product_id: int) -> bool:
        return any(line_product == product_id for line_product in self._ordered_product_ids())

    def _ordered_product_ids(self) -> Iterator[Any]:
        """Product ids of every order line (orders keep their lines in ``order.lines``)."""
        for order in self.store.tables["orders"].values():
            for line in getattr(order, "lines", ()):
                yield getattr(line, "product_id", None)

    def _check(self, product: Product) -> None:
        """The database's unique constraint on slugs."""
        if any(p.slug == product.slug and key != product.id for key, p in self.rows.items()):
            raise SlugTaken()


class MemoryProductImageRepository(MemoryTable[ProductImage], ProductImageRepository):
    table = "product_images"

    def add(self, image: ProductImage) -> None:
        self._insert(image)

    def get(self, image_id: int) -> ProductImage | None:
        return self._get(image_id)

    def list_for_product(self, product_id: int) -> list[ProductImage]:
        found = [i for i in self._all() if i.product_id == product_id]
        return sorted(found, key=lambda i: (i.position, i.id or 0))

    def delete(self, image_id: int) -> None:
        self.rows.pop(image_id, None)
