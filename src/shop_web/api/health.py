"""Health check for load balancers."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import Schema, fields

from shop_web import redis_state
from shop_web.api.base import Blueprint, use_cases

blp = Blueprint("health", __name__, url_prefix="/api/health", description="Operations.")


class HealthSchema(Schema):
    status = fields.String(required=True, metadata={"enum": ["ok", "degraded", "unavailable"]})
    database = fields.String(required=True, metadata={"enum": ["ok", "unavailable"]})
    redis = fields.String(
        metadata={
            "enum": ["ok", "unavailable"],
            "description": "Present only when Redis is configured (SHOP_REDIS_URL, or a Redis "
            "rate-limit storage). Its outage degrades the API but does not stop it.",
        }
    )


@blp.route("/")
class Health(MethodView):
    @blp.doc(operationId="getHealth")
    @blp.response(200, HealthSchema, description="Up; `degraded` when Redis is unreachable")
    @blp.alt_response(503, schema=HealthSchema, description="The database is unreachable")
    def get(self) -> Any:
        """Is the API up, and can it reach its database and Redis?"""
        body = {"status": "ok", "database": "ok"}
        redis = redis_state.state().status()
        if redis is not None:
            body["redis"] = redis
            if redis != "ok":
                body["status"] = "degraded"
        if not use_cases().database_ok():
            body.update(status="unavailable", database="unavailable")
            return body, 503
        return body
