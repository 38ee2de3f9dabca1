"""Browsing products: the list with its filters, and the detail page.

These two are the catalog's read paths; each runs in one read-only unit of work with a
constant number of statements whatever the page size.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from shopcore.domain.catalog import is_category_id, with_descendants
from shopcore.domain.errors import ProductNotFound, RuleViolation
from shopcore.domain.text import search_words
from shopcore.domain.users import Principal
from shopcore.ports.catalog_queries import DEFAULT_ORDERING, ORDERINGS, ProductFilter, ProductView
from shopcore.ports.unit_of_work import UnitOfWork
from shopcore.use_cases.common import Page


@dataclass(frozen=True)
class ProductQuery:
    category: str | None = None  # all digits: an id; otherwise a slug
    vendor_id: int | None = None
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    in_stock: bool | None = None
    search: str | None = None
    ordering: str = DEFAULT_ORDERING


class ListProducts:
    """Active products matching every given filter, in the requested order."""

    def __init__(self, *, uow: UnitOfWork):
        self.uow = uow

    def execute(self, query: ProductQuery, offset: int, limit: int) -> Page[ProductView]:
        _check(query)
        with self.uow as uow:
            filters = ProductFilter(
                category_ids=_category_ids(uow, query.category),
                vendor_id=query.vendor_id,
                min_price=query.min_price,
                max_price=query.max_price,
                in_stock=query.in_stock,
                search_words=search_words(query.search or ""),
                ordering=query.ordering,
            )
            items, total = uow.catalog.products(filters, offset, limit)
        return Page(items, total)


def _check(query: ProductQuery) -> None:
    if query.ordering not in ORDERINGS:
        message = f"Must be one of: {', '.join(ORDERINGS)}."
        raise RuleViolation("Unknown ordering.", errors={"ordering": [message]})
    low, high = query.min_price, query.max_price
    if low is not None and high is not None and high < low:
        message = "Must not be below min_price."
        raise RuleViolation("Empty price range.", errors={"max_price": [message]})


def _category_ids(uow: UnitOfWork, ref: str | None) -> frozenset[int] | None:
    """The category ``ref`` names (id or slug) and all its sub-categories, at any depth."""
    if ref is None:
        return None
    ref = ref.strip().lower()  # slugs are lower-case; "Kitchen" means "kitchen"
    parents = uow.categories.parents()
    if is_category_id(ref):
        category_id: int | None = int(ref) if int(ref) in parents else None
    else:
        category = uow.categories.get_by_slug(ref)
        category_id = None if category is None else category.id
    if category_id is None:
        raise RuleViolation("No such category.", errors={"category": ["No such category."]})
    return with_descendants(category_id, parents)


class GetProduct:
    """One product by slug; an inactive one only for its vendor and admins."""

    def __init__(self, *, uow: UnitOfWork):
        self.uow = uow

    def execute(self, slug: str, principal: Principal | None = None) -> ProductView:
        with self.uow as uow:
            view = uow.catalog.product(slug)
        if view is None or not view.is_visible_to(principal):
            raise ProductNotFound()
        return view
