"""/api/categories/ on SQLite and MariaDB."""

from __future__ import annotations

import pytest

from tests.integration.catalog_helpers import Shop
from tests.integration.conftest import Api


@pytest.fixture
def shop(api: Api) -> Shop:
    return Shop(api)


def test_admin_creates_and_anyone_reads_categories(api: Api, shop: Shop) -> None:
    home = shop.category("Home & Garden", description="Everything at home")
    child = shop.category("Crème Brûlée Tools", parent=home["id"])

    assert home == {
        "id": home["id"], "name": "Home & Garden", "slug": "home-garden",
        "description": "Everything at home", "parent": None, "product_count": 0,
    }  # fmt: skip
    assert (child["slug"], child["parent"]) == ("creme-brulee-tools", home["id"])
    listed = api.get("/api/categories")
    assert listed.status_code == 200
    assert [c["slug"] for c in listed.get_json()] == ["creme-brulee-tools", "home-garden"]
    assert api.get(f"/api/categories/{child['id']}/").get_json() == child


def test_equal_names_get_numbered_slugs(shop: Shop) -> None:
    assert [shop.category("Tea")["slug"] for _ in range(3)] == ["tea", "tea-2", "tea-3"]
    assert shop.category("2024")["slug"] == "category-2024"
    assert shop.category("🎉")["slug"] == "category"


@pytest.mark.parametrize("role", ["vendor", "customer", None])
def test_only_admins_write(api: Api, shop: Shop, role: str | None) -> None:
    token = None if role is None else api.token(role)
    existing = shop.category("Tea")
    expected = 401 if role is None else 403
    path = f"/api/categories/{existing['id']}/"

    assert api.post("/api/categories/", {"name": "X"}, token).status_code == expected
    assert api.put(path, {"name": "X"}, token).status_code == expected
    assert api.patch(path, {"name": "X"}, token).status_code == expected
    assert api.delete(path, token).status_code == expected
    assert [c["name"] for c in api.get("/api/categories/").get_json()] == ["Tea"]


def test_put_and_patch_rename_and_move_but_keep_the_slug(api: Api, shop: Shop) -> None:
    home, garden = shop.category("Home"), shop.category("Garden")
    child = shop.category("Tools", parent=home["id"])
    path = f"/api/categories/{child['id']}/"

    put = api.put(path, {"name": "Hand Tools", "description": "Small"}, shop.admin)
    assert put.status_code == 200
    assert put.get_json() | {} == {**child, "name": "Hand Tools", "description": "Small"}
    moved = api.patch(path, {"parent": garden["id"]}, shop.admin).get_json()
    assert (moved["parent"], moved["slug"], moved["name"]) == (garden["id"], "tools", "Hand Tools")
    top = api.patch(path, {"parent": None}, shop.admin).get_json()
    assert top["parent"] is None


def test_a_bad_parent_is_a_validation_error(api: Api, shop: Shop) -> None:
    home = shop.category("Home")
    child = shop.category("Tools", parent=home["id"])

    missing = api.post("/api/categories/", {"name": "X", "parent": 999999}, shop.admin)
    cycle = api.patch(f"/api/categories/{home['id']}/", {"parent": child["id"]}, shop.admin)
    itself = api.patch(f"/api/categories/{home['id']}/", {"parent": home["id"]}, shop.admin)

    for response in (missing, cycle, itself):
        assert response.status_code == 422
        assert "parent" in response.get_json()["errors"]
    assert api.get(f"/api/categories/{home['id']}/").get_json()["parent"] is None


@pytest.mark.parametrize(
    "body",
    [{}, {"name": ""}, {"name": "   "}, {"name": "x" * 101}, {"name": "X", "parent": "1"},
     {"name": 5}, {"name": "X", "parent": 0}],
)  # fmt: skip
def test_malformed_bodies_are_422(api: Api, shop: Shop, body: dict[str, object]) -> None:
    response = api.post("/api/categories/", body, shop.admin)

    assert response.status_code == 422
    assert response.get_json()["errors"]


def test_unknown_categories_are_404(api: Api, shop: Shop) -> None:
    for method in ("get", "put", "patch", "delete"):
        response = api.call(method.upper(), "/api/categories/424242/", shop.admin,
                            json={"name": "X"} if method in ("put", "patch") else None)  # fmt: skip
        assert response.status_code == 404, method


def test_deleting_a_category_in_use_is_409(api: Api, shop: Shop) -> None:
    home = shop.category("Home")
    child = shop.category("Tools", parent=home["id"])
    shop.product("Hammer", category=child["id"], is_active=False)

    assert api.delete(f"/api/categories/{home['id']}/", shop.admin).status_code == 409
    response = api.delete(f"/api/categories/{child['id']}/", shop.admin)
    assert response.status_code == 409 and response.get_json()["message"]
    assert len(api.get("/api/categories/").get_json()) == 2


def test_deleting_an_empty_category(api: Api, shop: Shop) -> None:
    home = shop.category("Home")

    assert api.delete(f"/api/categories/{home['id']}", shop.admin).status_code == 204
    assert api.get(f"/api/categories/{home['id']}/").status_code == 404


def test_product_count_counts_active_products_directly_inside(api: Api, shop: Shop) -> None:
    home = shop.category("Home")
    child = shop.category("Tools", parent=home["id"])
    shop.product("Lamp", category=home["id"])
    shop.product("Old Lamp", category=home["id"], is_active=False)
    shop.product("Hammer", category=child["id"])
    shop.product("Saw", category=child["id"])

    counts = {c["name"]: c["product_count"] for c in api.get("/api/categories/").get_json()}

    assert counts == {"Home": 1, "Tools": 2}
