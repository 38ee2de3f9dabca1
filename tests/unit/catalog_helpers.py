"""Helpers for the catalog unit tests (no tests here)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from shopcore.domain.users import Principal
from shopcore.ports.catalog_queries import CategoryView, ProductView
from shopcore.use_cases.catalog_browse import ProductQuery
from shopcore.use_cases.catalog_categories import NewCategory
from shopcore.use_cases.catalog_products import NewProduct
from tests.unit.conftest import Harness


class Catalog:
    """The harness (with its fake slugger), an admin and two vendors, and short builders."""

    def __init__(self, harness: Harness) -> None:
        self.h, self.shop, self.store = harness, harness.shop, harness.store
        self.admin = harness.admin()
        self.vendor = harness.register("vera@example.com", "vendor")
        self.other_vendor = harness.register("otto@example.com", "vendor")
        self.customer = harness.register("cara@example.com", "customer")

    def category(self, name: str = "Kitchen", parent: int | None = None) -> CategoryView:
        return self.shop.create_category.execute(self.admin, NewCategory(name, "", parent))

    def product(
        self, name: str = "Tea Pot", *, vendor: Principal | None = None, **fields: Any
    ) -> ProductView:
        if "category_id" not in fields:
            fields["category_id"] = self.category(f"Cat for {name[:20]}").id
        fields.setdefault("description", "")
        fields["price"] = Decimal(str(fields.get("price", "10.00")))
        if fields.get("discount_price") is not None:
            fields["discount_price"] = Decimal(str(fields["discount_price"]))
        fields.setdefault("stock", 5)
        cmd = NewProduct(name=name, **fields)
        return self.shop.create_product.execute(vendor or self.vendor, cmd)

    def slugs(self, offset: int = 0, limit: int = 100, **query: Any) -> list[str]:
        page = self.shop.list_products.execute(ProductQuery(**query), offset, limit)
        return [item.slug for item in page.items]

    def stored(self, slug: str) -> Any:
        return next(p for p in self.store.tables["products"].values() if p.slug == slug)
