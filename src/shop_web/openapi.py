"""The flask-smorest Api with our security scheme and error responses."""

from __future__ import annotations

from typing import Any

from flask_smorest import Api

from shop_web.schemas.common import ErrorSchema


class ShopApi(Api):
    ERROR_SCHEMA = ErrorSchema

    def __init__(self, app: Any) -> None:
        super().__init__(app)
        self.spec.components.security_scheme(
            "bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
        )
        self.spec.options["servers"] = [{"url": "/"}]
