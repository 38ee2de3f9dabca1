"""Value objects and enumerations shared across the domain."""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from shopcore.domain.errors import RuleViolation

CENT = Decimal("0.01")


def money(value: Decimal | int | str) -> Decimal:
    """Return ``value`` as a Decimal rounded half-up to the cent.

    Floats are refused: money never passes through binary floating point.
    """
    if isinstance(value, float | bool):
        raise TypeError("money must be a Decimal, an int or a decimal string, never a float")
    try:
        amount = Decimal(value)
    except InvalidOperation as exc:
        raise RuleViolation(f"{value!r} is not an amount of money.") from exc
    if not amount.is_finite():
        raise RuleViolation(f"{value!r} is not an amount of money.")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


class Role(enum.StrEnum):
    CUSTOMER = "customer"
    VENDOR = "vendor"
    ADMIN = "admin"

    @property
    def can_sell(self) -> bool:
        return self in (Role.VENDOR, Role.ADMIN)


SELF_REGISTRATION_ROLES = frozenset({Role.CUSTOMER, Role.VENDOR})

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
EMAIL_MAX = 254
# Invisible characters outside the "C" categories: the Hangul fillers, the
# combining grapheme joiner and the variation selectors (Unicode's Default_Ignorable_Code_Point
# set, beyond the format characters, which the category check already refuses).
_INVISIBLE = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0"
    + "".join(map(chr, range(0x180B, 0x1810)))
    + "".join(map(chr, range(0xFE00, 0xFE10)))
)
_INVALID_EMAIL = {"email": ["Not a valid email."]}


def fold_email_text(text: str) -> str:
    """``text`` with fullwidth and halfwidth forms mapped to their ordinary letters, lower-cased
    and in Unicode NFC: the mapping of RFC 8265's UsernameCaseMapped profile (PRECIS).

    ``Ｊｏｓé`` (fullwidth), ``JOSE`` + U+0301 (decomposed) and ``josé`` are then one spelling.
    Other compatibility characters (ligatures, superscripts) are left as they are.
    """
    narrowed = "".join(_without_width(char) for char in text)
    # NFC again after lower-casing: lower() can produce a sequence that composes differently.
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", narrowed).lower())


def _without_width(char: str) -> str:
    tag = unicodedata.decomposition(char)
    if tag.startswith(("<wide>", "<narrow>")):
        return unicodedata.normalize("NFKC", char)
    return char


def _is_invisible(char: str) -> bool:
    """Format (zero-width space, soft hyphen, bidi marks), control, private-use, surrogate and
    unassigned characters, and the other default-ignorable ones. (Spaces are refused by the
    address pattern.)"""
    return unicodedata.category(char).startswith("C") or char in _INVISIBLE


@dataclass(frozen=True)
class Email:
    """An email address in its one canonical spelling, the identity of an account.

    Emails are unique case-insensitively, so they are kept lower-case; in NFC, so the composed
    and decomposed spellings of an accented letter are one address; with width forms folded,
    so ``ａｎｎ@example.com`` is ``ann@example.com``. An address holding an invisible character
    (a zero-width space U+200B, a soft hyphen U+00AD...) is refused: it would look like one
    account and be another. Every path that takes an email (sign-up, sign-in, create-admin)
    goes through this one type.
    """

    address: str

    def __post_init__(self) -> None:
        raw = self.address.strip()
        if any(_is_invisible(char) for char in raw):
            raise RuleViolation(
                "An email address must not contain invisible or control characters.",
                errors={"email": ["Invisible and control characters are not allowed."]},
            )
        address = fold_email_text(raw)
        if len(address) > EMAIL_MAX or not _EMAIL.match(address):
            raise RuleViolation("Enter a valid email address.", errors=_INVALID_EMAIL)
        object.__setattr__(self, "address", address)

    def __str__(self) -> str:
        return self.address


def clean_person_name(value: str, field: str) -> str:
    """A person's first or last name, trimmed; it may be empty, but a name that is given must not
    be only white space. (Product and category names follow ``catalog.clean_catalog_name``.)"""
    name = value.strip()
    if value and not name:
        raise RuleViolation("Names must not be blank.", errors={field: ["Must not be blank."]})
    return name


def password_problems(password: str, email: str) -> list[str]:
    """The contract's password rules; an empty list means the password is acceptable."""
    problems = []
    if len(password) < 8:
        problems.append("Password must be at least 8 characters long.")
    if password.isdigit():
        problems.append("Password must not be entirely numeric.")
    if password.strip().lower() == email.strip().lower():
        problems.append("Password must not be the same as the email.")
    if len(password) > 256:
        problems.append("Password must be at most 256 characters long.")
    return problems


def check_password(password: str, email: str, field: str = "password") -> None:
    problems = password_problems(password, email)
    if problems:
        raise RuleViolation("The password is too weak.", errors={field: problems})
