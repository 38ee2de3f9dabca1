"""Sign-up, sign-in and the lifecycle of tokens.

A *login* is one sign-in. It owns a chain of refresh tokens that rotate on every use; its access
tokens carry its id, so revoking the login (logout, reuse of a spent refresh token, a password
change elsewhere) stops all of them at once, on every server, because the state is in the
database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from shopcore.domain.errors import InvalidCredentials, InvalidToken, RuleViolation
from shopcore.domain.users import Login, Principal, RefreshToken, User
from shopcore.domain.values import SELF_REGISTRATION_ROLES, Email, Role, check_password
from shopcore.ports.security import Clock, IdGenerator, PasswordHasher, TokenClaims, TokenIssuer
from shopcore.ports.unit_of_work import UnitOfWork
from shopcore.use_cases.users import insert_user, new_user


@dataclass(frozen=True)
class AuthSettings:
    access_ttl: timedelta = timedelta(minutes=60)
    refresh_ttl: timedelta = timedelta(days=7)


@dataclass(frozen=True)
class Session:
    """What a successful sign-up, sign-in or refresh returns."""

    user: User
    access: str
    refresh: str


class _TokenMinter:
    """Opens logins and mints their token pairs; shared by the use cases below."""

    def __init__(
        self, *, tokens: TokenIssuer, clock: Clock, ids: IdGenerator, settings: AuthSettings
    ):
        self.tokens, self.clock, self.ids, self.settings = tokens, clock, ids, settings

    def open_login(self, uow: UnitOfWork, user: User) -> Session:
        now = self.clock.now()
        assert user.id is not None
        login = Login(self.ids.token_id(), user.id, now, now + self.settings.refresh_ttl)
        uow.logins.add(login)
        return self.pair(uow, user, login.id, now)

    def pair(self, uow: UnitOfWork, user: User, login_id: str, now: datetime) -> Session:
        assert user.id is not None
        refresh = self._claims(user.id, login_id, "refresh", now, self.settings.refresh_ttl)
        access = self._claims(user.id, login_id, "access", now, self.settings.access_ttl)
        uow.refresh_tokens.add(RefreshToken(refresh.jti, login_id, refresh.expires_at))
        return Session(user, self.tokens.issue(access), self.tokens.issue(refresh))

    def _claims(
        self, uid: int, login_id: str, kind: str, now: datetime, ttl: timedelta
    ) -> TokenClaims:
        return TokenClaims(uid, login_id, self.ids.token_id(), kind, now, now + ttl)


@dataclass(frozen=True)
class RegisterCommand:
    email: str
    password: str
    first_name: str
    last_name: str
    phone: str = ""
    address: str = ""
    role: str = Role.CUSTOMER.value


class RegisterUser:
    """Self-registration as a customer or a vendor, never as an admin; signs the user in."""

    def __init__(self, *, uow: UnitOfWork, hasher: PasswordHasher, minter: _TokenMinter):
        self.uow, self.hasher, self.minter = uow, hasher, minter

    def execute(self, cmd: RegisterCommand) -> Session:
        if cmd.role not in {role.value for role in SELF_REGISTRATION_ROLES}:
            raise RuleViolation(
                "Self-registration may choose customer or vendor only.",
                errors={"role": ["Must be one of: customer, vendor."]},
            )
        user = new_user(self.hasher, self.minter.clock.now(), cmd, Role(cmd.role))
        with self.uow as uow:
            insert_user(uow, user)
            session = self.minter.open_login(uow, user)
            uow.commit()
        return session


@dataclass(frozen=True)
class LogInCommand:
    email: str
    password: str


class LogIn:
    """Checks a password; the same error, after about the same time, for any failure.

    The slow password check runs between two short transactions, so it holds no database
    lock (on SQLite a writing transaction locks the whole database).
    """

    def __init__(self, *, uow: UnitOfWork, hasher: PasswordHasher, minter: _TokenMinter):
        self.uow, self.hasher, self.minter = uow, hasher, minter

    def execute(self, cmd: LogInCommand) -> Session:
        user, rehashed = self._check(cmd)
        with self.uow as uow:
            current = uow.users.get(user.id or 0, lock=True)  # a password change waits, or wins
            if (
                current is None
                or not current.is_active
                or current.password_hash != user.password_hash
            ):
                raise InvalidCredentials()  # deactivated or given a new password meanwhile
            if rehashed is not None:
                current.password_hash = rehashed
                uow.users.save(current)
            session = self.minter.open_login(uow, current)
            uow.commit()
        return session

    def _check(self, cmd: LogInCommand) -> tuple[User, str | None]:
        """The user whose password this is, and a new hash when the parameters changed."""
        email, user = _account_email(cmd.email), None
        if email is not None:
            with self.uow as uow:
                user = uow.users.get_by_email(email.address)
        if user is None:
            self.hasher.verify(self.hasher.decoy_hash(), cmd.password)
            raise InvalidCredentials()
        if not self.hasher.verify(user.password_hash, cmd.password) or not user.is_active:
            raise InvalidCredentials()
        if self.hasher.needs_rehash(user.password_hash):
            return user, self.hasher.hash(cmd.password)
        return user, None


def _account_email(raw: str) -> Email | None:
    """The address as accounts are stored, or None when no account can have it: signing in
    with it is then answered exactly like an unknown address."""
    try:
        return Email(raw)
    except RuleViolation:
        return None


class RefreshSession:
    """Rotates a refresh token. Presenting a spent one revokes its whole login."""

    def __init__(self, *, uow: UnitOfWork, minter: _TokenMinter):
        self.uow, self.minter = uow, minter

    def execute(self, refresh_token: str) -> Session:
        claims = self.minter.tokens.decode(refresh_token, "refresh")
        now = self.minter.clock.now()
        with self.uow as uow:
            # The login row first, locked: a logout or deactivation racing this refresh either
            # went first (then the login reads revoked) or waits, and revokes what we issue.
            login = uow.logins.get(claims.login_id, lock=True)
            if login is None or not login.is_live(now) or login.user_id != claims.subject:
                raise InvalidToken()
            if not uow.refresh_tokens.mark_used(claims.jti, now):
                uow.logins.revoke(login.id, now)
                uow.commit()
                raise InvalidToken("This refresh token was already used; the login is revoked.")
            user = uow.users.get(claims.subject)
            if user is None or not user.is_active:
                raise InvalidToken()
            session = self.minter.pair(uow, user, login.id, now)
            # Sliding: the new refresh token lives a full lifetime, and so does its login.
            uow.logins.extend(login.id, now + self.minter.settings.refresh_ttl)
            uow.commit()
        return session


class LogOut:
    """Ends the login a refresh token belongs to: its access and refresh tokens stop working."""

    def __init__(self, *, uow: UnitOfWork, minter: _TokenMinter):
        self.uow, self.minter = uow, minter

    def execute(self, principal: Principal, refresh_token: str) -> None:
        claims = self.minter.tokens.decode(refresh_token, "refresh")
        if claims.subject != principal.user_id:
            raise InvalidToken("This refresh token belongs to another user.")
        with self.uow as uow:
            uow.logins.revoke(claims.login_id, self.minter.clock.now())
            uow.commit()


class Authenticate:
    """Turns an access token into the caller, checking revocation and deactivation."""

    def __init__(self, *, uow: UnitOfWork, minter: _TokenMinter):
        self.uow, self.minter = uow, minter

    def execute(self, access_token: str) -> Principal:
        claims = self.minter.tokens.decode(access_token, "access")
        with self.uow as uow:
            principal = uow.logins.principal(
                claims.login_id, claims.subject, self.minter.clock.now()
            )
        if principal is None:
            raise InvalidToken()
        return principal


@dataclass(frozen=True)
class ChangePasswordCommand:
    old_password: str
    new_password: str


class ChangePassword:
    """Changes the caller's password and signs out every other login of theirs.

    Like LogIn, it verifies and hashes outside the transaction that writes.
    """

    def __init__(self, *, uow: UnitOfWork, hasher: PasswordHasher, clock: Clock):
        self.uow, self.hasher, self.clock = uow, hasher, clock

    def execute(self, principal: Principal, cmd: ChangePasswordCommand) -> None:
        with self.uow as uow:
            user = uow.users.get(principal.user_id)
        if user is None:
            raise InvalidToken()
        if not self.hasher.verify(user.password_hash, cmd.old_password):
            raise _wrong_old_password()
        check_password(cmd.new_password, user.email, field="new_password")
        new_hash = self.hasher.hash(cmd.new_password)
        with self.uow as uow:
            current = uow.users.get(principal.user_id, lock=True)  # and so do sign-ins
            if current is None or current.password_hash != user.password_hash:
                raise _wrong_old_password()  # changed by a concurrent request
            current.password_hash = new_hash
            uow.users.save(current)
            uow.logins.revoke_all_for_user(
                principal.user_id, self.clock.now(), keep=principal.login_id
            )
            uow.commit()


def _wrong_old_password() -> RuleViolation:
    return RuleViolation(
        "The current password is wrong.", errors={"old_password": ["Wrong password."]}
    )


def make_minter(
    *, tokens: TokenIssuer, clock: Clock, ids: IdGenerator, settings: AuthSettings
) -> _TokenMinter:
    return _TokenMinter(tokens=tokens, clock=clock, ids=ids, settings=settings)
