"""Placing orders over HTTP, on SQLite and MariaDB: shape, stock, failures, idempotency."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal

import pytest

from tests.integration.orders_helpers import ORDER_KEYS, SHIPPING, Shop, vendor


@pytest.fixture
def shop(api):
    return Shop(api)


@pytest.fixture
def seller(api):
    return vendor(api)[0]


def test_placing_answers_201_with_the_contracts_order(api, shop, seller):
    tea = shop.product(seller, "green-tea", price="24.00", discount="19.99", stock=5)
    shop.product(seller, "mug", price="0.01")
    token = api.token()

    response = shop.order(token, [("green-tea", 2), ("mug", 3)], method="upi")

    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == ORDER_KEYS
    assert re.fullmatch(r"ORD-\d{8}-[2-9A-Z]{8}", body["order_number"])
    assert (body["status"], body["payment_method"], body["payment_status"]) == (
        "pending", "upi", "unpaid",
    )  # fmt: skip
    assert body["items"] == [
        {"product": "green-tea", "product_name": "Green Tea", "unit_price": "19.99",
         "quantity": 2, "line_total": "39.98"},
        {"product": "mug", "product_name": "Mug", "unit_price": "0.01", "quantity": 3,
         "line_total": "0.03"},
    ]  # fmt: skip
    assert (body["subtotal"], body["shipping_cost"], body["total"]) == ("40.01", "5.00", "45.01")
    assert body["shipping"] == {**SHIPPING, "address_line2": "", "state": ""}
    assert body["created_at"].endswith("+00:00") and body["updated_at"] == body["created_at"]
    [created] = body["history"]
    assert created["status"] == "pending" and created["by"]["name"] == "Customer Tester"
    assert shop.stock(tea) == 3


def test_orders_from_fifty_on_ship_free(api, shop, seller):
    shop.product(seller, "tea", price="25.00")
    body = shop.placed(api.token(), [("tea", 2)])
    assert (body["subtotal"], body["shipping_cost"], body["total"]) == ("50.00", "0.00", "50.00")


def test_the_create_alias_places_orders_too(api, shop, seller):
    shop.product(seller, "tea")
    response = shop.order(api.token(), [("tea", 1)], path="/api/orders/create")
    assert response.status_code == 201


def test_without_items_the_cart_is_ordered_and_emptied(api, shop, seller):
    tea = shop.product(seller, "tea", stock=5)
    token = api.token()
    api.post("/api/cart/items/", {"product": "tea", "quantity": 2}, token)

    body = shop.placed(token, None)

    assert [(i["product"], i["quantity"]) for i in body["items"]] == [("tea", 2)]
    assert api.get("/api/cart/", token).get_json()["items"] == []
    assert shop.stock(tea) == 3


def test_an_empty_cart_cannot_be_ordered(api, shop):
    response = shop.order(api.token(), None)
    assert response.status_code == 422 and "items" in response.get_json()["errors"]


def test_a_short_line_fails_the_whole_order_with_409_naming_it(api, shop, seller):
    tea = shop.product(seller, "tea", stock=5)
    mug = shop.product(seller, "mug", stock=1)
    token = api.token()

    response = shop.order(token, [("tea", 2), ("mug", 2)])

    assert response.status_code == 409
    body = response.get_json()
    assert "Mug" in body["message"]
    assert body["errors"] == {"items.1.quantity": ["Only 1 left of 'Mug'."]}
    assert (shop.stock(tea), shop.stock(mug)) == (5, 1)
    assert api.get("/api/orders/", token).get_json()["count"] == 0


def test_a_cart_with_a_retired_product_fails_clearly_and_stays(api, shop, seller):
    shop.product(seller, "tea")
    mug = shop.product(seller, "mug")
    token = api.token()
    for slug in ("tea", "mug"):
        api.post("/api/cart/items/", {"product": slug, "quantity": 1}, token)
    shop.update(mug, is_active=False)

    response = shop.order(token, None)

    assert response.status_code == 422
    assert response.get_json()["errors"] == {"items.1.product": ["No product 'mug' is for sale."]}
    assert api.get("/api/cart/", token).get_json()["item_count"] == 2


def test_unknown_and_inactive_products_are_422_by_line(api, shop, seller):
    tea = shop.product(seller, "tea")
    shop.product(seller, "retired", active=False)
    response = shop.order(api.token(), [("tea", 1), ("ghost", 1), ("retired", 1)])
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"items.1.product", "items.2.product"}
    assert shop.stock(tea) == 10


@pytest.mark.parametrize("quantity", [0, -3, 1001, 1.5, 2.0, "2", True, None])
def test_quantities_are_whole_numbers_from_one_to_a_thousand(api, shop, seller, quantity):
    tea = shop.product(seller, "tea", stock=5000)
    response = shop.order(api.token(), [("tea", 1), ("tea", quantity)])
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["items.1.quantity"]
    assert shop.stock(tea) == 5000


def test_a_product_listed_twice_is_one_line_with_the_quantities_added(api, shop, seller):
    tea = shop.product(seller, "tea", stock=10)
    body = shop.placed(api.token(), [("tea", 2), ("tea", 3)])
    assert [(i["product"], i["quantity"]) for i in body["items"]] == [("tea", 5)]
    assert shop.stock(tea) == 5


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"payment_method": "card"}, {"shipping"}),
        ({"shipping": SHIPPING}, {"payment_method"}),
        ({"shipping": SHIPPING, "payment_method": "cheque"}, {"payment_method"}),
        ({"shipping": {**SHIPPING, "city": ""}, "payment_method": "card"}, {"shipping.city"}),
        ({"shipping": {**SHIPPING, "city": "   "}, "payment_method": "card"}, {"shipping.city"}),
        ({"shipping": {k: v for k, v in SHIPPING.items() if k != "country"},
          "payment_method": "card"}, {"shipping.country"}),
        ({"shipping": SHIPPING, "payment_method": "card", "items": []}, {"items"}),
        ({"shipping": SHIPPING, "payment_method": "card", "items": None}, {"items"}),
        ({"shipping": SHIPPING, "payment_method": "card", "items": [{"product": "x"}]},
         {"items.0.quantity"}),
        ({"shipping": SHIPPING, "payment_method": "card", "coupon": "FREE"}, {"coupon"}),
    ],
)  # fmt: skip
def test_malformed_orders_are_422_with_dotted_field_errors(api, body, fields):
    response = api.post("/api/orders/", body, api.token())
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == fields


def test_more_than_a_hundred_lines_are_refused(api, shop):
    items = [(f"p{i}", 1) for i in range(101)]
    response = shop.order(api.token(), items)
    assert response.status_code == 422 and "items" in response.get_json()["errors"]


def test_placing_needs_a_signed_in_user(api):
    response = api.post("/api/orders/", {"shipping": SHIPPING, "payment_method": "cod"})
    assert response.status_code == 401


def test_prices_and_names_are_frozen_in_the_order(api, shop, seller):
    tea = shop.product(seller, "tea", price="10.00")
    token = api.token()
    number = shop.placed(token, [("tea", 1)])["order_number"]
    shop.update(tea, price=Decimal("99.00"), name="Renamed")
    item = api.get(f"/api/orders/{number}/", token).get_json()["items"][0]
    assert (item["unit_price"], item["product_name"]) == ("10.00", "Tea")


# --- Idempotency-Key ----------------------------------------------------------------------


def test_a_retry_with_the_same_key_and_body_answers_the_first_order_again(api, shop, seller):
    tea = shop.product(seller, "tea", stock=10)
    token = api.token()
    first = shop.order(token, [("tea", 2)], key="order-1")
    again = shop.order(token, [("tea", 2)], key="order-1")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.get_json() == first.get_json()
    assert shop.stock(tea) == 8
    assert api.get("/api/orders/", token).get_json()["count"] == 1


def test_the_same_key_with_another_body_is_409_and_changes_nothing(api, shop, seller):
    tea = shop.product(seller, "tea", stock=10)
    token = api.token()
    shop.order(token, [("tea", 2)], key="order-1")
    response = shop.order(token, [("tea", 3)], key="order-1")
    assert response.status_code == 409
    assert "Idempotency-Key" in response.get_json()["message"]
    assert shop.stock(tea) == 8


def test_keys_are_per_user(api, shop, seller):
    shop.product(seller, "tea", stock=10)
    first = shop.placed(api.token(), [("tea", 1)], key="shared")
    second = shop.placed(api.token(), [("tea", 1)], key="shared")
    assert first["order_number"] != second["order_number"]


@pytest.mark.parametrize("key", ["", "k" * 256])
def test_a_key_must_be_one_to_255_characters(api, shop, seller, key):
    tea = shop.product(seller, "tea")
    response = shop.order(api.token(), [("tea", 1)], key=key)
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["Idempotency-Key"]
    assert shop.stock(tea) == 10


def test_a_key_of_255_characters_is_fine(api, shop, seller):
    shop.product(seller, "tea")
    assert shop.order(api.token(), [("tea", 1)], key="k" * 255).status_code == 201


def test_a_failed_attempt_leaves_its_key_free_for_a_retry(api, shop, seller):
    tea = shop.product(seller, "tea", stock=1)
    token = api.token()
    assert shop.order(token, [("tea", 2)], key="k").status_code == 409
    shop.update(tea, stock=5)
    assert shop.order(token, [("tea", 2)], key="k").status_code == 201


def test_a_product_made_through_the_catalog_api_is_ordered_and_its_stock_shown(api, shop):
    """End to end with the catalog: create over HTTP, order, read the stock back over HTTP."""
    admin = api.token("admin")
    category = api.post("/api/categories/", {"name": f"Teas {uuid.uuid4().hex[:6]}"}, admin)
    seller = api.token("vendor")
    body = {"name": "Assam Tea", "description": "Malty.", "category": category.get_json()["id"],
            "price": "12.00", "discount_price": "9.50", "stock": 4}  # fmt: skip
    created = api.post("/api/products/", body, seller)
    assert created.status_code == 201, created.get_json()
    slug = created.get_json()["slug"]

    order = shop.placed(api.token(), [(slug, 3)])

    assert order["items"][0]["unit_price"] == "9.50"
    assert api.get(f"/api/products/{slug}/").get_json()["stock"] == 1
    assert shop.order(api.token(), [(slug, 2)]).status_code == 409
