"""Product search gives the same answers on every database (SQLite, MariaDB/MySQL, PostgreSQL).

One catalog and one table of queries with their expected products: each database's run of this
module must find exactly those, and the in-memory adapter (the reference the unit tests use)
must as well. The rule: case- and accent-insensitive, and every word of the query must start a
word of the name or the description.
"""

from __future__ import annotations

import pytest

from shopcore.adapters.memory.catalog_queries import _found
from shopcore.domain.text import search_words
from tests.integration.catalog_helpers import Shop
from tests.integration.conftest import Api

CATALOG = {
    "torch": ("Crème Brûlée Torch", "Caramelizes sugar in seconds."),
    "pan": ("Stainless-Steel Pan", "Oven safe to 260°C; dishwasher-safe."),
    "skillet": ("Cast Iron Skillet", "Pre-seasoned, heavy, and the steel's cousin."),
    "kettle": ("Pour-Over Kettle", "Gooseneck spout for a steady pour."),
    "mug": ("Café Mug", "Holds 350 ml of CAFÉ au lait."),
    "knife": ("Ōsaka Knife", "Hand-forged in Ōsaka, 21 cm blade."),
}
QUERIES = [
    ("creme", {"torch"}),  # accents off, in the query's absence
    ("CRÈME brulee", {"torch"}),  # case and accents, two words
    ("brûlée", {"torch"}),  # accents in the query, none needed in the text
    ("cafe", {"mug"}),
    ("osaka knife", {"knife"}),  # a letter with a macron
    ("steel", {"pan", "skillet"}),  # after a hyphen, and before an apostrophe
    ("stain", {"pan"}),  # a prefix of a word
    ("tainless", set()),  # inside a word: no match
    ("pan steel", {"pan"}),  # every word, in any order
    ("pan iron", set()),  # every word must match, not any
    ("pour", {"kettle"}),  # name and description
    ("over kettle", {"kettle"}),
    ("seasoned", {"skillet"}),  # after a hyphen
    ("dish", {"pan"}),
    ("260", {"pan"}),  # numbers
    ("21 cm", {"knife"}),  # short words
    ("ml", {"mug"}),
    ("in", {"torch", "knife"}),  # a short stopword: "Stainless" holds it, but not at a start
    ("s", {"torch", "pan", "skillet", "kettle"}),  # one letter: words that start with it
    ("the", {"skillet"}),  # a stopword of MySQL's full-text index
    ("au lait", {"mug"}),
    ("xyzzy", set()),
]


def _found_keys(shop: Shop, query: str) -> set[str]:
    response = shop.api.get("/api/products/", query_string={"search": query, "page_size": 100})
    assert response.status_code == 200, response.get_json()
    names = {name: key for key, (name, _) in CATALOG.items()}
    return {names[item["name"]] for item in response.get_json()["results"]}


def test_every_database_finds_the_same_products_for_every_query(api: Api) -> None:
    shop = Shop(api)
    category = shop.category("Cookware")["id"]
    for name, description in CATALOG.values():
        shop.product(name, description=description, category=category)

    found = {query: _found_keys(shop, query) for query, _ in QUERIES}

    assert found == dict(QUERIES)


@pytest.mark.parametrize(("query", "expected"), QUERIES)
def test_the_expectations_follow_the_in_memory_reference_rule(query: str, expected: set[str]):
    words = search_words(query)
    found = {key for key, (name, text) in CATALOG.items() if _found(words, f"{name} {text}")}
    assert found == expected
