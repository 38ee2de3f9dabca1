"""Every write and every private read, tried by every role that must not: the right status, and
the database exactly as it was (the old project answered 200 while changing nothing).

Then the role or owner that may do it does it, so a refusal is never just a broken endpoint.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.integration.hostile_helpers import SHIPPING, Shop, png, refusal, snapshot

ANON, CUSTOMER, BUYER = None, "other_customer", "customer"  # BUYER owns the order and review
VENDOR, RIVAL, ADMIN = "vendor", "other_vendor", "admin"  # VENDOR sells the shop's product

Case = tuple[str, Callable[[Shop], str], Any, dict[str | None, int], str, int]


def _product_body(shop: Shop) -> dict[str, Any]:
    return {"name": "Hijacked", "description": "", "category": shop.category_id,
            "price": "0.01", "stock": 0}  # fmt: skip


SELLER_ONLY = {ANON: 401, CUSTOMER: 403, BUYER: 403, RIVAL: 403}
ADMIN_ONLY = {ANON: 401, CUSTOMER: 403, BUYER: 403, VENDOR: 403, RIVAL: 403}
CASES: dict[str, Case] = {
    "patch a product": ("PATCH", lambda s: f"/api/products/{s.slug}/", {"price": "0.01"},
                        SELLER_ONLY, VENDOR, 200),
    "put a product": ("PUT", lambda s: f"/api/products/{s.slug}/", _product_body,
                      SELLER_ONLY, ADMIN, 200),
    "patch a product (update/)": ("PATCH", lambda s: f"/api/products/{s.slug}/update/",
                                  {"is_active": False}, SELLER_ONLY, ADMIN, 200),
    "put a product (update/)": ("PUT", lambda s: f"/api/products/{s.slug}/update/",
                                _product_body, SELLER_ONLY, VENDOR, 200),
    "delete a product": ("DELETE", lambda s: f"/api/products/{s.slug}/", None,
                         SELLER_ONLY, VENDOR, 204),
    "delete a product (delete/)": ("DELETE", lambda s: f"/api/products/{s.slug}/delete/", None,
                                   SELLER_ONLY, ADMIN, 204),
    "delete a product image": ("DELETE", lambda s: f"/api/products/{s.slug}/images/{s.image_id}/",
                               None, SELLER_ONLY, VENDOR, 204),
    "create a product": ("POST", lambda s: "/api/products/", _product_body,
                         {ANON: 401, CUSTOMER: 403, BUYER: 403}, RIVAL, 201),
    "create a category": ("POST", lambda s: "/api/categories/", {"name": "Loot"},
                          ADMIN_ONLY, ADMIN, 201),
    "rename a category": ("PATCH", lambda s: f"/api/categories/{s.category_id}/", {"name": "X"},
                          ADMIN_ONLY, ADMIN, 200),
    "replace a category": ("PUT", lambda s: f"/api/categories/{s.category_id}/", {"name": "X"},
                           ADMIN_ONLY, ADMIN, 200),
    "delete a category": ("DELETE", lambda s: f"/api/categories/{s.category()['id']}/", None,
                          ADMIN_ONLY, ADMIN, 204),
    "read an order": ("GET", lambda s: f"/api/orders/{s.order_number}/", None,
                      {ANON: 401, CUSTOMER: 404, VENDOR: 404, RIVAL: 404}, BUYER, 200),
    "cancel an order": ("POST", lambda s: f"/api/orders/{s.order_number}/cancel/", None,
                        {ANON: 401, CUSTOMER: 404, VENDOR: 404, RIVAL: 404}, BUYER, 200),
    "change an order's status": ("PATCH", lambda s: f"/api/orders/{s.order_number}/status/",
                                 {"status": "confirmed"}, ADMIN_ONLY, ADMIN, 200),
    "mark an order paid": ("PATCH", lambda s: f"/api/orders/{s.order_number}/status/",
                           {"payment_status": "paid"}, ADMIN_ONLY, ADMIN, 200),
    "edit a review": ("PATCH", lambda s: f"/api/reviews/{s.review_id}/", {"rating": 1},
                      {ANON: 401, CUSTOMER: 403, VENDOR: 403, RIVAL: 403}, BUYER, 200),
    "delete a review": ("DELETE", lambda s: f"/api/reviews/{s.review_id}/", None,
                        {ANON: 401, CUSTOMER: 403, VENDOR: 403, RIVAL: 403}, ADMIN, 204),
    "list users": ("GET", lambda s: "/api/users/", None, ADMIN_ONLY, ADMIN, 200),
    "read a user": ("GET", lambda s: f"/api/users/{s.ids[BUYER]}/", None, ADMIN_ONLY, ADMIN, 200),
    "promote oneself": ("PATCH", lambda s: f"/api/users/{s.ids[BUYER]}/", {"role": "admin"},
                        {ANON: 401, BUYER: 403}, ADMIN, 200),
    "promote a vendor": ("PATCH", lambda s: f"/api/users/{s.ids[VENDOR]}/", {"role": "admin"},
                         ADMIN_ONLY, ADMIN, 200),
    "deactivate a user": ("DELETE", lambda s: f"/api/users/{s.ids[RIVAL]}/", None,
                          ADMIN_ONLY, ADMIN, 204),
    "vendor orders": ("GET", lambda s: "/api/vendor/orders/", None,
                      {ANON: 401, CUSTOMER: 403, BUYER: 403}, VENDOR, 200),
    "a vendor's analytics": ("GET", lambda s: f"/api/vendor/analytics/?vendor={s.ids[VENDOR]}",
                             None, {ANON: 401, CUSTOMER: 403, BUYER: 403, RIVAL: 403}, ADMIN, 200),
}  # fmt: skip


@pytest.fixture
def shop(api) -> Shop:
    return Shop(api)


@pytest.mark.parametrize("name", list(CASES))
def test_each_refused_role_gets_its_status_and_changes_nothing_then_the_right_role_succeeds(
    shop, name
):
    method, path_of, body, refused, allowed, success = CASES[name]
    path, payload = path_of(shop), body(shop) if callable(body) else body
    for role, status in refused.items():
        before = snapshot(shop.app)
        answer = shop.call(method, path, payload, role)
        assert refusal(answer, status) is None, (role, answer.status_code, answer.get_json())
        assert snapshot(shop.app) == before, role

    answer = shop.call(method, path, payload, allowed)
    assert answer.status_code == success, answer.get_json()


def test_uploading_to_another_vendors_product_is_refused_and_stores_no_file(shop):
    media = Path(shop.app.config["MEDIA_ROOT"])
    before, stored = snapshot(shop.app), sorted(media.rglob("*"))
    for role, status in SELLER_ONLY.items():
        answer = shop.client.post(
            f"/api/products/{shop.slug}/images/", data={"image": (io.BytesIO(png()), "a.png")},
            headers={"Authorization": f"Bearer {shop.tokens[role]}"} if role else {},
            content_type="multipart/form-data",
        )  # fmt: skip
        assert refusal(answer, status) is None, (role, answer.get_json())
    assert (snapshot(shop.app), sorted(media.rglob("*"))) == (before, stored)
    assert shop.upload(shop.slug, ADMIN).status_code == 201


def test_an_image_id_of_another_product_cannot_be_deleted_through_ones_own_product(shop):
    mine = shop.new_product(RIVAL)["slug"]
    before = snapshot(shop.app)

    answer = shop.call("DELETE", f"/api/products/{mine}/images/{shop.image_id}/", None, RIVAL)

    assert refusal(answer, 404) is None
    assert snapshot(shop.app) == before


def test_another_vendors_inactive_product_is_404_for_reads_and_writes_alike(shop):
    hidden = shop.new_product(is_active=False)["slug"]
    before = snapshot(shop.app)
    for method, path, body in [
        ("GET", f"/api/products/{hidden}/", None), ("PATCH", f"/api/products/{hidden}/",
        {"is_active": True}), ("DELETE", f"/api/products/{hidden}/", None),
        ("GET", f"/api/products/{hidden}/reviews/", None),
        ("POST", "/api/cart/items/", {"product": hidden, "quantity": 1}),
    ]:  # fmt: skip
        for role in (ANON, CUSTOMER, RIVAL):
            if role is ANON and method != "GET":
                continue
            answer = shop.call(method, path, body, role)
            assert answer.status_code in (404, 422), (method, path, role, answer.get_json())
    assert snapshot(shop.app) == before


def test_a_cart_is_its_owners_alone(shop):
    assert shop.call("POST", "/api/cart/items/", {"product": shop.slug, "quantity": 2},
                     BUYER).status_code == 201  # fmt: skip
    before = snapshot(shop.app)

    assert shop.call("GET", "/api/cart/", None, CUSTOMER).get_json()["items"] == []
    assert (
        refusal(shop.call("DELETE", f"/api/cart/items/{shop.slug}/", None, CUSTOMER), 404) is None
    )
    assert refusal(shop.call("PATCH", f"/api/cart/items/{shop.slug}/", {"quantity": 9},
                             CUSTOMER), 404) is None  # fmt: skip
    assert shop.call("DELETE", "/api/cart/", None, CUSTOMER).status_code == 204
    order = {"shipping": SHIPPING, "payment_method": "card"}  # the cart: theirs is empty
    assert refusal(shop.call("POST", "/api/orders/", order, CUSTOMER), 422) is None

    assert snapshot(shop.app) == before
    assert shop.call("GET", "/api/cart/", None, BUYER).get_json()["item_count"] == 2


def test_an_idempotency_key_is_the_callers_own_and_never_replays_someone_elses_order(shop):
    body = {"items": [{"product": shop.slug, "quantity": 1}], "shipping": SHIPPING,
            "payment_method": "card"}  # fmt: skip
    headers = {"Idempotency-Key": "shared-key"}
    first = shop.client.post("/api/orders/", json=body, headers={
        **headers, "Authorization": f"Bearer {shop.tokens[BUYER]}"})  # fmt: skip
    second = shop.client.post("/api/orders/", json=body, headers={
        **headers, "Authorization": f"Bearer {shop.tokens[CUSTOMER]}"})  # fmt: skip

    assert (first.status_code, second.status_code) == (201, 201)
    assert first.get_json()["order_number"] != second.get_json()["order_number"]
    mine = shop.call("GET", f"/api/orders/{first.get_json()['order_number']}/", None, CUSTOMER)
    assert mine.status_code == 404


def test_a_vendor_sees_only_its_own_lines_of_a_shared_order(shop):
    rival = shop.new_product(RIVAL, price="3.00")
    body = {"items": [{"product": shop.slug, "quantity": 2}, {"product": rival["slug"],
            "quantity": 1}], "shipping": SHIPPING, "payment_method": "card"}  # fmt: skip
    shop.created(shop.call("POST", "/api/orders/", body, CUSTOMER))

    for role, slug, subtotal in ((VENDOR, shop.slug, "20.00"), (RIVAL, rival["slug"], "3.00")):
        orders = shop.call("GET", "/api/vendor/orders/", None, role).get_json()["results"]
        lines = [line["product"] for order in orders for line in order["items"]]
        assert set(lines) == {slug}, (role, lines)
        assert subtotal in [order["subtotal"] for order in orders]
    everything = shop.call("GET", "/api/vendor/orders/", None, ADMIN).get_json()["results"]
    assert {line["product"] for o in everything for line in o["items"]} == {
        shop.slug, rival["slug"]}  # fmt: skip


def test_a_customer_cannot_review_what_it_did_not_receive_nor_a_vendor_its_own_product(shop):
    before = snapshot(shop.app)
    body = {"rating": 5, "comment": "Best ever."}
    for role in (CUSTOMER, VENDOR):
        answer = shop.call("POST", f"/api/products/{shop.slug}/reviews/", body, role)
        assert refusal(answer, 403) is None, (role, answer.get_json())
    assert refusal(shop.call("POST", f"/api/products/{shop.slug}/reviews/", body, BUYER),
                   409) is None  # already reviewed  # fmt: skip
    assert snapshot(shop.app) == before


def test_a_vendor_demoted_to_customer_can_no_longer_touch_its_products(shop):
    assert shop.call("PATCH", f"/api/users/{shop.ids[VENDOR]}/", {"role": "customer"},
                     ADMIN).status_code == 200  # fmt: skip
    before = snapshot(shop.app)
    for method, path, body in [
        ("PATCH", f"/api/products/{shop.slug}/", {"is_active": False, "price": "0.01"}),
        ("PUT", f"/api/products/{shop.slug}/update/", _product_body(shop)),
        ("DELETE", f"/api/products/{shop.slug}/", None),
        ("DELETE", f"/api/products/{shop.slug}/images/{shop.image_id}/", None),
        ("POST", "/api/products/", _product_body(shop)),
        ("GET", "/api/vendor/orders/", None), ("GET", "/api/vendor/analytics/", None),
    ]:  # fmt: skip
        answer = shop.call(method, path, body, VENDOR)  # the token from before the demotion
        assert refusal(answer, 403) is None, (method, path, answer.get_json())
    assert shop.upload(shop.slug, VENDOR).status_code == 403
    assert snapshot(shop.app) == before


def test_an_admin_cannot_demote_or_deactivate_itself_and_keeps_working(shop):
    before = snapshot(shop.app)
    own = f"/api/users/{shop.ids[ADMIN]}/"
    for method, body in (("PATCH", {"role": "customer"}), ("PATCH", {"role": "vendor"}),
                         ("PATCH", {"is_active": False}), ("DELETE", None),
                         ("PATCH", {"role": "admin", "is_active": False})):  # fmt: skip
        assert refusal(shop.call(method, own, body, ADMIN), 422) is None, body
    assert snapshot(shop.app) == before
    assert shop.call("GET", "/api/users/", None, ADMIN).status_code == 200


def test_an_admin_demoted_by_another_loses_admin_rights_with_the_token_it_holds(shop, api):
    second = api.user("admin")
    assert shop.call("PATCH", f"/api/users/{second['user']['id']}/", {"role": "customer"},
                     ADMIN).status_code == 200  # fmt: skip
    answer = shop.client.get("/api/users/", headers={
        "Authorization": f"Bearer {second['access']}"})  # fmt: skip
    assert refusal(answer, 403) is None


def test_a_deactivated_vendors_tokens_stop_everywhere_and_its_login_fails(shop):
    session = shop.sessions[VENDOR]
    assert shop.call("DELETE", f"/api/users/{shop.ids[VENDOR]}/", None, ADMIN).status_code == 204
    before = snapshot(shop.app)

    for method, path, body in [
        ("GET", "/api/auth/me/", None), ("PATCH", f"/api/products/{shop.slug}/", {"stock": 0}),
        ("POST", "/api/products/", _product_body(shop)), ("GET", "/api/vendor/orders/", None),
        ("GET", f"/api/products/{shop.slug}/", None),
    ]:  # fmt: skip
        assert refusal(shop.call(method, path, body, VENDOR), 401) is None, path
    assert refusal(shop.call("POST", "/api/auth/refresh/", {"refresh": session["refresh"]}),
                   401) is None  # fmt: skip
    login = {"email": session["user"]["email"], "password": "s3cret-pass"}
    assert refusal(shop.call("POST", "/api/auth/login/", login), 401) is None
    assert snapshot(shop.app) == before


def test_a_customer_cannot_move_its_own_order_along_or_cancel_it_once_confirmed(shop):
    path = f"/api/orders/{shop.order_number}"
    for body in ({"status": "delivered"}, {"payment_status": "paid"}, {"status": "cancelled"}):
        before = snapshot(shop.app)
        assert refusal(shop.call("PATCH", f"{path}/status/", body, BUYER), 403) is None
        assert snapshot(shop.app) == before
    assert shop.call("PATCH", f"{path}/status/", {"status": "confirmed"}, ADMIN).status_code == 200
    before = snapshot(shop.app)
    assert refusal(shop.call("POST", f"{path}/cancel/", None, BUYER), 409) is None
    assert snapshot(shop.app) == before
