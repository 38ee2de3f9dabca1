"""SQL repositories for categories, products and product images."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import Connection, CursorResult, delete, exists, insert, select, update
from sqlalchemy.exc import IntegrityError

from shopcore.domain.catalog import Category, Product, ProductImage
from shopcore.domain.errors import CategoryInUse, ProductOrdered, RuleViolation, SlugTaken
from shopcore.ports.catalog import CategoryRepository, ProductImageRepository, ProductRepository

from .tables import categories, order_lines, product_images, products, storable

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


def _category_row(category: Category) -> dict[str, Any]:
    return {k: v for k, v in vars(category).items() if k != "id"}


def _new_id(result: CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def violation(exc: IntegrityError) -> str:
    """``"unique"``, ``"foreign_key"`` or ``"other"``: which constraint a write broke."""
    text = str(exc.orig).lower()
    if "unique" in text or "duplicate" in text:
        return "unique"
    if "foreign key" in text:
        return "foreign_key"
    return "other"


def _write_error(exc: IntegrityError, reference: str) -> Exception:
    """The domain error for a failed product or category write, else the original error.

    ``reference`` names the field whose category vanished meanwhile (category or parent).
    """
    kind = violation(exc)
    if kind == "unique" and "slug" in str(exc.orig).lower():
        return SlugTaken()
    if kind == "foreign_key":
        message = "The category no longer exists."
        return RuleViolation(message, errors={reference: ["No such category."]})
    return exc


class SqlCategoryRepository(CategoryRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, category: Category) -> None:
        try:
            result = self.conn.execute(insert(categories).values(_category_row(category)))
        except IntegrityError as exc:
            raise _write_error(exc, "parent") from exc
        category.id = _new_id(result)

    def get(self, category_id: int) -> Category | None:
        row = self.conn.execute(select(categories).where(categories.c.id == category_id)).first()
        return None if row is None else Category(**row._mapping)

    def get_by_slug(self, slug: str) -> Category | None:
        if not storable(slug):
            return None
        row = self.conn.execute(select(categories).where(categories.c.slug == slug)).first()
        return None if row is None else Category(**row._mapping)

    def save(self, category: Category) -> None:
        stmt = update(categories).where(categories.c.id == category.id)
        try:
            self.conn.execute(stmt.values(_category_row(category)))
        except IntegrityError as exc:
            raise _write_error(exc, "parent") from exc

    def delete(self, category_id: int) -> None:
        try:
            self.conn.execute(delete(categories).where(categories.c.id == category_id))
        except IntegrityError as exc:  # a product or child was added meanwhile
            raise CategoryInUse() from exc

    def parents(self, *, lock: bool = False) -> dict[int, int | None]:
        stmt = select(categories.c.id, categories.c.parent_id)
        rows = self.conn.execute(stmt.with_for_update() if lock else stmt)
        return {row.id: row.parent_id for row in rows}

    def has_children(self, category_id: int) -> bool:
        stmt = select(exists().where(categories.c.parent_id == category_id))
        return bool(self.conn.execute(stmt).scalar())

    def taken_slugs(self, candidates: Collection[str]) -> set[str]:
        stmt = select(categories.c.slug).where(categories.c.slug.in_(list(candidates)))
        return set(self.conn.execute(stmt).scalars())


class SqlProductRepository(ProductRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, product: Product) -> None:
        try:
            result = self.conn.execute(insert(products).values(_product_row(product)))
        except IntegrityError as exc:
            raise _write_error(exc, "category") from exc
        product.id = _new_id(result)

    def get(self, product_id: int) -> Product | None:
        row = self.conn.execute(select(products).where(products.c.id == product_id)).first()
        return None if row is None else product_from_row(row)

    def get_by_slug(self, slug: str) -> Product | None:
        if not storable(slug):
            return None
        row = self.conn.execute(select(products).where(products.c.slug == slug)).first()
        return None if row is None else product_from_row(row)

    def lock_by_slug(self, slug: str) -> Product | None:
        if not storable(slug):
            return None
        stmt = select(products).where(products.c.slug == slug).with_for_update()
        row = self.conn.execute(stmt).first()  # SQLite: BEGIN IMMEDIATE already serializes
        return None if row is None else product_from_row(row)

    def save(self, product: Product) -> None:
        stmt = update(products).where(products.c.id == product.id)
        try:
            self.conn.execute(stmt.values(_product_row(product)))
        except IntegrityError as exc:
            raise _write_error(exc, "category") from exc

    def delete(self, product_id: int) -> None:
        try:
            self.conn.execute(delete(products).where(products.c.id == product_id))
        except IntegrityError as exc:  # an order line was added meanwhile (ON DELETE RESTRICT)
            raise ProductOrdered() from exc

    def taken_slugs(self, candidates: Collection[str]) -> set[str]:
        stmt = select(products.c.slug).where(products.c.slug.in_(list(candidates)))
        return set(self.conn.execute(stmt).scalars())

    def exists_in_category(self, category_id: int) -> bool:
        stmt = select(exists().where(products.c.category_id == category_id))
        return bool(self.conn.execute(stmt).scalar())

    def has_order_lines(self, product_id: int) -> bool:
        stmt = select(exists().where(order_lines.c.product_id == product_id))
        return bool(self.conn.execute(stmt).scalar())


class SqlProductImageRepository(ProductImageRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, image: ProductImage) -> None:
        values = {k: v for k, v in vars(image).items() if k != "id"}
        image.id = _new_id(self.conn.execute(insert(product_images).values(values)))

    def get(self, image_id: int) -> ProductImage | None:
        stmt = select(product_images).where(product_images.c.id == image_id)
        row = self.conn.execute(stmt).first()
        return None if row is None else ProductImage(**row._mapping)

    def list_for_product(self, product_id: int) -> list[ProductImage]:
        stmt = (
            select(product_images)
            .where(product_images.c.product_id == product_id)
            .order_by(product_images.c.position, product_images.c.id)
        )
        return [ProductImage(**row._mapping) for row in self.conn.execute(stmt)]

    def delete(self, image_id: int) -> None:
        self.conn.execute(delete(product_images).where(product_images.c.id == image_id))
