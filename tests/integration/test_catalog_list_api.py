"""GET /api/products/ on every database: every filter, ordering, search and the envelope."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

from shopcore.adapters.sqlalchemy import tables as t
from shopcore.adapters.sqlalchemy.databases import advance_id_sequences
from tests.integration.catalog_helpers import Shop
from tests.integration.conftest import Api


@pytest.fixture
def shop(api: Api) -> Shop:
    return Shop(api)


def _category_one(shop: Shop) -> None:
    """A category with id 1, so the contract's example URL can be used as written."""
    with shop.core.engine.begin() as conn:
        conn.execute(sa.insert(t.categories).values(
            id=1, name="Home", slug="home", description="", created_at=datetime.now(UTC)
        ))  # fmt: skip
        advance_id_sequences(conn)  # PostgreSQL's sequence would hand out id 1 again


@pytest.fixture
def shelf(shop: Shop) -> Shop:
    """home (id 1) > kitchen > pots, and garden; five products, one of them inactive."""
    _category_one(shop)
    kitchen = shop.category("Kitchen", parent=1)["id"]
    pots = shop.category("Pots", parent=kitchen)["id"]
    garden = shop.category("Garden")["id"]
    rows = [
        ("Copper Pot", pots, "30", None, 4, shop.vendor, "Shiny copper for the stove"),
        ("steel pan", kitchen, "25", "12", 0, shop.vendor, "Crème brûlée friendly"),
        ("Oak Table", 1, "200", "150", 2, shop.other_vendor, "Solid oak"),
        ("Garden Hose", garden, "12", None, 9, shop.other_vendor, "Twenty metres, the green one"),
        ("Hidden Lamp", 1, "5", None, 1, shop.vendor, "Not for sale"),
    ]
    for name, category, price, discount, stock, token, text in rows:
        shop.product(name, token, category=category, price=price, discount_price=discount,
                     stock=stock, description=text, is_active=name != "Hidden Lamp")  # fmt: skip
    return shop


NEWEST_FIRST = ["garden-hose", "oak-table", "steel-pan", "copper-pot"]


def test_the_contracts_example_url_works_as_written(api: Api, shelf: Shop) -> None:
    response = api.get("/api/products/?category=1&ordering=-price")

    assert response.status_code == 200
    body = response.get_json()
    assert [p["slug"] for p in body["results"]] == ["oak-table", "copper-pot", "steel-pan"]
    assert (body["count"], body["next"], body["previous"]) == (3, None, None)


def test_active_products_newest_first_by_default(shelf: Shop) -> None:
    assert shelf.slugs() == NEWEST_FIRST


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("category=home", ["oak-table", "steel-pan", "copper-pot"]),
        ("category=kitchen", ["steel-pan", "copper-pot"]),
        ("category=pots", ["copper-pot"]),
        ("category=garden", ["garden-hose"]),
        ("min_price=12&max_price=30", ["garden-hose", "steel-pan", "copper-pot"]),
        ("max_price=12", ["garden-hose", "steel-pan"]),
        ("min_price=150.00", ["oak-table"]),
        ("min_price=150.01", []),
        ("in_stock=true", ["garden-hose", "oak-table", "copper-pot"]),
        ("in_stock=false", ["steel-pan"]),
        ("category=home&in_stock=true&max_price=100", ["copper-pot"]),
    ],
)
def test_filters(shelf: Shop, query: str, expected: list[str]) -> None:
    assert shelf.slugs(query) == expected


def test_vendor_filter(shelf: Shop) -> None:
    assert shelf.slugs(f"vendor={shelf.other_vendor_id}") == ["garden-hose", "oak-table"]
    assert shelf.slugs(f"vendor={shelf.vendor_id}") == ["steel-pan", "copper-pot"]
    assert shelf.slugs("vendor=987654") == []


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("price", ["steel-pan", "garden-hose", "copper-pot", "oak-table"]),
        ("-price", ["oak-table", "copper-pot", "garden-hose", "steel-pan"]),
        ("created_at", list(reversed(NEWEST_FIRST))),
        ("-created_at", NEWEST_FIRST),
        ("name", ["copper-pot", "garden-hose", "oak-table", "steel-pan"]),
        ("-name", ["steel-pan", "oak-table", "garden-hose", "copper-pot"]),
    ],
)
def test_orderings(shelf: Shop, ordering: str, expected: list[str]) -> None:
    assert shelf.slugs(f"ordering={ordering}") == expected


def test_rating_ordering_puts_unrated_products_lowest(shelf: Shop) -> None:
    with shelf.core.engine.begin() as conn:
        for slug, rating in (("copper-pot", "4.50"), ("oak-table", "3.25")):
            stmt = sa.update(t.products).where(t.products.c.slug == slug)
            conn.execute(stmt.values(rating_avg=Decimal(rating), rating_count=2))

    assert shelf.slugs("ordering=-rating") == [
        "copper-pot",
        "oak-table",
        "garden-hose",
        "steel-pan",
    ]
    assert shelf.slugs("ordering=rating") == ["steel-pan", "garden-hose", "oak-table", "copper-pot"]
    assert shelf.api.get("/api/products/copper-pot/").get_json()["rating_avg"] == "4.50"


def test_ties_never_repeat_or_skip_across_pages(api: Api, shop: Shop) -> None:
    kitchen = shop.category("Kitchen")["id"]
    made = [shop.product("Same", category=kitchen, price="10")["slug"] for _ in range(5)]

    for ordering in ("price", "-price", "name", "-name", "rating", "-rating"):
        seen = []
        for page in (1, 2, 3):
            response = api.get(f"/api/products/?ordering={ordering}&page_size=2&page={page}")
            seen += [p["slug"] for p in response.get_json()["results"]]
        assert sorted(seen) == sorted(made), ordering
        ascending = not ordering.startswith("-")
        assert seen == (made if ascending else list(reversed(made))), ordering


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("pot", ["copper-pot"]),
        ("POT", ["copper-pot"]),
        ("copper stove", ["copper-pot"]),  # every word, from the name or the description
        ("copper hose", []),
        ("creme brulee", ["steel-pan"]),  # accents do not matter
        ("brû", ["steel-pan"]),  # a word matches the start of a word
        ("the green", ["garden-hose"]),  # "the" is an InnoDB stopword
        ("the stove", ["copper-pot"]),
        ("for", ["copper-pot"]),  # a stopword alone; the inactive lamp's "for" does not count
    ],
)
def test_search(shelf: Shop, search: str, expected: list[str]) -> None:
    assert shelf.slugs(f"search={search}") == expected


def test_words_below_the_full_text_minimum_and_stopwords_still_must_appear(shop: Shop) -> None:
    kitchen = shop.category("Kitchen")["id"]
    shop.product("Wall TV Mount", category=kitchen, description="Fits TVs up to 65 inches")
    shop.product("Glass Kettle", category=kitchen, description="The best one")
    shop.product("Steel Kettle", category=kitchen, description="Boils water fast")

    assert shop.slugs("search=tv") == ["wall-tv-mount"]
    assert shop.slugs("search=TV mount") == ["wall-tv-mount"]
    assert shop.slugs("search=65 inches") == ["wall-tv-mount"]
    assert shop.slugs("search=tv kettle") == []
    assert shop.slugs("search=the kettle") == ["glass-kettle"]
    assert shop.slugs("search=kettle") == ["steel-kettle", "glass-kettle"]
    assert shop.slugs("search=with kettle") == []  # a stopword that appears nowhere


@pytest.mark.parametrize(
    "search",
    [
        "'); DROP TABLE products; --",
        '"kettle',
        "-kettle",
        "+kettle* -steel ~glass",
        "kettle @3",
        "(kettle) >steel <glass",
        "kettle%",
        "_ettle",
        "\\",
        "NEAR(kettle steel)",
    ],
)
def test_search_input_is_never_syntax(api: Api, shop: Shop, search: str) -> None:
    kitchen = shop.category("Kitchen")["id"]
    shop.product("Glass Kettle", category=kitchen)
    shop.product("Steel Kettle", category=kitchen)

    response = api.get("/api/products/", query_string={"search": search})

    assert response.status_code == 200
    slugs = {p["slug"] for p in response.get_json()["results"]}
    assert slugs <= {"glass-kettle", "steel-kettle"}
    assert len(shop.slugs()) == 2  # nothing was dropped


def test_operators_only_separate_words(shop: Shop) -> None:
    kitchen = shop.category("Kitchen")["id"]
    shop.product("Glass Kettle", category=kitchen)
    shop.product("Steel Kettle", category=kitchen)

    assert shop.slugs("search=-steel") == ["steel-kettle"]  # not "without steel"
    assert shop.slugs("search=glass%2Bkettle*") == ["glass-kettle"]
    assert shop.slugs("search=%25") == ["steel-kettle", "glass-kettle"]  # no words: no filter


def test_search_follows_renames_and_deletes(api: Api, shop: Shop) -> None:
    kitchen = shop.category("Kitchen")["id"]
    shop.product("Glass Kettle", category=kitchen, description="Clear")
    shop.product("Steel Kettle", category=kitchen)

    api.patch("/api/products/glass-kettle/", {"name": "Crystal Jug"}, shop.vendor)
    api.delete("/api/products/steel-kettle/", shop.vendor)

    assert shop.slugs("search=kettle") == []
    assert shop.slugs("search=crystal clear") == ["glass-kettle"]
    api.patch("/api/products/glass-kettle/", {"description": "Murky"}, shop.vendor)
    assert shop.slugs("search=clear") == []
    assert shop.slugs("search=murky jug") == ["glass-kettle"]


def test_the_envelope_links_pages_and_keeps_the_filters(api: Api, shelf: Shop) -> None:
    first = api.get("/api/products/?in_stock=true&page_size=2").get_json()
    second = api.get(first["next"].removeprefix("http://localhost")).get_json()

    assert first["count"] == 3 and len(first["results"]) == 2 and first["previous"] is None
    assert first["next"].startswith("http://localhost/api/products/?")
    assert "in_stock=true" in first["next"] and "page=2" in first["next"]
    assert [p["slug"] for p in second["results"]] == ["copper-pot"]
    assert second["next"] is None and "page=1" in second["previous"]
    beyond = api.get("/api/products/?page=9").get_json()
    assert (beyond["count"], beyond["results"]) == (4, [])


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("ordering=stock", "ordering"),
        ("ordering=-id", "ordering"),
        ("min_price=abc", "min_price"),
        ("min_price=1.234", "min_price"),
        ("max_price=NaN", "max_price"),
        ("min_price=10&max_price=9", "max_price"),
        ("vendor=x", "vendor"),
        ("vendor=1.5", "vendor"),
        ("vendor=0", "vendor"),
        ("in_stock=maybe", "in_stock"),
        ("category=nowhere", "category"),
        ("category=999999", "category"),
        ("page=0", "page"),
        ("page_size=101", "page_size"),
        ("page=x", "page"),
    ],
)
def test_malformed_filters_are_422(api: Api, shelf: Shop, query: str, field: str) -> None:
    response = api.get(f"/api/products/?{query}")

    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["errors"]


def test_list_items_have_the_detail_shape(api: Api, shelf: Shop) -> None:
    listed = api.get("/api/products/?search=oak").get_json()["results"][0]

    assert listed == api.get("/api/products/oak-table/").get_json()
    assert listed["category"] == {"id": 1, "name": "Home", "slug": "home"}
    assert (listed["price"], listed["discount_price"], listed["final_price"]) == (
        "200.00", "150.00", "150.00",
    )  # fmt: skip
