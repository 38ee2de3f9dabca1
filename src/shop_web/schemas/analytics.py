"""Shapes of vendor analytics."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from shop_web.schemas.common import Integer, MoneyOut, RatingAverage


class DateOrDateTime(fields.Field):
    """An ISO 8601 date (``2026-11-24``: the whole day, UTC) or datetime (no offset: UTC)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("metadata", {}).update(
            {"type": "string", "example": "2026-11-24",
             "description": "An ISO 8601 date (the whole day, UTC) or date-time; inclusive."}
        )  # fmt: skip
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> date:
        if not isinstance(value, str) or not value.strip():
            raise ValidationError("Not a valid ISO 8601 date or date-time.")
        for parse in (date.fromisoformat, datetime.fromisoformat):
            try:
                return parse(value.strip())
            except ValueError:
                continue
        raise ValidationError("Not a valid ISO 8601 date or date-time.")


class AnalyticsQuerySchema(Schema):
    vendor = Integer(
        validate=validate.Range(min=1, max=2**31 - 1),
        metadata={"description": "The vendor's user id. Required for admins; a vendor may omit "
                                 "it or give its own id (another id is 403)."},
    )  # fmt: skip
    start = DateOrDateTime(data_key="from")
    end = DateOrDateTime(data_key="to")


class LowStockProductSchema(Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    stock = fields.Integer(required=True)


class TopProductSchema(Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    units_sold = fields.Integer(required=True)
    revenue = MoneyOut(required=True)


class VendorAnalyticsSchema(Schema):
    product_count = fields.Integer(required=True)
    active_product_count = fields.Integer(required=True)
    units_sold = fields.Integer(required=True)
    revenue = MoneyOut(required=True)
    order_count = fields.Integer(required=True)
    rating_avg = RatingAverage(
        required=True,
        metadata={"description": "Mean of every review of the vendor's products; null if none."},
    )
    low_stock = fields.List(
        fields.Nested(LowStockProductSchema),
        required=True,
        metadata={"description": "Active products at or below the low-stock threshold "
                                 "(by stock, then slug; at most 20)."},
    )  # fmt: skip
    top_products = fields.List(
        fields.Nested(TopProductSchema),
        required=True,
        metadata={"description": "Best sellers by revenue in the period (at most 5)."},
    )
