"""Value objects and rules of the domain: money, roles, emails and passwords."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shopcore.domain.errors import RuleViolation
from shopcore.domain.values import (
    SELF_REGISTRATION_ROLES,
    Email,
    Role,
    check_password,
    fold_email_text,
    money,
    password_problems,
)

# --- money ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0.005", "0.01"),
        ("0.004", "0.00"),
        ("2.675", "2.68"),  # 2.675 as a float is 2.67499..., as a decimal it rounds up
        ("1.115", "1.12"),
        ("-0.005", "-0.01"),  # half-up rounds away from zero
        ("-2.675", "-2.68"),
        ("19.99", "19.99"),
        ("19.9", "19.90"),
        (" 7 ", "7.00"),
        ("1e2", "100.00"),
    ],
)
def test_money_rounds_half_up_to_the_cent(raw: str, expected: str) -> None:
    assert str(money(raw)) == expected


def test_money_keeps_ints_and_decimals_exact() -> None:
    assert money(5) == Decimal("5.00")
    assert money(Decimal("0.125")) == Decimal("0.13")
    assert str(money(Decimal("10"))) == "10.00"


@pytest.mark.parametrize("value", [19.99, 0.1, 1.0, float("nan")])
def test_money_refuses_floats(value: float) -> None:
    with pytest.raises(TypeError, match="float"):
        money(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [True, False])
def test_money_refuses_booleans(value: bool) -> None:
    with pytest.raises(TypeError):
        money(value)


@pytest.mark.parametrize("value", ["abc", "", "1,50", "NaN", "Infinity", "-inf", "sNaN"])
def test_money_refuses_what_is_not_an_amount(value: str) -> None:
    with pytest.raises(RuleViolation):
        money(value)


# --- roles ------------------------------------------------------------------------------------


def test_only_customers_and_vendors_may_register_themselves() -> None:
    assert SELF_REGISTRATION_ROLES == {Role.CUSTOMER, Role.VENDOR}


def test_vendors_and_admins_can_sell_customers_cannot() -> None:
    assert Role.VENDOR.can_sell and Role.ADMIN.can_sell
    assert not Role.CUSTOMER.can_sell


def test_roles_read_as_their_json_values() -> None:
    assert [role.value for role in Role] == ["customer", "vendor", "admin"]
    assert Role("vendor") is Role.VENDOR


# --- emails -----------------------------------------------------------------------------------


def test_emails_are_stripped_and_lower_cased() -> None:
    assert Email("  Ann.Lee@Example.COM ").address == "ann.lee@example.com"


@pytest.mark.parametrize(
    "raw",
    ["", "ann", "ann@", "@example.com", "ann@example", "ann lee@example.com", "a@b@c.com",
     "x" * 250 + "@example.com"],
)  # fmt: skip
def test_malformed_emails_are_refused_with_a_field_error(raw: str) -> None:
    with pytest.raises(RuleViolation) as caught:
        Email(raw)
    assert set(caught.value.errors) == {"email"}


@pytest.mark.parametrize(
    "spelling",
    [
        "jos\u00e9@example.com",  # composed
        "Jose\u0301@Example.com",  # decomposed
        "\uff2a\uff4f\uff53\u00e9@example.com",  # fullwidth Jos, composed é
        "jose\u0301\uff20\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45\uff0e\uff43\uff4f\uff4d",
    ],
)
def test_every_spelling_of_one_mailbox_is_one_email(spelling: str) -> None:
    assert Email(spelling).address == "jos\u00e9@example.com"


def test_halfwidth_forms_are_folded_too() -> None:
    assert Email("\uff76\uff85@example.com").address == "\u30ab\u30ca@example.com"  # ｶﾅ -> カナ


@pytest.mark.parametrize(
    "char",
    ["\u200b", "\u00ad", "\u200d", "\u2060", "\ufeff", "\u202e", "\u0007", "\u3164", "\ufe0f",
     "\ue000"],
)  # fmt: skip
def test_an_email_with_an_invisible_character_is_refused(char: str) -> None:
    with pytest.raises(RuleViolation) as caught:
        Email(f"ann{char}@example.com")

    assert list(caught.value.errors) == ["email"]
    assert "Invisible" in caught.value.errors["email"][0]


@pytest.mark.parametrize(
    "raw", ["Ann@Example.com", "\uff21nn@example.com", "Jose\u0301@example.com", "\u0130x@ex.com"]
)
def test_the_canonical_email_is_its_own_canonical_form(raw: str) -> None:
    once = Email(raw).address

    assert Email(once).address == once and fold_email_text(once) == once


def test_folding_email_text_keeps_partial_addresses_that_are_not_emails() -> None:
    assert fold_email_text("\uff21NN@") == "ann@"


# --- passwords --------------------------------------------------------------------------------


def test_a_good_password_has_no_problems() -> None:
    assert password_problems("s3cret-pass", "ann@example.com") == []
    check_password("s3cret-pass", "ann@example.com")


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("short1!", "at least 8"),
        ("", "at least 8"),
        ("1234567890", "numeric"),
        ("ann@example.com", "same as the email"),
        ("ANN@Example.com", "same as the email"),
        ("x" * 257, "at most 256"),
    ],
)
def test_weak_passwords_are_refused_on_the_given_field(password: str, fragment: str) -> None:
    with pytest.raises(RuleViolation) as caught:
        check_password(password, "ann@example.com", field="new_password")
    assert list(caught.value.errors) == ["new_password"]
    assert any(fragment in message for message in caught.value.errors["new_password"])


def test_a_password_may_break_several_rules_at_once() -> None:
    assert len(password_problems("1234", "ann@example.com")) == 2


def test_composed_and_decomposed_accents_are_one_email():
    assert Email("Jose\u0301@example.com") == Email("jos\u00e9@example.com")


def test_a_name_of_only_white_space_is_refused():
    from shopcore.domain.errors import RuleViolation
    from shopcore.domain.values import clean_person_name

    assert clean_person_name("  Ann ", "first_name") == "Ann"
    assert clean_person_name("", "last_name") == ""
    with pytest.raises(RuleViolation) as caught:
        clean_person_name("   ", "first_name")
    assert caught.value.errors == {"first_name": ["Must not be blank."]}
