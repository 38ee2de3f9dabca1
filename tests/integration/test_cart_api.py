"""The cart over HTTP, on SQLite and MariaDB."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.integration.orders_helpers import Shop, vendor


@pytest.fixture
def shop(api):
    return Shop(api)


@pytest.fixture
def seller(api):
    return vendor(api)[0]


def add(api, token, slug, quantity):
    return api.post("/api/cart/items/", {"product": slug, "quantity": quantity}, token)


def test_the_cart_starts_empty(api):
    response = api.get("/api/cart/", api.token())
    assert response.status_code == 200
    assert response.get_json() == {"items": [], "total": "0.00", "item_count": 0}


def test_adding_answers_the_whole_cart_at_current_prices(api, shop, seller):
    shop.product(seller, "green-tea", price="12.00", discount="9.99", stock=4)
    token = api.token()
    response = add(api, token, "green-tea", 2)
    assert response.status_code == 201
    assert response.get_json() == {
        "items": [
            {
                "product": {"slug": "green-tea", "name": "Green Tea", "final_price": "9.99",
                            "stock": 4},
                "quantity": 2,
                "line_total": "19.98",
            }
        ],
        "total": "19.98",
        "item_count": 2,
    }  # fmt: skip


def test_adding_again_merges_and_the_cart_follows_price_changes(api, shop, seller):
    tea = shop.product(seller, "tea", price="10.00")
    token = api.token()
    add(api, token, "tea", 2)
    add(api, token, "tea", 3)
    shop.update(tea, price=Decimal("4.50"))
    body = api.get("/api/cart", token).get_json()
    assert [(i["product"]["slug"], i["quantity"]) for i in body["items"]] == [("tea", 5)]
    assert body["total"] == "22.50"


def test_a_line_is_capped_at_a_thousand_units(api, shop, seller):
    shop.product(seller, "tea")
    token = api.token()
    assert add(api, token, "tea", 1000).status_code == 201
    response = add(api, token, "tea", 1)
    assert response.status_code == 422 and "quantity" in response.get_json()["errors"]
    assert api.get("/api/cart/", token).get_json()["item_count"] == 1000


@pytest.mark.parametrize("quantity", [0, -1, 1001, 1.5, 2.0, "2", True, None, [1]])
def test_adding_refuses_anything_but_a_whole_quantity_from_one_to_a_thousand(
    api, shop, seller, quantity
):
    shop.product(seller, "tea")
    token = api.token()
    response = add(api, token, "tea", quantity)
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["quantity"]
    assert api.get("/api/cart/", token).get_json()["items"] == []


def test_unknown_or_inactive_products_cannot_be_added(api, shop, seller):
    shop.product(seller, "retired", active=False)
    token = api.token()
    for slug in ("ghost", "retired"):
        response = add(api, token, slug, 1)
        assert response.status_code == 422
        assert list(response.get_json()["errors"]) == ["product"]


def test_a_product_out_of_stock_may_sit_in_the_cart(api, shop, seller):
    shop.product(seller, "tea", stock=0)
    assert add(api, api.token(), "tea", 2).status_code == 201


def test_adding_refuses_missing_and_unknown_fields(api):
    token = api.token()
    response = api.post("/api/cart/items/", {"quantity": 1, "colour": "red"}, token)
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"product", "colour"}


def test_a_body_that_is_not_json_is_a_bad_request(api):
    response = api.post("/api/cart/items/", None, api.token(), data="product=tea",
                        content_type="application/x-www-form-urlencoded")  # fmt: skip
    assert response.status_code == 400


def test_patch_sets_the_quantity_and_zero_removes_the_line(api, shop, seller):
    shop.product(seller, "tea")
    shop.product(seller, "mug")
    token = api.token()
    add(api, token, "tea", 2)
    add(api, token, "mug", 1)

    response = api.patch("/api/cart/items/tea/", {"quantity": 7}, token)
    assert response.status_code == 200
    assert [i["quantity"] for i in response.get_json()["items"]] == [7, 1]

    response = api.patch("/api/cart/items/tea", {"quantity": 0}, token)
    assert [i["product"]["slug"] for i in response.get_json()["items"]] == ["mug"]


@pytest.mark.parametrize("quantity", [-1, 1001, 1.5, "3", None])
def test_patch_refuses_bad_quantities(api, shop, seller, quantity):
    shop.product(seller, "tea")
    token = api.token()
    add(api, token, "tea", 2)
    response = api.patch("/api/cart/items/tea/", {"quantity": quantity}, token)
    assert response.status_code == 422
    assert api.get("/api/cart/", token).get_json()["item_count"] == 2


def test_patch_and_delete_of_a_product_not_in_the_cart_are_not_found(api, shop, seller):
    shop.product(seller, "tea")
    token = api.token()
    assert api.patch("/api/cart/items/tea/", {"quantity": 1}, token).status_code == 404
    assert api.delete("/api/cart/items/tea/", token).status_code == 404
    assert api.delete("/api/cart/items/ghost/", token).status_code == 404


def test_delete_removes_one_line_and_delete_cart_empties_it(api, shop, seller):
    shop.product(seller, "tea")
    shop.product(seller, "mug")
    token = api.token()
    add(api, token, "tea", 1)
    add(api, token, "mug", 1)

    response = api.delete("/api/cart/items/tea/", token)
    assert response.status_code == 204 and response.data == b""
    assert api.get("/api/cart/", token).get_json()["item_count"] == 1
    assert api.delete("/api/cart", token).status_code == 204
    assert api.get("/api/cart/", token).get_json()["items"] == []


def test_another_users_cart_is_never_seen_or_touched(api, shop, seller):
    shop.product(seller, "tea")
    ann, bob = api.token(), api.token()
    add(api, ann, "tea", 2)

    assert api.get("/api/cart/", bob).get_json()["items"] == []
    assert api.delete("/api/cart/items/tea/", bob).status_code == 404
    assert api.patch("/api/cart/items/tea/", {"quantity": 9}, bob).status_code == 404
    assert api.delete("/api/cart/", bob).status_code == 204
    assert api.get("/api/cart/", ann).get_json()["item_count"] == 2


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/api/cart/"), ("DELETE", "/api/cart/"), ("POST", "/api/cart/items/"),
     ("PATCH", "/api/cart/items/tea/"), ("DELETE", "/api/cart/items/tea/")],
)  # fmt: skip
def test_the_cart_needs_a_signed_in_user(api, method, path):
    response = api.call(method, path, json={"product": "tea", "quantity": 1})
    assert response.status_code == 401
    assert response.get_json()["code"] == 401


def test_setting_the_quantity_it_already_has_is_fine(api, shop, seller):
    shop.product(seller, "tea")
    token = api.token()
    add(api, token, "tea", 3)
    response = api.patch("/api/cart/items/tea/", {"quantity": 3}, token)
    assert response.status_code == 200
    assert [i["quantity"] for i in response.get_json()["items"]] == [3]
