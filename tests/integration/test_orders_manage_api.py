"""Reading, cancelling and changing orders over HTTP, and the vendor's view."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from tests.integration.orders_helpers import ORDER_KEYS, Shop, vendor


@pytest.fixture
def shop(api):
    return Shop(api)


@pytest.fixture
def seller(api):
    return vendor(api)[0]


def numbers(response):
    return [order["order_number"] for order in response.get_json()["results"]]


def test_customers_list_their_own_orders_newest_first_in_the_envelope(api, shop, seller):
    shop.product(seller, "tea", stock=50)
    ann, bob = api.token(), api.token()
    mine = [shop.placed(ann, [("tea", 1)])["order_number"] for _ in range(3)]
    shop.placed(bob, [("tea", 1)])

    response = api.get("/api/orders/?page_size=2", ann)

    assert response.status_code == 200
    body = response.get_json()
    assert body["count"] == 3 and body["previous"] is None
    assert numbers(response) == [mine[2], mine[1]]
    assert set(body["results"][0]) == ORDER_KEYS
    assert "page=2" in body["next"] and body["next"].startswith("http")
    assert numbers(api.get("/api/orders/?page=2&page_size=2", ann)) == [mine[0]]


def test_admins_list_everyones_orders(api, shop, seller):
    shop.product(seller, "tea")
    shop.placed(api.token(), [("tea", 1)])
    shop.placed(api.token(), [("tea", 1)])
    assert api.get("/api/orders/", api.token("admin")).get_json()["count"] == 2


def test_lists_filter_by_status_and_refuse_unknown_statuses(api, shop, seller):
    shop.product(seller, "tea")
    token = api.token()
    first = shop.placed(token, [("tea", 1)])["order_number"]
    shop.placed(token, [("tea", 1)])
    api.post(f"/api/orders/{first}/cancel/", None, token)

    assert numbers(api.get("/api/orders/?status=cancelled", token)) == [first]
    assert api.get("/api/orders/?status=pending", token).get_json()["count"] == 1
    response = api.get("/api/orders/?status=lost", token)
    assert response.status_code == 422 and list(response.get_json()["errors"]) == ["status"]
    assert api.get("/api/orders/?page_size=101", token).status_code == 422


def test_detail_is_for_the_owner_and_admins_and_404_for_anyone_else(api, shop, seller):
    shop.product(seller, "tea")
    owner = api.token()
    number = shop.placed(owner, [("tea", 1)])["order_number"]

    assert api.get(f"/api/orders/{number}/", owner).get_json()["order_number"] == number
    assert api.get(f"/api/orders/{number}", api.token("admin")).status_code == 200
    for stranger in (api.token(), api.token("vendor")):
        response = api.get(f"/api/orders/{number}/", stranger)
        assert response.status_code == 404 and response.get_json()["code"] == 404
    assert api.get("/api/orders/ORD-20260101-AAAAAAAA/", owner).status_code == 404
    assert api.get(f"/api/orders/{number}/").status_code == 401


def test_the_owner_cancels_a_pending_order_and_stock_comes_back(api, shop, seller):
    tea = shop.product(seller, "tea", stock=10)
    token = api.token()
    number = shop.placed(token, [("tea", 4)])["order_number"]

    response = api.post(f"/api/orders/{number}/cancel/", None, token)

    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "cancelled"
    assert [h["status"] for h in body["history"]] == ["pending", "cancelled"]
    assert shop.stock(tea) == 10
    again = api.post(f"/api/orders/{number}/cancel", None, token)
    assert again.status_code == 409 and shop.stock(tea) == 10


def test_owners_cannot_cancel_confirmed_orders_but_admins_can(api, shop, seller):
    tea = shop.product(seller, "tea", stock=10)
    token, admin = api.token(), api.token("admin")
    number = shop.placed(token, [("tea", 4)])["order_number"]
    assert shop.set_status(admin, number, status="confirmed").status_code == 200

    assert api.post(f"/api/orders/{number}/cancel/", None, token).status_code == 409
    assert shop.stock(tea) == 6
    assert api.post(f"/api/orders/{number}/cancel/", None, admin).status_code == 200
    assert shop.stock(tea) == 10


def test_cancelling_someone_elses_order_is_404_and_changes_nothing(api, shop, seller):
    tea = shop.product(seller, "tea", stock=10)
    number = shop.placed(api.token(), [("tea", 4)])["order_number"]
    assert api.post(f"/api/orders/{number}/cancel/", None, api.token()).status_code == 404
    assert shop.stock(tea) == 6


def test_admins_move_an_order_along_the_machine_with_history(api, shop, seller):
    shop.product(seller, "tea")
    admin = api.token("admin")
    number = shop.placed(api.token(), [("tea", 1)], method="cod")["order_number"]

    for status in ("confirmed", "shipped", "delivered"):
        response = shop.set_status(admin, number, status=status)
        assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["status"], body["payment_status"]) == ("delivered", "paid")
    history = body["history"]
    assert [(h["status"], h["payment_status"]) for h in history] == [
        ("pending", "unpaid"), ("confirmed", "unpaid"), ("shipped", "unpaid"),
        ("delivered", "paid"),
    ]  # fmt: skip
    assert history[-1]["by"] == {"id": history[-1]["by"]["id"], "name": "Admin"}
    assert all(h["at"].endswith("+00:00") for h in history)


def test_illegal_transitions_are_409(api, shop, seller):
    shop.product(seller, "tea")
    admin = api.token("admin")
    number = shop.placed(api.token(), [("tea", 1)])["order_number"]
    assert shop.set_status(admin, number, status="delivered").status_code == 409
    assert shop.set_status(admin, number, payment_status="refunded").status_code == 409
    assert shop.set_status(admin, number, status="pending").status_code == 409
    shop.set_status(admin, number, status="cancelled")
    assert shop.set_status(admin, number, status="confirmed").status_code == 409
    detail = api.get(f"/api/orders/{number}/", admin).get_json()
    assert len(detail["history"]) == 2


def test_an_admin_cancelling_a_paid_order_refunds_it_and_restocks(api, shop, seller):
    tea = shop.product(seller, "tea", stock=10)
    admin = api.token("admin")
    number = shop.placed(api.token(), [("tea", 3)])["order_number"]
    assert shop.set_status(admin, number, payment_status="paid").get_json()["payment_status"] == (
        "paid"
    )
    body = shop.set_status(admin, number, status="cancelled").get_json()
    assert (body["status"], body["payment_status"]) == ("cancelled", "refunded")
    assert shop.stock(tea) == 10


@pytest.mark.parametrize(
    ("body", "field"), [({}, "_schema"), ({"status": "lost"}, "status"),
                        ({"payment_status": "free"}, "payment_status")],
)  # fmt: skip
def test_status_changes_need_a_known_status_or_payment_status(api, shop, seller, body, field):
    shop.product(seller, "tea")
    number = shop.placed(api.token(), [("tea", 1)])["order_number"]
    response = shop.set_status(api.token("admin"), number, **body)
    assert response.status_code == 422 and field in response.get_json()["errors"]


def test_only_admins_change_statuses(api, shop, seller):
    shop.product(seller, "tea")
    owner = api.token()
    number = shop.placed(owner, [("tea", 1)])["order_number"]
    assert shop.set_status(owner, number, status="confirmed").status_code == 403
    assert shop.set_status(api.token("vendor"), number, status="confirmed").status_code == 403
    assert shop.set_status(api.token("admin"), "ORD-NOPE", status="confirmed").status_code == 404


def test_vendors_see_orders_of_their_products_with_only_their_lines(api, shop):
    ann_id, ann_token = vendor(api)
    bob_id, _ = vendor(api)
    shop.product(ann_id, "tea", price="20.00")
    shop.product(bob_id, "mug", price="7.50")
    buyer = api.token()
    mixed = shop.placed(buyer, [("tea", 1), ("mug", 2)])["order_number"]
    shop.placed(buyer, [("mug", 1)])

    response = api.get("/api/vendor/orders/", ann_token)

    assert response.status_code == 200
    body = response.get_json()
    assert body["count"] == 1 and numbers(response) == [mixed]
    [order] = body["results"]
    assert [i["product"] for i in order["items"]] == ["tea"]
    assert (order["subtotal"], order["shipping_cost"], order["total"]) == ("20.00", "0.00", "20.00")


def test_admins_see_every_order_with_every_line_in_the_vendor_view(api, shop, seller):
    other, _ = vendor(api)
    shop.product(seller, "tea")
    shop.product(other, "mug")
    shop.placed(api.token(), [("tea", 1), ("mug", 1)])
    body = api.get("/api/vendor/orders/?status=pending", api.token("admin")).get_json()
    assert [len(order["items"]) for order in body["results"]] == [2]


def test_customers_have_no_vendor_view(api):
    assert api.get("/api/vendor/orders/", api.token()).status_code == 403
    assert api.get("/api/vendor/orders/").status_code == 401
    assert api.get("/api/vendor/orders/?status=x", api.token("vendor")).status_code == 422


def test_order_lists_take_the_same_number_of_queries_for_any_page_size(api, shop, seller, app):
    shop.product(seller, "tea", stock=100)
    shop.product(seller, "mug", stock=100)
    admin = api.token("admin")
    engine = app.extensions["shopcore"].engine

    def queries(path):
        seen = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert api.get(path, admin).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(seen)

    shop.placed(api.token(), [("tea", 1), ("mug", 1)])
    few = queries("/api/orders/"), queries("/api/vendor/orders/")
    for _ in range(6):
        shop.placed(api.token(), [("tea", 1), ("mug", 1)])
    assert (queries("/api/orders/"), queries("/api/vendor/orders/")) == few


def test_the_openapi_document_describes_cart_and_orders(api):
    spec = api.get("/openapi.json").get_json()
    paths = spec["paths"]
    for path in ("/api/cart/", "/api/cart/items/", "/api/cart/items/{slug}/", "/api/orders/",
                 "/api/orders/create/", "/api/orders/{order_number}/",
                 "/api/orders/{order_number}/cancel/", "/api/orders/{order_number}/status/",
                 "/api/vendor/orders/"):  # fmt: skip
        assert path in paths
    place = paths["/api/orders/"]["post"]
    assert {"201", "409", "422", "503", "401"} <= set(place["responses"])
    assert place["parameters"][0]["name"] == "Idempotency-Key"
    assert place["security"] == [{"bearerAuth": []}]
    assert "403" in paths["/api/orders/{order_number}/status/"]["patch"]["responses"]
    order = spec["components"]["schemas"]["Order"]["properties"]
    assert set(order) == ORDER_KEYS
    assert order["status"]["enum"] == ["pending", "confirmed", "shipped", "delivered", "cancelled"]
