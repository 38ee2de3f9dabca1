"""Shapes of reviews."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from shop_web.schemas.common import Integer, UtcDateTime
from shopcore.domain.reviews import COMMENT_MAX, RATING_MAX, RATING_MIN, TITLE_MAX


def _rating(**kwargs: Any) -> Integer:
    return Integer(
        strict=True,  # 4.5, "5" and true are not ratings
        validate=validate.Range(min=RATING_MIN, max=RATING_MAX),
        metadata={"description": "Whole stars from 1 to 5."},
        **kwargs,
    )


class ReviewAuthorSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


class ReviewSchema(Schema):
    id = fields.Integer(required=True)
    product = fields.String(required=True, metadata={"description": "The product's slug."})
    user = fields.Nested(ReviewAuthorSchema, required=True)
    rating = fields.Integer(required=True)
    title = fields.String(required=True)
    comment = fields.String(required=True)
    verified_purchase = fields.Boolean(required=True)
    created_at = UtcDateTime(required=True)
    updated_at = UtcDateTime(required=True)


class ReviewCreateSchema(Schema):
    rating = _rating(required=True)
    title = fields.String(load_default="", validate=validate.Length(max=TITLE_MAX))
    comment = fields.String(
        required=True,
        validate=validate.Length(min=1, max=COMMENT_MAX),
        metadata={"description": "Leading and trailing whitespace is removed; must not be blank."},
    )


class ReviewUpdateSchema(Schema):
    rating = _rating()
    title = fields.String(validate=validate.Length(max=TITLE_MAX))
    comment = fields.String(validate=validate.Length(min=1, max=COMMENT_MAX))
