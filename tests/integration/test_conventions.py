"""The contract's conventions, checked over every route: slashes, errors, money, CORS, docs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.views import MethodView
from marshmallow import Schema, ValidationError, fields, validate
from werkzeug.routing import Rule

from shop_web import create_app
from shop_web.api.base import Blueprint
from shop_web.config import ConfigError, from_environment
from shop_web.schemas.common import Money
from tests.integration.conftest import Api, AppFactory
from tests.integration.conftest import test_config as config_for

ERROR_KEYS = {"code", "status", "message"}
BODY_METHODS = {"POST", "PUT", "PATCH"}
_ARGUMENT = re.compile(r"<(?:(?P<converter>\w+)(?:\([^)]*\))?:)?(?P<name>\w+)>")


def api_rules(app: Flask) -> list[Rule]:
    return sorted(
        (rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")),
        key=lambda rule: rule.rule,
    )


def sample_path(rule: Rule) -> str:
    """The rule's path with a plausible value for each argument."""

    def value(match: re.Match[str]) -> str:
        return "1" if match["converter"] in ("int", "float") else "sample"

    return _ARGUMENT.sub(value, rule.rule)


def openapi_path(rule: Rule) -> str:
    return _ARGUMENT.sub(lambda match: "{" + match["name"] + "}", rule.rule)


def methods(rule: Rule) -> list[str]:
    return sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})


def assert_error(response: Any, code: int) -> dict[str, Any]:
    assert response.status_code == code, response.data[:300]
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert ERROR_KEYS <= set(body) <= ERROR_KEYS | {"errors"}
    assert body["code"] == code and body["message"]
    return body  # type: ignore[no-any-return]


# --- trailing slashes -------------------------------------------------------------------------


def test_there_are_api_routes_to_check(app: Flask) -> None:
    paths = {rule.rule for rule in api_rules(app)}
    assert {"/api/auth/login/", "/api/users/<int:user_id>/", "/api/health/"} <= paths


def test_every_api_route_answers_with_and_without_its_slash_without_redirect(
    app: Flask, api: Api
) -> None:
    admin = api.token("admin")
    for rule in api_rules(app):
        path = sample_path(rule).rstrip("/")
        for method in methods(rule):
            kwargs = {"json": {}} if method in BODY_METHODS else {}
            answers = {}
            for variant in (path, path + "/"):
                response = api.call(method, variant, **kwargs)
                answers[variant] = response.status_code
                assert response.status_code < 300 or 400 <= response.status_code < 500, (
                    method, variant, response.status_code,
                )  # fmt: skip
                as_admin = api.call(method, variant, admin, **kwargs).status_code
                assert as_admin < 300 or 400 <= as_admin < 500, (method, variant, as_admin)
            assert len(set(answers.values())) == 1, (method, answers)


# --- error bodies -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/nothing-here", "/api/users/abc/", "/nothing-here", "/api"])
def test_unknown_paths_are_json_404s(api: Api, path: str) -> None:
    body = assert_error(api.get(path), 404)
    assert body["status"] == "Not Found"


def test_a_wrong_method_is_a_json_405_with_allow(api: Api) -> None:
    response = api.delete("/api/auth/login/")

    body = assert_error(response, 405)
    assert body["status"] == "Method Not Allowed"
    assert "POST" in {m.strip() for m in response.headers["Allow"].split(",")}


@pytest.mark.parametrize(
    "data",
    ["{bad", '{"email": "a@b.c",}', "\xc3\x28", "nul", "{}x", '{"email": NaN, "password": "x"}',
     '{"email": "a@b.c", "password": -Infinity}'],
)  # fmt: skip
def test_unparseable_json_is_a_json_400(api: Api, data: str) -> None:
    response = api.call(
        "POST", "/api/auth/login/", data=data.encode("latin-1"), content_type="application/json"
    )

    assert_error(response, 400)


@pytest.mark.parametrize(
    ("data", "content_type"),
    [("email=a&password=b", "application/x-www-form-urlencoded"),
     ('{"email": "a@b.c", "password": "x"}', "text/plain"),
     ("<xml/>", "application/xml")],
)  # fmt: skip
def test_a_body_that_is_not_json_is_a_json_400(api: Api, data: str, content_type: str) -> None:
    response = api.call("POST", "/api/auth/login/", data=data, content_type=content_type)

    body = assert_error(response, 400)
    assert "JSON" in body["message"]


@pytest.mark.parametrize("payload", [[1, 2], "text", 5, None])
def test_json_that_is_not_an_object_is_refused(api: Api, payload: Any) -> None:
    response = api.call("POST", "/api/auth/login/", json=payload)

    assert response.status_code in (400, 422)
    assert_error(response, response.status_code)


def test_validation_errors_are_422_with_flat_field_names(api: Api) -> None:
    body = assert_error(api.post("/api/auth/login/", {"email": 5}), 422)

    assert body["status"] == "Unprocessable Entity"
    assert set(body["errors"]) == {"email", "password"}
    assert all(isinstance(m, list) and all(isinstance(x, str) for x in m)
               for m in body["errors"].values())  # fmt: skip


def test_query_validation_errors_are_not_wrapped_in_their_location(api: Api) -> None:
    admin = api.token("admin")

    body = assert_error(api.get("/api/users/?page=0&role=x", admin), 422)

    assert set(body["errors"]) == {"page", "role"}


class _City(Schema):
    city = fields.String(required=True)


class _Line(Schema):
    quantity = fields.Integer(required=True, validate=validate.Range(min=1))


class _Probe(Schema):
    price = Money(required=True)
    shipping = fields.Nested(_City, required=True)
    items = fields.List(fields.Nested(_Line), required=True)


class _Priced(Schema):
    price = Money()
    exact = fields.String()


def probe_app(factory: AppFactory) -> Flask:
    """An app with one extra route taking nested input and money, and one that crashes."""
    app = factory()
    blp = Blueprint("probe", __name__, url_prefix="/api/probe")

    @blp.route("/")
    class Probe(MethodView):
        @blp.arguments(_Probe)
        @blp.response(200, _Priced)
        def post(self, data: dict[str, Any]) -> dict[str, Any]:
            assert isinstance(data["price"], Decimal)
            return {"price": data["price"], "exact": str(data["price"])}

    def boom() -> Any:
        raise RuntimeError("secret detail: /etc/passwd at line 42")

    app.register_blueprint(blp)
    app.add_url_rule("/api/boom/", view_func=boom)
    return app


@pytest.fixture
def probe(make_app: AppFactory) -> Iterator[Api]:
    yield Api(probe_app(make_app).test_client())


def test_nested_validation_errors_use_dotted_paths(probe: Api) -> None:
    response = probe.post(
        "/api/probe/", {"price": "1", "shipping": {}, "items": [{"quantity": 1}, {"quantity": 0}]}
    )

    body = assert_error(response, 422)
    assert set(body["errors"]) == {"shipping.city", "items.1.quantity"}


def test_an_unexpected_exception_is_a_generic_json_500(probe: Api) -> None:
    response = probe.get("/api/boom/")

    body = assert_error(response, 500)
    assert body == {"code": 500, "status": "Internal Server Error",
                    "message": "An unexpected error occurred."}  # fmt: skip
    assert b"secret detail" not in response.data and b"Traceback" not in response.data


# --- money ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "exact"),
    [("19.99", "19.99"), ("19.9", "19.9"), ("20", "20"), ("0.5", "0.5"), ("1.999e1", "19.99"),
     ("123456789.01", "123456789.01"), ('"19.99"', "19.99"), ('" 7.10 "', "7.10")],
)  # fmt: skip
def test_money_is_read_exactly_from_json_numbers_and_strings(
    probe: Api, raw: str, exact: str
) -> None:
    body = f'{{"price": {raw}, "shipping": {{"city": "X"}}, "items": []}}'

    response = probe.call("POST", "/api/probe/", data=body, content_type="application/json")

    assert response.status_code == 200, response.get_json()
    assert Decimal(response.get_json()["exact"]) == Decimal(exact)
    assert response.get_json()["price"] == f"{Decimal(exact):.2f}"


@pytest.mark.parametrize(
    "raw", ["19.999", '"19.999"', "0.001", "1e-3", '"abc"', '""', "true", "null", "[1]",
            '"NaN"', '"Infinity"', "1e12", '"1,50"']
)  # fmt: skip
def test_money_refuses_more_than_two_places_and_non_amounts(probe: Api, raw: str) -> None:
    body = f'{{"price": {raw}, "shipping": {{"city": "X"}}, "items": []}}'

    response = probe.call("POST", "/api/probe/", data=body, content_type="application/json")

    assert list(assert_error(response, 422)["errors"]) == ["price"]


def test_the_money_field_reads_decimals_and_refuses_floats() -> None:
    field = Money()

    assert field.deserialize("19.99") == Decimal("19.99")
    assert field.deserialize(Decimal("19.99")) == Decimal("19.99")
    assert field.deserialize(19) == Decimal("19")
    for bad in (19.99, Decimal("19.999"), True, None, "x"):
        with pytest.raises(ValidationError):
            field.deserialize(bad)
    assert field.serialize("p", {"p": Decimal("5")}) == "5.00"
    assert field.serialize("p", {"p": Decimal("5.5")}) == "5.50"


# --- CORS -------------------------------------------------------------------------------------


def preflight(api: Api, origin: str) -> Any:
    headers = {"Origin": origin, "Access-Control-Request-Method": "POST",
               "Access-Control-Request-Headers": "Authorization, Content-Type"}  # fmt: skip
    return api.call("OPTIONS", "/api/auth/login/", headers=headers)


def test_cors_answers_preflights_for_configured_origins_only(make_app: AppFactory) -> None:
    api = Api(make_app(CORS_ORIGINS=["https://shop.example"]).test_client())

    allowed = preflight(api, "https://shop.example")
    assert allowed.status_code == 200
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://shop.example"
    assert "POST" in allowed.headers["Access-Control-Allow-Methods"]
    assert "authorization" in allowed.headers["Access-Control-Allow-Headers"].lower()

    refused = preflight(api, "https://evil.example")
    assert "Access-Control-Allow-Origin" not in refused.headers

    simple = api.get("/api/health/", headers={"Origin": "https://shop.example"})
    assert simple.headers["Access-Control-Allow-Origin"] == "https://shop.example"


def test_without_configured_origins_there_is_no_cors(api: Api) -> None:
    response = preflight(api, "https://shop.example")

    assert "Access-Control-Allow-Origin" not in response.headers


# --- configuration ----------------------------------------------------------------------------


@pytest.mark.parametrize("secret", ["", "short", "x" * 31])
def test_production_refuses_to_start_without_a_32_byte_secret(
    database_url: str, media_root: str, secret: str
) -> None:
    config = config_for(database_url, media_root, SHOP_ENV="production", SECRET_KEY=secret)

    with pytest.raises(ConfigError, match="SHOP_SECRET_KEY"):
        create_app(config)


def test_development_refuses_a_short_secret_but_makes_its_own_when_unset(
    database_url: str, media_root: str
) -> None:
    with pytest.raises(ConfigError, match="SHOP_SECRET_KEY"):
        create_app(config_for(database_url, media_root, SECRET_KEY="short"))


def test_production_starts_with_a_32_byte_secret(make_app: AppFactory) -> None:
    app = make_app(SHOP_ENV="production", SECRET_KEY="x" * 32)

    assert app.test_client().get("/api/health/").status_code == 200


def test_configuration_comes_from_shop_variables() -> None:
    config = from_environment(
        {"SHOP_ENV": "production", "SHOP_SECRET_KEY": "k" * 40, "SHOP_ACCESS_TOKEN_MINUTES": "5",
         "SHOP_REFRESH_TOKEN_DAYS": "2", "SHOP_RATELIMIT_ENABLED": "false",
         "SHOP_RATELIMIT_LOGIN": "5/minute", "SHOP_CORS_ORIGINS": "https://a.example, https://b.example",
         "SHOP_TRUSTED_PROXIES": "1", "SHOP_MAX_UPLOAD_BYTES": "1024",
         "SHOP_DATABASE_URL": "sqlite:///x.db", "SHOP_MEDIA_ROOT": "/srv/media"}
    )  # fmt: skip

    assert config["SHOP_ENV"] == "production" and config["SECRET_KEY"] == "k" * 40
    assert (config["ACCESS_TOKEN_MINUTES"], config["REFRESH_TOKEN_DAYS"]) == (5, 2)
    assert config["RATELIMIT_ENABLED"] is False and config["RATELIMIT_LOGIN"] == "5/minute"
    assert config["CORS_ORIGINS"] == ["https://a.example", "https://b.example"]
    assert (config["TRUSTED_PROXIES"], config["MAX_CONTENT_LENGTH"]) == (1, 1024)
    assert (config["DATABASE_URL"], config["MEDIA_ROOT"]) == ("sqlite:///x.db", "/srv/media")


def test_configuration_defaults_follow_the_contract() -> None:
    config = from_environment({})

    assert config["SHOP_ENV"] == "development"
    assert (config["ACCESS_TOKEN_MINUTES"], config["REFRESH_TOKEN_DAYS"]) == (60, 7)
    assert (config["RATELIMIT_ANON"], config["RATELIMIT_USER"], config["RATELIMIT_LOGIN"]) == (
        "100/day", "1000/day", "10/minute",
    )  # fmt: skip
    assert config["RATELIMIT_ENABLED"] is True
    assert config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert config["MAX_CONTENT_LENGTH"] == 5 * 1024 * 1024
    assert config["CORS_ORIGINS"] == [] and config["TRUSTED_PROXIES"] == 0
    assert config["DATABASE_URL"].startswith("sqlite:///")


# --- OpenAPI and Swagger UI -------------------------------------------------------------------


@pytest.fixture
def spec(api: Api) -> dict[str, Any]:
    response = api.get("/openapi.json")
    assert response.status_code == 200
    return response.get_json()  # type: ignore[no-any-return]


def test_openapi_lists_every_api_route_and_method(app: Flask, spec: dict[str, Any]) -> None:
    assert spec["openapi"].startswith("3.")
    for rule in api_rules(app):
        path = openapi_path(rule)
        assert path in spec["paths"], path
        documented = {m.upper() for m in spec["paths"][path]} - {"PARAMETERS"}
        assert set(methods(rule)) <= documented, (path, methods(rule), documented)


def test_openapi_has_no_routes_that_do_not_exist(app: Flask, spec: dict[str, Any]) -> None:
    served = {openapi_path(rule) for rule in api_rules(app)}

    assert set(spec["paths"]) <= served


def test_openapi_declares_bearer_security_where_a_token_is_required(
    app: Flask, api: Api, spec: dict[str, Any]
) -> None:
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
    }  # fmt: skip
    for rule in api_rules(app):
        for method in methods(rule):
            operation = spec["paths"][openapi_path(rule)][method.lower()]
            security = operation.get("security", [])
            required = {"bearerAuth": []} in security and {} not in security
            anonymous = api.call(method, sample_path(rule)).status_code
            where = (method, rule.rule, anonymous, security)
            assert (anonymous == 401) == required, where
            if required:
                assert "401" in operation["responses"], where


def test_openapi_documents_success_and_error_responses(spec: dict[str, Any]) -> None:
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            codes = set(operation["responses"])
            assert any(code.startswith("2") for code in codes), (method, path)
            assert operation.get("summary"), (method, path)
            if "requestBody" in operation or any(p.get("in") == "query" for p in
                                                 operation.get("parameters", [])):  # fmt: skip
                assert "422" in codes, (method, path)


def test_openapi_error_responses_use_the_error_shape(spec: dict[str, Any]) -> None:
    error = spec["components"]["schemas"]["Error"]

    assert set(error["properties"]) == {"code", "status", "message", "errors"}
    assert set(error["required"]) == {"code", "status", "message"}


def test_swagger_ui_is_served_from_local_files(api: Api) -> None:
    response = api.get("/swagger/")

    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets)
    assert not re.search(r"(https?:)?//[\w.-]+\.\w+/", page.replace("http://localhost", ""))
    assert re.search(r'"validatorUrl":\s*null', page)  # no call home to validator.swagger.io
    for asset in assets:
        with api.get(asset) as served:
            assert served.status_code == 200 and len(served.data) > 1000, asset
    assert api.get("/swagger").status_code == 200


# --- sizes and health -------------------------------------------------------------------------


def test_a_body_over_the_size_limit_is_a_json_413_before_any_view_runs(
    make_app: AppFactory,
) -> None:
    api = Api(make_app(MAX_CONTENT_LENGTH=256).test_client())

    response = api.post("/api/auth/register/", {"email": "big@example.com", "bio": "x" * 1000})

    body = assert_error(response, 413)
    assert body["status"] == "Request Entity Too Large"


def test_health_is_503_when_the_database_is_unreachable(make_app: AppFactory) -> None:
    api = Api(make_app(DATABASE_URL="mysql+pymysql://nobody@127.0.0.1:9/none").test_client())

    response = api.get("/api/health/")

    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "unavailable"}
