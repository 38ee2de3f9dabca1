"""Product use cases on in-memory adapters: creating, changing and removing."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from shopcore.adapters.memory.catalog import MemoryProductRepository
from shopcore.domain.errors import (
    PermissionDenied,
    ProductNotFound,
    ProductOrdered,
    RuleViolation,
    SlugTaken,
)
from shopcore.use_cases.catalog_edits import ProductChanges
from shopcore.use_cases.catalog_products import NewProduct
from tests.unit.catalog_helpers import Catalog
from tests.unit.conftest import Harness


@pytest.fixture
def cat(harness: Harness) -> Catalog:
    return Catalog(harness)


def test_a_vendor_creates_a_product_it_sells(cat: Catalog) -> None:
    kitchen = cat.category("Kitchen")

    made = cat.product("Tea Pot", category_id=kitchen.id, price="20", discount_price="15.5")

    assert (made.slug, made.vendor.id, made.category.slug) == (
        "tea-pot",
        cat.vendor.user_id,
        "kitchen",
    )
    assert (made.price, made.discount_price, made.final_price) == (
        Decimal("20.00"), Decimal("15.50"), Decimal("15.50"),
    )  # fmt: skip
    assert made.vendor.name == "Ann Lee" and made.is_active and made.images == ()
    assert cat.stored("tea-pot").final_price == Decimal("15.50")


def test_an_admin_may_sell_too_but_a_customer_may_not(cat: Catalog) -> None:
    assert cat.product("Pot", vendor=cat.admin).vendor.id == cat.admin.user_id
    with pytest.raises(PermissionDenied):
        cat.product("Pan", vendor=cat.customer)
    assert [p.name for p in cat.store.tables["products"].values()] == ["Pot"]


def test_equal_names_get_numbered_slugs_and_reserved_words_are_skipped(cat: Catalog) -> None:
    assert [cat.product("Tea Pot").slug for _ in range(3)] == ["tea-pot", "tea-pot-2", "tea-pot-3"]
    assert cat.product("Create").slug == "create-2"  # /api/products/create/ is a route
    assert cat.product("Crème Brûlée").slug == "creme-brulee"
    assert cat.product("🎉").slug == "product"
    assert cat.product("1984").slug == "1984"


def test_a_long_name_gets_a_slug_that_fits_with_room_for_a_number(cat: Catalog) -> None:
    name = "word " * 40
    first, second = cat.product(name).slug, cat.product(name).slug

    assert len(first) <= 220 and second == first + "-2"


def test_a_slug_taken_by_a_concurrent_writer_is_retried_with_the_next_one(
    cat: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    cat.product("Tea Pot")
    stale = {"calls": 0}
    original = MemoryProductRepository.taken_slugs

    def stale_once(self: MemoryProductRepository, candidates: Any) -> set[str]:
        stale["calls"] += 1
        return set() if stale["calls"] == 1 else original(self, candidates)

    monkeypatch.setattr(MemoryProductRepository, "taken_slugs", stale_once)

    assert cat.product("Tea Pot", category_id=cat.stored("tea-pot").category_id).slug == "tea-pot-2"


def test_a_slug_clash_that_keeps_happening_is_a_conflict(
    cat: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    cat.product("Tea Pot")
    monkeypatch.setattr(MemoryProductRepository, "taken_slugs", lambda self, c: set())

    with pytest.raises(SlugTaken):
        cat.product("Tea Pot", category_id=cat.stored("tea-pot").category_id)
    assert len(cat.store.tables["products"]) == 1


def test_creating_in_an_unknown_category_is_refused(cat: Catalog) -> None:
    with pytest.raises(RuleViolation) as caught:
        cat.product("Pot", category_id=999)

    assert "category" in caught.value.errors
    assert cat.store.tables["products"] == {}


def test_bad_prices_are_refused_with_the_field_named(cat: Catalog) -> None:
    with pytest.raises(RuleViolation) as caught:
        cat.product("Pot", price="10", discount_price="10")

    assert "discount_price" in caught.value.errors
    assert cat.store.tables["products"] == {}


def test_the_owner_updates_fields_and_the_slug_stays(cat: Catalog) -> None:
    cat.product("Tea Pot", price="20", discount_price="15")
    other = cat.category("Other")
    cat.h.clock.advance(minutes=5)

    updated = cat.shop.update_product.execute(
        cat.vendor, "tea-pot",
        ProductChanges(name="Teapot XL", description="Big", category_id=other.id,
                       price=Decimal("30"), stock=0, is_active=False),
    )  # fmt: skip

    assert (updated.slug, updated.name, updated.description) == ("tea-pot", "Teapot XL", "Big")
    assert (updated.category.id, updated.stock, updated.is_active) == (other.id, 0, False)
    assert (updated.price, updated.discount_price) == (Decimal("30.00"), Decimal("15.00"))
    assert updated.updated_at > updated.created_at


def test_a_discount_is_kept_unless_changed_and_removed_with_none(cat: Catalog) -> None:
    cat.product("Pot", price="20", discount_price="15")

    kept = cat.shop.update_product.execute(cat.vendor, "pot", ProductChanges(stock=3))
    removed = cat.shop.update_product.execute(
        cat.vendor, "pot", ProductChanges(discount_price=None)
    )

    assert kept.discount_price == Decimal("15.00")
    assert (removed.discount_price, removed.final_price) == (None, Decimal("20.00"))


def test_a_price_below_the_discount_is_refused_and_nothing_changes(cat: Catalog) -> None:
    cat.product("Pot", price="20", discount_price="15")

    with pytest.raises(RuleViolation) as caught:
        cat.shop.update_product.execute(
            cat.vendor, "pot", ProductChanges(name="Renamed", price=Decimal("10"))
        )

    assert "discount_price" in caught.value.errors
    assert (cat.stored("pot").name, cat.stored("pot").price) == ("Pot", Decimal("20.00"))


def test_a_zero_price_is_refused_not_ignored(cat: Catalog) -> None:
    cat.product("Pot")

    with pytest.raises(RuleViolation):
        cat.shop.update_product.execute(cat.vendor, "pot", ProductChanges(price=Decimal("0")))


def test_other_vendors_and_customers_cannot_change_or_delete(cat: Catalog) -> None:
    cat.product("Pot")

    for who in (cat.other_vendor, cat.customer):
        with pytest.raises(PermissionDenied):
            cat.shop.update_product.execute(who, "pot", ProductChanges(name="Mine"))
        with pytest.raises(PermissionDenied):
            cat.shop.delete_product.execute(who, "pot")
    assert cat.stored("pot").name == "Pot"


def test_an_admin_changes_anyones_product(cat: Catalog) -> None:
    cat.product("Pot")

    assert cat.shop.update_product.execute(cat.admin, "pot", ProductChanges(stock=9)).stock == 9


def test_an_inactive_product_is_not_found_for_others_but_editable_by_its_owner(
    cat: Catalog,
) -> None:
    cat.product("Pot", is_active=False)

    with pytest.raises(ProductNotFound):
        cat.shop.update_product.execute(cat.other_vendor, "pot", ProductChanges(name="X"))
    with pytest.raises(ProductNotFound):
        cat.shop.get_product.execute("pot", cat.customer)
    assert cat.shop.get_product.execute("pot", cat.vendor).is_active is False
    assert cat.shop.get_product.execute("pot", cat.admin).name == "Pot"
    active = cat.shop.update_product.execute(cat.vendor, "pot", ProductChanges(is_active=True))
    assert active.is_active and cat.shop.get_product.execute("pot").slug == "pot"


def test_unknown_products_are_not_found(cat: Catalog) -> None:
    with pytest.raises(ProductNotFound):
        cat.shop.update_product.execute(cat.vendor, "nope", ProductChanges(name="X"))
    with pytest.raises(ProductNotFound):
        cat.shop.delete_product.execute(cat.vendor, "nope")
    with pytest.raises(ProductNotFound):
        cat.shop.get_product.execute("nope")


def test_deleting_an_unordered_product_erases_it_and_its_image_files(cat: Catalog) -> None:
    cat.product("Pot")
    image = cat.shop.add_product_image.execute(cat.vendor, "pot", b"IMG:40x30:png")
    assert image.path in cat.h.storage and image.thumbnail_path in cat.h.storage

    cat.shop.delete_product.execute(cat.vendor, "pot")

    assert cat.store.tables["products"] == {} and cat.store.tables["product_images"] == {}
    assert len(cat.h.storage) == 0


def _order_line_for(cat: Catalog, product_id: int) -> None:
    """What the orders adapter keeps: orders holding lines with a product_id."""
    line = SimpleNamespace(product_id=product_id)
    cat.store.tables["orders"][1] = SimpleNamespace(id=1, lines=[line])


def test_deleting_an_ordered_product_only_deactivates_it(cat: Catalog) -> None:
    made = cat.product("Pot")
    cat.shop.add_product_image.execute(cat.vendor, "pot", b"IMG:40x30:png")
    _order_line_for(cat, made.id)

    cat.shop.delete_product.execute(cat.admin, "pot")

    assert cat.stored("pot").is_active is False
    assert len(cat.h.storage) == 2  # orders still show the product; its images stay
    with pytest.raises(ProductNotFound):
        cat.shop.get_product.execute("pot", cat.customer)


def test_an_order_arriving_before_the_erase_turns_it_into_a_deactivation(
    cat: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    cat.product("Pot")
    original = MemoryProductRepository.delete

    def ordered_meanwhile(self: MemoryProductRepository, product_id: int) -> None:
        _order_line_for(cat, product_id)
        original(self, product_id)

    monkeypatch.setattr(MemoryProductRepository, "delete", ordered_meanwhile)
    monkeypatch.setattr(MemoryProductRepository, "has_order_lines", _has_lines_after_first_call())

    cat.shop.delete_product.execute(cat.vendor, "pot")

    assert cat.stored("pot").is_active is False


def _has_lines_after_first_call() -> Any:
    calls = {"n": 0}

    def has_order_lines(self: MemoryProductRepository, product_id: int) -> bool:
        calls["n"] += 1
        return calls["n"] > 1

    return has_order_lines


def test_the_memory_repository_refuses_to_erase_an_ordered_product(cat: Catalog) -> None:
    made = cat.product("Pot")
    _order_line_for(cat, made.id)

    with cat.h.uow() as uow, pytest.raises(ProductOrdered):
        uow.products.delete(made.id)


def test_import_adds_every_product_or_none(cat: Catalog) -> None:
    kitchen = cat.category("Kitchen")
    good = NewProduct("Pot", "", kitchen.id, Decimal("5"), 1)
    bad = NewProduct("Pan", "", kitchen.id, Decimal("0"), 1)

    assert cat.shop.import_products.execute(cat.vendor, [good, good]) == ["pot", "pot-2"]
    with pytest.raises(RuleViolation):
        cat.shop.import_products.execute(cat.vendor, [good, bad])
    with pytest.raises(PermissionDenied):
        cat.shop.import_products.execute(cat.customer, [good])
    assert sorted(p.slug for p in cat.store.tables["products"].values()) == ["pot", "pot-2"]
