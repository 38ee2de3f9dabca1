"""Shapes of accounts and auth."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from shop_web.media_links import media_links
from shop_web.schemas.common import PaginationArgs, StrictBoolean, UtcDateTime


def absolute_media_url(name: str | None) -> str | None:
    return media_links()(name)


class UserSchema(Schema):
    id = fields.Integer(dump_only=True, required=True)
    email = fields.Email(required=True)
    first_name = fields.String(required=True)
    last_name = fields.String(required=True)
    phone = fields.String(required=True)
    address = fields.String(required=True)
    role = fields.Function(
        lambda user: user.role.value,
        required=True,
        metadata={"type": "string", "enum": ["customer", "vendor", "admin"]},
    )
    profile_image = fields.Function(
        lambda user: absolute_media_url(user.profile_image), allow_none=True, required=True,
        metadata={"type": "string", "format": "uri", "nullable": True},
    )  # fmt: skip
    is_active = fields.Boolean(required=True)
    date_joined = UtcDateTime(required=True)


class RegisterSchema(Schema):
    email = fields.String(required=True, validate=validate.Length(min=3, max=254))
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=256))
    first_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    last_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    phone = fields.String(load_default="", validate=validate.Length(max=32))
    address = fields.String(load_default="", validate=validate.Length(max=500))
    role = fields.String(load_default="customer", metadata={"enum": ["customer", "vendor"]})


class LoginSchema(Schema):
    email = fields.String(required=True, validate=validate.Length(max=254))
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=256))


class RefreshSchema(Schema):
    refresh = fields.String(required=True, validate=validate.Length(min=1, max=4096))


class TokenPairSchema(Schema):
    access = fields.String(required=True)
    refresh = fields.String(required=True)


class SessionSchema(TokenPairSchema):
    user = fields.Nested(UserSchema, required=True)


class ProfileUpdateSchema(Schema):
    first_name = fields.String(validate=validate.Length(min=1, max=100))
    last_name = fields.String(validate=validate.Length(min=1, max=100))
    phone = fields.String(validate=validate.Length(max=32))
    address = fields.String(validate=validate.Length(max=500))


class ChangePasswordSchema(Schema):
    old_password = fields.String(required=True, validate=validate.Length(max=256))
    new_password = fields.String(required=True, validate=validate.Length(max=256))


class AvatarSchema(Schema):
    image = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class UserQuerySchema(PaginationArgs):
    role = fields.String(validate=validate.OneOf(["customer", "vendor", "admin"]))
    is_active = fields.Boolean()
    search = fields.String(validate=validate.Length(min=1, max=100))


class AdminUserUpdateSchema(Schema):
    role = fields.String(validate=validate.OneOf(["customer", "vendor", "admin"]))
    is_active = StrictBoolean()


def dump_args(data: dict[str, Any], *names: str) -> dict[str, Any]:
    return {name: data[name] for name in names if name in data}
