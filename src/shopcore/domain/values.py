"""Value objects and enumerations shared across the domain."""

from __future__ import annotations

import enum
import re
import unicodedata
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


def normalize_email(raw: str) -> str:
    """Emails are unique case-insensitively, so they are kept lower-case (and in Unicode NFC,
    so the composed and decomposed spellings of an accented letter are one address)."""
    email = unicodedata.normalize("NFC", raw.strip()).lower()
    if len(email) > 254 or not _EMAIL.match(email):
        raise RuleViolation(
            "Enter a valid email address.", errors={"email": ["Not a valid email."]}
        )
    return email


def clean_name(value: str, field: str) -> str:
    """A person's name, trimmed; a name that is given must not be only white space."""
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
