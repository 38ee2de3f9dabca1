"""Repositories for the catalog. None of them commits."""

from __future__ import annotations

import abc
from collections.abc import Collection

from shopcore.domain.catalog import Category, Product, ProductImage


class CategoryRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, category: Category) -> None:
        """Insert and set the ``id``; SlugTaken when a concurrent writer took the slug."""

    @abc.abstractmethod
    def get(self, category_id: int) -> Category | None: ...

    @abc.abstractmethod
    def get_by_slug(self, slug: str) -> Category | None: ...

    @abc.abstractmethod
    def save(self, category: Category) -> None: ...

    @abc.abstractmethod
    def delete(self, category_id: int) -> None:
        """Erase it; CategoryInUse when products or sub-categories still point at it."""

    @abc.abstractmethod
    def parents(self, *, lock: bool = False) -> dict[int, int | None]:
        """Every category id mapped to its parent id, in one look-up (categories are few).

        ``lock`` holds every category until the unit ends and reads the latest rows, so that
        two concurrent moves cannot each miss the other and close a cycle between them.
        """

    @abc.abstractmethod
    def has_children(self, category_id: int) -> bool: ...

    @abc.abstractmethod
    def taken_slugs(self, candidates: Collection[str]) -> set[str]:
        """Which of ``candidates`` are already used by a category."""


class ProductRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, product: Product) -> None:
        """Insert ``product`` and set its ``id``; SlugTaken when a concurrent writer took the
        slug, CategoryNotFound when the category vanished meanwhile."""

    @abc.abstractmethod
    def get(self, product_id: int) -> Product | None: ...

    @abc.abstractmethod
    def get_by_slug(self, slug: str) -> Product | None: ...

    @abc.abstractmethod
    def lock_by_slug(self, slug: str) -> Product | None:
        """Read the product to change it: its row stays locked until the unit ends, so writes
        of others (a stock decrement, a new rating) wait and are never overwritten."""

    @abc.abstractmethod
    def save(self, product: Product) -> None:
        """Write back an existing product (including its derived final_price)."""

    @abc.abstractmethod
    def delete(self, product_id: int) -> None:
        """Erase the product and its image rows; ProductOrdered when order lines hold it."""

    @abc.abstractmethod
    def taken_slugs(self, candidates: Collection[str]) -> set[str]:
        """Which of ``candidates`` are already used by a product."""

    @abc.abstractmethod
    def exists_in_category(self, category_id: int) -> bool:
        """True when any product, active or not, is directly in the category."""

    @abc.abstractmethod
    def has_order_lines(self, product_id: int) -> bool:
        """True when some order holds a line of the product."""


class ProductImageRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, image: ProductImage) -> None: ...

    @abc.abstractmethod
    def get(self, image_id: int) -> ProductImage | None: ...

    @abc.abstractmethod
    def list_for_product(self, product_id: int) -> list[ProductImage]:
        """The product's images by position, then id."""

    @abc.abstractmethod
    def delete(self, image_id: int) -> None: ...
