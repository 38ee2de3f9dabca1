"""Ports for passwords, tokens and time."""

from __future__ import annotations

import abc
from dataclasses import dataclass
from datetime import datetime


class PasswordHasher(abc.ABC):
    """Hashes and verifies passwords."""

    @abc.abstractmethod
    def hash(self, password: str) -> str: ...

    @abc.abstractmethod
    def verify(self, password_hash: str, password: str) -> bool:
        """True when ``password`` matches; never raises for a mismatch."""

    @abc.abstractmethod
    def needs_rehash(self, password_hash: str) -> bool:
        """True when the hash was made with weaker parameters than the current ones."""

    @abc.abstractmethod
    def decoy_hash(self) -> str:
        """A hash of no one's password, made with the current parameters.

        Verifying against it costs what a real check costs, so a sign-in for an unknown email
        takes as long as one with a wrong password.
        """


@dataclass(frozen=True)
class TokenClaims:
    subject: int
    login_id: str
    jti: str
    kind: str  # "access" or "refresh"
    issued_at: datetime
    expires_at: datetime


class TokenIssuer(abc.ABC):
    """Signs and checks bearer tokens."""

    @abc.abstractmethod
    def issue(self, claims: TokenClaims) -> str: ...

    @abc.abstractmethod
    def decode(self, token: str, kind: str) -> TokenClaims:
        """Return the claims of a valid token of ``kind``; raise InvalidToken otherwise."""


class Clock(abc.ABC):
    @abc.abstractmethod
    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""


class IdGenerator(abc.ABC):
    """Random identifiers: token ids, login ids, order numbers."""

    @abc.abstractmethod
    def token_id(self) -> str: ...

    @abc.abstractmethod
    def order_number(self, now: datetime) -> str: ...
