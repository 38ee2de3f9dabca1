"""Health check for load balancers."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import Schema, fields

from shop_web.api.base import Blueprint, use_cases

blp = Blueprint("health", __name__, url_prefix="/api/health", description="Operations.")


class HealthSchema(Schema):
    status = fields.String(required=True, metadata={"enum": ["ok", "degraded", "unavailable"]})
    database = fields.String(required=True, metadata={"enum": ["ok", "unavailable"]})


@blp.route("/")
class Health(MethodView):
    @blp.response(200, HealthSchema)
    @blp.alt_response(503, schema=HealthSchema, description="The database is unreachable")
    def get(self) -> Any:
        """Is the API up, and can it reach its database?"""
        if use_cases().database_ok():
            return {"status": "ok", "database": "ok"}
        return {"status": "unavailable", "database": "unavailable"}, 503
