"""Profiles, avatars, admins and user administration on in-memory adapters."""

from __future__ import annotations

from typing import Any

import pytest

from shopcore.domain.errors import (
    EmailTaken,
    InvalidImage,
    RuleViolation,
    UserNotFound,
)
from shopcore.domain.users import Principal
from shopcore.domain.values import Role
from shopcore.ports.users import UserFilter
from shopcore.use_cases.auth import LogInCommand, RegisterCommand
from shopcore.use_cases.users import AdminUserChanges, CreateAdminCommand
from tests.unit.conftest import Harness

PNG = b"IMG:64x64:png"


def stored_user(h: Harness, user_id: int) -> Any:
    return h.store.tables["users"][user_id]


def add_user(h: Harness, email: str, first: str, last: str, role: str = "customer") -> int:
    session = h.shop.register_user.execute(
        RegisterCommand(email, "s3cret-pass", first, last, role=role)
    )
    return session.user.id or 0


# --- create-admin -----------------------------------------------------------------------------


def test_create_admin_makes_an_admin_who_can_log_in(harness: Harness) -> None:
    user = harness.shop.create_admin.execute(CreateAdminCommand("Root@Example.com", "s3cret-pass"))

    assert user.role is Role.ADMIN and user.email == "root@example.com"
    session = harness.shop.log_in.execute(LogInCommand("root@example.com", "s3cret-pass"))
    assert harness.shop.authenticate.execute(session.access).is_admin


def test_create_admin_refuses_a_taken_email_and_a_weak_password(harness: Harness) -> None:
    harness.register("root@example.com")

    with pytest.raises(EmailTaken):
        harness.shop.create_admin.execute(CreateAdminCommand("ROOT@example.com", "s3cret-pass"))
    with pytest.raises(RuleViolation):
        harness.shop.create_admin.execute(CreateAdminCommand("new@example.com", "12345678"))
    assert [u.role for u in harness.store.tables["users"].values()] == [Role.CUSTOMER]


def test_create_admin_normalises_the_email_like_sign_up(harness: Harness) -> None:
    harness.register("jos\u00e9@example.com")

    with pytest.raises(EmailTaken):
        harness.shop.create_admin.execute(
            CreateAdminCommand("\uff2aose\u0301@example.com", "s3cret-pass")
        )
    with pytest.raises(RuleViolation):
        harness.shop.create_admin.execute(
            CreateAdminCommand("ro\u200bot@example.com", "s3cret-pass")
        )
    assert [u.role for u in harness.store.tables["users"].values()] == [Role.CUSTOMER]


# --- own profile ------------------------------------------------------------------------------


def test_get_user_returns_the_profile_and_refuses_unknown_ids(harness: Harness) -> None:
    ann = harness.register()

    assert harness.shop.get_user.execute(ann, ann.user_id).email == "ann@example.com"
    with pytest.raises(UserNotFound):
        harness.shop.get_user.execute(harness.admin(), 999)


def test_update_profile_changes_only_the_given_fields_stripped(harness: Harness) -> None:
    ann = harness.register()

    user = harness.shop.update_profile.execute(ann, {"first_name": " Anna ", "phone": "+1 555"})

    assert (user.first_name, user.last_name, user.phone) == ("Anna", "Lee", "+1 555")
    stored = stored_user(harness, ann.user_id)
    assert (stored.first_name, stored.phone, stored.address) == ("Anna", "+1 555", "")


@pytest.mark.parametrize("field", ["email", "role", "is_active", "password_hash"])
def test_update_profile_refuses_fields_outside_the_profile(harness: Harness, field: str) -> None:
    ann = harness.register()

    with pytest.raises(RuleViolation) as caught:
        harness.shop.update_profile.execute(ann, {field: "admin", "first_name": "Eve"})

    assert set(caught.value.errors) == {field}
    assert stored_user(harness, ann.user_id).first_name == "Ann"
    assert stored_user(harness, ann.user_id).role is Role.CUSTOMER


# --- avatar -----------------------------------------------------------------------------------


def test_an_empty_storage_given_to_bootstrap_is_the_one_used(harness: Harness) -> None:
    assert len(harness.storage) == 0  # falsy: bootstrap must not swap it for a disk folder
    assert harness.shop.storage is harness.storage


def test_set_avatar_stores_the_processed_image(harness: Harness) -> None:
    ann = harness.register()

    user = harness.shop.set_avatar.execute(ann, PNG)

    assert user.profile_image is not None
    assert user.profile_image.startswith("avatars/") and user.profile_image.endswith(".png")
    assert harness.storage.open(user.profile_image) == PNG
    assert stored_user(harness, ann.user_id).profile_image == user.profile_image
    assert harness.shop.media_url(user.profile_image) == "/media/" + user.profile_image


def test_a_new_avatar_replaces_and_deletes_the_old_one(harness: Harness) -> None:
    ann = harness.register()
    old = harness.shop.set_avatar.execute(ann, PNG).profile_image

    new = harness.shop.set_avatar.execute(ann, b"IMG:32x32:jpg").profile_image

    assert new != old and new is not None and new.endswith(".jpg")
    assert old not in harness.storage
    assert list(harness.storage.files) == [new]


@pytest.mark.parametrize("data", [b"", b"GIF89a...", b"IMG:0x10:png", b"IMG:10x10:gif"])
def test_a_bad_image_is_refused_and_nothing_is_stored(harness: Harness, data: bytes) -> None:
    ann = harness.register()
    kept = harness.shop.set_avatar.execute(ann, PNG).profile_image

    with pytest.raises(InvalidImage):
        harness.shop.set_avatar.execute(ann, data)

    assert list(harness.storage.files) == [kept]
    assert stored_user(harness, ann.user_id).profile_image == kept


def test_an_avatar_for_a_vanished_user_leaves_no_file_behind(harness: Harness) -> None:
    with pytest.raises(UserNotFound):
        harness.shop.set_avatar.execute(Principal(404, Role.CUSTOMER), PNG)

    assert len(harness.storage) == 0


# --- listing ----------------------------------------------------------------------------------


@pytest.fixture
def people(harness: Harness) -> dict[str, int]:
    ids = {
        "ann": add_user(harness, "ann@example.com", "Ann", "Lee"),
        "bob": add_user(harness, "bob@shop.test", "Bob", "Annis", "vendor"),
        "cid": add_user(harness, "cid@example.com", "Cid", "Moe", "vendor"),
        "dee": add_user(harness, "dee_1%@example.com", "Dee", "Ray"),
    }
    admin = harness.admin()
    ids["root"] = admin.user_id
    harness.shop.deactivate_user.execute(admin, ids["cid"])
    return ids


def listed(h: Harness, offset: int = 0, limit: int = 20, **filters: Any) -> tuple[list[int], int]:
    admin = Principal(
        next(u.id for u in h.store.tables["users"].values() if u.is_admin), Role.ADMIN
    )
    page = h.shop.list_users.execute(admin, UserFilter(**filters), offset, limit)
    return [user.id or 0 for user in page.items], page.total


def test_list_users_orders_by_id_and_counts_all(harness: Harness, people: dict[str, int]) -> None:
    ids, total = listed(harness)

    assert ids == sorted(people.values()) and total == 5


def test_list_users_pages_with_offset_and_limit(harness: Harness, people: dict[str, int]) -> None:
    everyone = sorted(people.values())

    assert listed(harness, 0, 2) == (everyone[:2], 5)
    assert listed(harness, 2, 2) == (everyone[2:4], 5)
    assert listed(harness, 4, 2) == (everyone[4:], 5)
    assert listed(harness, 10, 2) == ([], 5)


def test_list_users_filters_by_role_and_active_flag(
    harness: Harness, people: dict[str, int]
) -> None:
    assert listed(harness, role=Role.VENDOR) == ([people["bob"], people["cid"]], 2)
    assert listed(harness, role=Role.ADMIN) == ([people["root"]], 1)
    assert listed(harness, is_active=False) == ([people["cid"]], 1)
    assert listed(harness, role=Role.VENDOR, is_active=True) == ([people["bob"]], 1)


@pytest.mark.parametrize(
    ("search", "names"),
    [
        ("ANN", ["ann", "bob"]),  # ann's email and first name, bob's last name
        ("shop.test", ["bob"]),
        ("moe", ["cid"]),
        ("%", ["dee"]),  # wildcards are literal text
        ("_", ["dee"]),
        ("ann lee", []),  # each field is matched on its own
        ("\uff21\uff2e\uff2e@", ["ann"]),  # fullwidth, folded as emails are
        ("nobody", []),
    ],
)
def test_list_users_searches_email_and_names_case_insensitively(
    harness: Harness, people: dict[str, int], search: str, names: list[str]
) -> None:
    ids, total = listed(harness, search=search)

    assert ids == [people[name] for name in names] and total == len(names)


def test_list_users_search_composes_accents_as_emails_are_stored(harness: Harness) -> None:
    jose = add_user(harness, "jose\u0301@example.com", "Jo", "Ruiz")
    admin = harness.admin()

    page = harness.shop.list_users.execute(admin, UserFilter(search="JOSE\u0301@"), 0, 20)

    assert [user.id for user in page.items] == [jose]


# --- administration ---------------------------------------------------------------------------


def test_an_admin_changes_a_role_with_immediate_effect(harness: Harness) -> None:
    session = harness.shop.register_user.execute(
        RegisterCommand("ann@example.com", "s3cret-pass", "Ann", "Lee")
    )
    admin = harness.admin()

    user = harness.shop.update_user.execute(
        admin, session.user.id or 0, AdminUserChanges(role=Role.VENDOR)
    )

    assert user.role is Role.VENDOR and user.is_active
    assert harness.shop.authenticate.execute(session.access).role is Role.VENDOR


def test_an_admin_may_promote_another_user_to_admin(harness: Harness) -> None:
    ann, admin = harness.register(), harness.admin()

    harness.shop.update_user.execute(admin, ann.user_id, AdminUserChanges(role=Role.ADMIN))

    assert stored_user(harness, ann.user_id).role is Role.ADMIN


def test_an_empty_change_changes_nothing(harness: Harness) -> None:
    ann, admin = harness.register(), harness.admin()

    user = harness.shop.update_user.execute(admin, ann.user_id, AdminUserChanges())

    assert (user.role, user.is_active) == (Role.CUSTOMER, True)


@pytest.mark.parametrize(
    "changes",
    [
        AdminUserChanges(is_active=False),
        AdminUserChanges(role=Role.CUSTOMER),
        AdminUserChanges(role=Role.VENDOR, is_active=True),
    ],
)
def test_an_admin_cannot_deactivate_or_demote_themselves(
    harness: Harness, changes: AdminUserChanges
) -> None:
    admin = harness.admin()

    with pytest.raises(RuleViolation):
        harness.shop.update_user.execute(admin, admin.user_id, changes)

    stored = stored_user(harness, admin.user_id)
    assert (stored.role, stored.is_active) == (Role.ADMIN, True)


def test_an_admin_cannot_delete_themselves(harness: Harness) -> None:
    admin = harness.admin()

    with pytest.raises(RuleViolation):
        harness.shop.deactivate_user.execute(admin, admin.user_id)
    assert stored_user(harness, admin.user_id).is_active


def test_an_admin_may_keep_their_own_role(harness: Harness) -> None:
    admin = harness.admin()

    user = harness.shop.update_user.execute(
        admin, admin.user_id, AdminUserChanges(role=Role.ADMIN, is_active=True)
    )
    assert user.is_admin and user.is_active


def test_deleting_a_user_deactivates_and_keeps_them(harness: Harness) -> None:
    ann, admin = harness.register(), harness.admin()

    harness.shop.deactivate_user.execute(admin, ann.user_id)

    assert stored_user(harness, ann.user_id).is_active is False
    assert harness.shop.get_user.execute(admin, ann.user_id).email == "ann@example.com"


def test_administering_an_unknown_user_is_not_found(harness: Harness) -> None:
    admin = harness.admin()

    with pytest.raises(UserNotFound):
        harness.shop.update_user.execute(admin, 999, AdminUserChanges(role=Role.VENDOR))
    with pytest.raises(UserNotFound):
        harness.shop.deactivate_user.execute(admin, 999)


def test_profile_update_refuses_a_blank_name_and_changes_nothing(harness):
    from shopcore.domain.errors import RuleViolation

    ann = harness.register()
    with pytest.raises(RuleViolation):
        harness.shop.update_profile.execute(ann, {"first_name": "   "})
    assert harness.shop.get_user.execute(ann, ann.user_id).first_name == "Ann"
