"""SQL repositories for categories, products and product images."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select, update

from shopcore.domain.catalog import Category, Product, ProductImage
from shopcore.ports.catalog import CategoryRepository, ProductImageRepository, ProductRepository

from .tables import categories, product_images, products

_PRODUCT_FIELDS = (
    "vendor_id", "category_id", "name", "slug", "description", "price", "discount_price",
    "stock", "is_active", "rating_avg", "rating_count", "created_at", "updated_at",
)  # fmt: skip


def _product_row(product: Product) -> dict[str, Any]:
    row = {name: getattr(product, name) for name in _PRODUCT_FIELDS}
    row["final_price"] = product.final_price
    return row


def product_from_row(row: Any) -> Product:
    data = row._mapping
    return Product(**{name: data[name] for name in (*_PRODUCT_FIELDS, "id")})


class SqlCategoryRepository(CategoryRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, category: Category) -> None:
        values = {k: v for k, v in vars(category).items() if k != "id"}
        category.id = self.conn.execute(insert(categories).values(values)).inserted_primary_key[0]

    def get(self, category_id: int) -> Category | None:
        row = self.conn.execute(select(categories).where(categories.c.id == category_id)).first()
        return None if row is None else Category(**row._mapping)

    def save(self, category: Category) -> None:
        values = {k: v for k, v in vars(category).items() if k != "id"}
        self.conn.execute(update(categories).where(categories.c.id == category.id).values(values))


class SqlProductRepository(ProductRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, product: Product) -> None:
        result = self.conn.execute(insert(products).values(_product_row(product)))
        product.id = result.inserted_primary_key[0]

    def get(self, product_id: int) -> Product | None:
        row = self.conn.execute(select(products).where(products.c.id == product_id)).first()
        return None if row is None else product_from_row(row)

    def get_by_slug(self, slug: str) -> Product | None:
        row = self.conn.execute(select(products).where(products.c.slug == slug)).first()
        return None if row is None else product_from_row(row)

    def save(self, product: Product) -> None:
        stmt = update(products).where(products.c.id == product.id)
        self.conn.execute(stmt.values(_product_row(product)))


class SqlProductImageRepository(ProductImageRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, image: ProductImage) -> None:
        values = {k: v for k, v in vars(image).items() if k != "id"}
        image.id = self.conn.execute(insert(product_images).values(values)).inserted_primary_key[0]

    def get(self, image_id: int) -> ProductImage | None:
        stmt = select(product_images).where(product_images.c.id == image_id)
        row = self.conn.execute(stmt).first()
        return None if row is None else ProductImage(**row._mapping)
