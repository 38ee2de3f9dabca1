"""The Flask application factory."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import swagger_ui_bundle
from flask import Blueprint as FlaskBlueprint
from flask import Flask, Response, request, send_from_directory
from flask.sessions import NullSession, SessionInterface
from flask_cors import CORS
from werkzeug.middleware.proxy_fix import ProxyFix

from shop_web import caching, errors, limits, observability, redis_state, routing
from shop_web import config as shop_config
from shop_web.api import analytics as analytics_api
from shop_web.api import auth, catalog_images, catalog_products, categories, health, users
from shop_web.api import cart as cart_api
from shop_web.api import orders as orders_api
from shop_web.api import reviews as reviews_api
from shop_web.json_provider import OrjsonProvider
from shop_web.openapi import ShopApi
from shop_web.request_bodies import require_content_type
from shopcore.bootstrap import UseCases, bootstrap

BLUEPRINTS = (
    auth.blp, users.blp, health.blp, reviews_api.blp, analytics_api.blp,
    cart_api.blp, orders_api.blp, orders_api.vendor_blp,
    categories.blp, catalog_products.blp, catalog_images.blp,
)  # fmt: skip


def create_app(
    test_config: Mapping[str, Any] | None = None, *, use_cases: UseCases | None = None
) -> Flask:
    """Build the app: defaults, then the environment, then ``test_config`` on top."""
    app = Flask(__name__, instance_path=str(shop_config.instance_path()))
    app.json = OrjsonProvider(app)
    app.session_interface = NoCookieSessions()
    app.config.update(_api_docs_config())
    app.config.update(shop_config.from_environment())
    app.config.update(test_config or {})
    if not app.config["SECRET_KEY"]:
        if app.config["SHOP_ENV"] == "production":
            raise shop_config.ConfigError("SHOP_SECRET_KEY is required when SHOP_ENV=production")
        app.config["SECRET_KEY"] = shop_config.development_secret()
    shop_config.check(app.config)
    app.url_map.strict_slashes = False  # every route answers with and without its slash
    routing.init_app(app)  # before any blueprint: rules take their converters when added
    observability.init_app(app)  # first hooks in, so its log line sees the final answer

    app.extensions["shopcore"] = use_cases or bootstrap(shop_config.core_settings(app.config))
    api = ShopApi(app)
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
    errors.register(app)
    redis_state.init_app(app)
    limiter = limits.create_limiter(app)
    limits.limit_login(app, limiter)
    caching.init_app(app)  # after the limiter: cached answers are rate-limited too
    _serve_static(app)
    _wire_http(app)
    return app


class NoCookieSessions(SessionInterface):
    """The API is stateless (bearer tokens): no cookie session is read or written, which also
    spares every request the signing serializer Flask would build (issue 7)."""

    def open_session(self, app: Flask, request: Any) -> NullSession:
        return NullSession()

    def save_session(self, app: Flask, session: Any, response: Any) -> None:
        return None


def _api_docs_config() -> dict[str, Any]:
    return {
        "API_TITLE": "Shop API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/",
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "swagger",
        "OPENAPI_SWAGGER_UI_URL": "/swagger-ui-assets/",
        # Swagger UI would otherwise send the spec's URL to validator.swagger.io for a badge.
        "OPENAPI_SWAGGER_UI_CONFIG": {"validatorUrl": None},
        "JSON_SORT_KEYS": False,
    }


def _serve_static(app: Flask) -> None:
    """Swagger UI's own files (so /swagger/ works offline) and uploaded media."""
    assets = FlaskBlueprint(
        "swagger_assets",
        __name__,
        static_folder=swagger_ui_bundle.swagger_ui_path,
        static_url_path="/swagger-ui-assets",
    )
    app.register_blueprint(assets)

    @app.get("/media/<path:name>")
    def media(name: str) -> Any:
        return send_from_directory(app.config["MEDIA_ROOT"], name, max_age=86400)


def _wire_http(app: Flask) -> None:
    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    if app.config["CORS_ORIGINS"]:
        CORS(
            app,
            resources={r"/api/*": {"origins": app.config["CORS_ORIGINS"]}},
            supports_credentials=app.config.get("CORS_ALLOW_CREDENTIALS", False),
            send_wildcard="*" in app.config["CORS_ORIGINS"],  # never echo any origin back
            vary_header=False,  # Vary: Origin is ours (below): flask-cors skips one origin
            expose_headers=[
                "X-Request-ID",
                "Retry-After",
                "X-RateLimit-Limit",
                "X-RateLimit-Remaining",
                "X-RateLimit-Reset",
                "ETag",
            ],  # fmt: skip
        )
        if "*" not in app.config["CORS_ORIGINS"]:
            app.after_request(_vary_on_origin)

    app.before_request(require_content_type)  # after routing, before validation


def _vary_on_origin(response: Response) -> Response:
    """An /api answer depends on the caller's Origin (echoed when allowed, left out when not),
    so caches must keep one copy per Origin, also when only one origin is allowed."""
    varies = {v.strip().lower() for h in response.headers.getlist("Vary") for v in h.split(",")}
    if request.path.startswith("/api/") and not varies & {"origin", "*"}:
        response.headers.add("Vary", "Origin")
    return response
