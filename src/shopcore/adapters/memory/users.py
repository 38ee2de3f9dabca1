"""In-memory repositories for accounts."""

from __future__ import annotations

from datetime import datetime

from shopcore.adapters.memory.base import IntegrityViolation, MemoryTable
from shopcore.domain.users import Login, Principal, RefreshToken, User
from shopcore.ports.users import (
    LoginRepository,
    RefreshTokenRepository,
    UserFilter,
    UserRepository,
)


class MemoryUserRepository(MemoryTable[User], UserRepository):
    table = "users"

    def add(self, user: User) -> None:
        if self.get_by_email(user.email) is not None:
            raise IntegrityViolation("users.email is unique")  # the use case checks first
        self._insert(user)

    def get(self, user_id: int, *, lock: bool = False) -> User | None:
        if lock:  # nothing to wait for (units on the store run one at a time), but noted
            self._lock(user_id)
        return self._get(user_id)

    def get_by_email(self, email: str) -> User | None:
        return self._first(lambda u: u.email == email)

    def save(self, user: User) -> None:
        self._put(user)

    def list(self, filters: UserFilter, offset: int, limit: int) -> tuple[list[User], int]:
        found = [u for u in sorted(self._all(), key=lambda u: u.id or 0) if _matches(u, filters)]
        return found[offset : offset + limit], len(found)


def _matches(user: User, filters: UserFilter) -> bool:
    if filters.role is not None and user.role is not filters.role:
        return False
    if filters.is_active is not None and user.is_active != filters.is_active:
        return False
    if filters.search:  # each field on its own, as the SQL repository's LIKE does
        needle = filters.search.lower()
        return any(needle in text.lower() for text in (user.email, user.first_name, user.last_name))
    return True


class MemoryLoginRepository(MemoryTable[Login], LoginRepository):
    table = "logins"

    def add(self, login: Login) -> None:
        self._insert(login)

    def get(self, login_id: str, *, lock: bool = False) -> Login | None:
        return self._get(login_id)  # units already run one at a time

    def extend(self, login_id: str, expires_at: datetime) -> None:
        login = self.rows.get(login_id)
        if login is not None:
            login.expires_at = expires_at

    def revoke(self, login_id: str, at: datetime) -> None:
        login = self.rows.get(login_id)
        if login is not None and login.revoked_at is None:
            login.revoked_at = at

    def revoke_all_for_user(self, user_id: int, at: datetime, *, keep: str | None = None) -> None:
        for login in self.rows.values():
            if login.user_id == user_id and login.id != keep and login.revoked_at is None:
                login.revoked_at = at

    def principal(self, login_id: str, user_id: int, now: datetime) -> Principal | None:
        login = self.rows.get(login_id)
        user = self.store.tables["users"].get(user_id)
        if login is None or user is None or login.user_id != user_id:
            return None
        if not login.is_live(now) or not user.is_active:
            return None
        return Principal(user_id, user.role, login_id)

    def prune(self, before: datetime) -> int:
        stale = [
            key
            for key, login in self.rows.items()
            if login.expires_at < before or (login.revoked_at and login.revoked_at < before)
        ]
        for key in stale:
            del self.rows[key]
        tokens = self.store.tables["refresh_tokens"]
        for jti in [j for j, t in tokens.items() if t.login_id in stale]:
            del tokens[jti]
        return len(stale)


class MemoryRefreshTokenRepository(MemoryTable[RefreshToken], RefreshTokenRepository):
    table = "refresh_tokens"
    key = "jti"

    def add(self, token: RefreshToken) -> None:
        self._insert(token)

    def get(self, jti: str) -> RefreshToken | None:
        return self._get(jti)

    def mark_used(self, jti: str, at: datetime) -> bool:
        token = self.rows.get(jti)
        if token is None or token.used_at is not None:
            return False
        token.used_at = at
        return True
