"""Category use cases on in-memory adapters."""

from __future__ import annotations

import pytest

from shopcore.domain.errors import CategoryInUse, CategoryNotFound, PermissionDenied, RuleViolation
from shopcore.use_cases.catalog import KEEP
from shopcore.use_cases.catalog_categories import CategoryChanges, NewCategory
from tests.unit.catalog_helpers import Catalog
from tests.unit.conftest import Harness


@pytest.fixture
def cat(harness: Harness) -> Catalog:
    return Catalog(harness)


def test_an_admin_creates_a_category_with_a_slug_from_its_name(cat: Catalog) -> None:
    made = cat.shop.create_category.execute(cat.admin, NewCategory(" Home  &  Kitchen ", " Pots "))

    assert (made.name, made.slug, made.description) == ("Home & Kitchen", "home-kitchen", "Pots")
    assert (made.parent_id, made.product_count) == (None, 0)
    assert cat.store.tables["categories"][made.id].slug == "home-kitchen"


@pytest.mark.parametrize("who", ["vendor", "customer"])
def test_only_admins_write_categories(cat: Catalog, who: str) -> None:
    principal = getattr(cat, who)
    existing = cat.category("Tea")

    with pytest.raises(PermissionDenied):
        cat.shop.create_category.execute(principal, NewCategory("Coffee"))
    with pytest.raises(PermissionDenied):
        cat.shop.update_category.execute(principal, existing.id, CategoryChanges(name="X"))
    with pytest.raises(PermissionDenied):
        cat.shop.delete_category.execute(principal, existing.id)
    assert [c.name for c in cat.shop.list_categories.execute()] == ["Tea"]


def test_equal_names_get_numbered_slugs(cat: Catalog) -> None:
    slugs = [cat.category("Tea").slug for _ in range(3)]

    assert slugs == ["tea", "tea-2", "tea-3"]


def test_accents_are_transliterated_and_empty_or_numeric_slugs_get_a_fallback(
    cat: Catalog,
) -> None:
    assert cat.category("Crème Brûlée").slug == "creme-brulee"
    assert cat.category("!!!").slug == "category"
    assert cat.category("???").slug == "category-2"
    assert cat.category("2024").slug == "category-2024"  # all digits would read as an id


def test_a_parent_must_exist(cat: Catalog) -> None:
    with pytest.raises(RuleViolation) as caught:
        cat.category("Orphan", parent=999)

    assert "parent" in caught.value.errors
    assert cat.shop.list_categories.execute() == []


def test_renaming_keeps_the_slug_and_moving_checks_for_cycles(cat: Catalog) -> None:
    root = cat.category("Home")
    child = cat.category("Kitchen", parent=root.id)
    grandchild = cat.category("Pots", parent=child.id)

    renamed = cat.shop.update_category.execute(
        cat.admin, root.id, CategoryChanges(name="House", description="All of it")
    )
    assert (renamed.name, renamed.slug, renamed.description) == ("House", "home", "All of it")
    for bad_parent in (root.id, grandchild.id):
        with pytest.raises(RuleViolation):
            cat.shop.update_category.execute(
                cat.admin, root.id, CategoryChanges(parent_id=bad_parent)
            )
    moved = cat.shop.update_category.execute(
        cat.admin, grandchild.id, CategoryChanges(parent_id=None)
    )
    assert moved.parent_id is None
    assert cat.shop.get_category.execute(child.id).parent_id == root.id


def test_an_update_without_parent_leaves_it(cat: Catalog) -> None:
    root = cat.category("Home")
    child = cat.category("Kitchen", parent=root.id)

    updated = cat.shop.update_category.execute(
        cat.admin, child.id, CategoryChanges(name="Cooking", parent_id=KEEP)
    )

    assert updated.parent_id == root.id


def test_unknown_categories_are_not_found(cat: Catalog) -> None:
    with pytest.raises(CategoryNotFound):
        cat.shop.get_category.execute(42)
    with pytest.raises(CategoryNotFound):
        cat.shop.update_category.execute(cat.admin, 42, CategoryChanges(name="X"))
    with pytest.raises(CategoryNotFound):
        cat.shop.delete_category.execute(cat.admin, 42)


def test_a_category_with_products_or_children_cannot_be_deleted(cat: Catalog) -> None:
    root = cat.category("Home")
    child = cat.category("Kitchen", parent=root.id)
    cat.product("Pot", category_id=child.id, is_active=False)  # inactive ones count too

    with pytest.raises(CategoryInUse, match="sub-categories"):
        cat.shop.delete_category.execute(cat.admin, root.id)
    with pytest.raises(CategoryInUse, match="products"):
        cat.shop.delete_category.execute(cat.admin, child.id)
    assert len(cat.shop.list_categories.execute()) == 2


def test_an_empty_category_is_deleted(cat: Catalog) -> None:
    root = cat.category("Home")
    child = cat.category("Kitchen", parent=root.id)

    cat.shop.delete_category.execute(cat.admin, child.id)
    cat.shop.delete_category.execute(cat.admin, root.id)

    assert cat.shop.list_categories.execute() == []


def test_product_count_counts_active_products_directly_in_the_category(cat: Catalog) -> None:
    root = cat.category("Home")
    child = cat.category("Kitchen", parent=root.id)
    cat.product("Pot", category_id=root.id)
    cat.product("Pan", category_id=root.id, is_active=False)
    cat.product("Lid", category_id=child.id)

    counts = {c.name: c.product_count for c in cat.shop.list_categories.execute()}

    assert counts == {"Home": 1, "Kitchen": 1}


def test_categories_are_listed_by_name(cat: Catalog) -> None:
    for name in ("tea", "Coffee", "Bread"):
        cat.category(name)

    assert [c.name for c in cat.shop.list_categories.execute()] == ["Bread", "Coffee", "tea"]
