"""API.md, Catalog: the shapes and rules a client of the catalog relies on.

Filters, orderings and search are proven in test_catalog_list_api.py, uploads in
test_catalog_images_api.py, slugs and deletes in test_catalog_products_api.py; this module
checks the contract's shapes and role rules end to end.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.conftest import Api
from tests.integration.contract_helpers import (
    ABSOLUTE,
    PRODUCT_KEYS,
    World,
    assert_error,
    upload,
)


@pytest.fixture
def world(api: Api) -> World:
    return World(api)


def slugs(api: Api, query: str, token: str | None = None) -> list[str]:
    body = api.get(f"/api/products/?page_size=100&{query}", token).get_json()
    return [product["slug"] for product in body["results"]]


def test_a_product_answers_exactly_the_contracts_fields(world: World, api: Api) -> None:
    created = world.product(name="Brass Lamp", price=30, discount_price="24.99", stock=0)
    image = world.image(created["slug"])

    product = api.get(f"/api/products/{created['slug']}/").get_json()

    assert set(product) == PRODUCT_KEYS
    category = api.get(f"/api/categories/{world.category_id}/").get_json()
    assert product["category"] == {k: category[k] for k in ("id", "name", "slug")}
    assert product["vendor"] == {"id": world.vendor_id, "name": "Vendor Tester"}
    assert (product["price"], product["discount_price"], product["final_price"]) == (
        "30.00",
        "24.99",
        "24.99",
    )
    assert (product["stock"], product["in_stock"], product["is_active"]) == (0, False, True)
    assert (product["rating_avg"], product["rating_count"]) == (None, 0)
    assert product["images"] == [image]
    assert set(image) == {"id", "url", "thumbnail_url", "width", "height", "position"}
    for url in (image["url"], image["thumbnail_url"]):
        assert url.startswith(f"{ABSOLUTE}media/") and api.get(url).status_code == 200


def test_final_price_is_the_price_without_a_discount(world: World, api: Api) -> None:
    product = world.product(price="12.5")

    assert (product["discount_price"], product["final_price"]) == (None, "12.50")
    patched = api.patch(f"/api/products/{product['slug']}/", {"discount_price": 9}, world.vendor)
    assert patched.get_json()["final_price"] == "9.00"
    removed = api.patch(f"/api/products/{product['slug']}/", {"discount_price": None}, world.vendor)
    assert removed.get_json()["final_price"] == "12.50"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"discount_price": "20.00"}, "discount_price"),
        ({"discount_price": "20.01"}, "discount_price"),
        ({"price": "9.99"}, "discount_price"),
        ({"price": 0}, "price"),
        ({"price": "-1"}, "price"),
        ({"stock": -1}, "stock"),
    ],
)
def test_pricing_and_stock_rules_are_422_and_change_nothing(
    world: World, api: Api, change: dict[str, Any], field: str
) -> None:
    product = world.product(price="20.00", discount_price="10.00")

    for path in (f"/api/products/{product['slug']}/", f"/api/products/{product['slug']}/update/"):
        body = assert_error(api.patch(path, change, world.vendor), 422)
        assert field in body["errors"], body
    assert api.get(f"/api/products/{product['slug']}/").get_json() == product


def test_create_takes_the_contracts_fields_and_the_caller_is_the_vendor(
    world: World, api: Api
) -> None:
    body = {
        "name": "Wall Lamp",
        "description": "Warm.",
        "category": world.category_id,
        "price": "15.00",
        "stock": 4,
    }

    for token, vendor_id in ((world.vendor, world.vendor_id), (world.admin, world.admin_id)):
        created = api.post("/api/products/create/", body, token).get_json()
        assert created["vendor"]["id"] == vendor_id and created["is_active"] is True
    hidden = api.post("/api/products/", {**body, "is_active": False}, world.vendor).get_json()
    assert hidden["is_active"] is False
    assert_error(api.post("/api/products/", body, world.customer), 403)
    assert_error(api.post("/api/products/", {**body, "vendor": world.admin_id}, world.vendor), 422)


def test_the_slug_comes_from_the_name_and_never_changes(world: World, api: Api) -> None:
    first = world.product(name="Reading Lamp")
    second = world.product(name="Reading Lamp")

    renamed = api.patch(f"/api/products/{first['slug']}/", {"name": "Night Lamp"}, world.vendor)

    assert first["slug"] == "reading-lamp" and second["slug"] != first["slug"]
    assert renamed.get_json()["slug"] == "reading-lamp"
    assert renamed.get_json()["name"] == "Night Lamp"


def test_an_inactive_product_is_404_except_to_its_vendor_and_admins(world: World, api: Api) -> None:
    slug = world.product()["slug"]
    other_vendor = world.session("vendor")["access"]

    off = api.patch(f"/api/products/{slug}/", {"is_active": False}, world.vendor)

    assert off.status_code == 200 and off.get_json()["is_active"] is False
    for token in (None, world.customer, other_vendor):
        assert_error(api.get(f"/api/products/{slug}/", token), 404)
        assert slug not in slugs(api, "", token)
    for token in (world.vendor, world.admin):
        assert api.get(f"/api/products/{slug}/", token).get_json()["is_active"] is False
    back = api.patch(f"/api/products/{slug}/", {"is_active": True}, world.admin)
    assert back.get_json()["is_active"] is True and slug in slugs(api, "")


def test_only_the_owner_vendor_or_an_admin_changes_deletes_or_illustrates_a_product(
    world: World, api: Api
) -> None:
    slug = world.product()["slug"]
    image = world.image(slug)
    other_vendor = world.session("vendor")["access"]

    for token in (world.customer, other_vendor):
        for method, path in (
            ("PUT", f"/api/products/{slug}/"),
            ("PATCH", f"/api/products/{slug}/"),
            ("PUT", f"/api/products/{slug}/update/"),
            ("PATCH", f"/api/products/{slug}/update/"),
        ):
            assert_error(
                api.call(
                    method,
                    path,
                    token,
                    json={
                        "name": "Mine",
                        "description": "",
                        "category": world.category_id,
                        "price": 1,
                        "stock": 1,
                    },
                ),
                403,
            )
        assert_error(api.delete(f"/api/products/{slug}/", token), 403)
        assert_error(api.delete(f"/api/products/{slug}/delete/", token), 403)
        assert_error(api.post(f"/api/products/{slug}/images/", token=token, **upload()), 403)
        assert_error(api.delete(f"/api/products/{slug}/images/{image['id']}/", token), 403)
    assert api.patch(f"/api/products/{slug}/update/", {"stock": 9}, world.admin).status_code == 200
    assert api.delete(f"/api/products/{slug}/images/{image['id']}/", world.admin).status_code == 204
    assert api.delete(f"/api/products/{slug}/delete/", world.admin).status_code == 204
    assert_error(api.get(f"/api/products/{slug}/", world.admin), 404)


def test_an_ordered_product_is_deactivated_by_delete_and_its_order_lines_stay(
    world: World, api: Api
) -> None:
    product = world.product(price="7.00")
    order = world.order(world.customer, [(product["slug"], 2)])

    assert api.delete(f"/api/products/{product['slug']}/delete/", world.vendor).status_code == 204

    assert_error(api.get(f"/api/products/{product['slug']}/"), 404)
    kept = api.get(f"/api/products/{product['slug']}/", world.vendor).get_json()
    assert kept["is_active"] is False
    lines = api.get(f"/api/orders/{order['order_number']}/", world.customer).get_json()["items"]
    assert lines == order["items"] and lines[0]["product"] == product["slug"]


def test_the_category_filter_takes_an_id_or_a_slug_and_every_level_below(
    world: World, api: Api
) -> None:
    top = world.category("Lighting")
    middle = world.category("Indoor", parent=top["id"])
    bottom = world.category("Desk", parent=middle["id"])
    elsewhere = world.product()["slug"]
    made = [world.product(category=c["id"])["slug"] for c in (top, middle, bottom)]

    for key in (str(top["id"]), top["slug"]):
        assert sorted(slugs(api, f"category={key}")) == sorted(made)
    assert sorted(slugs(api, f"category={middle['slug']}")) == sorted(made[1:])
    assert elsewhere not in slugs(api, f"category={top['id']}")
    assert_error(api.get("/api/products/?category=no-such-category"), 422)


def test_the_contracts_example_query_orders_by_final_price_descending(
    world: World, api: Api
) -> None:
    cheap = world.product(price="5.00")["slug"]
    discounted = world.product(price="50.00", discount_price="8.00")["slug"]
    dear = world.product(price="9.00")["slug"]

    response = api.get(f"/api/products/?category={world.category_id}&ordering=-price")

    assert response.status_code == 200
    assert [p["slug"] for p in response.get_json()["results"]] == [dear, discounted, cheap]


def test_categories_answer_the_contracts_fields_and_only_admins_write(
    world: World, api: Api
) -> None:
    parent = world.category("Garden", description="Outside.")
    child = api.post("/api/categories/", {"name": "Pots", "parent": parent["id"]}, world.admin)

    assert child.status_code == 201
    assert child.get_json() == {
        "id": child.get_json()["id"],
        "name": "Pots",
        "slug": "pots",
        "description": "",
        "parent": parent["id"],
        "product_count": 0,
    }
    for token in (world.customer, world.vendor):
        assert_error(api.post("/api/categories/", {"name": "Nope"}, token), 403)
        assert_error(api.put(f"/api/categories/{parent['id']}/", {"name": "N"}, token), 403)
        assert_error(api.patch(f"/api/categories/{parent['id']}/", {"name": "N"}, token), 403)
        assert_error(api.delete(f"/api/categories/{parent['id']}/", token), 403)
    assert_error(api.post("/api/categories/", {"name": "Nope"}), 401)


def test_a_category_that_still_has_products_cannot_be_deleted(world: World, api: Api) -> None:
    category = world.category()
    slug = world.product(category=category["id"])["slug"]

    body = assert_error(api.delete(f"/api/categories/{category['id']}/", world.admin), 409)

    assert body["status"] == "Conflict"
    assert api.get(f"/api/categories/{category['id']}/").status_code == 200
    api.delete(f"/api/products/{slug}/", world.vendor)
    assert api.delete(f"/api/categories/{category['id']}/", world.admin).status_code == 204
    assert_error(api.get(f"/api/categories/{category['id']}/"), 404)


@pytest.mark.parametrize(
    ("raw", "stored"), [("19.99", "19.99"), ("19.9", "19.90"), ("20", "20.00"), ('"0.10"', "0.10")]
)
def test_prices_are_read_exactly_from_json_numbers_and_strings(
    world: World, api: Api, raw: str, stored: str
) -> None:
    body = (
        f'{{"name": "Exact Lamp", "description": "", "category": {world.category_id}, '
        f'"price": {raw}, "stock": 1}}'
    )

    response = api.call(
        "POST", "/api/products/", world.vendor, data=body, content_type="application/json"
    )

    assert response.status_code == 201 and response.get_json()["price"] == stored


@pytest.mark.parametrize("raw", ["19.999", '"19.999"', "1e-3", '"abc"', "true"])
def test_prices_with_more_than_two_places_or_no_amount_are_422(
    world: World, api: Api, raw: str
) -> None:
    body = (
        f'{{"name": "Exact Lamp", "description": "", "category": {world.category_id}, '
        f'"price": {raw}, "stock": 1}}'
    )

    response = api.call(
        "POST", "/api/products/", world.vendor, data=body, content_type="application/json"
    )

    assert list(assert_error(response, 422)["errors"]) == ["price"]
    assert api.get("/api/products/").get_json()["count"] == 0
