"""Real answers match the schemas /openapi.json gives them: every required property is there,
money has two places and no sign, enums and nullability hold."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import ValidationError

from tests.integration.catalog_helpers import Shop, image_bytes
from tests.integration.hardening_openapi_helpers import check_answer, document
from tests.integration.orders_helpers import SHIPPING


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return document()


@pytest.fixture
def shop(api) -> Shop:
    return Shop(api)


def test_catalog_answers_match_their_documented_schemas(spec, shop):
    api = shop.api
    category = check_answer(spec, "createCategory", shop.api.post(
        "/api/categories/", {"name": "Kettles"}, shop.admin))  # fmt: skip
    product = check_answer(spec, "createProduct", api.post("/api/products/", {
        "name": "Pour Kettle", "description": "Steel.", "category": category["id"],
        "price": "24.99", "discount_price": "19.99", "stock": 3}, shop.vendor))  # fmt: skip
    slug = product["slug"]
    check_answer(spec, "uploadProductImage", shop.upload(slug, image_bytes()))

    detail = check_answer(spec, "getProduct", api.get(f"/api/products/{slug}/"))
    page = check_answer(spec, "listProducts", api.get("/api/products/?ordering=-price"))
    check_answer(spec, "listCategories", api.get("/api/categories/"))
    check_answer(spec, "getCategory", api.get(f"/api/categories/{category['id']}/"))
    check_answer(spec, "listProductReviews", api.get(f"/api/products/{slug}/reviews/"))

    assert detail["images"][0]["url"].startswith("http")
    assert [item["final_price"] for item in page["results"]] == ["19.99"]
    assert detail["rating_avg"] is None  # nullable, and still present


def test_account_answers_match_their_documented_schemas(spec, api):
    session = check_answer(spec, "registerUser", api.post("/api/auth/register/", {
        "email": "ann@example.com", "password": "s3cret-pass", "first_name": "Ann",
        "last_name": "Lee"}))  # fmt: skip
    token = session["access"]
    check_answer(spec, "logIn", api.post(
        "/api/auth/login/", {"email": "ann@example.com", "password": "s3cret-pass"}))  # fmt: skip
    check_answer(spec, "refreshTokens", api.post(
        "/api/auth/refresh/", {"refresh": session["refresh"]}))  # fmt: skip
    me = check_answer(spec, "getOwnProfile", api.get("/api/auth/me/", token))
    check_answer(spec, "updateOwnProfile", api.patch("/api/auth/me/", {"phone": "1"}, token))
    admin = api.token("admin")
    check_answer(spec, "listUsers", api.get("/api/users/", admin))
    check_answer(spec, "getUser", api.get(f"/api/users/{me['id']}/", admin))

    assert me["profile_image"] is None and me["role"] == "customer"


def test_order_answers_match_their_documented_schemas(spec, shop):
    api = shop.api
    slug = shop.product("Tea Tin", price="12.50", stock=5)["slug"]
    check_answer(spec, "addCartItem", api.post(
        "/api/cart/items/", {"product": slug, "quantity": 2}, shop.customer))  # fmt: skip
    check_answer(spec, "getCart", api.get("/api/cart/", shop.customer))
    body = {"shipping": SHIPPING, "payment_method": "cod"}
    order = check_answer(spec, "placeOrder", api.post("/api/orders/", body, shop.customer))
    number = order["order_number"]
    check_answer(spec, "getOrder", api.get(f"/api/orders/{number}/", shop.customer))
    check_answer(spec, "listOrders", api.get("/api/orders/", shop.customer))
    check_answer(spec, "listVendorOrders", api.get("/api/vendor/orders/", shop.vendor))
    for status in ("confirmed", "shipped", "delivered"):
        order = check_answer(spec, "changeOrderStatus", api.patch(
            f"/api/orders/{number}/status/", {"status": status}, shop.admin))  # fmt: skip
    review = check_answer(
        spec,
        "createReview",
        api.post(
            f"/api/products/{slug}/reviews/", {"rating": 5, "comment": "Good."}, shop.customer
        ),
    )
    check_answer(spec, "listProductReviews", api.get(f"/api/products/{slug}/reviews/"))
    check_answer(spec, "getVendorAnalytics", api.get("/api/vendor/analytics/", shop.vendor))

    assert order["shipping"]["address_line2"] == "" and order["payment_status"] == "paid"
    assert review["rating"] == 5


def test_error_answers_match_the_documented_error_schema(spec, api):
    check_answer(spec, "getProduct", api.get("/api/products/no-such-thing/"))
    check_answer(spec, "createReview", api.post("/api/products/x/reviews/", {"rating": 1}))


def test_an_answer_missing_a_required_property_would_be_caught(spec, api):
    response = api.get("/api/categories/")
    response.set_data(b'[{"id": 1, "name": "A", "slug": "a", "parent": null}]')

    with pytest.raises(ValidationError, match="required"):
        check_answer(spec, "listCategories", response)


def test_a_negative_amount_in_an_answer_would_be_caught(spec, shop):
    slug = shop.product("Tin", price="3.00")["slug"]
    response = shop.api.get(f"/api/products/{slug}/")
    response.set_data(response.get_data().replace(b'"price":"3.00"', b'"price":"-3.00"'))

    with pytest.raises(ValidationError, match="does not match"):
        check_answer(spec, "getProduct", response)
