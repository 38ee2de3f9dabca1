"""SQL repositories for users, logins and refresh tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from shopcore.domain.errors import EmailTaken
from shopcore.domain.users import Login, Principal, RefreshToken, User
from shopcore.domain.values import Role
from shopcore.ports.users import (
    LoginRepository,
    RefreshTokenRepository,
    UserFilter,
    UserRepository,
)

from .tables import logins, refresh_tokens, storable, users

_USER_FIELDS = (
    "email", "password_hash", "first_name", "last_name", "phone", "address",
    "profile_image", "is_active", "date_joined",
)  # fmt: skip


def _user_row(user: User) -> dict[str, Any]:
    row = {name: getattr(user, name) for name in _USER_FIELDS}
    row["role"] = user.role.value
    return row


def user_from_row(row: Any) -> User:
    data = dict(row._mapping)
    data["role"] = Role(data["role"])
    return User(**{key: data[key] for key in (*_USER_FIELDS, "role", "id")})


def escape_like(text: str) -> str:
    """Make user text literal inside a LIKE pattern (used with ``escape='\\\\'``)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class SqlUserRepository(UserRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, user: User) -> None:
        try:
            result = self.conn.execute(insert(users).values(_user_row(user)))
        except IntegrityError as exc:  # a concurrent sign-up with the same email won
            raise EmailTaken(errors={"email": ["A user with this email already exists."]}) from exc
        key = result.inserted_primary_key
        assert key is not None
        user.id = int(key[0])

    def get(self, user_id: int, *, lock: bool = False) -> User | None:
        stmt = select(users).where(users.c.id == user_id)
        row = self.conn.execute(stmt.with_for_update() if lock else stmt).first()
        return None if row is None else user_from_row(row)

    def get_by_email(self, email: str) -> User | None:
        if not storable(email):
            return None
        row = self.conn.execute(select(users).where(users.c.email == email)).first()
        return None if row is None else user_from_row(row)

    def save(self, user: User) -> None:
        self.conn.execute(update(users).where(users.c.id == user.id).values(_user_row(user)))

    def list(self, filters: UserFilter, offset: int, limit: int) -> tuple[list[User], int]:
        conditions = []
        if filters.role is not None:
            conditions.append(users.c.role == filters.role.value)
        if filters.is_active is not None:
            conditions.append(users.c.is_active == filters.is_active)
        if filters.search:
            pattern = f"%{escape_like(filters.search.lower())}%"
            columns = (users.c.email, users.c.first_name, users.c.last_name)
            conditions.append(or_(*(func.lower(c).like(pattern, escape="\\") for c in columns)))
        where = and_(True, *conditions)
        total = self.conn.execute(select(func.count()).select_from(users).where(where)).scalar_one()
        rows = self.conn.execute(
            select(users).where(where).order_by(users.c.id).offset(offset).limit(limit)
        )
        return [user_from_row(row) for row in rows], total


class SqlLoginRepository(LoginRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, login: Login) -> None:
        self.conn.execute(insert(logins).values(vars(login)))

    def get(self, login_id: str, *, lock: bool = False) -> Login | None:
        stmt = select(logins).where(logins.c.id == login_id)
        row = self.conn.execute(stmt.with_for_update() if lock else stmt).first()
        return None if row is None else Login(**row._mapping)

    def extend(self, login_id: str, expires_at: datetime) -> None:
        self.conn.execute(
            update(logins).where(logins.c.id == login_id).values(expires_at=expires_at)
        )

    def revoke(self, login_id: str, at: datetime) -> None:
        self.conn.execute(
            update(logins)
            .where(logins.c.id == login_id, logins.c.revoked_at.is_(None))
            .values(revoked_at=at)
        )

    def revoke_all_for_user(self, user_id: int, at: datetime, *, keep: str | None = None) -> None:
        stmt = update(logins).where(logins.c.user_id == user_id, logins.c.revoked_at.is_(None))
        if keep:
            stmt = stmt.where(logins.c.id != keep)
        self.conn.execute(stmt.values(revoked_at=at))

    def principal(self, login_id: str, user_id: int, now: datetime) -> Principal | None:
        row = self.conn.execute(
            select(users.c.id, users.c.role)
            .join(logins, logins.c.user_id == users.c.id)
            .where(
                logins.c.id == login_id,
                users.c.id == user_id,
                users.c.is_active.is_(True),
                logins.c.revoked_at.is_(None),
                logins.c.expires_at > now,
            )
        ).first()
        return None if row is None else Principal(row.id, Role(row.role), login_id)

    def prune(self, before: datetime) -> int:
        stale = or_(logins.c.expires_at < before, logins.c.revoked_at < before)
        return self.conn.execute(delete(logins).where(stale)).rowcount


class SqlRefreshTokenRepository(RefreshTokenRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, token: RefreshToken) -> None:
        self.conn.execute(insert(refresh_tokens).values(vars(token)))

    def get(self, jti: str) -> RefreshToken | None:
        row = self.conn.execute(select(refresh_tokens).where(refresh_tokens.c.jti == jti)).first()
        return None if row is None else RefreshToken(**row._mapping)

    def mark_used(self, jti: str, at: datetime) -> bool:
        # A conditional UPDATE: of two racing refreshes with one token, exactly one matches.
        result = self.conn.execute(
            update(refresh_tokens)
            .where(refresh_tokens.c.jti == jti, refresh_tokens.c.used_at.is_(None))
            .values(used_at=at)
        )
        return result.rowcount == 1
