"""Shapes of categories, products and product images."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from shop_web.schemas import catalog_fast
from shop_web.schemas.common import (
    Integer,
    Money,
    MoneyOut,
    PaginationArgs,
    RatingAverage,
    StrictBoolean,
    UtcDateTime,
)
from shop_web.schemas.users import absolute_media_url
from shopcore.domain.catalog import (
    CATEGORY_NAME_MAX,
    DESCRIPTION_MAX,
    MAX_STOCK,
    PRODUCT_NAME_MAX,
)
from shopcore.ports.catalog_queries import DEFAULT_ORDERING, ORDERINGS

_ID = {"strict": True, "validate": validate.Range(min=1, max=2**31 - 1)}
_MONEY_IN = 'A string (`"19.99"`) or a JSON number, read exactly; at most two decimal places.'


class CategorySchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    slug = fields.String(required=True)
    description = fields.String(required=True)
    parent = fields.Integer(attribute="parent_id", required=True, allow_none=True)
    product_count = fields.Integer(
        required=True,
        metadata={"description": "Active products directly in this category (not below it)."},
    )


class CategoryCreateSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=CATEGORY_NAME_MAX))
    description = fields.String(load_default="", validate=validate.Length(max=DESCRIPTION_MAX))
    parent = Integer(
        load_default=None, allow_none=True, metadata={"description": "Parent category id."}, **_ID
    )


class CategoryUpdateSchema(Schema):
    """PUT: name required; description and parent are left as they are when omitted."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=CATEGORY_NAME_MAX))
    description = fields.String(validate=validate.Length(max=DESCRIPTION_MAX))
    parent = Integer(
        allow_none=True, metadata={"description": "Parent category id; null: top level."}, **_ID
    )


class CategoryPatchSchema(CategoryUpdateSchema):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(partial=True, **kwargs)


class CategoryRefSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    slug = fields.String(required=True)


class VendorRefSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


def _media(name: str) -> str:
    return absolute_media_url(name) or ""


_URI = {"type": "string", "format": "uri"}


class ImageSchema(Schema):
    id = fields.Integer(required=True)
    url = fields.Function(lambda image: _media(image.path), required=True, metadata=_URI)
    thumbnail_url = fields.Function(
        lambda image: _media(image.thumbnail_path), required=True, metadata=_URI
    )
    width = fields.Integer(required=True)
    height = fields.Integer(required=True)
    position = fields.Integer(required=True)


class ProductSchema(Schema):
    id = fields.Integer(required=True)
    slug = fields.String(required=True)
    name = fields.String(required=True)
    description = fields.String(required=True)
    category = fields.Nested(CategoryRefSchema, required=True)
    vendor = fields.Nested(VendorRefSchema, required=True)
    price = MoneyOut(required=True)
    discount_price = MoneyOut(required=True, allow_none=True)
    final_price = MoneyOut(
        required=True, metadata={"description": "discount_price when set, else price."}
    )
    stock = fields.Integer(required=True)
    in_stock = fields.Boolean(required=True)
    is_active = fields.Boolean(required=True)
    images = fields.List(fields.Nested(ImageSchema), required=True)
    rating_avg = RatingAverage(required=True, allow_none=True)
    rating_count = fields.Integer(required=True)
    created_at = UtcDateTime(required=True)
    updated_at = UtcDateTime(required=True)

    def dump(self, obj: Any, *, many: bool | None = None) -> Any:
        """The fields above; for the catalog's read model written by ``catalog_fast`` (the
        same output, without marshmallow's per-field cost: lists are the API's hot path)."""
        many = self.many if many is None else many
        fast = None if self.only or self.exclude else catalog_fast.dump_products(obj, many)
        return super().dump(obj, many=many) if fast is None else fast


class ProductWriteSchema(Schema):
    """POST and PUT take every required field; PATCH takes any of them."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=PRODUCT_NAME_MAX))
    description = fields.String(required=True, validate=validate.Length(max=DESCRIPTION_MAX))
    category = Integer(required=True, metadata={"description": "Category id."}, **_ID)
    price = Money(required=True, metadata={"description": f"Above zero. {_MONEY_IN}"})
    discount_price = Money(
        allow_none=True,
        metadata={"description": f"At zero or more and below price; null removes it. {_MONEY_IN}"},
    )
    stock = Integer(required=True, strict=True, validate=validate.Range(min=0, max=MAX_STOCK))
    is_active = StrictBoolean(
        metadata={"description": "Default true on create; left as it is when omitted later."}
    )


class ProductPatchSchema(ProductWriteSchema):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(partial=True, **kwargs)


class ProductQuerySchema(PaginationArgs):
    category = fields.String(
        validate=validate.Length(min=1, max=120),
        metadata={"description": "A category id (all digits) or slug; its sub-categories at "
                  "every level are included. An unknown category is 422."},
    )  # fmt: skip
    vendor = Integer(
        validate=validate.Range(min=1, max=2**31 - 1), metadata={"description": "Vendor id."}
    )
    min_price = Money(metadata={"description": "Lowest final price, inclusive."})
    max_price = Money(metadata={"description": "Highest final price, inclusive."})
    in_stock = fields.Boolean(
        metadata={"description": "true: only products in stock; false: only sold-out ones."}
    )
    search = fields.String(
        validate=validate.Length(max=200),
        metadata={"description": "Words that must all appear in the name or description, "
                  "case- and accent-insensitively. Each word matches the beginning of a word "
                  "(`lamp` finds `lamps`); on MySQL, words under three letters and very common "
                  "words (`the`, `for`) may also match inside words. Punctuation separates words "
                  "and is otherwise ignored."},
    )  # fmt: skip
    ordering = fields.String(
        load_default=DEFAULT_ORDERING,
        validate=validate.OneOf(ORDERINGS),
        metadata={"description": "price is the final price; rating puts unrated products "
                  "lowest; ties are broken by id, so pages never repeat or skip a product."},
    )  # fmt: skip


class ImageUploadSchema(Schema):
    image = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


def renamed(data: dict[str, Any]) -> dict[str, Any]:
    """Request field names -> command keyword arguments (``category`` -> ``category_id``)."""
    names = {"category": "category_id", "parent": "parent_id"}
    return {names.get(key, key): value for key, value in data.items()}
