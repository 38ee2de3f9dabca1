"""Repositories for accounts. Repositories never commit: the unit of work does."""

from __future__ import annotations

import abc
from dataclasses import dataclass
from datetime import datetime

from shopcore.domain.users import Login, Principal, RefreshToken, User
from shopcore.domain.values import Role


@dataclass(frozen=True)
class UserFilter:
    role: Role | None = None
    is_active: bool | None = None
    search: str | None = None  # matches email, first or last name, case-insensitively


class UserRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, user: User) -> None:
        """Insert ``user`` and set its ``id``."""

    @abc.abstractmethod
    def get(self, user_id: int, *, lock: bool = False) -> User | None:
        """``lock``: read the latest row and hold it until the unit ends, so that a sign-in, a
        password change and a deactivation of one user take turns instead of missing each
        other (a login opened with the old password while the password changes)."""

    @abc.abstractmethod
    def get_by_email(self, email: str) -> User | None:
        """Look up by the normalized (lower-case) email."""

    @abc.abstractmethod
    def save(self, user: User) -> None:
        """Write back every field of an existing user."""

    @abc.abstractmethod
    def list(self, filters: UserFilter, offset: int, limit: int) -> tuple[list[User], int]:
        """One page of users ordered by id, and the total count matching ``filters``."""


class LoginRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, login: Login) -> None: ...

    @abc.abstractmethod
    def get(self, login_id: str, *, lock: bool = False) -> Login | None:
        """``lock``: read the latest row and hold it until the unit ends. A refresh locks its
        login first, before it writes anything, and every revocation writes the login row
        first too (a deactivation or password change after the user row), so a refresh and a
        revocation of one login take turns in one order instead of deadlocking, and whichever
        comes second sees what the first did."""

    @abc.abstractmethod
    def extend(self, login_id: str, expires_at: datetime) -> None:
        """Move the expiry of a login (each rotated refresh token lives a full lifetime)."""

    @abc.abstractmethod
    def revoke(self, login_id: str, at: datetime) -> None:
        """Revoke one login (idempotent: an already revoked one keeps its first time)."""

    @abc.abstractmethod
    def revoke_all_for_user(self, user_id: int, at: datetime, *, keep: str | None = None) -> None:
        """Revoke every live login of ``user_id`` except ``keep``."""

    @abc.abstractmethod
    def principal(self, login_id: str, user_id: int, now: datetime) -> Principal | None:
        """The caller behind a live login of an active user, in one look-up; None otherwise."""

    @abc.abstractmethod
    def prune(self, before: datetime) -> int:
        """Delete logins that expired or were revoked before ``before``; return how many."""


class RefreshTokenRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, token: RefreshToken) -> None: ...

    @abc.abstractmethod
    def get(self, jti: str) -> RefreshToken | None: ...

    @abc.abstractmethod
    def mark_used(self, jti: str, at: datetime) -> bool:
        """Spend a token atomically: True for the one caller that spends it, else False."""
