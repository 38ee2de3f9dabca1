"""Concurrent requests (threads on the Flask test client), on SQLite and on MariaDB.

After every race the invariants are checked in the database: stock never negative and equal to
what it started at minus what live orders hold, no partial order, one cart ordered once,
aggregates in step, and at most one winner where there may be only one.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import sqlalchemy as sa

from shopcore.adapters.sqlalchemy import tables as t
from tests.integration.conftest import PASSWORD
from tests.integration.hostile_helpers import SHIPPING, Shop, at_once, caller, send


@pytest.fixture
def shop(api) -> Shop:
    return Shop(api)


def _statuses(results: list[Any]) -> Counter[int]:
    assert not [r for r in results if isinstance(r, BaseException)], results
    return Counter(status for status, _ in results)


def _held(shop: Shop, slug: str) -> int:
    """Units of ``slug`` in orders that are not cancelled."""
    query = (
        sa.select(sa.func.coalesce(sa.func.sum(t.order_lines.c.quantity), 0))
        .join(t.orders, t.orders.c.id == t.order_lines.c.order_id)
        .where(t.order_lines.c.product_slug == slug, t.orders.c.status != "cancelled")
    )
    with shop.core.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def _order(slug_quantities: list[tuple[str, int]]) -> dict[str, Any]:
    items = [{"product": slug, "quantity": quantity} for slug, quantity in slug_quantities]
    return {"items": items, "shipping": SHIPPING, "payment_method": "card"}


def test_racing_registrations_of_one_email_in_any_case_make_one_account(shop):
    emails = ["race@example.com", "RACE@example.com", "Race@Example.COM", " race@example.com "]
    body = {"password": "s3cret-pass", "first_name": "A", "last_name": "B"}
    calls = [caller(shop.app, "POST", "/api/auth/register/", {**body, "email": email})
             for email in emails * 2]  # fmt: skip

    assert _statuses(at_once(calls)) == {201: 1, 409: 7}
    with shop.core.engine.connect() as conn:
        query = sa.select(sa.func.count()).where(t.users.c.email == "race@example.com")
        assert conn.execute(query).scalar_one() == 1


def test_racing_posts_of_one_review_give_one_201_and_the_rating_counts_it_once(shop):
    product = shop.new_product(stock=5)
    shop.delivered(shop.ids["other_customer"], product)
    path, body = f"/api/products/{product['slug']}/reviews/", {"rating": 2, "comment": "Meh."}
    calls = [caller(shop.app, "POST", path, body, shop.tokens["other_customer"])] * 5

    assert _statuses(at_once(calls)) == {201: 1, 409: 4}
    detail = shop.call("GET", f"/api/products/{product['slug']}/").get_json()
    assert (detail["rating_avg"], detail["rating_count"]) == ("2.00", 1)


def test_racing_cart_adds_all_land_and_never_pass_the_line_maximum(shop):
    token = shop.tokens["other_customer"]
    add = lambda quantity: caller(shop.app, "POST", "/api/cart/items/",  # noqa: E731
                                  {"product": shop.slug, "quantity": quantity}, token)  # fmt: skip

    assert _statuses(at_once([add(3)] * 8)) == {201: 8}
    assert shop.call("GET", "/api/cart/", None, "other_customer").get_json()["item_count"] == 24

    assert _statuses(at_once([add(200)] * 8)) == {201: 4, 422: 4}  # 24 + 4 * 200 = 824 <= 1000
    assert shop.call("GET", "/api/cart/", None, "other_customer").get_json()["item_count"] == 824


def test_racing_checkouts_of_one_cart_order_it_exactly_once(shop):
    product = shop.new_product(stock=20)
    for round_ in range(3):
        role = "other_customer"
        assert shop.call("POST", "/api/cart/items/", {"product": product["slug"], "quantity": 2},
                         role).status_code == 201  # fmt: skip
        checkout = {"shipping": SHIPPING, "payment_method": "card"}
        calls = [caller(shop.app, "POST", "/api/orders/", checkout, shop.tokens[role])] * 3

        assert _statuses(at_once(calls)) == {201: 1, 422: 2}, round_
        assert shop.stock(product["slug"]) == 20 - 2 * (round_ + 1)
        assert shop.call("GET", "/api/cart/", None, role).get_json()["items"] == []


def test_an_add_racing_a_checkout_is_either_ordered_or_left_in_the_cart_never_lost(shop):
    product, role = shop.new_product(stock=100), "other_customer"
    slug, token = product["slug"], shop.tokens["other_customer"]
    for round_ in range(4):
        assert shop.call("POST", "/api/cart/items/", {"product": slug, "quantity": 2},
                         role).status_code == 201  # fmt: skip
        results = at_once([
            caller(shop.app, "POST", "/api/orders/", {"shipping": SHIPPING,
                                                      "payment_method": "card"}, token),
            caller(shop.app, "POST", "/api/cart/items/", {"product": slug, "quantity": 5}, token),
        ])  # fmt: skip
        assert _statuses(results) == {201: 2}
        ordered = results[0][1]["items"][0]["quantity"]
        left = shop.call("GET", "/api/cart/", None, role).get_json()["item_count"]
        assert (ordered, left) in {(2, 5), (7, 0)}, round_
        shop.call("DELETE", "/api/cart/", None, role)
    assert shop.stock(slug) == 100 - _held(shop, slug)


def test_multi_line_orders_racing_for_scarce_stock_are_all_or_nothing(shop):
    scarce, plenty = shop.new_product(stock=5)["slug"], shop.new_product(stock=100)["slug"]
    buyers = [shop.api.token() for _ in range(10)]
    body = _order([(plenty, 1), (scarce, 1)])

    results = at_once([caller(shop.app, "POST", "/api/orders/", body, b) for b in buyers])

    assert _statuses(results) == {201: 5, 409: 5}
    assert (shop.stock(scarce), shop.stock(plenty)) == (0, 95)
    with shop.core.engine.connect() as conn:
        orders_of = lambda slug: set(conn.execute(  # noqa: E731
            sa.select(t.order_lines.c.order_id).where(t.order_lines.c.product_slug == slug)
        ).scalars())  # fmt: skip
        assert orders_of(scarce) == orders_of(plenty) and len(orders_of(scarce)) == 5


def test_a_cancel_racing_admin_status_changes_returns_the_stock_exactly_once(shop):
    product = shop.new_product(stock=30)
    slug = product["slug"]
    for round_ in range(4):
        number = shop.order(slug, "other_customer", quantity=3)["order_number"]
        path = f"/api/orders/{number}"
        results = at_once([
            caller(shop.app, "POST", f"{path}/cancel/", None, shop.tokens["other_customer"]),
            caller(shop.app, "PATCH", f"{path}/status/", {"status": "confirmed"},
                   shop.tokens["admin"]),
            caller(shop.app, "PATCH", f"{path}/status/", {"status": "cancelled"},
                   shop.tokens["admin"]),
        ])  # fmt: skip
        statuses = _statuses(results)
        assert set(statuses) <= {200, 409} and statuses[200] >= 1, (round_, results)
        final = shop.call("GET", f"{path}/", None, "admin").get_json()
        assert final["status"] in {"cancelled", "confirmed"}
        assert len(final["history"]) == 1 + statuses[200]  # placed, then each applied change
        assert shop.stock(slug) == 30 - _held(shop, slug) >= 0


def test_deleting_a_product_while_it_is_being_ordered_leaves_no_partial_order(shop):
    for round_ in range(3):
        doomed = shop.new_product(stock=3)["slug"]
        other = shop.new_product(stock=50)["slug"]
        buyers = [shop.api.token() for _ in range(3)]
        results = at_once([
            caller(shop.app, "DELETE", f"/api/products/{doomed}/", None, shop.tokens["vendor"]),
            *[caller(shop.app, "POST", "/api/orders/", _order([(other, 1), (doomed, 1)]), b)
              for b in buyers],
        ])  # fmt: skip
        statuses = _statuses(results[1:])
        assert results[0][0] == 204, results[0]
        assert set(statuses) <= {201, 409, 422}, results
        placed = statuses[201]
        assert shop.stock(other) == 50 - placed, round_
        assert _held(shop, doomed) == placed
        detail = shop.call("GET", f"/api/products/{doomed}/", None, "admin")
        if placed:  # ordered, so only deactivated, with the stock the orders left
            assert detail.get_json()["is_active"] is False
            assert detail.get_json()["stock"] == 3 - placed
        else:
            assert detail.status_code in (200, 404)


def test_racing_refreshes_with_one_token_let_at_most_one_through(shop):
    for role in ("customer", "other_customer"):
        refresh = shop.sessions[role]["refresh"]
        results = at_once(
            [caller(shop.app, "POST", "/api/auth/refresh/", {"refresh": refresh})] * 6
        )
        statuses = _statuses(results)
        assert statuses == {200: 1, 401: 5}, statuses  # the first to mark it used
        for _, body in results:  # the losers reused a spent token: the whole login is revoked
            if body and "access" in body:
                me = shop.client.get("/api/auth/me/", headers={
                    "Authorization": f"Bearer {body['access']}"})  # fmt: skip
                assert me.status_code == 401


@pytest.mark.parametrize("kind", ["products", "categories"])
def test_racing_creations_with_one_name_all_succeed_with_distinct_slugs(shop, kind):
    body: dict[str, Any] = {"name": "Same Name", "description": ""}
    role = "admin"
    if kind == "products":
        body.update(category=shop.category_id, price="5.00", stock=1)
        role = "vendor"
    calls = [caller(shop.app, "POST", f"/api/{kind}/", body, shop.tokens[role])] * 8

    results = at_once(calls)

    assert _statuses(results) == {201: 8}, results
    slugs = {answer["slug"] for _, answer in results}
    assert len(slugs) == 8 and all(slug.startswith("same-name") for slug in slugs)


def test_two_racing_moves_cannot_put_two_categories_under_each_other(shop):
    token = shop.tokens["admin"]
    for round_ in range(4):
        first, second = shop.category()["id"], shop.category()["id"]
        results = at_once([
            caller(shop.app, "PATCH", f"/api/categories/{first}/", {"parent": second}, token),
            caller(shop.app, "PATCH", f"/api/categories/{second}/", {"parent": first}, token),
        ])  # fmt: skip

        assert _statuses(results) == {200: 1, 422: 1}, (round_, results)
        parents = {c["id"]: c["parent"] for c in shop.call("GET", "/api/categories/").get_json()}
        assert not (parents[first] == second and parents[second] == first)


def test_no_login_opened_with_the_old_password_survives_a_racing_password_change(shop, api):
    for round_ in range(6):
        session = api.register("customer")
        login = {"email": session["user"]["email"], "password": PASSWORD}
        change = {"old_password": PASSWORD, "new_password": f"N3w-password-{round_}"}
        results = at_once([
            caller(shop.app, "POST", "/api/auth/change-password/", change, session["access"]),
            *[caller(shop.app, "POST", "/api/auth/login/", login) for _ in range(6)],
        ])  # fmt: skip

        assert results[0][0] == 204 and set(_statuses(results[1:])) <= {200, 401}, results
        for status, body in results[1:]:
            if status == 200:  # signed in before the change, so the change signed it out
                me = send(shop.client, "GET", "/api/auth/me/", None, body["access"])
                assert me.status_code == 401, round_
        assert send(shop.client, "GET", "/api/auth/me/", None, session["access"]).status_code == 200
