"""The catalog's read paths issue a constant number of SQL statements, whatever the page size.

Counted on an app without the response cache, so every request reaches the use cases.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

from shopcore.adapters.sqlalchemy import tables as t
from shopcore.domain.catalog import ProductImage
from shopcore.domain.users import Principal
from shopcore.domain.values import Role
from shopcore.use_cases.catalog_products import NewProduct
from tests.integration.catalog_helpers import Shop, statements
from tests.integration.conftest import Api, AppFactory


@pytest.fixture
def uncached(make_app: AppFactory) -> Api:
    return Api(make_app(CATALOG_CACHE=False).test_client())


@pytest.fixture
def stocked(uncached: Api) -> Shop:
    """120 products in a sub-category, each with two images (set up through the uncached app)."""
    shop = Shop(uncached)
    home = shop.category("Home")["id"]
    kitchen = shop.category("Kitchen", parent=home)["id"]
    items = [
        NewProduct(f"Kettle {n}", "Boils water; one of our best", kitchen, Decimal(10 + n), n % 7)
        for n in range(120)
    ]
    shop.core.import_products.execute(Principal(shop.vendor_id, Role.VENDOR), items)
    with shop.core.engine.connect() as conn:
        ids = conn.execute(sa.select(t.products.c.id)).scalars().all()
    now = datetime.now(UTC)
    with shop.core.uow_factory() as uow:
        for product_id in ids:
            for position in (0, 1):
                path = f"products/{product_id}/{position}"
                uow.images.add(ProductImage(product_id, path + ".png", path + "_t.png",
                                            10, 10, position, now))  # fmt: skip
        uow.commit()
    return shop


def _count(api: Api, shop: Shop, url: str, token: str | None = None) -> int:
    with statements(shop.app) as seen:
        response = api.get(url, token)
    assert response.status_code == 200, response.get_json()
    return len(seen)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "&ordering=-price",
        "&category=home&in_stock=true&min_price=1&ordering=name",
        "&search=kettle boils&ordering=-rating",
        "&search=boils of&vendor={vendor}",  # "of" is an InnoDB stopword: LIKE for it, ANDed
    ],
)
def test_the_list_costs_the_same_for_1_20_and_100_products(
    uncached: Api, stocked: Shop, query: str
) -> None:
    counts = {}
    for size in (1, 20, 100):
        url = f"/api/products/?page_size={size}{query.format(vendor=stocked.vendor_id)}"
        counts[size] = _count(uncached, stocked, url)
        results = uncached.get(url).get_json()["results"]
        assert len(results) == size and all(len(item["images"]) == 2 for item in results)

    assert counts[1] == counts[20] == counts[100], counts
    assert counts[1] <= 6, counts  # (BEGIN,) [categories, category], count, page, images


def test_the_plain_list_takes_a_count_a_page_and_the_images(uncached: Api, stocked: Shop) -> None:
    begin = 1 if stocked.core.engine.dialect.name == "sqlite" else 0

    assert _count(uncached, stocked, "/api/products/?page_size=100") == begin + 3


def test_the_detail_costs_the_same_with_or_without_images(uncached: Api, stocked: Shop) -> None:
    bare = stocked.product("Bare Pot")["slug"]
    with_images = uncached.get("/api/products/?page_size=1").get_json()["results"][0]["slug"]

    anonymous = {
        _count(uncached, stocked, f"/api/products/{slug}/") for slug in (bare, with_images)
    }
    owner = {
        _count(uncached, stocked, f"/api/products/{slug}/", stocked.vendor)
        for slug in (bare, with_images)
    }

    assert len(anonymous) == 1 and len(owner) == 1
    begin = 1 if stocked.core.engine.dialect.name == "sqlite" else 0
    assert anonymous == {begin + 1}  # the product with its category, vendor and images


def test_the_category_list_is_one_statement(uncached: Api, stocked: Shop) -> None:
    begin = 1 if stocked.core.engine.dialect.name == "sqlite" else 0
    for _ in range(5):
        stocked.category("More")

    assert _count(uncached, stocked, "/api/categories/") == begin + 1
