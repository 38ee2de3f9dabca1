"""Catalog rules that need no unit of work: prices, stock, visibility, trees, slugs, words."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from shopcore.domain.catalog import (
    Product,
    check_parent,
    clean_catalog_name,
    manages,
    vendor_name,
    with_descendants,
)
from shopcore.domain.errors import PermissionDenied, RuleViolation
from shopcore.domain.text import first_free_slug, search_words, slug_candidates, text_words
from shopcore.domain.users import Principal
from shopcore.domain.values import Role

NOW = datetime(2026, 11, 24, tzinfo=UTC)
VENDOR, OTHER = Principal(7, Role.VENDOR), Principal(8, Role.VENDOR)
ADMIN, CUSTOMER = Principal(1, Role.ADMIN), Principal(9, Role.CUSTOMER)


def product(price: str = "10.00", discount: str | None = None, **kw: object) -> Product:
    values: dict[str, object] = {"stock": 3, "is_active": True, **kw}
    return Product(
        7, 1, "Pot", "pot", "", Decimal(price), values.pop("stock"), NOW, NOW,  # type: ignore[arg-type]
        discount_price=None if discount is None else Decimal(discount), **values,  # type: ignore[arg-type]
    )  # fmt: skip


def test_final_price_is_the_discount_when_set_else_the_price() -> None:
    assert product("10.00").final_price == Decimal("10.00")
    assert product("10.00", "7.50").final_price == Decimal("7.50")
    assert product("10.00", "0").final_price == Decimal("0.00")


def test_money_is_rounded_half_up_to_the_cent_once() -> None:
    item = product("10.005", "2.345")

    assert (item.price, item.discount_price) == (Decimal("10.01"), Decimal("2.35"))


@pytest.mark.parametrize(
    ("price", "discount", "field"),
    [
        ("0", None, "price"),
        ("-1", None, "price"),
        ("10", "10", "discount_price"),
        ("10", "12", "discount_price"),
        ("10", "-0.01", "discount_price"),
    ],
)
def test_price_rules(price: str, discount: str | None, field: str) -> None:
    with pytest.raises(RuleViolation) as caught:
        product(price, discount)

    assert field in caught.value.errors


def test_a_refused_pricing_change_leaves_the_product_as_it_was() -> None:
    item = product("10.00", "8.00")

    with pytest.raises(RuleViolation):
        item.set_pricing(Decimal("5.00"), item.discount_price)

    assert (item.price, item.discount_price) == (Decimal("10.00"), Decimal("8.00"))


def test_stock_is_zero_or_more_and_bounded() -> None:
    assert not product(stock=0).in_stock and product(stock=1).in_stock
    for bad in (-1, 1_000_000_001):
        with pytest.raises(RuleViolation) as caught:
            product(stock=bad)
        assert "stock" in caught.value.errors


def test_inactive_products_are_visible_only_to_their_vendor_and_admins() -> None:
    hidden = product(is_active=False)

    assert hidden.is_visible_to(VENDOR) and hidden.is_visible_to(ADMIN)
    assert not any(hidden.is_visible_to(who) for who in (OTHER, CUSTOMER, None))
    assert product().is_visible_to(None)


def test_only_the_vendor_and_admins_manage_a_product() -> None:
    item = product()

    item.ensure_managed_by(VENDOR)
    item.ensure_managed_by(ADMIN)
    for who in (OTHER, CUSTOMER):
        with pytest.raises(PermissionDenied):
            item.ensure_managed_by(who)
    assert not manages(None, 7)


def test_names_are_trimmed_and_must_not_be_blank_or_too_long() -> None:
    assert clean_catalog_name("  Tea   Pot ", "name", 10) == "Tea Pot"
    for bad in ("", "   ", "x" * 11):
        with pytest.raises(RuleViolation) as caught:
            clean_catalog_name(bad, "name", 10)
        assert "name" in caught.value.errors


def test_vendor_name_never_falls_back_to_an_email() -> None:
    assert vendor_name("Vera", "Smith", 7) == "Vera Smith"
    assert vendor_name("", " ", 7) == "Vendor 7"


TREE = {1: None, 2: 1, 3: 2, 4: 1, 5: None}  # 1 > 2 > 3, 1 > 4, and 5 alone


def test_descendants_include_every_level() -> None:
    assert with_descendants(1, TREE) == {1, 2, 3, 4}
    assert with_descendants(2, TREE) == {2, 3}
    assert with_descendants(5, TREE) == {5}


@pytest.mark.parametrize(("category", "parent"), [(1, 1), (1, 3), (2, 3), (None, 99)])
def test_a_parent_must_exist_and_must_not_make_a_cycle(category: int | None, parent: int) -> None:
    with pytest.raises(RuleViolation) as caught:
        check_parent(category, parent, TREE)

    assert "parent" in caught.value.errors


SUBTREES = {None: set(), 1: {1, 2, 3, 4}, 2: {2, 3}, 3: {3}, 4: {4}, 5: {5}}


@pytest.mark.parametrize("parent", [None, *TREE])
@pytest.mark.parametrize("category", [None, *TREE])
def test_a_parent_is_refused_exactly_when_it_is_the_category_or_below_it(
    category: int | None, parent: int | None
) -> None:
    try:
        check_parent(category, parent, TREE)
        outcome: object = "accepted"
    except RuleViolation as refused:
        outcome = refused.errors

    cycle = "A category cannot be placed under itself or one of its sub-categories."
    expected = {"parent": [cycle]} if parent in SUBTREES[category] else "accepted"
    assert outcome == expected


def test_a_cycle_already_stored_ends_the_parent_walk_instead_of_hanging() -> None:
    cyclic = {1: 2, 2: 1, 3: None}  # what two racing moves once could leave behind

    check_parent(3, 1, cyclic)
    check_parent(None, 2, cyclic)
    with pytest.raises(RuleViolation):
        check_parent(2, 1, cyclic)


def test_slug_candidates_count_up_and_fit_the_column() -> None:
    candidates = slug_candidates("tea-pot", 9)

    assert [next(candidates) for _ in range(3)] == ["tea-pot", "tea-pot-2", "tea-pot-3"]
    long = slug_candidates("abcdefgh-ij", 10)
    assert [next(long) for _ in range(2)] == ["abcdefgh-i", "abcdefgh-2"]


def test_first_free_slug_skips_taken_ones() -> None:
    assert first_free_slug("pot", {"pot", "pot-2", "pot-4"}, 50) == "pot-3"
    assert first_free_slug("pot", set(), 50) == "pot"


def test_search_words_keep_only_letters_and_digits() -> None:
    assert search_words('  Crème +brûlée* -"torch" (2) ') == ("crème", "brûlée", "torch", "2")
    assert search_words("usb-c x_y") == ("usb", "c", "x", "y")
    assert search_words("+-*\"'<>()~@ ") == ()


def test_search_words_drop_duplicates_and_stop_at_ten() -> None:
    assert search_words("Tea tea TEA pot") == ("tea", "pot")
    assert len(search_words(" ".join(f"w{i}" for i in range(30)))) == 10


def test_stored_text_is_folded_like_a_full_text_index() -> None:
    assert text_words("Crème BRÛLÉE, torch!") == ["creme", "brulee", "torch"]


def test_a_vendor_demoted_to_customer_no_longer_manages_or_sees_its_hidden_products() -> None:
    demoted = Principal(VENDOR.user_id, Role.CUSTOMER)

    with pytest.raises(PermissionDenied):
        product().ensure_managed_by(demoted)
    assert not product(is_active=False).is_visible_to(demoted)
    assert not manages(demoted, VENDOR.user_id)
