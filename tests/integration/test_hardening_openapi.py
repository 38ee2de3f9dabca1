"""/openapi.json is fit for client generators: valid, named, required, deprecated, headers."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from openapi_spec_validator import validate

from tests.integration.hardening_openapi_helpers import (
    ALIAS_PATHS,
    answer_schemas,
    document,
    operations,
    resolve,
)

CAMEL_CASE = re.compile(r"[a-z]+(?:[A-Z][a-z]+)*")


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return document()


OPTIONAL_IN_ANSWERS = {"Error": {"errors"}, "Health": {"redis"}}

OPERATION_IDS = {
    ("POST", "/api/auth/register/"): "registerUser",
    ("POST", "/api/auth/login/"): "logIn",
    ("POST", "/api/auth/refresh/"): "refreshTokens",
    ("POST", "/api/auth/logout/"): "logOut",
    ("GET", "/api/auth/me/"): "getOwnProfile",
    ("PATCH", "/api/auth/me/"): "updateOwnProfile",
    ("POST", "/api/auth/change-password/"): "changePassword",
    ("PUT", "/api/auth/me/avatar/"): "uploadAvatar",
    ("GET", "/api/users/"): "listUsers",
    ("GET", "/api/users/{user_id}/"): "getUser",
    ("PATCH", "/api/users/{user_id}/"): "updateUser",
    ("DELETE", "/api/users/{user_id}/"): "deactivateUser",
    ("GET", "/api/health/"): "getHealth",
    ("GET", "/api/categories/"): "listCategories",
    ("POST", "/api/categories/"): "createCategory",
    ("GET", "/api/categories/{category_id}/"): "getCategory",
    ("PUT", "/api/categories/{category_id}/"): "replaceCategory",
    ("PATCH", "/api/categories/{category_id}/"): "updateCategory",
    ("DELETE", "/api/categories/{category_id}/"): "deleteCategory",
    ("GET", "/api/products/"): "listProducts",
    ("POST", "/api/products/"): "createProduct",
    ("POST", "/api/products/create/"): "createProductAlias",
    ("GET", "/api/products/{slug}/"): "getProduct",
    ("PUT", "/api/products/{slug}/"): "replaceProduct",
    ("PATCH", "/api/products/{slug}/"): "updateProduct",
    ("DELETE", "/api/products/{slug}/"): "deleteProduct",
    ("PUT", "/api/products/{slug}/update/"): "replaceProductAlias",
    ("PATCH", "/api/products/{slug}/update/"): "updateProductAlias",
    ("DELETE", "/api/products/{slug}/delete/"): "deleteProductAlias",
    ("POST", "/api/products/{slug}/images/"): "uploadProductImage",
    ("DELETE", "/api/products/{slug}/images/{image_id}/"): "deleteProductImage",
    ("GET", "/api/products/{slug}/reviews/"): "listProductReviews",
    ("POST", "/api/products/{slug}/reviews/"): "createReview",
    ("PATCH", "/api/reviews/{review_id}/"): "updateReview",
    ("DELETE", "/api/reviews/{review_id}/"): "deleteReview",
    ("GET", "/api/cart/"): "getCart",
    ("DELETE", "/api/cart/"): "clearCart",
    ("POST", "/api/cart/items/"): "addCartItem",
    ("PATCH", "/api/cart/items/{slug}/"): "setCartItemQuantity",
    ("DELETE", "/api/cart/items/{slug}/"): "removeCartItem",
    ("GET", "/api/orders/"): "listOrders",
    ("POST", "/api/orders/"): "placeOrder",
    ("POST", "/api/orders/create/"): "placeOrderAlias",
    ("GET", "/api/orders/{order_number}/"): "getOrder",
    ("POST", "/api/orders/{order_number}/cancel/"): "cancelOrder",
    ("PATCH", "/api/orders/{order_number}/status/"): "changeOrderStatus",
    ("GET", "/api/vendor/orders/"): "listVendorOrders",
    ("GET", "/api/vendor/analytics/"): "getVendorAnalytics",
}


def test_the_document_is_valid_openapi(spec):
    validate(spec)  # raises on the first violation of the OpenAPI 3.0 schema


def test_every_operation_has_a_unique_camel_case_operation_id(spec):
    ids = [operation.get("operationId") for _, _, operation in operations(spec)]

    assert [i for i in ids if not (isinstance(i, str) and CAMEL_CASE.fullmatch(i))] == []
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


@pytest.mark.parametrize(("route", "operation_id"), OPERATION_IDS.items(), ids=str)
def test_operation_ids_stay_what_clients_were_generated_with(spec, route, operation_id):
    method, path = route

    assert spec["paths"][path][method.lower()]["operationId"] == operation_id


def test_the_seed_compatible_alias_routes_and_only_they_are_deprecated(spec):
    deprecated = {(m, p) for m, p, op in operations(spec) if op.get("deprecated")}
    aliases = {(m, p) for m, p, _ in operations(spec) if p.endswith(ALIAS_PATHS)}

    assert deprecated == aliases
    assert ("POST", "/api/orders/create/") in aliases
    assert ("DELETE", "/api/products/{slug}/delete/") in aliases


def test_no_route_is_documented_both_with_and_without_its_trailing_slash(spec):
    spellings = [path.rstrip("/") for path in spec["paths"]]

    assert all(path.endswith("/") for path in spec["paths"])
    assert sorted({p for p in spellings if spellings.count(p) > 1}) == []


def test_every_answer_schema_requires_every_property_it_has(spec):
    names = answer_schemas(spec)
    missing = {
        name: sorted(
            set(schema.get("properties", {}))
            - set(schema.get("required", []))
            - OPTIONAL_IN_ANSWERS.get(name, set())
        )
        for name, schema in spec["components"]["schemas"].items()
        if name in names
    }

    assert {"Order", "OrderLine", "User", "Cart", "CartItem", "Product", "Image"} <= names
    assert {name: props for name, props in missing.items() if props} == {}


def test_money_in_answers_is_documented_as_never_negative_with_two_places(spec):
    amounts = [
        (name, prop, definition["pattern"])
        for name in answer_schemas(spec)
        for prop, definition in spec["components"]["schemas"][name]["properties"].items()
        if definition.get("format") == "decimal"
    ]

    assert ("Order", "total", r"^[0-9]+\.[0-9]{2}$") in amounts
    for name, prop, pattern in amounts:
        assert re.search(pattern, "19.99") and re.search(pattern, "0.00"), (name, prop)
        assert not re.search(pattern, "-1.00"), (name, prop)
        assert not re.search(pattern, "1.5"), (name, prop)


def test_request_money_still_documents_that_a_sign_is_read_and_refused_by_rules(spec):
    price = spec["components"]["schemas"]["ProductWrite"]["properties"]["price"]

    assert re.search(price["pattern"], "-1")  # read, then refused as 422 with a message


def _headers(spec: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
    headers = resolve(spec, response).get("headers", {})
    return {name: resolve(spec, header) for name, header in headers.items()}


def test_every_answer_documents_its_request_id_and_cache_control(spec):
    for method, path, operation in operations(spec):
        for status, response in operation["responses"].items():
            headers = _headers(spec, response)
            assert {"X-Request-ID", "Cache-Control"} <= set(headers), (method, path, status)
            assert headers["X-Request-ID"]["required"] is True


def test_rate_limited_answers_document_the_limit_headers_and_retry_after(spec):
    limit_headers = {"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"}
    for method, path, operation in operations(spec):
        if path.startswith("/api/health"):
            assert "429" not in operation["responses"]
            continue
        for status, response in operation["responses"].items():
            headers = _headers(spec, response)
            assert limit_headers <= set(headers), (method, path, status)
            if status in ("429", "503"):
                assert headers["Retry-After"]["required"] is True, (method, path, status)


def test_catalog_reads_document_etag_and_vary_on_200_and_304(spec):
    reads = [
        ("/api/products/", "get"),
        ("/api/products/{slug}/", "get"),
        ("/api/categories/", "get"),
        ("/api/categories/{category_id}/", "get"),
        ("/api/products/{slug}/reviews/", "get"),
    ]
    for path, method in reads:
        responses = spec["paths"][path][method]["responses"]
        for status in ("200", "304"):
            assert {"ETag", "Vary", "Cache-Control"} <= set(_headers(spec, responses[status]))
    cache_control = spec["components"]["headers"]["Cache-Control"]["description"]
    assert "s-maxage" in cache_control and "no-store" in cache_control


def test_the_unused_pagination_metadata_of_flask_smorest_is_not_documented(spec):
    text = json.dumps(spec)

    assert "PaginationMetadata" not in spec["components"]["schemas"]
    assert "X-Pagination" not in text
