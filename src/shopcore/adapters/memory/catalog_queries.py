"""Catalog read models over the in-memory store, with the SQL adapter's semantics."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shopcore.domain.catalog import Product, vendor_name
from shopcore.domain.text import fold, text_words
from shopcore.ports.catalog_queries import (
    CatalogQueries,
    CategoryRef,
    CategoryView,
    ImageView,
    ProductFilter,
    ProductView,
    VendorRef,
)

_SORT_KEYS: dict[str, Callable[[Product], Any]] = {
    "price": lambda p: p.final_price,
    "created_at": lambda p: p.created_at,
    "name": lambda p: p.name.casefold(),
    "rating": lambda p: (p.rating_avg is not None, p.rating_avg or 0),  # unrated lowest
}


class MemoryCatalogQueries(CatalogQueries):
    def __init__(self, store: Any) -> None:
        self.store = store

    def products(
        self, filters: ProductFilter, offset: int, limit: int
    ) -> tuple[list[ProductView], int]:
        found = [p for p in self._table("products").values() if _matches(p, filters)]
        key = _SORT_KEYS[filters.ordering.removeprefix("-")]
        found.sort(key=lambda p: (key(p), p.id), reverse=filters.ordering.startswith("-"))
        return [self._view(p) for p in found[offset : offset + limit]], len(found)

    def product(self, slug: str) -> ProductView | None:
        found = next((p for p in self._table("products").values() if p.slug == slug), None)
        return None if found is None else self._view(found)

    def categories(self) -> list[CategoryView]:
        views = [self._category_view(c) for c in self._table("categories").values()]
        return sorted(views, key=lambda c: (c.name.casefold(), c.id))

    def category(self, category_id: int) -> CategoryView | None:
        found = self._table("categories").get(category_id)
        return None if found is None else self._category_view(found)

    def _table(self, name: str) -> dict[Any, Any]:
        return self.store.tables[name]  # type: ignore[no-any-return]

    def _category_view(self, category: Any) -> CategoryView:
        count = sum(
            1
            for p in self._table("products").values()
            if p.category_id == category.id and p.is_active
        )
        return CategoryView(
            category.id, category.name, category.slug, category.description,
            category.parent_id, count,
        )  # fmt: skip

    def _view(self, p: Product) -> ProductView:
        assert p.id is not None
        category = self._table("categories")[p.category_id]
        vendor = self._table("users")[p.vendor_id]
        images = sorted(
            (i for i in self._table("product_images").values() if i.product_id == p.id),
            key=lambda i: (i.position, i.id),
        )
        return ProductView(
            id=p.id, slug=p.slug, name=p.name, description=p.description,
            category=CategoryRef(category.id, category.name, category.slug),
            vendor=VendorRef(p.vendor_id, _vendor_name(vendor)),
            price=p.price, discount_price=p.discount_price, final_price=p.final_price,
            stock=p.stock, is_active=p.is_active,
            images=tuple(
                ImageView(i.id, i.path, i.thumbnail_path, i.width, i.height, i.position)
                for i in images
            ),
            rating_avg=p.rating_avg, rating_count=p.rating_count,
            created_at=p.created_at, updated_at=p.updated_at,
        )  # fmt: skip


def _vendor_name(user: Any) -> str:
    return vendor_name(user.first_name, user.last_name, user.id)


def _matches(p: Product, f: ProductFilter) -> bool:
    checks = (
        p.is_active,
        f.category_ids is None or p.category_id in f.category_ids,
        f.vendor_id is None or p.vendor_id == f.vendor_id,
        f.min_price is None or p.final_price >= f.min_price,
        f.max_price is None or p.final_price <= f.max_price,
        f.in_stock is None or p.in_stock == f.in_stock,
        not f.search_words or _found(f.search_words, f"{p.name} {p.description}"),
    )
    return all(checks)


def _found(words: tuple[str, ...], text: str) -> bool:
    """Every word starts some word of ``text``, ignoring case and accents (like FTS5)."""
    tokens = text_words(text)
    return all(any(token.startswith(fold(word)) for token in tokens) for word in words)
