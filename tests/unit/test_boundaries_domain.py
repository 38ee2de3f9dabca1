"""Every limit a domain rule states, tested at the limit and one past it."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from shopcore.domain import catalog
from shopcore.domain.cart import CartLine
from shopcore.domain.catalog import (
    DESCRIPTION_MAX,
    MAX_STOCK,
    PRODUCT_NAME_MAX,
    Product,
    clean_catalog_name,
    clean_description,
)
from shopcore.domain.errors import RuleViolation
from shopcore.domain.orders import (
    ADDRESS_LIMITS,
    FLAT_SHIPPING,
    MAX_LINE_QUANTITY,
    ShippingAddress,
    check_quantity,
    shipping_cost_for,
    valid_quantity,
)
from shopcore.domain.reviews import COMMENT_MAX, TITLE_MAX, check_rating, clean_comment, clean_title
from shopcore.domain.text import first_free_slug, search_words, slug_candidates
from shopcore.domain.values import Email, check_password, password_problems

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
EMAIL = "ann@example.com"


# --- passwords --------------------------------------------------------------------------------


def test_a_password_of_exactly_eight_characters_is_accepted() -> None:
    assert password_problems("abcdefg1", EMAIL) == []


def test_a_password_of_seven_characters_is_refused_as_too_short() -> None:
    assert password_problems("abcdef1", EMAIL) == ["Password must be at least 8 characters long."]


def test_a_password_of_exactly_256_characters_is_accepted() -> None:
    assert password_problems("a" * 256, EMAIL) == []


def test_a_password_of_257_characters_is_refused_as_too_long() -> None:
    assert password_problems("a" * 257, EMAIL) == ["Password must be at most 256 characters long."]


def test_an_all_digit_password_is_refused_but_one_letter_among_digits_is_enough() -> None:
    assert password_problems("123456789", EMAIL) == ["Password must not be entirely numeric."]
    assert password_problems("12345678a", EMAIL) == []


def test_the_email_as_password_is_refused_whatever_its_case_and_surrounding_spaces() -> None:
    message = "Password must not be the same as the email."
    assert password_problems(" ANN@example.com ", EMAIL) == [message]
    assert password_problems("ann@example.co", EMAIL) == []


def test_a_password_breaking_several_rules_reports_each_under_the_given_field() -> None:
    with pytest.raises(RuleViolation) as caught:
        check_password("1234567", EMAIL, field="new_password")

    assert caught.value.errors == {
        "new_password": [
            "Password must be at least 8 characters long.",
            "Password must not be entirely numeric.",
        ]
    }


def test_check_password_reports_under_password_by_default_and_accepts_a_good_one() -> None:
    check_password("good-passphrase", EMAIL)
    with pytest.raises(RuleViolation) as caught:
        check_password("short", EMAIL)
    assert list(caught.value.errors) == ["password"]


# --- emails -----------------------------------------------------------------------------------


def _email_of_length(length: int) -> str:
    domain = "@example.com"
    return "a" * (length - len(domain)) + domain


def test_an_email_of_exactly_254_characters_is_accepted() -> None:
    email = _email_of_length(254)
    assert str(Email(email)) == email


def test_an_email_of_255_characters_is_refused() -> None:
    with pytest.raises(RuleViolation) as caught:
        Email(_email_of_length(255))
    assert caught.value.errors == {"email": ["Not a valid email."]}


def test_the_email_length_is_counted_after_trimming_the_spaces_around_it() -> None:
    email = _email_of_length(254)
    assert str(Email(f"  {email}  ")) == email


@pytest.mark.parametrize("email", ["ann@example", "ann example@x.com", "@example.com", "ann@.x@y"])
def test_an_email_without_one_at_sign_and_a_dotted_domain_is_refused(email: str) -> None:
    with pytest.raises(RuleViolation):
        Email(email)


# --- catalog names, descriptions, stock and prices ----------------------------------------------


def test_a_name_of_exactly_its_maximum_length_is_accepted() -> None:
    assert (
        clean_catalog_name("n" * PRODUCT_NAME_MAX, "name", PRODUCT_NAME_MAX)
        == "n" * PRODUCT_NAME_MAX
    )


def test_a_name_one_past_its_maximum_length_is_refused_under_its_field() -> None:
    with pytest.raises(RuleViolation) as caught:
        clean_catalog_name("n" * (PRODUCT_NAME_MAX + 1), "title", PRODUCT_NAME_MAX)
    assert caught.value.errors == {"title": [f"At most {PRODUCT_NAME_MAX} characters."]}


def test_a_name_is_measured_after_its_runs_of_white_space_are_collapsed() -> None:
    assert clean_catalog_name("  Tea   Pot ", "name", 7) == "Tea Pot"


def test_a_blank_name_is_refused_under_its_field() -> None:
    with pytest.raises(RuleViolation) as caught:
        clean_catalog_name(" \t ", "name", 10)
    assert caught.value.errors == {"name": ["Must not be blank."]}


def test_a_description_of_exactly_its_maximum_length_is_accepted() -> None:
    assert clean_description(" " + "d" * DESCRIPTION_MAX + " ") == "d" * DESCRIPTION_MAX


def test_a_description_one_past_its_maximum_length_is_refused() -> None:
    with pytest.raises(RuleViolation) as caught:
        clean_description("d" * (DESCRIPTION_MAX + 1))
    assert list(caught.value.errors) == ["description"]


def _product(**fields: object) -> Product:
    values: dict[str, object] = {
        "vendor_id": 1, "category_id": 1, "name": "Pot", "slug": "pot", "description": "",
        "price": Decimal("10.00"), "stock": 1, "created_at": NOW, "updated_at": NOW,
    }  # fmt: skip
    values.update(fields)
    return Product(**values)  # type: ignore[arg-type]


def test_stock_of_exactly_the_maximum_is_accepted() -> None:
    assert _product(stock=MAX_STOCK).stock == MAX_STOCK


def test_stock_one_past_the_maximum_is_refused() -> None:
    with pytest.raises(RuleViolation) as caught:
        _product(stock=MAX_STOCK + 1)
    assert caught.value.errors == {"stock": [f"Must be at most {MAX_STOCK}."]}


def test_stock_of_zero_is_accepted_and_out_of_stock_and_minus_one_is_refused() -> None:
    product = _product(stock=0)
    assert product.stock == 0 and not product.in_stock
    assert _product(stock=1).in_stock
    with pytest.raises(RuleViolation) as caught:
        _product(stock=-1)
    assert caught.value.errors == {"stock": ["Must be >= 0."]}


def test_the_smallest_price_is_one_cent_and_zero_is_refused() -> None:
    assert _product(price=Decimal("0.01")).price == Decimal("0.01")
    with pytest.raises(RuleViolation) as caught:
        _product(price=Decimal("0"))
    assert caught.value.errors == {"price": ["Price must be greater than zero."]}


def test_a_discount_of_zero_and_one_cent_below_the_price_are_accepted() -> None:
    assert _product(discount_price=Decimal("0")).final_price == Decimal("0.00")
    assert _product(discount_price=Decimal("9.99")).final_price == Decimal("9.99")


def test_a_discount_equal_to_the_price_or_below_zero_is_refused() -> None:
    with pytest.raises(RuleViolation) as equal:
        _product(discount_price=Decimal("10.00"))
    with pytest.raises(RuleViolation) as negative:
        _product(discount_price=Decimal("-0.01"))

    assert equal.value.errors == {"discount_price": ["Discount price must be below the price."]}
    assert negative.value.errors == {"discount_price": ["Discount price must not be negative."]}


def test_a_bad_price_and_a_bad_discount_are_reported_together() -> None:
    with pytest.raises(RuleViolation) as caught:
        _product(price=Decimal("0"), discount_price=Decimal("-1"))
    assert set(caught.value.errors) == {"price", "discount_price"}


def test_a_vendor_demoted_to_customer_no_longer_manages_their_products() -> None:
    from shopcore.domain.users import Principal
    from shopcore.domain.values import Role

    assert catalog.manages(Principal(1, Role.VENDOR), 1)
    assert not catalog.manages(Principal(1, Role.CUSTOMER), 1)
    assert not catalog.manages(Principal(2, Role.VENDOR), 1)
    assert catalog.manages(Principal(2, Role.ADMIN), 1)
    assert not catalog.manages(None, 1)


# --- order quantities, lines and shipping -------------------------------------------------------


@pytest.mark.parametrize("quantity", [1, MAX_LINE_QUANTITY])
def test_a_line_quantity_from_one_to_the_maximum_is_valid(quantity: int) -> None:
    assert valid_quantity(quantity)
    assert check_quantity(quantity) == quantity


@pytest.mark.parametrize("quantity", [0, MAX_LINE_QUANTITY + 1, True, 2.0, "3"])
def test_a_line_quantity_outside_one_to_the_maximum_or_not_an_int_is_invalid(
    quantity: object,
) -> None:
    assert not valid_quantity(quantity)
    with pytest.raises(RuleViolation) as caught:
        check_quantity(quantity, "items.0.quantity")
    assert caught.value.errors == {
        "items.0.quantity": [f"Must be a whole number from 1 to {MAX_LINE_QUANTITY}."]
    }


def test_adding_to_a_cart_line_up_to_exactly_the_maximum_is_accepted() -> None:
    line = CartLine(1, 1, MAX_LINE_QUANTITY - 1, NOW)
    line.add(1)
    assert line.quantity == MAX_LINE_QUANTITY


def test_adding_to_a_cart_line_one_past_the_maximum_is_refused_and_keeps_the_quantity() -> None:
    line = CartLine(1, 1, MAX_LINE_QUANTITY - 1, NOW)
    with pytest.raises(RuleViolation) as caught:
        line.add(2)
    assert line.quantity == MAX_LINE_QUANTITY - 1
    assert list(caught.value.errors) == ["quantity"]


def test_shipping_is_free_from_exactly_fifty_and_flat_one_cent_below() -> None:
    assert shipping_cost_for(Decimal("50.00")) == Decimal("0.00")
    assert shipping_cost_for(Decimal("49.99")) == FLAT_SHIPPING


def _address(**fields: str) -> ShippingAddress:
    values = {
        "full_name": "Ann Lee", "phone": "+1 555", "address_line1": "1 Main St",
        "city": "Pune", "postal_code": "411001", "country": "IN",
    }  # fmt: skip
    values.update(fields)
    return ShippingAddress(**values)


@pytest.mark.parametrize(("field", "limit"), sorted(ADDRESS_LIMITS.items()))
def test_an_address_field_of_exactly_its_limit_is_accepted(field: str, limit: int) -> None:
    assert getattr(_address(**{field: "x" * limit}), field) == "x" * limit


@pytest.mark.parametrize(("field", "limit"), sorted(ADDRESS_LIMITS.items()))
def test_an_address_field_one_past_its_limit_is_refused_under_its_name(
    field: str, limit: int
) -> None:
    with pytest.raises(RuleViolation) as caught:
        _address(**{field: "x" * (limit + 1)})
    assert caught.value.errors == {f"shipping.{field}": [f"At most {limit} characters."]}


@pytest.mark.parametrize("field", ["full_name", "phone", "address_line1", "city", "country"])
def test_a_required_address_field_that_is_blank_is_refused(field: str) -> None:
    with pytest.raises(RuleViolation) as caught:
        _address(**{field: "   "})
    assert caught.value.errors == {f"shipping.{field}": ["This field may not be blank."]}


def test_the_optional_address_fields_may_be_blank_and_every_field_is_trimmed() -> None:
    address = _address(full_name="  Ann Lee ", address_line2=" ", state="")
    assert (address.full_name, address.address_line2, address.state) == ("Ann Lee", "", "")


# --- reviews --------------------------------------------------------------------------------


@pytest.mark.parametrize("rating", [1, 5])
def test_ratings_of_one_and_five_stars_are_accepted(rating: int) -> None:
    assert check_rating(rating) == rating


@pytest.mark.parametrize("rating", [0, 6, True, 4.5, "5"])
def test_ratings_outside_one_to_five_or_not_whole_numbers_are_refused(rating: object) -> None:
    with pytest.raises(RuleViolation) as caught:
        check_rating(rating)
    assert caught.value.errors == {"rating": ["Must be a whole number from 1 to 5."]}


def test_a_title_of_exactly_its_maximum_is_accepted_and_one_more_is_refused() -> None:
    assert clean_title(" " + "t" * TITLE_MAX + " ") == "t" * TITLE_MAX
    with pytest.raises(RuleViolation) as caught:
        clean_title("t" * (TITLE_MAX + 1))
    assert caught.value.errors == {"title": [f"At most {TITLE_MAX} characters."]}


def test_a_comment_of_exactly_its_maximum_is_accepted_and_one_more_is_refused() -> None:
    assert clean_comment(" " + "c" * COMMENT_MAX + " ") == "c" * COMMENT_MAX
    with pytest.raises(RuleViolation) as caught:
        clean_comment("c" * (COMMENT_MAX + 1))
    assert caught.value.errors == {"comment": [f"At most {COMMENT_MAX} characters."]}


def test_a_blank_comment_is_refused() -> None:
    with pytest.raises(RuleViolation) as caught:
        clean_comment("  \n ")
    assert caught.value.errors == {"comment": ["Must not be empty."]}


# --- slugs and search words -------------------------------------------------------------------


def test_a_slug_cut_at_its_maximum_length_never_ends_in_a_dash() -> None:
    candidates = slug_candidates("tea-pot-big", 8)
    assert [next(candidates) for _ in range(3)] == ["tea-pot", "tea-po-2", "tea-po-3"]


def test_a_numbered_slug_cut_before_a_dash_drops_that_dash_before_its_number() -> None:
    candidates = slug_candidates("ab-cd", 5)
    assert [next(candidates) for _ in range(2)] == ["ab-cd", "ab-2"]


def test_a_slug_exactly_at_its_maximum_length_is_kept_whole() -> None:
    assert next(slug_candidates("tea-pot", 7)) == "tea-pot"


def test_the_first_free_slug_skips_every_taken_candidate() -> None:
    assert first_free_slug("pot", {"pot", "pot-2"}, 20) == "pot-3"
    assert first_free_slug("pot", set(), 20) == "pot"


def test_a_search_keeps_exactly_ten_words_and_drops_the_eleventh() -> None:
    words = " ".join(f"w{i}" for i in range(11))
    assert search_words(words) == tuple(f"w{i}" for i in range(10))


def test_a_search_counts_a_repeated_word_once() -> None:
    assert search_words("Tea tea TEA pot") == ("tea", "pot")
