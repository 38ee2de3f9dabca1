"""Read side of the catalog: what lists and detail pages show, in a few statements.

The read models are plain frozen dataclasses with everything a page shows (category and vendor
names, images), built by a constant number of queries whatever the page size.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from shopcore.domain.catalog import visible_to
from shopcore.domain.users import Principal

# ``price`` is the final price; ``rating`` treats unrated products as the lowest rated.
ORDERINGS = (
    "price", "-price", "created_at", "-created_at", "name", "-name", "rating", "-rating",
)  # fmt: skip
DEFAULT_ORDERING = "-created_at"


@dataclass(frozen=True)
class CategoryRef:
    id: int
    name: str
    slug: str


@dataclass(frozen=True)
class VendorRef:
    id: int
    name: str


@dataclass(frozen=True)
class ImageView:
    id: int
    path: str
    thumbnail_path: str
    width: int
    height: int
    position: int


@dataclass(frozen=True)
class ProductView:
    id: int
    slug: str
    name: str
    description: str
    category: CategoryRef
    vendor: VendorRef
    price: Decimal
    discount_price: Decimal | None
    final_price: Decimal
    stock: int
    is_active: bool
    images: tuple[ImageView, ...]
    rating_avg: Decimal | None
    rating_count: int
    created_at: datetime
    updated_at: datetime

    @property
    def in_stock(self) -> bool:
        return self.stock > 0

    def is_visible_to(self, principal: Principal | None) -> bool:
        return visible_to(principal, is_active=self.is_active, vendor_id=self.vendor.id)


@dataclass(frozen=True)
class CategoryView:
    id: int
    name: str
    slug: str
    description: str
    parent_id: int | None
    product_count: int  # active products directly in this category


@dataclass(frozen=True)
class ProductFilter:
    """Which active products a list shows. Every given condition must hold."""

    category_ids: frozenset[int] | None = None
    vendor_id: int | None = None
    min_price: Decimal | None = None  # inclusive, on the final price
    max_price: Decimal | None = None
    in_stock: bool | None = None  # True: stock > 0; False: stock == 0
    search_words: tuple[str, ...] = ()  # each must start a word of the name or description
    ordering: str = DEFAULT_ORDERING  # one of ORDERINGS; ties are broken by id


class CatalogQueries(abc.ABC):
    """Read models for listing and showing the catalog."""

    @abc.abstractmethod
    def products(
        self, filters: ProductFilter, offset: int, limit: int
    ) -> tuple[list[ProductView], int]:
        """One page of active products and the total; three statements at most."""

    @abc.abstractmethod
    def product(self, slug: str) -> ProductView | None:
        """One product, active or not, with its images; one statement (two at most)."""

    @abc.abstractmethod
    def categories(self) -> list[CategoryView]:
        """Every category by name, with its count of active products; one statement."""

    @abc.abstractmethod
    def category(self, category_id: int) -> CategoryView | None: ...
