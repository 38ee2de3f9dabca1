"""Fields and schemas shared by every resource."""

from __future__ import annotations

import numbers
import re
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

# What a money string may look like (surrounding spaces aside): no exponent, no ``_``, no sign
# but ``-``. Too many places passes here and gets its own message below.
_AMOUNT = re.compile(r"-?[0-9]+(\.[0-9]+)?")
# A whole number as text: ASCII digits only. (Python's int() also reads "５", "٢", " 5 " and
# "1_0", and the regex \d matches every script's digits.)
_WHOLE = re.compile(r"-?[0-9]{1,20}")


class Integer(fields.Integer):
    """The one integer field for query and body input: a JSON integer, or (in a query string,
    or a body field that is not ``strict``) a string of ASCII digits. Booleans, fractions and
    digits of other scripts (fullwidth ``１``, Arabic-Indic ``٢``) are not integers here."""

    def _validated(self, value: Any) -> int:
        if isinstance(value, str):
            if not _WHOLE.fullmatch(value):
                raise self.make_error("invalid", input=value)
        elif not isinstance(value, numbers.Integral):  # 2.5, Decimal("2"), None...
            raise self.make_error("invalid", input=value)
        return super()._validated(value)


def two_places(value: Decimal | None) -> str | None:
    """An amount or an average as the contract writes it: a string with two places, or None."""
    return None if value is None else f"{Decimal(value):.2f}"


class Money(fields.Field):
    """A decimal amount: read from a string or JSON number (already a Decimal), at most two
    places; written as a string with two places, ``"19.99"``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("metadata", {}).update(
            {"type": "string", "format": "decimal", "pattern": r"^-?[0-9]+(\.[0-9]{1,2})?$",
             "example": "19.99"}
        )  # fmt: skip
        super().__init__(**kwargs)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return two_places(value)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
            raise ValidationError("Must be a decimal number or a string holding one.")
        if isinstance(value, str) and not _AMOUNT.fullmatch(value.strip()):
            raise ValidationError("Not a valid decimal number.")
        try:
            amount = Decimal(value.strip() if isinstance(value, str) else value)
        except InvalidOperation as exc:
            raise ValidationError("Not a valid decimal number.") from exc
        if not amount.is_finite():
            raise ValidationError("Not a valid decimal number.")
        exponent = amount.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -2:
            raise ValidationError("At most two decimal places are allowed.")
        # adjusted() is the exponent of the leading digit: no arithmetic, so 1e999999999 (a JSON
        # number) cannot overflow the decimal context the way abs() or a comparison would.
        if amount and amount.adjusted() >= 10:
            raise ValidationError("The amount is too large.")
        return amount


class StrictBoolean(fields.Boolean):
    """A JSON ``true`` or ``false`` in a body; 0, 1, ``"yes"`` or ``"false"`` are other types."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class UtcDateTime(fields.DateTime):
    """ISO 8601 in UTC with the offset written ``+00:00``, to the second."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.astimezone(UTC).isoformat(timespec="seconds")


class PaginationArgs(Schema):
    page = Integer(load_default=1, validate=validate.Range(min=1, max=1_000_000))
    page_size = Integer(load_default=20, validate=validate.Range(min=1, max=100))


def paginated(item_schema: type[Schema]) -> type[Schema]:
    """The envelope ``{count, next, previous, results}`` around ``item_schema``."""
    name = item_schema.__name__.removesuffix("Schema")
    return Schema.from_dict(
        {
            "count": fields.Integer(required=True),
            "next": fields.String(allow_none=True, required=True),
            "previous": fields.String(allow_none=True, required=True),
            "results": fields.List(fields.Nested(item_schema), required=True),
        },
        name=f"{name}Page",
    )


class ErrorSchema(Schema):
    code = fields.Integer(required=True)
    status = fields.String(required=True)
    message = fields.String(required=True)
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))


class MoneyOut(Money):
    """Money in an answer: never negative, always two places (``"19.99"``).

    Only the documentation differs from ``Money``: the request pattern allows a sign so that a
    negative amount is refused with a message, while no price, total or revenue answered can
    be below zero (the domain's rules), which client generators and validators may rely on.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.metadata = {**self.metadata, "pattern": r"^[0-9]+\.[0-9]{2}$"}


class RatingAverage(MoneyOut):
    """An average review rating with two places, ``"4.50"``, or null when unrated."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("allow_none", True)
        super().__init__(dump_only=True, **kwargs)
        self.metadata = {"description": "Average review rating; null when unrated.",
                         **self.metadata, "example": "4.50"}  # fmt: skip
