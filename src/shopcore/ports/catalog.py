"""Repositories for the catalog."""

from __future__ import annotations

import abc

from shopcore.domain.catalog import Category, Product, ProductImage


class CategoryRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, category: Category) -> None: ...

    @abc.abstractmethod
    def get(self, category_id: int) -> Category | None: ...

    @abc.abstractmethod
    def save(self, category: Category) -> None: ...


class ProductRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, product: Product) -> None:
        """Insert ``product`` and set its ``id``."""

    @abc.abstractmethod
    def get(self, product_id: int) -> Product | None: ...

    @abc.abstractmethod
    def get_by_slug(self, slug: str) -> Product | None: ...

    @abc.abstractmethod
    def save(self, product: Product) -> None:
        """Write back an existing product (including its derived final_price)."""


class ProductImageRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, image: ProductImage) -> None: ...

    @abc.abstractmethod
    def get(self, image_id: int) -> ProductImage | None: ...
