"""Revocations racing a refresh of the same login, on SQLite and on MariaDB (issue 10, item 2).

Each round sends a logout, a password change, a deactivation or a role change at the same
moment as a refresh of that user's login, released together by a barrier. Whichever request wins,
no request fails with a 500 (a deadlock is either avoided or retried), the revocation answers its
success status, and afterwards no token of the revoked login or deactivated user works, the
freshly refreshed ones included.
"""

from __future__ import annotations

from typing import Any

import pymysql
import pytest
from sqlalchemy.exc import OperationalError

from shopcore.adapters.sqlalchemy.users import SqlLoginRepository
from tests.integration.conftest import PASSWORD, Api
from tests.integration.hostile_helpers import at_once, caller, send

ROUNDS = 30


@pytest.fixture
def admin_token(api: Api) -> str:
    return api.user("admin")["access"]  # type: ignore[no-any-return]


def _refresh(app: Any, session: dict[str, Any]) -> Any:
    return caller(app, "POST", "/api/auth/refresh/", {"refresh": session["refresh"]})


def _tokens_after(results: list[Any], session: dict[str, Any]) -> list[tuple[str, str]]:
    """The access and refresh tokens the round left the client with, as (kind, token)."""
    assert not [r for r in results if isinstance(r, BaseException)], results
    tokens = [("access", session["access"]), ("refresh", session["refresh"])]
    status, body = results[-1]  # the refresh is always the last call of a round
    assert status in (200, 401), results
    if status == 200:
        tokens += [("access", body["access"]), ("refresh", body["refresh"])]
    return tokens


def _retried(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The retry policy's warnings: each is a transaction that lost a race and ran again. The
    revocations and the refresh lock the login row first, so they take turns and never need one."""
    return [r.getMessage() for r in caplog.records if r.name == "shopcore.bootstrap.retry"]


def _works(api: Api, kind: str, token: str) -> bool:
    if kind == "access":
        return send(api.client, "GET", "/api/auth/me/", None, token).status_code == 200
    answer = send(api.client, "POST", "/api/auth/refresh/", {"refresh": token})
    assert answer.status_code in (200, 401), answer.get_json()
    return answer.status_code == 200


def test_a_logout_racing_a_refresh_of_its_login_answers_204_and_leaves_no_working_token(
    app, api, caplog
):
    for round_ in range(ROUNDS):
        session = api.register()
        logout = caller(app, "POST", "/api/auth/logout/", {"refresh": session["refresh"]},
                        session["access"])  # fmt: skip
        results = at_once([logout, _refresh(app, session)])

        assert results[0][0] == 204, (round_, results)
        for kind, token in _tokens_after(results, session):
            assert not _works(api, kind, token), (round_, kind, results)
    assert _retried(caplog) == []


@pytest.mark.parametrize("how", ["PATCH", "DELETE"])
def test_a_deactivation_racing_a_refresh_leaves_no_working_token_of_the_user(
    app, api, admin_token, how, caplog
):
    for round_ in range(ROUNDS):
        session = api.register()
        path = f"/api/users/{session['user']['id']}/"
        body = {"is_active": False} if how == "PATCH" else None
        deactivate = caller(app, how, path, body, admin_token)
        results = at_once([deactivate, _refresh(app, session)])

        assert results[0][0] == (200 if how == "PATCH" else 204), (round_, results)
        for kind, token in _tokens_after(results, session):
            assert not _works(api, kind, token), (round_, kind, results)
    assert _retried(caplog) == []


def test_a_password_change_racing_a_refresh_of_another_login_signs_that_login_out(app, api, caplog):
    for round_ in range(ROUNDS):
        session = api.register()
        login = {"email": session["user"]["email"], "password": PASSWORD}
        other = send(api.client, "POST", "/api/auth/login/", login).get_json()
        change = {"old_password": PASSWORD, "new_password": f"N3w-password-{round_}"}
        results = at_once([
            caller(app, "POST", "/api/auth/change-password/", change, other["access"]),
            _refresh(app, session),
        ])  # fmt: skip

        assert results[0][0] == 204, (round_, results)
        for kind, token in _tokens_after(results, session):
            assert not _works(api, kind, token), (round_, kind, results)
        assert _works(api, "access", other["access"])  # the caller's own login stays
    assert _retried(caplog) == []


def test_a_role_change_racing_a_refresh_applies_to_the_refreshed_token(
    app, api, admin_token, caplog
):
    for round_ in range(ROUNDS):
        session = api.register()
        path = f"/api/users/{session['user']['id']}/"
        results = at_once([
            caller(app, "PATCH", path, {"role": "vendor"}, admin_token),
            _refresh(app, session),
        ])  # fmt: skip

        assert results[0][0] == 200 and results[1][0] == 200, (round_, results)
        me = send(api.client, "GET", "/api/auth/me/", None, results[1][1]["access"])
        assert me.get_json()["role"] == "vendor", round_
    assert _retried(caplog) == []


def _deadlock(monkeypatch: pytest.MonkeyPatch, cls: type, name: str, times: int | None) -> None:
    """Make ``cls.name`` fail as a deadlock victim would, ``times`` times (None: always)."""
    real, failures = getattr(cls, name), []

    def deadlocked(self: Any, *args: Any, **kwargs: Any) -> Any:
        if times is None or len(failures) < times:
            failures.append(1)
            raise OperationalError("UPDATE logins ...", {}, pymysql.err.OperationalError(1213, "x"))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(cls, name, deadlocked)


def test_a_logout_chosen_as_a_deadlock_victim_is_retried_and_ends_the_login(api, monkeypatch):
    session = api.register()
    _deadlock(monkeypatch, SqlLoginRepository, "revoke", times=2)

    answer = send(api.client, "POST", "/api/auth/logout/", {"refresh": session["refresh"]},
                  session["access"])  # fmt: skip

    assert answer.status_code == 204, answer.get_json()
    assert not _works(api, "access", session["access"])
    assert not _works(api, "refresh", session["refresh"])


def test_a_deactivation_that_stays_deadlocked_answers_503_and_changes_nothing(
    api, admin_token, monkeypatch
):
    session = api.register()
    _deadlock(monkeypatch, SqlLoginRepository, "revoke_all_for_user", times=None)

    answer = send(api.client, "PATCH", f"/api/users/{session['user']['id']}/",
                  {"is_active": False}, admin_token)  # fmt: skip

    assert answer.status_code == 503 and answer.get_json()["code"] == 503
    assert answer.headers["Retry-After"] == "1"
    monkeypatch.undo()
    assert _works(api, "access", session["access"])  # rolled back: still active, still signed in
