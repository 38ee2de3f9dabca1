"""The flask-smorest Api with our security scheme, error responses and response headers."""

from __future__ import annotations

from typing import Any

from flask_smorest import Api

from shop_web.openapi_generic import GenericResponses, document_shared_responses
from shop_web.schemas.common import ErrorSchema


class ShopApi(Api):
    ERROR_SCHEMA = ErrorSchema
    DEFAULT_ERROR_RESPONSE_NAME = None  # each operation lists its statuses (openapi_generic.py)

    def __init__(self, app: Any) -> None:
        super().__init__(app, spec_kwargs={"extra_plugins": [GenericResponses()]})
        self.spec.components.security_scheme(
            "bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
        )
        self.spec.options["servers"] = [{"url": "/"}]
        # Views document 413 by this name; flask-smorest registers one response per HTTPStatus
        # member, and Python calls 413 REQUEST_ENTITY_TOO_LARGE (3.11) or CONTENT_TOO_LARGE
        # (3.13), so without this the reference would dangle.
        self.spec.components.response(
            "PAYLOAD_TOO_LARGE",
            {
                "description": "Payload Too Large",
                "content": {"application/json": {"schema": self.ERROR_SCHEMA}},
            },
        )
        document_shared_responses(self.spec)
        # flask-smorest's own pagination (the X-Pagination header) is not used: our lists carry
        # it in the body (schemas.common.paginated), so its schema would only mislead.
        self.spec.components.schemas.pop("PaginationMetadata", None)
        self.spec.components.headers_lazy.pop("PAGINATION", None)
