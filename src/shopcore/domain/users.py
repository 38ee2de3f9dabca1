"""Accounts: users and their logins (one login = one chain of refresh tokens)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from shopcore.domain.errors import PermissionDenied
from shopcore.domain.values import Role, clean_person_name


@dataclass
class User:
    email: str
    password_hash: str
    first_name: str
    last_name: str
    date_joined: datetime
    role: Role = Role.CUSTOMER
    phone: str = ""
    address: str = ""
    profile_image: str | None = None
    is_active: bool = True
    id: int | None = None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def update_profile(self, **changes: str) -> None:
        for name in ("first_name", "last_name"):
            if name in changes:
                setattr(self, name, clean_person_name(changes[name], name))
        for name in ("phone", "address"):
            if name in changes:
                setattr(self, name, changes[name].strip())


@dataclass
class Login:
    """One sign-in. Its refresh tokens rotate; revoking it kills every token it issued."""

    id: str
    user_id: int
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None

    def is_live(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at


@dataclass
class RefreshToken:
    jti: str
    login_id: str
    expires_at: datetime
    used_at: datetime | None = None


@dataclass(frozen=True)
class Principal:
    """Who is calling: what the web layer passes to use cases after authenticating a request."""

    user_id: int
    role: Role
    login_id: str = ""

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def ensure_admin(self, message: str = "Only admins may do this.") -> None:
        """Every admin-only use case calls this itself: the web layer's role check is only the
        first line, and shopcore is also used from Python, without HTTP."""
        if not self.is_admin:
            raise PermissionDenied(message)

    def ensure_self_or_admin(self, user_id: int, message: str) -> None:
        if user_id != self.user_id and not self.is_admin:
            raise PermissionDenied(message)
