"""API.md, Cart and Orders: shapes, role rules and the status machine as a client sees them.

Concurrency, idempotency races and query counts are proven in test_order_concurrency.py,
test_orders_api.py and test_orders_manage_api.py; this module walks the contract's clauses.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.integration.conftest import Api
from tests.integration.contract_helpers import (
    ORDER_KEYS,
    SHIPPING,
    TIMESTAMP,
    World,
    assert_error,
)

ORDER_NUMBER = re.compile(r"^ORD-\d{8}-[0-9A-Z]{6,}$")


@pytest.fixture
def world(api: Api) -> World:
    return World(api)


def stock(api: Api, slug: str, token: str | None = None) -> int:
    return api.get(f"/api/products/{slug}/", token).get_json()["stock"]  # type: ignore[no-any-return]


def cancel(api: Api, number: str, token: str) -> Any:
    return api.post(f"/api/orders/{number}/cancel/", token=token)


# --- cart -------------------------------------------------------------------------------------


def test_the_cart_answers_the_contracts_shape_at_current_prices(world: World, api: Api) -> None:
    lamp = world.product(price="12.50", stock=7)

    added = api.post("/api/cart/items/", {"product": lamp["slug"], "quantity": 2}, world.customer)
    again = api.post("/api/cart/items/", {"product": lamp["slug"], "quantity": 1}, world.customer)

    assert added.status_code == 201 and again.status_code == 201
    cart = api.get("/api/cart/", world.customer).get_json()
    assert cart == {
        "items": [
            {
                "product": {
                    "slug": lamp["slug"],
                    "name": lamp["name"],
                    "final_price": "12.50",
                    "stock": 7,
                },
                "quantity": 3,
                "line_total": "37.50",
            }
        ],
        "total": "37.50",
        "item_count": 3,
    }
    api.patch(f"/api/products/{lamp['slug']}/", {"discount_price": "10.00"}, world.vendor)
    cart = api.get("/api/cart/", world.customer).get_json()
    assert (cart["items"][0]["line_total"], cart["total"]) == ("30.00", "30.00")


def test_cart_lines_are_set_removed_and_emptied(world: World, api: Api) -> None:
    lamp, bulb = world.product()["slug"], world.product()["slug"]
    for slug in (lamp, bulb):
        api.post("/api/cart/items/", {"product": slug, "quantity": 1}, world.customer)

    set_to_four = api.patch(f"/api/cart/items/{lamp}/", {"quantity": 4}, world.customer)
    assert set_to_four.status_code == 200 and set_to_four.get_json()["item_count"] == 5
    zero = api.patch(f"/api/cart/items/{bulb}/", {"quantity": 0}, world.customer).get_json()
    assert [line["product"]["slug"] for line in zero["items"]] == [lamp]
    removed = api.delete(f"/api/cart/items/{lamp}/", world.customer)
    assert removed.status_code == 204 and removed.data == b""
    assert_error(api.delete(f"/api/cart/items/{lamp}/", world.customer), 404)
    assert_error(api.patch(f"/api/cart/items/{lamp}/", {"quantity": 1}, world.customer), 404)
    api.post("/api/cart/items/", {"product": bulb, "quantity": 1}, world.customer)
    emptied = api.delete("/api/cart/", world.customer)
    assert emptied.status_code == 204 and emptied.data == b""
    assert api.get("/api/cart/", world.customer).get_json() == {
        "items": [],
        "total": "0.00",
        "item_count": 0,
    }


def test_someone_elses_cart_line_is_404_to_me(world: World, api: Api) -> None:
    slug = world.product()["slug"]
    api.post("/api/cart/items/", {"product": slug, "quantity": 2}, world.customer)

    for token in (world.vendor, world.admin):
        assert_error(api.patch(f"/api/cart/items/{slug}/", {"quantity": 1}, token), 404)
        assert_error(api.delete(f"/api/cart/items/{slug}/", token), 404)
    assert api.get("/api/cart/", world.customer).get_json()["item_count"] == 2


@pytest.mark.parametrize("role", ["vendor", "admin"])
def test_vendors_and_admins_shop_like_customers(world: World, api: Api, role: str) -> None:
    token = world.vendor if role == "vendor" else world.admin
    other_vendors = world.product(token=world.session("vendor")["access"])["slug"]

    added = api.post("/api/cart/items/", {"product": other_vendors, "quantity": 2}, token)
    order = api.post("/api/orders/create/", world.order_body(None), token)

    assert added.status_code == 201 and order.status_code == 201
    number = order.get_json()["order_number"]
    assert api.get("/api/cart/", token).get_json()["items"] == []
    mine = api.get("/api/orders/", token).get_json()["results"]
    assert number in [o["order_number"] for o in mine]
    world.deliver(number)
    review = api.post(
        f"/api/products/{other_vendors}/reviews/", {"rating": 4, "comment": "Fine."}, token
    )
    assert review.status_code == 201


# --- placing ----------------------------------------------------------------------------------


def test_an_order_answers_201_with_exactly_the_contracts_fields(world: World, api: Api) -> None:
    lamp = world.product(price="20.00", discount_price="15.00")
    shipping = {**SHIPPING, "address_line2": "Flat 2", "state": "MH"}
    body = {
        "items": [{"product": lamp["slug"], "quantity": 2}],
        "shipping": shipping,
        "payment_method": "upi",
    }

    response = api.post("/api/orders/", body, world.customer)

    assert response.status_code == 201
    order = response.get_json()
    assert set(order) == ORDER_KEYS and ORDER_NUMBER.match(order["order_number"])
    assert (order["status"], order["payment_method"], order["payment_status"]) == (
        "pending",
        "upi",
        "unpaid",
    )
    assert order["items"] == [
        {
            "product": lamp["slug"],
            "product_name": lamp["name"],
            "unit_price": "15.00",
            "quantity": 2,
            "line_total": "30.00",
        }
    ]
    assert (order["subtotal"], order["shipping_cost"], order["total"]) == ("30.00", "5.00", "35.00")
    assert order["shipping"] == shipping
    (entry,) = order["history"]
    assert set(entry) == {"status", "payment_status", "by", "at"}
    assert entry["by"] == {"id": world.customer_id, "name": "Customer Tester"}
    assert TIMESTAMP.match(entry["at"]) and TIMESTAMP.match(order["created_at"])
    assert api.get(f"/api/orders/{order['order_number']}/", world.customer).get_json() == order


def test_order_numbers_are_unique_and_not_sequential(world: World) -> None:
    slug = world.product(stock=100)["slug"]

    numbers = [world.order(world.customer, [(slug, 1)])["order_number"] for _ in range(6)]

    assert len(set(numbers)) == 6 and all(ORDER_NUMBER.match(n) for n in numbers)
    suffixes = [int(n.rsplit("-", 1)[1], 36) for n in numbers]
    assert len({b - a for a, b in zip(suffixes, suffixes[1:], strict=False)}) > 1


@pytest.mark.parametrize("method", ["cod", "card", "upi", "netbanking", "wallet"])
def test_every_payment_method_is_accepted(world: World, api: Api, method: str) -> None:
    order = world.order(world.customer, [(world.product()["slug"], 1)], method=method)

    assert order["payment_method"] == method


def test_other_payment_methods_and_missing_shipping_fields_are_422_with_dotted_names(
    world: World, api: Api
) -> None:
    slug = world.product()["slug"]
    body = {
        "items": [{"product": slug, "quantity": 0}],
        "shipping": {k: v for k, v in SHIPPING.items() if k != "city"},
        "payment_method": "cheque",
    }

    error = assert_error(api.post("/api/orders/", body, world.customer), 422)

    assert set(error["errors"]) == {"items.0.quantity", "shipping.city", "payment_method"}
    assert api.get("/api/orders/", world.customer).get_json()["count"] == 0


def test_without_items_the_cart_is_ordered_and_emptied_with_items_it_is_left_alone(
    world: World, api: Api
) -> None:
    carted, direct = world.product()["slug"], world.product()["slug"]
    api.post("/api/cart/items/", {"product": carted, "quantity": 2}, world.customer)

    explicit = world.order(world.customer, [(direct, 1)])
    assert api.get("/api/cart/", world.customer).get_json()["item_count"] == 2
    from_cart = world.order(world.customer, None)  # type: ignore[arg-type]

    assert [line["product"] for line in explicit["items"]] == [direct]
    assert [(line["product"], line["quantity"]) for line in from_cart["items"]] == [(carted, 2)]
    assert api.get("/api/cart/", world.customer).get_json()["item_count"] == 0


def test_a_short_line_fails_the_whole_order_with_409_naming_the_product(
    world: World, api: Api
) -> None:
    plenty = world.product(name="Plenty Lamp", stock=10)
    scarce = world.product(name="Scarce Lamp", stock=1)

    body = world.order_body([(plenty["slug"], 3), (scarce["slug"], 2)])
    error = assert_error(api.post("/api/orders/", body, world.customer), 409)

    assert "Scarce Lamp" in error["message"] and "Plenty Lamp" not in error["message"]
    assert (stock(api, plenty["slug"]), stock(api, scarce["slug"])) == (10, 1)
    assert api.get("/api/orders/", world.customer).get_json()["count"] == 0


def test_an_order_freezes_names_and_prices_while_the_cart_follows_them(
    world: World, api: Api
) -> None:
    lamp = world.product(name="Old Name", price="10.00")
    order = world.order(world.customer, [(lamp["slug"], 1)])
    api.post("/api/cart/items/", {"product": lamp["slug"], "quantity": 1}, world.customer)

    api.patch(
        f"/api/products/{lamp['slug']}/", {"name": "New Name", "price": "99.00"}, world.vendor
    )

    kept = api.get(f"/api/orders/{order['order_number']}/", world.customer).get_json()
    assert kept["items"][0]["product_name"] == "Old Name"
    assert kept["items"][0]["unit_price"] == "10.00" and kept["total"] == order["total"]
    line = api.get("/api/cart/", world.customer).get_json()["items"][0]
    assert (line["product"]["name"], line["product"]["final_price"]) == ("New Name", "99.00")


def test_an_idempotency_key_replays_the_first_answer_and_refuses_another_body(
    world: World, api: Api
) -> None:
    slug = world.product(stock=10)["slug"]
    body = world.order_body([(slug, 2)])
    key = {"Idempotency-Key": "k" * 255}

    first = api.post("/api/orders/", body, world.customer, headers=dict(key))
    again = api.post("/api/orders/", body, world.customer, headers=dict(key))
    other = api.post(
        "/api/orders/", world.order_body([(slug, 3)]), world.customer, headers=dict(key)
    )

    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()
    assert_error(other, 409)
    assert stock(api, slug) == 8
    assert api.get("/api/orders/", world.customer).get_json()["count"] == 1
    stranger = api.post("/api/orders/", body, world.vendor, headers=dict(key))
    assert stranger.status_code == 201
    assert stranger.get_json()["order_number"] != first.get_json()["order_number"]
    too_long = api.post(
        "/api/orders/", body, world.customer, headers={"Idempotency-Key": "k" * 256}
    )
    assert_error(too_long, 422)


# --- reading ----------------------------------------------------------------------------------


def test_users_list_their_own_orders_newest_first_and_admins_see_all(
    world: World, api: Api
) -> None:
    slug = world.product()["slug"]
    mine = [world.order(world.customer, [(slug, 1)])["order_number"] for _ in range(3)]
    theirs = world.order(world.vendor, [(slug, 1)])["order_number"]
    world.status(mine[0], status="confirmed")

    own = api.get("/api/orders/", world.customer).get_json()
    assert [o["order_number"] for o in own["results"]] == mine[::-1]
    assert [
        o["order_number"] for o in api.get("/api/orders/", world.vendor).get_json()["results"]
    ] == [theirs]
    everyone = api.get("/api/orders/", world.admin).get_json()
    assert {o["order_number"] for o in everyone["results"]} == {*mine, theirs}
    confirmed = api.get("/api/orders/?status=confirmed", world.customer).get_json()
    assert [o["order_number"] for o in confirmed["results"]] == [mine[0]]


def test_someone_elses_order_is_404_even_to_the_vendor_of_its_products(
    world: World, api: Api
) -> None:
    number = world.order(world.customer, [(world.product()["slug"], 1)])["order_number"]
    stranger = world.session()["access"]

    for token in (stranger, world.vendor):
        assert_error(api.get(f"/api/orders/{number}/", token), 404)
        assert_error(cancel(api, number, token), 404)
    assert api.get(f"/api/orders/{number}/", world.admin).status_code == 200
    assert api.get(f"/api/orders/{number}/", world.customer).get_json()["status"] == "pending"


# --- cancelling and the status machine --------------------------------------------------------


def test_owners_cancel_pending_orders_only_and_the_stock_goes_back(world: World, api: Api) -> None:
    slug = world.product(stock=5)["slug"]
    pending = world.order(world.customer, [(slug, 2)])["order_number"]
    confirmed = world.order(world.customer, [(slug, 1)])["order_number"]
    world.status(confirmed, status="confirmed")

    cancelled = cancel(api, pending, world.customer)

    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"
    assert stock(api, slug) == 4
    assert_error(cancel(api, pending, world.customer), 409)
    assert_error(cancel(api, confirmed, world.customer), 409)
    assert stock(api, slug) == 4


def test_admins_cancel_pending_or_confirmed_orders_and_nothing_later(
    world: World, api: Api
) -> None:
    slug = world.product(stock=10)["slug"]
    numbers = {
        status: world.order(world.customer, [(slug, 1)])["order_number"]
        for status in ("pending", "confirmed", "shipped", "delivered")
    }
    world.status(numbers["confirmed"], status="confirmed")
    world.status(numbers["shipped"], status="confirmed")
    world.status(numbers["shipped"], status="shipped")
    world.deliver(numbers["delivered"])

    for status in ("pending", "confirmed"):
        answer = cancel(api, numbers[status], world.admin)
        assert answer.status_code == 200 and answer.get_json()["status"] == "cancelled"
    for status in ("shipped", "delivered"):
        assert_error(cancel(api, numbers[status], world.admin), 409)
    assert stock(api, slug) == 8


@pytest.mark.parametrize("role", ["owner", "vendor"])
def test_status_changes_are_for_admins_only(world: World, api: Api, role: str) -> None:
    number = world.order(world.customer, [(world.product()["slug"], 1)])["order_number"]
    token = world.customer if role == "owner" else world.vendor

    for change in ({"status": "confirmed"}, {"payment_status": "paid"}, {"status": "cancelled"}):
        assert_error(api.patch(f"/api/orders/{number}/status/", change, token), 403)
    order = api.get(f"/api/orders/{number}/", world.customer).get_json()
    assert (order["status"], order["payment_status"], len(order["history"])) == (
        "pending",
        "unpaid",
        1,
    )


def test_the_status_machine_and_its_history(world: World, api: Api) -> None:
    slug = world.product(stock=5)["slug"]
    number = world.order(world.customer, [(slug, 1)], method="cod")["order_number"]
    path = f"/api/orders/{number}/status/"

    for illegal in (
        {"status": "shipped"},
        {"status": "delivered"},
        {"status": "pending"},
        {"payment_status": "refunded"},
        {"payment_status": "unpaid"},
    ):
        assert_error(api.patch(path, illegal, world.admin), 409)
    delivered = world.deliver(number)

    assert (delivered["status"], delivered["payment_status"]) == ("delivered", "paid")
    assert [(h["status"], h["payment_status"]) for h in delivered["history"]] == [
        ("pending", "unpaid"),
        ("confirmed", "unpaid"),
        ("shipped", "unpaid"),
        ("delivered", "paid"),
    ]
    assert [h["by"]["id"] for h in delivered["history"]] == [world.customer_id] + [
        world.admin_id
    ] * 3
    for illegal in ("pending", "confirmed", "shipped", "cancelled"):
        assert_error(api.patch(path, {"status": illegal}, world.admin), 409)
    refunded = api.patch(path, {"payment_status": "refunded"}, world.admin).get_json()
    assert refunded["payment_status"] == "refunded" and len(refunded["history"]) == 5


def test_cancelling_a_paid_order_by_status_refunds_it_and_restocks(world: World, api: Api) -> None:
    slug = world.product(stock=5)["slug"]
    number = world.order(world.customer, [(slug, 3)], method="card")["order_number"]
    world.status(number, payment_status="paid")
    world.status(number, status="confirmed")

    cancelled = world.status(number, status="cancelled")

    assert (cancelled["status"], cancelled["payment_status"]) == ("cancelled", "refunded")
    assert stock(api, slug) == 5
    for change in ({"status": "confirmed"}, {"payment_status": "paid"}):
        assert_error(api.patch(f"/api/orders/{number}/status/", change, world.admin), 409)
    assert stock(api, slug) == 5


# --- the vendor's side ------------------------------------------------------------------------


def test_vendor_orders_show_only_the_callers_lines(world: World, api: Api) -> None:
    mine = world.product(price="10.00")["slug"]
    rival_token = world.session("vendor")["access"]
    theirs = world.product(token=rival_token, price="30.00")["slug"]
    mixed = world.order(world.customer, [(mine, 2), (theirs, 1)])["order_number"]
    world.order(world.customer, [(theirs, 1)])

    own = api.get("/api/vendor/orders/", world.vendor).get_json()

    assert own["count"] == 1
    (order,) = own["results"]
    assert order["order_number"] == mixed and set(order) == ORDER_KEYS
    assert [line["product"] for line in order["items"]] == [mine]
    every = api.get("/api/vendor/orders/", world.admin).get_json()
    assert every["count"] == 2
    full = next(o for o in every["results"] if o["order_number"] == mixed)
    assert {line["product"] for line in full["items"]} == {mine, theirs}
    assert_error(api.get("/api/vendor/orders/", world.customer), 403)


def test_vendor_analytics_for_vendors_and_admins_naming_one(world: World, api: Api) -> None:
    slug = world.product(price="10.00", stock=3)["slug"]
    kept = world.order(world.customer, [(slug, 2)])["order_number"]
    dropped = world.order(world.vendor, [(slug, 1)])["order_number"]
    cancel(api, dropped, world.vendor)
    world.deliver(kept)
    world.api.post(
        f"/api/products/{slug}/reviews/", {"rating": 4, "comment": "Ok."}, world.customer
    )

    own = api.get("/api/vendor/analytics/", world.vendor).get_json()
    named = api.get(f"/api/vendor/analytics/?vendor={world.vendor_id}", world.admin).get_json()

    assert set(own) == {
        "product_count",
        "active_product_count",
        "units_sold",
        "revenue",
        "order_count",
        "rating_avg",
        "low_stock",
        "top_products",
    }
    assert (own["units_sold"], own["revenue"], own["order_count"]) == (2, "20.00", 1)
    assert own["rating_avg"] == "4.00" and own["top_products"][0]["revenue"] == "20.00"
    assert named == own
    assert_error(api.get("/api/vendor/analytics/", world.admin), 422)
    assert_error(api.get("/api/vendor/analytics/", world.customer), 403)
    rival = world.session("vendor")["access"]
    assert_error(api.get(f"/api/vendor/analytics/?vendor={world.vendor_id}", rival), 403)
