"""Shapes of the cart and of orders."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from shop_web.schemas.common import Integer, MoneyOut, PaginationArgs, UtcDateTime, paginated
from shopcore.domain.orders import ADDRESS_LIMITS as LIMIT
from shopcore.domain.orders import (
    MAX_LINE_QUANTITY,
    OrderStatus,
    PaymentMethod,
    PaymentStatus,
)
from shopcore.use_cases.orders import IDEMPOTENCY_KEY_MAX, MAX_ORDER_LINES

STATUSES = [s.value for s in OrderStatus]
PAYMENT_STATUSES = [s.value for s in PaymentStatus]
PAYMENT_METHODS = [m.value for m in PaymentMethod]


class Quantity(Integer):
    """A whole JSON number: strings, fractions (even ``2.0``) and booleans are refused."""

    def __init__(self, minimum: int, **kwargs: Any) -> None:
        kwargs.setdefault("validate", validate.Range(min=minimum, max=MAX_LINE_QUANTITY))
        super().__init__(strict=True, **kwargs)  # strict: only integral numbers, never bools


class Slug(fields.String):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(validate=validate.Length(min=1, max=220), **kwargs)


# --- cart ---------------------------------------------------------------------------------


class CartProductSchema(Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    final_price = MoneyOut(required=True)
    stock = fields.Integer(required=True)


class CartItemSchema(Schema):
    product = fields.Nested(CartProductSchema, required=True)
    quantity = fields.Integer(required=True)
    line_total = MoneyOut(required=True)


class CartSchema(Schema):
    items = fields.List(fields.Nested(CartItemSchema), required=True)
    total = MoneyOut(required=True)
    item_count = fields.Integer(required=True, metadata={"description": "Units in the cart."})


class CartAddSchema(Schema):
    product = Slug(required=True, metadata={"description": "Slug of an active product."})
    quantity = Quantity(1, required=True)


class CartQuantitySchema(Schema):
    quantity = Quantity(0, required=True, metadata={"description": "0 removes the product."})


# --- orders -------------------------------------------------------------------------------


class ShippingSchema(Schema):
    full_name = fields.String(
        required=True, validate=validate.Length(min=1, max=LIMIT["full_name"])
    )
    phone = fields.String(required=True, validate=validate.Length(min=1, max=LIMIT["phone"]))
    address_line1 = fields.String(
        required=True, validate=validate.Length(min=1, max=LIMIT["address_line1"])
    )
    address_line2 = fields.String(
        load_default="", validate=validate.Length(max=LIMIT["address_line2"])
    )
    city = fields.String(required=True, validate=validate.Length(min=1, max=LIMIT["city"]))
    state = fields.String(load_default="", validate=validate.Length(max=LIMIT["state"]))
    postal_code = fields.String(
        required=True, validate=validate.Length(min=1, max=LIMIT["postal_code"])
    )
    country = fields.String(required=True, validate=validate.Length(min=1, max=LIMIT["country"]))


class OrderItemInSchema(Schema):
    product = Slug(required=True)
    quantity = Quantity(1, required=True)


class PlaceOrderSchema(Schema):
    items = fields.List(
        fields.Nested(OrderItemInSchema),
        validate=validate.Length(min=1, max=MAX_ORDER_LINES),
        metadata={
            "description": "Leave out to order the cart (which is then emptied). A product "
            "listed twice is ordered once with the quantities added up."
        },
    )
    shipping = fields.Nested(ShippingSchema, required=True)
    payment_method = fields.String(required=True, validate=validate.OneOf(PAYMENT_METHODS))


class IdempotencyHeaderSchema(Schema):
    idempotency_key = fields.String(
        data_key="Idempotency-Key",
        validate=validate.Length(min=1, max=IDEMPOTENCY_KEY_MAX),
        metadata={
            "description": "Makes retries safe. The same user retrying with the same key and "
            "body gets 201 with the order the first request placed (as it is now), without a "
            "second order or stock change; the same key with another body is 409. A request "
            "that failed leaves its key unused. Keys are per user and kept for 24 hours."
        },
    )


class OrderLineSchema(Schema):
    product = fields.String(
        attribute="product_slug", required=True, metadata={"description": "Product slug."}
    )
    product_name = fields.String(required=True)
    unit_price = MoneyOut(required=True)
    quantity = fields.Integer(required=True)
    line_total = MoneyOut(required=True)


class OrderShippingSchema(Schema):
    """The shipping address as an order answers it: every field, empty when not given."""

    full_name = fields.String(required=True)
    phone = fields.String(required=True)
    address_line1 = fields.String(required=True)
    address_line2 = fields.String(required=True)
    city = fields.String(required=True)
    state = fields.String(required=True)
    postal_code = fields.String(required=True)
    country = fields.String(required=True)


class ActorSchema(Schema):
    id = fields.Integer(required=True, allow_none=True)
    name = fields.String(required=True)


class HistorySchema(Schema):
    status = fields.String(required=True, metadata={"enum": STATUSES})
    payment_status = fields.String(required=True, metadata={"enum": PAYMENT_STATUSES})
    by = fields.Nested(ActorSchema, required=True)
    at = UtcDateTime(required=True)


class OrderSchema(Schema):
    order_number = fields.String(required=True)
    status = fields.String(required=True, metadata={"enum": STATUSES})
    payment_method = fields.String(required=True, metadata={"enum": PAYMENT_METHODS})
    payment_status = fields.String(required=True, metadata={"enum": PAYMENT_STATUSES})
    items = fields.List(fields.Nested(OrderLineSchema), attribute="lines", required=True)
    subtotal = MoneyOut(required=True)
    shipping_cost = MoneyOut(
        required=True,
        metadata={"description": "0.00 from a subtotal of 50.00 on, else a flat 5.00."},
    )
    total = MoneyOut(required=True)
    shipping = fields.Nested(OrderShippingSchema, required=True)
    history = fields.List(fields.Nested(HistorySchema), required=True)
    created_at = UtcDateTime(required=True)
    updated_at = UtcDateTime(required=True)


OrderPageSchema = paginated(OrderSchema)


class OrderQuerySchema(PaginationArgs):
    status = fields.String(validate=validate.OneOf(STATUSES))


class StatusChangeSchema(Schema):
    status = fields.String(validate=validate.OneOf(STATUSES))
    payment_status = fields.String(validate=validate.OneOf(PAYMENT_STATUSES))

    @validates_schema
    def _needs_a_change(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not data:
            raise ValidationError("Give status, payment_status or both.")
