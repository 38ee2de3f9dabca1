"""The product list on in-memory adapters: every filter, every ordering, pagination."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shopcore.domain.errors import RuleViolation
from shopcore.ports.catalog_queries import ORDERINGS
from shopcore.use_cases.catalog_browse import ProductQuery
from tests.unit.catalog_helpers import Catalog
from tests.unit.conftest import Harness


@pytest.fixture
def cat(harness: Harness) -> Catalog:
    return Catalog(harness)


@pytest.fixture
def shelf(cat: Catalog) -> Catalog:
    """home > kitchen > pots, and garden; five products a minute apart, one inactive."""
    home = cat.category("Home")
    kitchen = cat.category("Kitchen", parent=home.id)
    pots = cat.category("Pots", parent=kitchen.id)
    garden = cat.category("Garden")
    rows = [
        ("Copper Pot", pots.id, "30", None, 4, cat.vendor, "Shiny copper for the stove"),
        ("steel pan", kitchen.id, "25", "12", 0, cat.vendor, "Crème brûlée friendly"),
        ("Oak Table", home.id, "200", "150", 2, cat.other_vendor, "Solid oak"),
        ("Garden Hose", garden.id, "12", None, 9, cat.other_vendor, "Twenty metres"),
        ("Hidden Lamp", home.id, "5", None, 1, cat.vendor, "Not for sale"),
    ]
    for name, category, price, discount, stock, vendor, text in rows:
        cat.product(name, category_id=category, price=price, discount_price=discount,
                    stock=stock, vendor=vendor, description=text,
                    is_active=name != "Hidden Lamp")  # fmt: skip
        cat.h.clock.advance(minutes=1)
    return cat


def test_default_list_shows_active_products_newest_first(shelf: Catalog) -> None:
    assert shelf.slugs() == ["garden-hose", "oak-table", "steel-pan", "copper-pot"]


def test_category_filter_includes_every_level_below(shelf: Catalog) -> None:
    home = next(c for c in shelf.shop.list_categories.execute() if c.slug == "home")

    assert shelf.slugs(category="home") == ["oak-table", "steel-pan", "copper-pot"]
    assert shelf.slugs(category=str(home.id)) == ["oak-table", "steel-pan", "copper-pot"]
    assert shelf.slugs(category="kitchen") == ["steel-pan", "copper-pot"]
    assert shelf.slugs(category="pots") == ["copper-pot"]
    assert shelf.slugs(category=" Pots ") == ["copper-pot"]


@pytest.mark.parametrize("ref", ["nowhere", "999"])
def test_an_unknown_category_is_a_validation_error(shelf: Catalog, ref: str) -> None:
    with pytest.raises(RuleViolation) as caught:
        shelf.slugs(category=ref)

    assert "category" in caught.value.errors


@pytest.mark.parametrize("digits", [str.maketrans("0123456789", "０１２３４５６７８９"),
                                    str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")],
                         ids=["fullwidth", "arabic-indic"])  # fmt: skip
def test_a_category_id_in_digits_of_another_script_is_a_slug_not_an_id(
    shelf: Catalog, digits: dict[int, str]
) -> None:
    home = next(c for c in shelf.shop.list_categories.execute() if c.slug == "home")

    with pytest.raises(RuleViolation) as caught:
        shelf.slugs(category=str(home.id).translate(digits))

    assert "category" in caught.value.errors


def test_vendor_filter(shelf: Catalog) -> None:
    assert shelf.slugs(vendor_id=shelf.other_vendor.user_id) == ["garden-hose", "oak-table"]
    assert shelf.slugs(vendor_id=12345) == []


def test_price_bounds_are_inclusive_on_the_final_price(shelf: Catalog) -> None:
    assert shelf.slugs(min_price=Decimal("12"), max_price=Decimal("30")) == [
        "garden-hose", "steel-pan", "copper-pot",
    ]  # fmt: skip
    assert shelf.slugs(max_price=Decimal("12")) == ["garden-hose", "steel-pan"]  # 25 -> 12
    assert shelf.slugs(min_price=Decimal("151")) == []  # the oak table costs 150 now


def test_max_price_below_min_price_is_refused(shelf: Catalog) -> None:
    with pytest.raises(RuleViolation) as caught:
        shelf.slugs(min_price=Decimal("10"), max_price=Decimal("9.99"))

    assert "max_price" in caught.value.errors


def test_in_stock_filter(shelf: Catalog) -> None:
    assert shelf.slugs(in_stock=True) == ["garden-hose", "oak-table", "copper-pot"]
    assert shelf.slugs(in_stock=False) == ["steel-pan"]


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("pot", ["copper-pot"]),
        ("COPPER stove", ["copper-pot"]),  # every word, in name or description
        ("copper garden", []),
        ("creme brulee", ["steel-pan"]),  # accents are ignored
        ("brûl", ["steel-pan"]),  # a word matches the beginning of a word
        ("oppe", []),  # ... not its middle
        ('"oak" +solid -table*', ["oak-table"]),  # operators are only separators
        ("for", ["copper-pot"]),  # the inactive lamp's "for" does not count
        ("+++", ["garden-hose", "oak-table", "steel-pan", "copper-pot"]),  # no words at all
    ],
)
def test_search(shelf: Catalog, search: str, expected: list[str]) -> None:
    assert shelf.slugs(search=search) == expected


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("price", ["steel-pan", "garden-hose", "copper-pot", "oak-table"]),
        ("-price", ["oak-table", "copper-pot", "garden-hose", "steel-pan"]),
        ("created_at", ["copper-pot", "steel-pan", "oak-table", "garden-hose"]),
        ("-created_at", ["garden-hose", "oak-table", "steel-pan", "copper-pot"]),
        ("name", ["copper-pot", "garden-hose", "oak-table", "steel-pan"]),  # case-insensitive
        ("-name", ["steel-pan", "oak-table", "garden-hose", "copper-pot"]),
    ],
)
def test_orderings(shelf: Catalog, ordering: str, expected: list[str]) -> None:
    assert shelf.slugs(ordering=ordering) == expected


def _rate(cat: Catalog, slug: str, rating: str | None) -> None:
    stored = cat.stored(slug)
    stored.rating_avg = None if rating is None else Decimal(rating)


def test_rating_ordering_treats_unrated_as_lowest(shelf: Catalog) -> None:
    _rate(shelf, "copper-pot", "4.50")
    _rate(shelf, "oak-table", "3.00")

    assert shelf.slugs(ordering="-rating") == [
        "copper-pot",
        "oak-table",
        "garden-hose",
        "steel-pan",
    ]
    assert shelf.slugs(ordering="rating") == ["steel-pan", "garden-hose", "oak-table", "copper-pot"]


def test_ties_are_broken_by_id_in_the_same_direction(cat: Catalog) -> None:
    kitchen = cat.category("Kitchen")
    for _ in range(4):
        cat.product("Same", category_id=kitchen.id, price="10")

    assert cat.slugs(ordering="price") == ["same", "same-2", "same-3", "same-4"]
    assert cat.slugs(ordering="-price") == ["same-4", "same-3", "same-2", "same"]
    assert cat.slugs(ordering="name", limit=2) + cat.slugs(ordering="name", offset=2) == [
        "same", "same-2", "same-3", "same-4",
    ]  # fmt: skip


def test_an_unknown_ordering_is_refused(shelf: Catalog) -> None:
    assert "-rating" in ORDERINGS
    with pytest.raises(RuleViolation) as caught:
        shelf.slugs(ordering="stock")

    assert "ordering" in caught.value.errors


def test_pages_and_totals(shelf: Catalog) -> None:
    page = shelf.shop.list_products.execute(ProductQuery(ordering="name"), 1, 2)

    assert page.total == 4
    assert [p.slug for p in page.items] == ["garden-hose", "oak-table"]
    assert shelf.shop.list_products.execute(ProductQuery(), 10, 2).items == []


def test_filters_combine(shelf: Catalog) -> None:
    assert shelf.slugs(category="home", in_stock=True, max_price=Decimal("100")) == ["copper-pot"]
