"""API.md, Conventions: slashes, pagination, money, timestamps, ETags, auth and error statuses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask

from tests.integration.conftest import Api
from tests.integration.contract_helpers import (
    ABSOLUTE,
    MONEY,
    PAGE_KEYS,
    TIMESTAMP,
    World,
    assert_error,
    tag,
    upload,
)

Call = tuple[str, str, str | None, dict[str, Any], int]  # method, path, token, kwargs, status


@pytest.fixture
def world(api: Api) -> World:
    return World(api)


# --- every route, with and without its slash, on real resources -------------------------------


def _fresh_order(w: World) -> str:
    order = w.order(w.customer, [(w.product()["slug"], 1)])
    return str(order["order_number"])


def _carted(w: World) -> str:
    slug = str(w.product()["slug"])
    added = w.api.post("/api/cart/items/", {"product": slug, "quantity": 1}, w.customer)
    assert added.status_code == 201
    return slug


def _buyer(w: World) -> tuple[str, str]:
    slug, token = w.product()["slug"], w.session()["access"]
    w.delivered(token, slug)
    return slug, token


def _new_user(w: World) -> dict[str, Any]:
    return w.api.register(email=f"Slash-{tag()}@Example.com")


def _product_body(w: World, **extra: Any) -> dict[str, Any]:
    body = {
        "name": f"P {tag()}",
        "description": "",
        "category": w.category_id,
        "price": "3.00",
        "stock": 1,
        **extra,
    }
    return {"json": body}


def _logout(w: World) -> Call:
    s = w.session()
    return "POST", "/api/auth/logout/", s["access"], {"json": {"refresh": s["refresh"]}}, 204


def _image_delete(w: World) -> Call:
    slug = w.product()["slug"]
    return "DELETE", f"/api/products/{slug}/images/{w.image(slug)['id']}/", w.vendor, {}, 204


def _review_post(w: World) -> Call:
    slug, token = _buyer(w)
    body = {"json": {"rating": 4, "comment": "Good."}}
    return "POST", f"/api/products/{slug}/reviews/", token, body, 201


def _review_change(method: str, status: int, **kwargs: Any) -> Callable[[World], Call]:
    def make(w: World) -> Call:
        token = w.session()["access"]
        review = w.review(token, w.product()["slug"])
        return method, f"/api/reviews/{review['id']}/", token, kwargs, status

    return make


REGISTER = {"password": "long-enough-1", "first_name": "R", "last_name": "S"}
PASSWORDS = {"old_password": "s3cret-pass", "new_password": "another-pass-2"}
P = "/api/products/"

CASES: dict[tuple[str, str], Callable[[World], Call]] = {
    ("POST", "/api/auth/register/"): lambda w: (
        "POST", "/api/auth/register/", None,
        {"json": {"email": f"r-{tag()}@example.com", **REGISTER}}, 201),
    ("POST", "/api/auth/login/"): lambda w: (
        "POST", "/api/auth/login/", None,
        {"json": {"email": _new_user(w)["user"]["email"], "password": "s3cret-pass"}}, 200),
    ("POST", "/api/auth/refresh/"): lambda w: (
        "POST", "/api/auth/refresh/", None, {"json": {"refresh": w.session()["refresh"]}}, 200),
    ("POST", "/api/auth/logout/"): _logout,
    ("GET", "/api/auth/me/"): lambda w: ("GET", "/api/auth/me/", w.customer, {}, 200),
    ("PATCH", "/api/auth/me/"): lambda w: (
        "PATCH", "/api/auth/me/", w.customer, {"json": {"first_name": "Ann"}}, 200),
    ("POST", "/api/auth/change-password/"): lambda w: (
        "POST", "/api/auth/change-password/", w.session()["access"], {"json": PASSWORDS}, 204),
    ("PUT", "/api/auth/me/avatar/"): lambda w: (
        "PUT", "/api/auth/me/avatar/", w.customer, upload(), 200),
    ("GET", "/api/users/"): lambda w: ("GET", "/api/users/", w.admin, {}, 200),
    ("GET", "/api/users/<int:user_id>/"): lambda w: (
        "GET", f"/api/users/{w.customer_id}/", w.admin, {}, 200),
    ("PATCH", "/api/users/<int:user_id>/"): lambda w: (
        "PATCH", f"/api/users/{w.customer_id}/", w.admin, {"json": {"is_active": True}}, 200),
    ("DELETE", "/api/users/<int:user_id>/"): lambda w: (
        "DELETE", f"/api/users/{w.session()['user']['id']}/", w.admin, {}, 204),
    ("GET", "/api/health/"): lambda w: ("GET", "/api/health/", None, {}, 200),
    ("GET", "/api/categories/"): lambda w: ("GET", "/api/categories/", None, {}, 200),
    ("POST", "/api/categories/"): lambda w: (
        "POST", "/api/categories/", w.admin, {"json": {"name": f"C {tag()}"}}, 201),
    ("GET", "/api/categories/<int:category_id>/"): lambda w: (
        "GET", f"/api/categories/{w.category_id}/", None, {}, 200),
    ("PUT", "/api/categories/<int:category_id>/"): lambda w: (
        "PUT", f"/api/categories/{w.category_id}/", w.admin, {"json": {"name": f"C {tag()}"}}, 200),
    ("PATCH", "/api/categories/<int:category_id>/"): lambda w: (
        "PATCH", f"/api/categories/{w.category_id}/", w.admin, {"json": {"description": "L"}}, 200),
    ("DELETE", "/api/categories/<int:category_id>/"): lambda w: (
        "DELETE", f"/api/categories/{w.category()['id']}/", w.admin, {}, 204),
    ("GET", P): lambda w: ("GET", P, None, {}, 200),
    ("POST", P): lambda w: ("POST", P, w.vendor, _product_body(w), 201),
    ("POST", f"{P}create/"): lambda w: ("POST", f"{P}create/", w.vendor, _product_body(w), 201),
    ("GET", f"{P}<slug>/"): lambda w: ("GET", f"{P}{w.product()['slug']}/", None, {}, 200),
    ("PUT", f"{P}<slug>/"): lambda w: (
        "PUT", f"{P}{w.product()['slug']}/", w.vendor, _product_body(w), 200),
    ("PATCH", f"{P}<slug>/"): lambda w: (
        "PATCH", f"{P}{w.product()['slug']}/", w.vendor, {"json": {"stock": 3}}, 200),
    ("DELETE", f"{P}<slug>/"): lambda w: (
        "DELETE", f"{P}{w.product()['slug']}/", w.vendor, {}, 204),
    ("PUT", f"{P}<slug>/update/"): lambda w: (
        "PUT", f"{P}{w.product()['slug']}/update/", w.vendor, _product_body(w), 200),
    ("PATCH", f"{P}<slug>/update/"): lambda w: (
        "PATCH", f"{P}{w.product()['slug']}/update/", w.vendor, {"json": {"stock": 3}}, 200),
    ("DELETE", f"{P}<slug>/delete/"): lambda w: (
        "DELETE", f"{P}{w.product()['slug']}/delete/", w.vendor, {}, 204),
    ("POST", f"{P}<slug>/images/"): lambda w: (
        "POST", f"{P}{w.product()['slug']}/images/", w.vendor, upload(), 201),
    ("DELETE", f"{P}<slug>/images/<int:image_id>/"): _image_delete,
    ("GET", f"{P}<slug>/reviews/"): lambda w: (
        "GET", f"{P}{w.product()['slug']}/reviews/", None, {}, 200),
    ("POST", f"{P}<slug>/reviews/"): _review_post,
    ("PATCH", "/api/reviews/<int:review_id>/"): _review_change("PATCH", 200, json={"rating": 3}),
    ("DELETE", "/api/reviews/<int:review_id>/"): _review_change("DELETE", 204),
    ("GET", "/api/cart/"): lambda w: ("GET", "/api/cart/", w.customer, {}, 200),
    ("DELETE", "/api/cart/"): lambda w: ("DELETE", "/api/cart/", w.customer, {}, 204),
    ("POST", "/api/cart/items/"): lambda w: (
        "POST", "/api/cart/items/", w.customer,
        {"json": {"product": w.product()["slug"], "quantity": 1}}, 201),
    ("PATCH", "/api/cart/items/<string:slug>/"): lambda w: (
        "PATCH", f"/api/cart/items/{_carted(w)}/", w.customer, {"json": {"quantity": 2}}, 200),
    ("DELETE", "/api/cart/items/<string:slug>/"): lambda w: (
        "DELETE", f"/api/cart/items/{_carted(w)}/", w.customer, {}, 204),
    ("GET", "/api/orders/"): lambda w: ("GET", "/api/orders/", w.customer, {}, 200),
    ("POST", "/api/orders/"): lambda w: (
        "POST", "/api/orders/", w.customer,
        {"json": w.order_body([(w.product()["slug"], 1)])}, 201),
    ("POST", "/api/orders/create/"): lambda w: (
        "POST", "/api/orders/create/", w.customer,
        {"json": w.order_body([(w.product()["slug"], 1)])}, 201),
    ("GET", "/api/orders/<string:order_number>/"): lambda w: (
        "GET", f"/api/orders/{_fresh_order(w)}/", w.customer, {}, 200),
    ("POST", "/api/orders/<string:order_number>/cancel/"): lambda w: (
        "POST", f"/api/orders/{_fresh_order(w)}/cancel/", w.customer, {}, 200),
    ("PATCH", "/api/orders/<string:order_number>/status/"): lambda w: (
        "PATCH", f"/api/orders/{_fresh_order(w)}/status/", w.admin,
        {"json": {"status": "confirmed"}}, 200),
    ("GET", "/api/vendor/orders/"): lambda w: ("GET", "/api/vendor/orders/", w.vendor, {}, 200),
    ("GET", "/api/vendor/analytics/"): lambda w: (
        "GET", "/api/vendor/analytics/", w.vendor, {}, 200),
}  # fmt: skip


def routed(app: Flask) -> set[tuple[str, str]]:
    return {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }


def test_the_slash_matrix_covers_every_routed_method(app: Flask) -> None:
    assert routed(app) == set(CASES)


@pytest.mark.parametrize("case", sorted(CASES), ids=lambda case: f"{case[0]} {case[1]}")
def test_every_route_succeeds_with_and_without_its_trailing_slash(
    world: World, api: Api, case: tuple[str, str]
) -> None:
    for strip in (True, False):
        method, path, token, kwargs, status = CASES[case](world)
        path = path.rstrip("/") if strip else path
        response = api.call(method, path, token, **kwargs)
        assert response.status_code == status, (method, path, response.get_json())
        assert "Location" not in response.headers


# --- pagination -------------------------------------------------------------------------------


def _lists(w: World, api: Api) -> dict[str, tuple[str, str | None, str]]:
    """Three items in every paginated list; each maps to (path, token, extra query)."""
    slug = w.product(price="9.00")["slug"]
    for _ in range(2):
        w.product(price="9.00")
    for _ in range(3):
        w.order(w.customer, [(slug, 1)])
        w.review(w.session()["access"], slug)
    for _ in range(2):
        w.session("customer")
    return {
        "users": ("/api/users/", w.admin, "role=customer"),
        "products": ("/api/products/", None, "ordering=name&max_price=9.00"),
        "orders": ("/api/orders/", w.customer, "status=pending"),
        "vendor orders": ("/api/vendor/orders/", w.vendor, "status=pending"),
        "reviews": (f"/api/products/{slug}/reviews/", None, ""),
    }


def test_every_list_pages_with_absolute_links_that_keep_the_other_parameters(
    world: World, api: Api
) -> None:
    for name, (path, token, extra) in _lists(world, api).items():
        query = f"{extra}&page=2&page_size=1" if extra else "page=2&page_size=1"
        body = api.get(f"{path}?{query}", token).get_json()
        assert set(body) == PAGE_KEYS and body["count"] >= 3 and len(body["results"]) == 1, name
        for link, page in (("next", "3"), ("previous", "1")):
            url = urlsplit(body[link])
            assert body[link].startswith(ABSOLUTE) and url.path == path, (name, body[link])
            expected = parse_qs(extra) | {"page": [page], "page_size": ["1"]}
            assert parse_qs(url.query) == expected, (name, body[link])
        followed = api.get(body["next"], token).get_json()
        assert followed["results"] and followed["results"] != body["results"], name
        last = api.get(f"{path}?page={body['count']}&page_size=1&{extra}", token).get_json()
        assert last["next"] is None and last["previous"] is not None, name
        first = api.get(f"{path}?{extra}", token).get_json()
        assert first["previous"] is None and len(first["results"]) == min(first["count"], 20)


@pytest.mark.parametrize(
    "query", ["page_size=101", "page_size=0", "page=0", "page=x", "page_size=1.5"]
)
def test_every_list_refuses_page_sizes_over_100_and_bad_pages(
    world: World, api: Api, query: str
) -> None:
    slug = world.product()["slug"]
    lists = {
        "/api/users/": world.admin,
        "/api/products/": None,
        "/api/orders/": world.customer,
        "/api/vendor/orders/": world.vendor,
        f"/api/products/{slug}/reviews/": None,
    }
    for path, token in lists.items():
        body = assert_error(api.get(f"{path}?{query}", token), 422)
        assert set(body["errors"]) == {query.split("=")[0]}, (path, body)
        assert api.get(f"{path}?page_size=100", token).status_code == 200, path


def test_products_default_to_twenty_a_page(world: World, api: Api) -> None:
    for _ in range(21):
        world.product()

    body = api.get("/api/products/").get_json()

    assert body["count"] == 21 and len(body["results"]) == 20
    assert parse_qs(urlsplit(body["next"]).query) == {"page": ["2"], "page_size": ["20"]}


def test_categories_are_one_plain_list_not_a_page(world: World, api: Api) -> None:
    for _ in range(3):
        world.category()

    body = api.get("/api/categories/?page_size=1&page=2").get_json()

    assert isinstance(body, list) and len(body) == 4
    assert set(body[0]) == {"id", "name", "slug", "description", "parent", "product_count"}


# --- money and timestamps everywhere ----------------------------------------------------------


def _walk(value: Any, path: str = "") -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [pair for key, item in value.items() for pair in _walk(item, f"{path}.{key}")]
    if isinstance(value, list):
        return [pair for item in value for pair in _walk(item, f"{path}[]")]
    return [(path, value)]


MONEY_NAMES = {
    "price",
    "discount_price",
    "final_price",
    "line_total",
    "total",
    "unit_price",
    "subtotal",
    "shipping_cost",
    "revenue",
    "rating_avg",
}
TIME_NAMES = {"date_joined", "created_at", "updated_at", "at"}


def test_money_is_a_two_place_string_and_times_are_utc_to_the_second_in_every_answer(
    world: World, api: Api
) -> None:
    lamp = world.product(price=20, discount_price="15.5")
    bulb = world.product(price="2.5")
    world.review(world.customer, lamp["slug"], rating=4)
    world.review(world.session()["access"], lamp["slug"], rating=5)
    api.post("/api/cart/items/", {"product": bulb["slug"], "quantity": 3}, world.customer)
    order = world.order(world.customer, [(bulb["slug"], 3), (lamp["slug"], 1)])
    answers = {
        path: api.get(path, token).get_json()
        for path, token in [
            ("/api/auth/me/", world.customer),
            ("/api/users/", world.admin),
            ("/api/products/", None),
            (f"/api/products/{lamp['slug']}/", None),
            (f"/api/products/{lamp['slug']}/reviews/", None),
            ("/api/cart/", world.customer),
            (f"/api/orders/{order['order_number']}/", world.customer),
            ("/api/orders/", world.admin),
            ("/api/vendor/orders/", world.vendor),
            ("/api/vendor/analytics/", world.vendor),
        ]
    }
    seen: set[str] = set()
    for path, body in answers.items():
        for where, value in _walk(body):
            name = where.rsplit(".", 1)[-1].removesuffix("[]")
            if name in MONEY_NAMES and value is not None:
                assert isinstance(value, str) and MONEY.match(value), (path, where, value)
                seen.add(name)
            if name in TIME_NAMES:
                assert isinstance(value, str) and TIMESTAMP.match(value), (path, where, value)
                seen.add(name)
    assert seen == MONEY_NAMES | TIME_NAMES
    detail = answers[f"/api/products/{lamp['slug']}/"]
    assert (detail["price"], detail["discount_price"], detail["final_price"]) == (
        "20.00",
        "15.50",
        "15.50",
    )
    assert detail["rating_avg"] == "4.50"
    assert answers["/api/cart/"]["items"][0]["line_total"] == "7.50"


# --- ETags on catalog reads -------------------------------------------------------------------


def _catalog_reads(world: World) -> list[str]:
    slug = world.product()["slug"]
    world.review(world.customer, slug)
    return [
        "/api/categories/",
        f"/api/categories/{world.category_id}/",
        "/api/products/",
        f"/api/products/?category={world.category_id}&ordering=-price",
        f"/api/products/{slug}/",
        f"/api/products/{slug}/reviews/",
    ]


@pytest.mark.parametrize("who", ["anonymous", "signed in"])
def test_catalog_reads_carry_a_strong_etag_and_a_match_is_a_bodiless_304_with_it(
    world: World, api: Api, who: str
) -> None:
    token = world.customer if who == "signed in" else None
    for path in _catalog_reads(world):
        first = api.get(path, token)
        etag = first.headers.get("ETag")
        assert first.status_code == 200 and etag and not etag.startswith("W/"), path
        for _ in range(2):  # computed afresh, then perhaps answered from a cache
            again = api.get(path, token, headers={"If-None-Match": etag})
            assert again.status_code == 304 and again.data == b"", path
            assert again.headers.get("ETag") == etag, path
        other = api.get(path, token, headers={"If-None-Match": '"something-else"'})
        assert other.status_code == 200 and other.headers["ETag"] == etag, path


def test_a_304_carries_the_etag_even_on_the_first_read_after_a_change(
    world: World, api: Api
) -> None:
    slug = world.product()["slug"]
    for path in (f"/api/products/{slug}/reviews/", f"/api/products/{slug}/", "/api/categories/"):
        etag = api.get(path).headers["ETag"]
        world.category()  # a catalog write: nothing cached survives it
        again = api.get(path, headers={"If-None-Match": etag})
        assert again.status_code in (200, 304), path
        if again.status_code == 304:
            assert again.headers.get("ETag") == etag, path


# --- auth and error statuses on every protected route ----------------------------------------


def _spec_operations(api: Api) -> list[tuple[str, str, dict[str, Any]]]:
    spec = api.get("/openapi.json").get_json()
    return [
        (method.upper(), path, op)
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method != "parameters"
    ]


def _sample(path: str) -> str:
    return (
        path.replace("{user_id}", "1")
        .replace("{category_id}", "1")
        .replace("{review_id}", "1")
        .replace("{image_id}", "1")
        .replace("{slug}", "lamp")
        .replace("{order_number}", "ORD-1")
    )


@pytest.mark.parametrize(
    "authorization", [None, "Bearer not-a-token", "Bearer ", "Token abc", "Bearer a.b.c"]
)
def test_every_route_that_reads_a_token_is_401_without_a_valid_one(
    api: Api, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    checked = 0
    for method, path, op in _spec_operations(api):
        security = op.get("security", [])
        required = {"bearerAuth": []} in security and {} not in security
        optional = {"bearerAuth": []} in security and {} in security
        bearer = (authorization or "").startswith("Bearer ") and (
            authorization or ""
        ).strip() != "Bearer"
        if not (required or (optional and bearer)):
            continue
        body = {"json": {}} if "requestBody" in op else {}
        if "multipart/form-data" in op.get("requestBody", {}).get("content", {}):
            body = upload()
        response = api.call(method, _sample(path), headers=dict(headers), **body)
        error = assert_error(response, 401)
        assert error["status"] == "Unauthorized", (method, path)
        checked += 1
    assert checked >= 30


def test_a_refresh_token_or_a_dead_login_is_not_an_access_token(world: World, api: Api) -> None:
    session = world.session()
    assert_error(api.get("/api/cart/", session["refresh"]), 401)
    assert (
        api.post(
            "/api/auth/logout/", {"refresh": session["refresh"]}, session["access"]
        ).status_code
        == 204
    )
    assert_error(api.get("/api/cart/", session["access"]), 401)
    assert_error(api.get("/api/products/lamp/", session["access"]), 401)


def test_every_json_body_route_refuses_other_content_types_and_unparseable_json_with_400(
    world: World, api: Api
) -> None:
    for method, path, op in _spec_operations(api):
        content = op.get("requestBody", {}).get("content", {})
        if "application/json" in content:
            bad = [
                {"data": "a=b", "content_type": "application/x-www-form-urlencoded"},
                {"data": '{"name": "x"}', "content_type": "text/plain"},
                {"data": '{"name": ', "content_type": "application/json"},
            ]
        elif "multipart/form-data" in content:
            bad = [{"json": {"image": "x"}}]
        else:
            continue
        for kwargs in bad:
            assert_error(api.call(method, _sample(path), world.admin, **kwargs), 400)


def test_unknown_paths_and_wrong_methods_are_json_errors(api: Api) -> None:
    assert_error(api.get("/api/no-such-thing/"), 404)
    response = api.call("PUT", "/api/orders/")
    assert_error(response, 405)
    assert {"GET", "POST"} <= {m.strip() for m in response.headers["Allow"].split(",")}
