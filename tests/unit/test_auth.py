"""Sign-up, sign-in, refresh rotation, logout and password changes on in-memory adapters."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from shopcore.domain.errors import (
    EmailTaken,
    InvalidCredentials,
    InvalidToken,
    RuleViolation,
)
from shopcore.domain.users import Principal
from shopcore.domain.values import Role
from shopcore.use_cases.auth import (
    ChangePasswordCommand,
    LogInCommand,
    RegisterCommand,
    Session,
)
from shopcore.use_cases.users import AdminUserChanges
from tests.unit.conftest import Harness

PASSWORD = "s3cret-pass"


def sign_up(h: Harness, email: str = "ann@example.com", **extra: Any) -> Session:
    return h.shop.register_user.execute(RegisterCommand(email, PASSWORD, "Ann", "Lee", **extra))


def log_in(h: Harness, email: str = "ann@example.com", password: str = PASSWORD) -> Session:
    return h.shop.log_in.execute(LogInCommand(email, password))


def who(h: Harness, session: Session) -> Principal:
    return h.shop.authenticate.execute(session.access)


def users_in_store(h: Harness) -> list[Any]:
    return list(h.store.tables["users"].values())


def count_verifies(h: Harness, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the hash every password verification runs against."""
    hashes: list[str] = []
    verify: Callable[[str, str], bool] = h.hasher.verify

    def recording(password_hash: str, password: str) -> bool:
        hashes.append(password_hash)
        return verify(password_hash, password)

    monkeypatch.setattr(h.hasher, "verify", recording)
    return hashes


# --- register ---------------------------------------------------------------------------------


def test_register_makes_a_customer_by_default_and_signs_them_in(harness: Harness) -> None:
    session = sign_up(harness)

    assert session.user.role is Role.CUSTOMER and session.user.is_active
    assert session.user.date_joined == harness.clock.now()
    principal = who(harness, session)
    assert (principal.user_id, principal.role) == (session.user.id, Role.CUSTOMER)
    assert principal.login_id in harness.store.tables["logins"]
    assert harness.shop.refresh_session.execute(session.refresh).user.id == session.user.id


def test_register_may_choose_vendor(harness: Harness) -> None:
    session = sign_up(harness, role="vendor")

    assert session.user.role is Role.VENDOR
    assert who(harness, session).role is Role.VENDOR


@pytest.mark.parametrize("role", ["admin", "superuser", "", "Customer"])
def test_register_refuses_admin_and_unknown_roles_and_stores_nothing(
    harness: Harness, role: str
) -> None:
    with pytest.raises(RuleViolation) as caught:
        sign_up(harness, role=role)

    assert set(caught.value.errors) == {"role"}
    assert users_in_store(harness) == []
    assert harness.store.tables["logins"] == {}


@pytest.mark.parametrize(
    "password", ["short7!", "12345678901", "ann@example.com", "ANN@EXAMPLE.COM"]
)
def test_register_refuses_weak_passwords_and_stores_nothing(
    harness: Harness, password: str
) -> None:
    with pytest.raises(RuleViolation) as caught:
        harness.shop.register_user.execute(
            RegisterCommand("ann@example.com", password, "Ann", "Lee")
        )

    assert set(caught.value.errors) == {"password"}
    assert users_in_store(harness) == []


def test_register_stores_the_email_lower_case_and_the_password_hashed(harness: Harness) -> None:
    session = sign_up(harness, email="  Ann.Lee@Example.COM ")

    (stored,) = users_in_store(harness)
    assert session.user.email == stored.email == "ann.lee@example.com"
    assert stored.password_hash == harness.hasher.hash(PASSWORD) != PASSWORD


def test_register_strips_names_phone_and_address(harness: Harness) -> None:
    session = harness.shop.register_user.execute(
        RegisterCommand("ann@example.com", PASSWORD, " Ann ", " Lee ", " +1 555 ", " Main St 1 ")
    )

    user = session.user
    assert (user.first_name, user.last_name, user.phone, user.address) == (
        "Ann", "Lee", "+1 555", "Main St 1",
    )  # fmt: skip


def test_register_refuses_a_malformed_email(harness: Harness) -> None:
    with pytest.raises(RuleViolation) as caught:
        sign_up(harness, email="not-an-email")

    assert set(caught.value.errors) == {"email"}
    assert users_in_store(harness) == []


@pytest.mark.parametrize("email", ["ann@example.com", "ANN@example.com", " Ann@Example.Com"])
def test_register_refuses_an_email_taken_in_any_case(harness: Harness, email: str) -> None:
    sign_up(harness)

    with pytest.raises(EmailTaken) as caught:
        sign_up(harness, email=email)

    assert set(caught.value.errors) == {"email"}
    assert len(users_in_store(harness)) == 1


# --- log in -----------------------------------------------------------------------------------


def test_log_in_opens_a_new_login_with_its_own_tokens(harness: Harness) -> None:
    first = sign_up(harness)

    second = log_in(harness, email="ANN@example.com ")

    assert second.user.id == first.user.id
    assert who(harness, second).login_id != who(harness, first).login_id
    assert len(harness.store.tables["logins"]) == 2


def test_unknown_email_and_wrong_password_fail_identically(harness: Harness) -> None:
    sign_up(harness)

    with pytest.raises(InvalidCredentials) as unknown:
        log_in(harness, email="bob@example.com")
    with pytest.raises(InvalidCredentials) as wrong:
        log_in(harness, password="wrong-password")

    assert type(unknown.value) is type(wrong.value)
    assert (unknown.value.message, unknown.value.errors) == (
        wrong.value.message,
        wrong.value.errors,
    )


def test_unknown_email_costs_one_password_check_like_a_wrong_password(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_up(harness)
    checked = count_verifies(harness, monkeypatch)

    with pytest.raises(InvalidCredentials):
        log_in(harness, email="bob@example.com")
    assert checked == [harness.hasher.decoy_hash()]

    checked.clear()
    with pytest.raises(InvalidCredentials):
        log_in(harness, password="wrong-password")
    assert checked == [harness.hasher.hash(PASSWORD)]


DECOMPOSED = "Jose\u0301@example.com"  # e + combining acute accent
FULLWIDTH = "\uff4a\uff4f\uff53\u00e9@example.com"  # ｊｏｓé


def test_login_accepts_the_email_as_registered_in_decomposed_form(harness: Harness) -> None:
    registered = sign_up(harness, email=DECOMPOSED)

    session = log_in(harness, email=DECOMPOSED)

    assert session.user.id == registered.user.id
    assert session.user.email == "jos\u00e9@example.com"


@pytest.mark.parametrize("spelling", ["jos\u00e9@example.com", FULLWIDTH, "JOSE\u0301@EXAMPLE.COM"])
def test_login_accepts_every_spelling_of_the_registered_mailbox(
    harness: Harness, spelling: str
) -> None:
    registered = sign_up(harness, email=DECOMPOSED)

    assert log_in(harness, email=spelling).user.id == registered.user.id


@pytest.mark.parametrize("spelling", [FULLWIDTH, "\uff2a\uff2f\uff33\uff25\u0301@example.com"])
def test_register_refuses_the_fullwidth_spelling_of_a_taken_email(
    harness: Harness, spelling: str
) -> None:
    sign_up(harness, email="jos\u00e9@example.com")

    with pytest.raises(EmailTaken):
        sign_up(harness, email=spelling)

    assert len(users_in_store(harness)) == 1


@pytest.mark.parametrize("char", ["\u200b", "\u00ad", "\u2060", "\ufeff"])
def test_register_refuses_an_email_with_an_invisible_character(harness: Harness, char: str) -> None:
    sign_up(harness)

    with pytest.raises(RuleViolation) as caught:
        sign_up(harness, email=f"ann{char}@example.com")

    assert list(caught.value.errors) == ["email"]
    assert len(users_in_store(harness)) == 1


def test_login_with_an_invisible_character_fails_like_an_unknown_email(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_up(harness)
    checked = count_verifies(harness, monkeypatch)

    with pytest.raises(InvalidCredentials):
        log_in(harness, email="ann\u200b@example.com")

    assert checked == [harness.hasher.decoy_hash()]  # the same cost as any unknown address


def test_a_failed_log_in_opens_no_login(harness: Harness) -> None:
    sign_up(harness)

    with pytest.raises(InvalidCredentials):
        log_in(harness, password="wrong-password")

    assert len(harness.store.tables["logins"]) == 1  # the one sign-up opened


def test_a_deactivated_user_cannot_log_in_even_with_the_right_password(
    harness: Harness,
) -> None:
    user_id = sign_up(harness).user.id or 0
    harness.shop.deactivate_user.execute(harness.admin(), user_id)

    with pytest.raises(InvalidCredentials) as caught:
        log_in(harness)
    assert caught.value.message == InvalidCredentials.default_message


def test_log_in_rehashes_the_password_when_the_hasher_parameters_changed(
    harness: Harness,
) -> None:
    sign_up(harness)
    harness.hasher.version = 2

    log_in(harness)

    (stored,) = users_in_store(harness)
    assert stored.password_hash == "plain$2$" + PASSWORD
    assert log_in(harness).user.password_hash == stored.password_hash


def test_log_in_keeps_a_current_hash_and_a_wrong_password_never_rehashes(
    harness: Harness,
) -> None:
    sign_up(harness)
    log_in(harness)
    assert users_in_store(harness)[0].password_hash == "plain$1$" + PASSWORD

    harness.hasher.version = 2
    with pytest.raises(InvalidCredentials):
        log_in(harness, password="wrong-password")
    assert users_in_store(harness)[0].password_hash == "plain$1$" + PASSWORD


# --- refresh ----------------------------------------------------------------------------------


def test_refresh_rotates_and_the_old_refresh_token_dies(harness: Harness) -> None:
    first = sign_up(harness)

    second = harness.shop.refresh_session.execute(first.refresh)

    assert second.refresh != first.refresh and second.access != first.access
    assert who(harness, second).login_id == who(harness, first).login_id
    with pytest.raises(InvalidToken):
        harness.shop.refresh_session.execute(first.refresh)


def test_reusing_a_spent_refresh_token_revokes_the_whole_login(harness: Harness) -> None:
    first = sign_up(harness)
    other = log_in(harness)
    second = harness.shop.refresh_session.execute(first.refresh)

    with pytest.raises(InvalidToken, match="already used"):
        harness.shop.refresh_session.execute(first.refresh)

    for token in (first.access, second.access):
        with pytest.raises(InvalidToken):
            harness.shop.authenticate.execute(token)
    with pytest.raises(InvalidToken):
        harness.shop.refresh_session.execute(second.refresh)
    assert who(harness, other).user_id == first.user.id  # the other login keeps working
    assert harness.shop.refresh_session.execute(other.refresh).access


def test_refresh_refuses_an_access_token_and_authenticate_refuses_a_refresh_token(
    harness: Harness,
) -> None:
    session = sign_up(harness)

    with pytest.raises(InvalidToken):
        harness.shop.refresh_session.execute(session.access)
    with pytest.raises(InvalidToken):
        harness.shop.authenticate.execute(session.refresh)
    assert who(harness, session).user_id == session.user.id  # neither attempt revoked anything


def test_refresh_refuses_garbage(harness: Harness) -> None:
    with pytest.raises(InvalidToken):
        harness.shop.refresh_session.execute("refresh.nothing")


def test_refresh_is_refused_for_a_deactivated_user(harness: Harness) -> None:
    session = sign_up(harness)
    harness.shop.deactivate_user.execute(harness.admin(), session.user.id or 0)

    with pytest.raises(InvalidToken):
        harness.shop.refresh_session.execute(session.refresh)


def test_a_refreshed_login_lives_on_for_a_full_refresh_lifetime(harness: Harness) -> None:
    session = sign_up(harness)
    for _ in range(3):  # a client that refreshes every 6 days stays signed in
        harness.clock.advance(days=6)
        session = harness.shop.refresh_session.execute(session.refresh)

    assert who(harness, session).user_id == session.user.id
    harness.clock.advance(days=7)
    with pytest.raises(InvalidToken):
        harness.shop.refresh_session.execute(session.refresh)


# --- expiry -----------------------------------------------------------------------------------


def test_access_tokens_expire_after_an_hour_refresh_tokens_after_a_week(
    harness: Harness,
) -> None:
    session = sign_up(harness)

    harness.clock.advance(minutes=59)
    assert who(harness, session).user_id == session.user.id
    harness.clock.advance(minutes=1)
    with pytest.raises(InvalidToken):
        who(harness, session)

    fresh = harness.shop.refresh_session.execute(session.refresh)  # refresh still alive
    assert who(harness, fresh).user_id == fresh.user.id
    harness.clock.advance(days=7)
    with pytest.raises(InvalidToken):
        harness.shop.refresh_session.execute(fresh.refresh)


def test_an_expired_refresh_token_is_refused(harness: Harness) -> None:
    session = sign_up(harness)
    harness.clock.advance(days=7, seconds=1)

    with pytest.raises(InvalidToken):
        harness.shop.refresh_session.execute(session.refresh)


def test_expired_logins_are_pruned_with_their_refresh_tokens(harness: Harness) -> None:
    sign_up(harness)
    keep = log_in(harness)
    harness.clock.advance(days=3)
    keep = harness.shop.refresh_session.execute(keep.refresh)
    kept_login = who(harness, keep).login_id
    harness.clock.advance(days=5)

    with harness.uow() as uow:
        assert uow.logins.prune(harness.clock.now()) == 1
        uow.commit()

    assert list(harness.store.tables["logins"]) == [kept_login]
    assert {t.login_id for t in harness.store.tables["refresh_tokens"].values()} == {kept_login}
    assert harness.shop.refresh_session.execute(keep.refresh).access


# --- log out ----------------------------------------------------------------------------------


def test_log_out_ends_that_login_only(harness: Harness) -> None:
    session = sign_up(harness)
    other = log_in(harness)

    harness.shop.log_out.execute(who(harness, session), session.refresh)

    with pytest.raises(InvalidToken):
        who(harness, session)
    with pytest.raises(InvalidToken):
        harness.shop.refresh_session.execute(session.refresh)
    assert who(harness, other).user_id == session.user.id
    assert harness.shop.refresh_session.execute(other.refresh).access


def test_log_out_refuses_someone_elses_refresh_token(harness: Harness) -> None:
    ann = sign_up(harness)
    bob = sign_up(harness, email="bob@example.com")

    with pytest.raises(InvalidToken):
        harness.shop.log_out.execute(who(harness, ann), bob.refresh)

    assert who(harness, bob).user_id == bob.user.id
    assert harness.shop.refresh_session.execute(bob.refresh).access


def test_log_out_refuses_an_access_token_in_place_of_the_refresh_token(
    harness: Harness,
) -> None:
    session = sign_up(harness)

    with pytest.raises(InvalidToken):
        harness.shop.log_out.execute(who(harness, session), session.access)
    assert who(harness, session).user_id == session.user.id


# --- change password --------------------------------------------------------------------------


def change(h: Harness, session: Session, old: str, new: str) -> None:
    h.shop.change_password.execute(who(h, session), ChangePasswordCommand(old, new))


def test_change_password_keeps_this_login_and_revokes_the_others(harness: Harness) -> None:
    current = sign_up(harness)
    other = log_in(harness)

    change(harness, current, PASSWORD, "a-new-passphrase")

    assert who(harness, current).user_id == current.user.id
    assert harness.shop.refresh_session.execute(current.refresh).access
    with pytest.raises(InvalidToken):
        who(harness, other)
    with pytest.raises(InvalidToken):
        harness.shop.refresh_session.execute(other.refresh)
    with pytest.raises(InvalidCredentials):
        log_in(harness)
    assert log_in(harness, password="a-new-passphrase").user.id == current.user.id


def test_change_password_refuses_a_wrong_old_password_and_changes_nothing(
    harness: Harness,
) -> None:
    current = sign_up(harness)
    other = log_in(harness)

    with pytest.raises(RuleViolation) as caught:
        change(harness, current, "not-my-password", "a-new-passphrase")

    assert set(caught.value.errors) == {"old_password"}
    assert who(harness, other).user_id == other.user.id
    assert log_in(harness).user.id == current.user.id


@pytest.mark.parametrize("new", ["short7!", "123456789", "ann@example.com"])
def test_change_password_applies_the_rules_to_the_new_password(harness: Harness, new: str) -> None:
    current = sign_up(harness)
    other = log_in(harness)

    with pytest.raises(RuleViolation) as caught:
        change(harness, current, PASSWORD, new)

    assert set(caught.value.errors) == {"new_password"}
    assert who(harness, other).user_id == other.user.id
    assert log_in(harness).user.id == current.user.id


# --- deactivation -----------------------------------------------------------------------------


def test_deactivation_revokes_every_login_at_once(harness: Harness) -> None:
    first = sign_up(harness)
    second = log_in(harness)
    admin = harness.admin()

    harness.shop.update_user.execute(admin, first.user.id or 0, AdminUserChanges(is_active=False))

    for session in (first, second):
        with pytest.raises(InvalidToken):
            who(harness, session)
        with pytest.raises(InvalidToken):
            harness.shop.refresh_session.execute(session.refresh)


def test_reactivation_does_not_revive_old_tokens(harness: Harness) -> None:
    session = sign_up(harness)
    admin = harness.admin()
    harness.shop.deactivate_user.execute(admin, session.user.id or 0)

    harness.shop.update_user.execute(admin, session.user.id or 0, AdminUserChanges(is_active=True))

    with pytest.raises(InvalidToken):
        who(harness, session)
    assert who(harness, log_in(harness)).user_id == session.user.id


def test_token_lifetimes_follow_the_configured_settings(
    harness: Harness,
) -> None:
    harness.shop.minter.settings = type(harness.shop.minter.settings)(
        access_ttl=timedelta(minutes=5), refresh_ttl=timedelta(days=1)
    )
    session = sign_up(harness)

    harness.clock.advance(minutes=5)
    with pytest.raises(InvalidToken):
        who(harness, session)
    harness.clock.advance(days=1)
    with pytest.raises(InvalidToken):
        harness.shop.refresh_session.execute(session.refresh)


# --- slow password work holds no transaction --------------------------------------------------


def lock_is_free(h: Harness) -> bool:
    """True when no unit of work is open: another thread can take the store's lock at once."""
    taken: list[bool] = []

    def probe() -> None:
        got = h.store.lock.acquire(timeout=0.2)
        taken.append(got)
        if got:
            h.store.lock.release()

    thread = threading.Thread(target=probe)
    thread.start()
    thread.join()
    return taken == [True]


def watch_hasher(h: Harness, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """Record each hash and verify call, with whether a transaction was open during it."""
    calls: list[tuple[str, bool]] = []
    for name in ("hash", "verify"):
        original = getattr(h.hasher, name)

        def watched(*args: str, _name: str = name, _original: Any = original) -> Any:
            calls.append((_name, lock_is_free(h)))
            return _original(*args)

        monkeypatch.setattr(h.hasher, name, watched)
    return calls


def test_password_hashing_and_checks_run_outside_transactions(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = watch_hasher(harness, monkeypatch)
    session = sign_up(harness)
    harness.hasher.version = 2
    log_in(harness)  # verifies, then rehashes
    with pytest.raises(InvalidCredentials):
        log_in(harness, email="nobody@example.com")
    change(harness, session, PASSWORD, "a-new-passphrase")

    # sign-up: hash; log-in: verify, rehash; unknown email: the fake's decoy hash, verify;
    # password change: verify, hash.
    assert [name for name, _ in calls] == [
        "hash", "verify", "hash", "hash", "verify", "verify", "hash",
    ]  # fmt: skip
    assert all(free for _, free in calls)


def test_a_user_deactivated_during_the_password_check_is_not_signed_in(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    user_id = sign_up(harness).user.id
    verify = harness.hasher.verify

    def deactivating(password_hash: str, password: str) -> bool:
        harness.store.tables["users"][user_id].is_active = False
        return verify(password_hash, password)

    monkeypatch.setattr(harness.hasher, "verify", deactivating)

    with pytest.raises(InvalidCredentials):
        log_in(harness)
    assert len(harness.store.tables["logins"]) == 1  # only the sign-up's


def test_a_password_changed_during_a_login_check_refuses_the_old_password(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    user_id = sign_up(harness).user.id
    verify = harness.hasher.verify

    def changing(password_hash: str, password: str) -> bool:
        harness.store.tables["users"][user_id].password_hash = harness.hasher.hash("other-pass")
        return verify(password_hash, password)

    monkeypatch.setattr(harness.hasher, "verify", changing)

    with pytest.raises(InvalidCredentials):
        log_in(harness)


def test_two_racing_password_changes_cannot_both_win(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = sign_up(harness)
    user_id = session.user.id
    verify = harness.hasher.verify

    def racing(password_hash: str, password: str) -> bool:
        harness.store.tables["users"][user_id].password_hash = harness.hasher.hash("winner-pass")
        return verify(password_hash, password)

    monkeypatch.setattr(harness.hasher, "verify", racing)

    with pytest.raises(RuleViolation) as caught:
        change(harness, session, PASSWORD, "loser-passphrase")
    assert set(caught.value.errors) == {"old_password"}
    stored = harness.store.tables["users"][user_id]
    assert stored.password_hash == harness.hasher.hash("winner-pass")
