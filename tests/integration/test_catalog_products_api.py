"""/api/products/ writes and detail on SQLite and MariaDB: shapes, permissions, failures."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from shopcore.adapters.sqlalchemy.catalog import SqlProductRepository
from tests.integration.catalog_helpers import Shop, image_bytes
from tests.integration.conftest import Api

KEYS = {
    "id", "slug", "name", "description", "category", "vendor", "price", "discount_price",
    "final_price", "stock", "in_stock", "is_active", "images", "rating_avg", "rating_count",
    "created_at", "updated_at",
}  # fmt: skip


@pytest.fixture
def shop(api: Api) -> Shop:
    return Shop(api)


def test_a_vendor_creates_a_product_in_the_contracts_shape(api: Api, shop: Shop) -> None:
    kitchen = shop.category("Kitchen")
    body = {
        "name": "Crème Brûlée Torch", "description": "Caramelizes sugar.",
        "category": kitchen["id"], "price": 19.99, "discount_price": "15", "stock": 3,
    }  # fmt: skip

    response = api.post("/api/products/", body, shop.vendor)

    assert response.status_code == 201
    made = response.get_json()
    assert set(made) == KEYS
    assert made["slug"] == "creme-brulee-torch"
    assert made["category"] == {"id": kitchen["id"], "name": "Kitchen", "slug": "kitchen"}
    assert made["vendor"] == {"id": shop.vendor_id, "name": "Vendor Tester"}
    assert (made["price"], made["discount_price"], made["final_price"]) == (
        "19.99",
        "15.00",
        "15.00",
    )
    assert (made["stock"], made["in_stock"], made["is_active"], made["images"]) == (
        3,
        True,
        True,
        [],
    )
    assert (made["rating_avg"], made["rating_count"]) == (None, 0)
    assert made["created_at"].endswith("+00:00") and made["updated_at"] == made["created_at"]
    assert shop.row("creme-brulee-torch").final_price == Decimal("15.00")
    assert api.get("/api/products/creme-brulee-torch/").get_json() == made


@pytest.mark.parametrize("path", ["/api/products/", "/api/products", "/api/products/create/",
                                  "/api/products/create"])  # fmt: skip
def test_every_create_route_works(api: Api, shop: Shop, path: str) -> None:
    kitchen = shop.category("Kitchen")
    body = {"name": "Pot", "description": "", "category": kitchen["id"], "price": "5", "stock": 1}

    response = api.post(path, body, shop.admin)

    assert response.status_code == 201, response.get_json()
    assert response.get_json()["vendor"]["id"] != shop.vendor_id  # the admin sells it


def test_create_permissions(api: Api, shop: Shop) -> None:
    kitchen = shop.category("Kitchen")
    body = {"name": "Pot", "description": "", "category": kitchen["id"], "price": "5", "stock": 1}

    assert api.post("/api/products/", body).status_code == 401
    assert api.post("/api/products/create/", body, shop.customer).status_code == 403
    assert api.post("/api/products/", body, "not-a-token").status_code == 401
    assert shop.slugs() == []


def test_slugs_are_unique_transliterated_and_never_reserved(shop: Shop) -> None:
    kitchen = shop.category("Kitchen")["id"]

    slugs = [shop.product("Tea Pot", category=kitchen)["slug"] for _ in range(3)]

    assert slugs == ["tea-pot", "tea-pot-2", "tea-pot-3"]
    assert shop.product("Create", category=kitchen)["slug"] == "create-2"
    assert shop.product("北京烤鸭", category=kitchen)["slug"] == "bei-jing-kao-ya"
    assert shop.product("!!!", category=kitchen)["slug"] == "product"
    long = shop.product("北" * 200, category=kitchen)["slug"]
    assert len(long) <= 220 and long.startswith("bei-bei")


def test_a_slug_race_lost_to_another_writer_takes_the_next_slug(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    kitchen = shop.category("Kitchen")["id"]
    shop.product("Tea Pot", category=kitchen)
    calls = {"n": 0}
    original = SqlProductRepository.taken_slugs

    def stale_once(self: SqlProductRepository, candidates: Any) -> set[str]:
        calls["n"] += 1  # the first look misses the concurrent insert; the database does not
        return set() if calls["n"] == 1 else original(self, candidates)

    monkeypatch.setattr(SqlProductRepository, "taken_slugs", stale_once)

    assert shop.product("Tea Pot", category=kitchen)["slug"] == "tea-pot-2"


def test_a_slug_race_lost_every_time_is_a_clean_409(
    api: Api, shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    kitchen = shop.category("Kitchen")["id"]
    shop.product("Tea Pot", category=kitchen)
    monkeypatch.setattr(SqlProductRepository, "taken_slugs", lambda self, c: set())
    body = {"name": "Tea Pot", "description": "", "category": kitchen, "price": "5", "stock": 1}

    response = api.post("/api/products/", body, shop.vendor)

    assert response.status_code == 409 and response.get_json()["message"]
    assert shop.slugs() == ["tea-pot"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"price": "0"}, "price"),
        ({"price": "-1"}, "price"),
        ({"price": "1.234"}, "price"),
        ({"price": 1.005}, "price"),
        ({"price": "abc"}, "price"),
        ({"price": True}, "price"),
        ({"discount_price": "10"}, "discount_price"),
        ({"discount_price": "-1"}, "discount_price"),
        ({"stock": -1}, "stock"),
        ({"stock": "5"}, "stock"),
        ({"stock": 1.5}, "stock"),
        ({"stock": 10**10}, "stock"),
        ({"category": 999999}, "category"),
        ({"category": "1"}, "category"),
        ({"name": ""}, "name"),
        ({"name": "  "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"description": None}, "description"),
        ({"is_active": "maybe"}, "is_active"),
    ],
)
def test_invalid_products_are_422_naming_the_field(
    api: Api, shop: Shop, change: dict[str, Any], field: str
) -> None:
    kitchen = shop.category("Kitchen")["id"]
    body = {"name": "Pot", "description": "", "category": kitchen, "price": "10", "stock": 1}

    response = api.post("/api/products/", {**body, **change}, shop.vendor)

    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["errors"]
    assert shop.slugs() == []


@pytest.mark.parametrize("missing", ["name", "description", "category", "price", "stock"])
def test_required_fields(api: Api, shop: Shop, missing: str) -> None:
    kitchen = shop.category("Kitchen")["id"]
    body = {"name": "Pot", "description": "", "category": kitchen, "price": "10", "stock": 1}
    del body[missing]

    response = api.post("/api/products/", body, shop.vendor)

    assert response.status_code == 422 and missing in response.get_json()["errors"]


def test_non_json_bodies_are_400(api: Api, shop: Shop) -> None:
    headers = {"Content-Type": "application/json"}
    broken = api.post("/api/products/", None, shop.vendor, data="{nope", headers=headers)
    form = api.post("/api/products/", None, shop.vendor, data={"name": "Pot"})

    assert broken.status_code == 400 and form.status_code == 400


WRITES = [
    ("PUT", "/api/products/{}/"), ("PATCH", "/api/products/{}/"),
    ("PUT", "/api/products/{}/update/"), ("PATCH", "/api/products/{}/update"),
]  # fmt: skip


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_update_permissions(api: Api, shop: Shop, method: str, path: str) -> None:
    made = shop.product("Pot")
    body = {"name": "Renamed", "description": "New", "category": made["category"]["id"],
            "price": "12", "stock": 2}  # fmt: skip
    url = path.format(made["slug"])

    assert api.call(method, url, json=body).status_code == 401
    for token in (shop.customer, shop.other_vendor):
        assert api.call(method, url, token, json=body).status_code == 403
    assert shop.row("pot").name == "Pot"
    for token in (shop.vendor, shop.admin):
        response = api.call(method, url, token, json=body)
        assert response.status_code == 200, response.get_json()
        assert (response.get_json()["name"], response.get_json()["slug"]) == ("Renamed", "pot")


def test_put_keeps_omitted_optional_fields_and_patch_removes_a_discount(
    api: Api, shop: Shop
) -> None:
    made = shop.product("Pot", price="20", discount_price="15", is_active=False)
    body = {"name": "Pot", "description": "Steel", "category": made["category"]["id"],
            "price": "25", "stock": 7}  # fmt: skip

    put = api.put("/api/products/pot/", body, shop.vendor).get_json()
    patched = api.patch("/api/products/pot/", {"discount_price": None}, shop.vendor).get_json()

    assert (put["price"], put["discount_price"], put["is_active"], put["stock"]) == (
        "25.00", "15.00", False, 7,
    )  # fmt: skip
    assert (patched["discount_price"], patched["final_price"], patched["price"]) == (
        None, "25.00", "25.00",
    )  # fmt: skip
    assert shop.row("pot").final_price == Decimal("25.00")


def test_put_requires_every_required_field(api: Api, shop: Shop) -> None:
    shop.product("Pot")

    response = api.put("/api/products/pot/", {"name": "Only a name"}, shop.vendor)

    assert response.status_code == 422
    assert {"description", "category", "price", "stock"} <= set(response.get_json()["errors"])


def test_a_refused_update_changes_nothing(api: Api, shop: Shop) -> None:
    shop.product("Pot", price="20", discount_price="15")

    response = api.patch("/api/products/pot/", {"name": "X", "price": "10"}, shop.vendor)

    assert response.status_code == 422 and "discount_price" in response.get_json()["errors"]
    assert (shop.row("pot").name, shop.row("pot").price) == ("Pot", Decimal("20.00"))


def test_an_inactive_product_is_seen_only_by_its_vendor_and_admins(api: Api, shop: Shop) -> None:
    shop.product("Pot", is_active=False)

    for token in (None, shop.customer, shop.other_vendor):
        assert api.get("/api/products/pot/", token).status_code == 404
    assert api.get("/api/products/pot/", shop.vendor).get_json()["is_active"] is False
    assert api.get("/api/products/pot/", shop.admin).status_code == 200
    assert shop.slugs() == []
    assert api.patch("/api/products/pot/", {"stock": 1}, shop.other_vendor).status_code == 404


def test_unknown_products_are_404(api: Api, shop: Shop) -> None:
    assert api.get("/api/products/nope/").status_code == 404
    assert api.patch("/api/products/nope/", {"stock": 1}, shop.vendor).status_code == 404
    assert api.delete("/api/products/nope/", shop.vendor).status_code == 404
    assert api.get("/api/products/create/").status_code == 404


@pytest.mark.parametrize("path", ["/api/products/{}/", "/api/products/{}/delete/"])
def test_delete_permissions_and_erasing_with_files(api: Api, shop: Shop, path: str) -> None:
    made = shop.product("Pot")
    image = shop.upload("pot", image_bytes("PNG")).get_json()
    url = path.format(made["slug"])

    assert api.delete(url).status_code == 401
    for token in (shop.customer, shop.other_vendor):
        assert api.delete(url, token).status_code == 403
    assert shop.media(image["url"])

    assert api.delete(url, shop.vendor).status_code == 204
    assert shop.row("pot") is None
    for link in (image["url"], image["thumbnail_url"]):
        assert api.get(link.removeprefix("http://localhost")).status_code == 404


def test_an_admin_deletes_any_product(api: Api, shop: Shop) -> None:
    shop.product("Pot")

    assert api.delete("/api/products/pot/delete", shop.admin).status_code == 204
    assert api.get("/api/products/pot/", shop.admin).status_code == 404


def test_an_ordered_product_is_deactivated_not_erased(api: Api, shop: Shop) -> None:
    made = shop.product("Pot")
    image = shop.upload("pot", image_bytes("PNG")).get_json()
    buyer = api.user("customer")["user"]["id"]
    shop.order_line(made, buyer)

    assert api.delete("/api/products/pot/", shop.vendor).status_code == 204

    assert shop.row("pot").is_active is False
    assert api.get("/api/products/pot/").status_code == 404
    assert api.get("/api/products/pot/", shop.vendor).get_json()["images"] == [image]
    assert shop.media(image["url"])  # orders still show the product, pictures included
    assert api.delete("/api/products/pot/", shop.vendor).status_code == 204  # again: no change
