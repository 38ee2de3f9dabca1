"""API.md, Operations: health, rate limits, and /openapi.json describing the contract.

The route-by-route agreement of /openapi.json with the url_map, its security, and Swagger UI
working offline are proven in test_openapi_routes.py and test_conventions.py; the limits in
test_limits.py. This module checks that the document says what API.md says.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.conftest import Api, AppFactory
from tests.integration.contract_helpers import (
    ORDER_KEYS,
    PRODUCT_KEYS,
    USER_KEYS,
    World,
    assert_error,
)

CATALOG_READS = [
    "/api/categories/",
    "/api/categories/{category_id}/",
    "/api/products/",
    "/api/products/{slug}/",
    "/api/products/{slug}/reviews/",
]
LISTS = {
    "/api/users/": "UserPage",
    "/api/products/": "ProductPage",
    "/api/orders/": "OrderPage",
    "/api/vendor/orders/": "OrderPage",
    "/api/products/{slug}/reviews/": "ReviewPage",
}


@pytest.fixture
def world_api(api: Api) -> tuple[World, Api]:
    return World(api), api


@pytest.fixture
def spec(api: Api) -> dict[str, Any]:
    return api.get("/openapi.json").get_json()  # type: ignore[no-any-return]


def operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, op)
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method != "parameters"
    ]


def deref(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """Follow ``$ref`` links (``#/components/...``) to the node they name."""
    while "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def body_schema(spec: dict[str, Any], response_or_body: dict[str, Any]) -> dict[str, Any] | None:
    content = deref(spec, response_or_body).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    return None if schema is None else schema  # type: ignore[no-any-return]


def component(spec: dict[str, Any], name: str) -> dict[str, Any]:
    return spec["components"]["schemas"][name]  # type: ignore[no-any-return]


# --- health -----------------------------------------------------------------------------------


def test_health_answers_ok_for_the_api_and_its_database(api: Api) -> None:
    response = api.get("/api/health/")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_health_is_503_with_the_same_shape_when_the_database_is_down(
    make_app: AppFactory,
) -> None:
    down = Api(make_app(DATABASE_URL="mysql+pymysql://nobody@127.0.0.1:9/none").test_client())

    response = down.get("/api/health")

    assert response.status_code == 503 and response.mimetype == "application/json"
    assert response.get_json() == {"status": "unavailable", "database": "unavailable"}


# --- rate limits ------------------------------------------------------------------------------


def test_one_budget_per_caller_spans_every_route_and_a_429_has_retry_after(
    make_app: AppFactory,
) -> None:
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_ANON="3/day", RATELIMIT_USER="2/day")
    api = Api(app.test_client())
    token = api.token("customer")  # registering counts against this address's anonymous limit

    anonymous = [
        api.get(path) for path in ("/api/categories/", "/api/products/", "/api/categories/")
    ]
    user = [api.get(path, token) for path in ("/api/cart/", "/api/orders/", "/api/auth/me/")]

    assert [a.status_code for a in anonymous] == [200, 200, 429]  # cached answers count too
    assert [a.status_code for a in user] == [200, 200, 429]
    for limited in (anonymous[-1], user[-1]):
        assert assert_error(limited, 429)["status"] == "Too Many Requests"
        assert int(limited.headers["Retry-After"]) > 0
        assert limited.headers["X-RateLimit-Remaining"] == "0"
        assert {"X-RateLimit-Limit", "X-RateLimit-Reset"} <= set(limited.headers.keys())
    assert api.get("/api/health/").status_code == 200


def test_every_limited_answer_carries_the_rate_limit_headers_even_a_404(
    make_app: AppFactory,
) -> None:
    api = Api(make_app(RATELIMIT_ENABLED=True, RATELIMIT_ANON="4/day").test_client())
    etag = api.get("/api/categories/").headers["ETag"]

    answers = [
        api.get("/api/categories/", headers={"If-None-Match": etag}),
        api.get("/api/no-such-route/"),
        api.call("PUT", "/api/categories/"),
    ]

    assert [a.status_code for a in answers] == [304, 404, 405]
    assert [a.headers["X-RateLimit-Remaining"] for a in answers] == ["2", "1", "0"]
    assert_error(api.get("/api/no-such-route/"), 429)
    assert "X-RateLimit-Limit" not in api.get("/api/health/").headers


# --- /openapi.json says what API.md says ------------------------------------------------------


def test_every_error_response_is_documented_with_the_error_shape(spec: dict[str, Any]) -> None:
    for method, path, op in operations(spec):
        for status, response in op["responses"].items():
            if not status.startswith(("4", "5")) or (path, status) == ("/api/health/", "503"):
                continue
            schema = body_schema(spec, response)
            assert schema == {"$ref": "#/components/schemas/Error"}, (method, path, status)


def test_the_error_shape_has_a_flat_errors_map(spec: dict[str, Any]) -> None:
    error = component(spec, "Error")

    assert error["required"] == ["code", "message", "status"]
    errors = error["properties"]["errors"]
    assert errors["type"] == "object"
    assert errors["additionalProperties"] == {"type": "array", "items": {"type": "string"}}


def test_catalog_reads_document_the_etag_and_the_304(spec: dict[str, Any]) -> None:
    for path in CATALOG_READS:
        op = spec["paths"][path]["get"]
        assert "304" in op["responses"], path
        assert "ETag" in op["responses"]["200"]["headers"], path
        names = [deref(spec, p)["name"] for p in op.get("parameters", [])]
        assert "If-None-Match" in names, path


def test_lists_document_the_envelope_and_a_page_size_of_at_most_100(
    spec: dict[str, Any],
) -> None:
    for path, page in LISTS.items():
        op = spec["paths"][path]["get"]
        assert body_schema(spec, op["responses"]["200"]) == {
            "$ref": f"#/components/schemas/{page}"
        }, path
        envelope = component(spec, page)
        assert set(envelope["properties"]) == {"count", "next", "previous", "results"}
        assert envelope["properties"]["next"]["nullable"] is True
        sizes = [p for p in op["parameters"] if p.get("name") == "page_size"]
        assert sizes and sizes[0]["schema"]["maximum"] == 100, path
        assert sizes[0]["schema"]["default"] == 20, path
    categories = body_schema(spec, spec["paths"]["/api/categories/"]["get"]["responses"]["200"])
    assert categories == {"type": "array", "items": {"$ref": "#/components/schemas/Category"}}


@pytest.mark.parametrize(
    ("name", "fields"),
    [
        ("User", USER_KEYS),
        ("Product", PRODUCT_KEYS),
        ("Order", ORDER_KEYS),
        ("Category", {"id", "name", "slug", "description", "parent", "product_count"}),
        ("CategoryRef", {"id", "name", "slug"}),
        ("VendorRef", {"id", "name"}),
        ("Cart", {"items", "total", "item_count"}),
        ("CartItem", {"product", "quantity", "line_total"}),
        ("CartProduct", {"slug", "name", "final_price", "stock"}),
        ("OrderLine", {"product", "product_name", "unit_price", "quantity", "line_total"}),
        ("History", {"status", "payment_status", "by", "at"}),
        ("Actor", {"id", "name"}),
        ("Image", {"id", "url", "thumbnail_url", "width", "height", "position"}),
        ("Session", {"user", "access", "refresh"}),
        ("TokenPair", {"access", "refresh"}),
        (
            "VendorAnalytics",
            {
                "product_count",
                "active_product_count",
                "units_sold",
                "revenue",
                "order_count",
                "rating_avg",
                "low_stock",
                "top_products",
            },
        ),
        (
            "Review",
            {
                "id",
                "product",
                "user",
                "rating",
                "title",
                "comment",
                "verified_purchase",
                "created_at",
                "updated_at",
            },
        ),
    ],
)
def test_answer_schemas_have_the_contracts_fields(
    spec: dict[str, Any], name: str, fields: set[str]
) -> None:
    assert set(component(spec, name)["properties"]) == fields


@pytest.mark.parametrize(
    ("name", "fields", "required"),
    [
        (
            "Register",
            {"email", "password", "first_name", "last_name", "phone", "address", "role"},
            {"email", "password", "first_name", "last_name"},
        ),
        ("Login", {"email", "password"}, {"email", "password"}),
        ("Refresh", {"refresh"}, {"refresh"}),
        ("ProfileUpdate", {"first_name", "last_name", "phone", "address"}, set()),
        ("ChangePassword", {"old_password", "new_password"}, {"old_password", "new_password"}),
        ("AdminUserUpdate", {"role", "is_active"}, set()),
        ("CategoryCreate", {"name", "description", "parent"}, {"name"}),
        (
            "ProductWrite",
            {"name", "description", "category", "price", "discount_price", "stock", "is_active"},
            {"name", "description", "category", "price", "stock"},
        ),
        ("CartAdd", {"product", "quantity"}, {"product", "quantity"}),
        ("CartQuantity", {"quantity"}, {"quantity"}),
        ("PlaceOrder", {"items", "shipping", "payment_method"}, {"shipping", "payment_method"}),
        (
            "Shipping",
            {
                "full_name",
                "phone",
                "address_line1",
                "address_line2",
                "city",
                "state",
                "postal_code",
                "country",
            },
            {"full_name", "phone", "address_line1", "city", "postal_code", "country"},
        ),
        ("StatusChange", {"status", "payment_status"}, set()),
        ("ReviewCreate", {"rating", "title", "comment"}, {"rating", "comment"}),
    ],
)
def test_request_schemas_take_the_contracts_fields(
    spec: dict[str, Any], name: str, fields: set[str], required: set[str]
) -> None:
    schema = component(spec, name)

    assert set(schema["properties"]) == fields
    assert set(schema.get("required", [])) == required


def test_enumerations_follow_the_contract(spec: dict[str, Any]) -> None:
    props = {
        name: component(spec, name)["properties"]
        for name in ("Register", "PlaceOrder", "StatusChange", "User", "Order")
    }

    assert props["Register"]["role"]["enum"] == ["customer", "vendor"]
    assert props["PlaceOrder"]["payment_method"]["enum"] == [
        "cod",
        "card",
        "upi",
        "netbanking",
        "wallet",
    ]
    assert props["StatusChange"]["status"]["enum"] == [
        "pending",
        "confirmed",
        "shipped",
        "delivered",
        "cancelled",
    ]
    assert props["StatusChange"]["payment_status"]["enum"] == ["unpaid", "paid", "refunded"]
    assert props["User"]["role"] == {
        "readOnly": True,
        "type": "string",
        "enum": ["customer", "vendor", "admin"],
    }
    review = component(spec, "ReviewCreate")["properties"]["rating"]
    assert (review["minimum"], review["maximum"]) == (1, 5)


def test_money_is_documented_as_a_two_place_decimal_string(spec: dict[str, Any]) -> None:
    money = [
        ("Product", "price"),
        ("Product", "discount_price"),
        ("Product", "final_price"),
        ("Product", "rating_avg"),
        ("CartProduct", "final_price"),
        ("CartItem", "line_total"),
        ("Cart", "total"),
        ("OrderLine", "unit_price"),
        ("OrderLine", "line_total"),
        ("Order", "subtotal"),
        ("Order", "shipping_cost"),
        ("Order", "total"),
        ("VendorAnalytics", "revenue"),
        ("VendorAnalytics", "rating_avg"),
        ("TopProduct", "revenue"),
    ]
    for name, field in money:
        prop = component(spec, name)["properties"][field]
        assert (prop["type"], prop["format"]) == ("string", "decimal"), (name, field)
    for field in ("price", "discount_price"):
        assert "JSON number" in component(spec, "ProductWrite")["properties"][field]["description"]


def test_each_route_documents_its_statuses_and_bodies(spec: dict[str, Any]) -> None:
    expected = {
        ("post", "/api/auth/register/"): ({"201", "409", "422", "400"}, "Session"),
        ("post", "/api/auth/login/"): ({"200", "401", "422", "429"}, "Session"),
        ("post", "/api/auth/refresh/"): ({"200", "401"}, "TokenPair"),
        ("post", "/api/auth/logout/"): ({"204", "401"}, None),
        ("put", "/api/auth/me/avatar/"): ({"200", "400", "401", "413", "422"}, "User"),
        ("delete", "/api/users/{user_id}/"): ({"204", "401", "403", "404", "422"}, None),
        ("delete", "/api/categories/{category_id}/"): ({"204", "403", "404", "409"}, None),
        ("post", "/api/products/"): ({"201", "401", "403", "409", "422"}, "Product"),
        ("post", "/api/products/create/"): ({"201", "401", "403", "409", "422"}, "Product"),
        ("post", "/api/products/{slug}/images/"): ({"201", "403", "404", "413", "422"}, "Image"),
        ("post", "/api/products/{slug}/reviews/"): ({"201", "403", "404", "409", "422"}, "Review"),
        ("post", "/api/cart/items/"): ({"201", "401", "422"}, "Cart"),
        ("post", "/api/orders/"): ({"201", "401", "409", "422"}, "Order"),
        ("post", "/api/orders/create/"): ({"201", "401", "409", "422"}, "Order"),
        ("get", "/api/orders/{order_number}/"): ({"200", "401", "404"}, "Order"),
        ("post", "/api/orders/{order_number}/cancel/"): ({"200", "404", "409"}, "Order"),
        ("patch", "/api/orders/{order_number}/status/"): (
            {"200", "403", "404", "409", "422"},
            "Order",
        ),
        ("get", "/api/vendor/orders/"): ({"200", "401", "403"}, "OrderPage"),
        ("get", "/api/vendor/analytics/"): ({"200", "401", "403", "422"}, "VendorAnalytics"),
    }
    for (method, path), (statuses, answer) in expected.items():
        op = spec["paths"][path][method]
        assert statuses <= set(op["responses"]), (method, path, set(op["responses"]))
        success = min(code for code in op["responses"] if code.startswith("2"))
        schema = body_schema(spec, op["responses"][success])
        assert schema == (None if answer is None else {"$ref": f"#/components/schemas/{answer}"})
    idempotency = spec["paths"]["/api/orders/"]["post"]["parameters"]
    assert [p["name"] for p in idempotency if p["in"] == "header"] == ["Idempotency-Key"]


def test_uploads_are_documented_as_multipart_with_an_image_field(spec: dict[str, Any]) -> None:
    for method, path in (("put", "/api/auth/me/avatar/"), ("post", "/api/products/{slug}/images/")):
        content = spec["paths"][path][method]["requestBody"]["content"]
        assert set(content) == {"multipart/form-data"}
        schema = deref(spec, content["multipart/form-data"]["schema"])
        assert schema["properties"]["image"] == {"type": "string", "format": "binary"}


def test_real_answers_have_exactly_the_documented_fields(world_api: tuple[World, Api]) -> None:
    world, api = world_api
    spec = api.get("/openapi.json").get_json()
    slug = world.product()["slug"]
    answers = {
        "Product": api.get(f"/api/products/{slug}/").get_json(),
        "User": api.get("/api/auth/me/", world.customer).get_json(),
        "Cart": api.get("/api/cart/", world.customer).get_json(),
        "Order": world.order(world.customer, [(slug, 1)]),
    }
    for name, answer in answers.items():
        assert set(answer) == set(component(spec, name)["properties"]), name
