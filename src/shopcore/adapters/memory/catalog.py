"""In-memory repositories for the catalog."""

from __future__ import annotations

from shopcore.adapters.memory.base import MemoryTable
from shopcore.domain.catalog import Category, Product, ProductImage
from shopcore.ports.catalog import CategoryRepository, ProductImageRepository, ProductRepository


class MemoryCategoryRepository(MemoryTable[Category], CategoryRepository):
    table = "categories"

    def add(self, category: Category) -> None:
        self._insert(category)

    def get(self, category_id: int) -> Category | None:
        return self._get(category_id)

    def save(self, category: Category) -> None:
        self._put(category)


class MemoryProductRepository(MemoryTable[Product], ProductRepository):
    table = "products"

    def add(self, product: Product) -> None:
        self._insert(product)

    def get(self, product_id: int) -> Product | None:
        return self._get(product_id)

    def get_by_slug(self, slug: str) -> Product | None:
        return next((p for p in self._all() if p.slug == slug), None)

    def save(self, product: Product) -> None:
        self._put(product)


class MemoryProductImageRepository(MemoryTable[ProductImage], ProductImageRepository):
    table = "product_images"

    def add(self, image: ProductImage) -> None:
        self._insert(image)

    def get(self, image_id: int) -> ProductImage | None:
        return self._get(image_id)
