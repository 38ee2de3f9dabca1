"""Profiles and user administration."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from shopcore.domain.errors import EmailTaken, RuleViolation, UserNotFound
from shopcore.domain.users import Principal, User
from shopcore.domain.values import Email, Role, check_password, clean_person_name, fold_email_text
from shopcore.ports.security import Clock, PasswordHasher
from shopcore.ports.storage import FileStorage, ImageProcessor
from shopcore.ports.unit_of_work import UnitOfWork
from shopcore.ports.users import UserFilter
from shopcore.use_cases.common import Page


class NewUser(Protocol):
    """What a new account is made from (read-only, so frozen commands fit)."""

    @property
    def email(self) -> str: ...
    @property
    def password(self) -> str: ...
    @property
    def first_name(self) -> str: ...
    @property
    def last_name(self) -> str: ...
    @property
    def phone(self) -> str: ...
    @property
    def address(self) -> str: ...


def new_user(hasher: PasswordHasher, now: datetime, new: NewUser, role: Role) -> User:
    """Validate a new account and hash its password; shared by sign-up and create-admin.

    Hashing is slow on purpose, so callers do it before opening their transaction.
    """
    email = Email(new.email).address
    check_password(new.password, email)
    return User(
        email=email,
        password_hash=hasher.hash(new.password),
        first_name=clean_person_name(new.first_name, "first_name"),
        last_name=clean_person_name(new.last_name, "last_name"),
        phone=new.phone.strip(),
        address=new.address.strip(),
        role=role,
        date_joined=now,
    )


def insert_user(uow: UnitOfWork, user: User) -> None:
    """Insert a user made by ``new_user``, unless the email is taken (in any case)."""
    if uow.users.get_by_email(user.email) is not None:
        raise EmailTaken(errors={"email": ["A user with this email already exists."]})
    uow.users.add(user)


def _get_user(uow: UnitOfWork, user_id: int, *, lock: bool = False) -> User:
    user = uow.users.get(user_id, lock=lock)
    if user is None:
        raise UserNotFound()
    return user


@dataclass(frozen=True)
class CreateAdminCommand:
    email: str
    password: str
    first_name: str = "Admin"
    last_name: str = ""
    phone: str = ""
    address: str = ""


class CreateAdmin:
    """Makes an admin (the only way to get one besides an admin promoting a user)."""

    def __init__(self, *, uow: UnitOfWork, hasher: PasswordHasher, clock: Clock):
        self.uow, self.hasher, self.clock = uow, hasher, clock

    def execute(self, cmd: CreateAdminCommand) -> User:
        user = new_user(self.hasher, self.clock.now(), cmd, Role.ADMIN)
        with self.uow as uow:
            insert_user(uow, user)
            uow.commit()
        return user


class GetUser:
    """The caller's own profile, or (for admins) anyone's."""

    def __init__(self, *, uow: UnitOfWork):
        self.uow = uow

    def execute(self, principal: Principal, user_id: int) -> User:
        principal.ensure_self_or_admin(user_id, "Only admins see other users.")
        with self.uow as uow:
            return _get_user(uow, user_id)


_PROFILE_FIELDS = ("first_name", "last_name", "phone", "address")


class UpdateProfile:
    def __init__(self, *, uow: UnitOfWork):
        self.uow = uow

    def execute(self, principal: Principal, changes: dict[str, str]) -> User:
        unknown = set(changes) - set(_PROFILE_FIELDS)
        if unknown:
            raise RuleViolation(
                errors={name: ["This field cannot be changed."] for name in unknown}
            )
        with self.uow as uow:
            user = _get_user(uow, principal.user_id)
            user.update_profile(**changes)
            uow.users.save(user)
            uow.commit()
        return user


class SetAvatar:
    """Stores a verified, re-encoded profile picture and drops the previous one.

    The image is processed and written before the transaction opens, so slow image work never
    holds database locks; a failed transaction removes the new file again.
    """

    def __init__(self, *, uow: UnitOfWork, images: ImageProcessor, storage: FileStorage):
        self.uow, self.images, self.storage = uow, images, storage

    def execute(self, principal: Principal, data: bytes) -> User:
        processed = self.images.process(data)
        name = f"avatars/{uuid.uuid4().hex}.{processed.extension}"
        self.storage.save(name, processed.data)
        try:
            with self.uow as uow:
                user = _get_user(uow, principal.user_id)
                previous, user.profile_image = user.profile_image, name
                uow.users.save(user)
                uow.commit()
        except BaseException:
            self.storage.delete(name)
            raise
        if previous:
            self.storage.delete(previous)
        return user


class ListUsers:
    """Admins list users; the search matches emails as they are stored (see ``Email``)."""

    def __init__(self, *, uow: UnitOfWork):
        self.uow = uow

    def execute(
        self, principal: Principal, filters: UserFilter, offset: int, limit: int
    ) -> Page[User]:
        principal.ensure_admin("Only admins list users.")
        if filters.search is not None:
            filters = replace(filters, search=fold_email_text(filters.search))
        with self.uow as uow:
            items, total = uow.users.list(filters, offset, limit)
        return Page(items, total)


@dataclass(frozen=True)
class AdminUserChanges:
    role: Role | None = None
    is_active: bool | None = None


class UpdateUser:
    """An admin changes someone's role or (de)activates them; deactivation signs them out."""

    def __init__(self, *, uow: UnitOfWork, clock: Clock):
        self.uow, self.clock = uow, clock

    def execute(self, admin: Principal, user_id: int, changes: AdminUserChanges) -> User:
        admin.ensure_admin("Only admins change users' roles and active flags.")
        if user_id == admin.user_id and (
            changes.is_active is False or changes.role not in (None, Role.ADMIN)
        ):
            raise RuleViolation("Admins cannot deactivate or demote themselves.")
        with self.uow as uow:
            # Locked: the user row, then its logins, the order sign-ins and password changes use.
            user = _get_user(uow, user_id, lock=True)
            if changes.role is not None:
                user.role = changes.role
            if changes.is_active is not None:
                user.is_active = changes.is_active
            uow.users.save(user)
            if not user.is_active:
                uow.logins.revoke_all_for_user(user_id, self.clock.now())
            uow.commit()
        return user


class DeactivateUser:
    """DELETE of a user: deactivates, never erases, so their orders stay intact."""

    def __init__(self, *, uow: UnitOfWork, clock: Clock):
        self.uow, self.clock = uow, clock

    def execute(self, admin: Principal, user_id: int) -> None:
        UpdateUser(uow=self.uow, clock=self.clock).execute(
            admin, user_id, AdminUserChanges(is_active=False)
        )
