"""Forged, stale, misused and malformed tokens: always a JSON 401 (never a 500, never a 200).

Tokens signed with the test key stand for a leak of our own signing code's mistakes (claims our
issuer never writes); everything else is what an attacker without the key can send.
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import jwt
import pytest
import sqlalchemy as sa

from shopcore.adapters.sqlalchemy import tables as t
from tests.integration.conftest import PASSWORD
from tests.integration.hostile_helpers import Shop, refusal, send, snapshot

KEY = "test-secret-key-of-at-least-32-bytes!!"  # conftest.test_config's SECRET_KEY


def _b64(data: Any) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _claims(token: str) -> dict[str, Any]:
    return jwt.decode(token, options={"verify_signature": False})  # type: ignore[no-any-return]


def _signed(claims: dict[str, Any], **changes: Any) -> str:
    payload = {k: v for k, v in {**claims, **changes}.items() if v is not None}
    return jwt.encode(payload, KEY, algorithm="HS256")


def _forgeries(access: str, refresh: str, other_id: int) -> dict[str, str]:
    claims, (header, _, signature) = _claims(access), access.split(".")
    now = int(time.time())
    return {
        "alg none": f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}.",
        "alg none, upper case": f"{_b64({'alg': 'NONE'})}.{_b64(claims)}.",
        "another user's id, our signature": f"{header}.{_b64({**claims, 'sub': str(other_id)})}"
                                            f".{signature}",
        "an admin role claim": f"{header}.{_b64({**claims, 'role': 'admin'})}.{signature}",
        "HS512 with our key": jwt.encode(claims, KEY + KEY, algorithm="HS512"),
        "RS256 in the header, HMAC signature": f"{_b64({'alg': 'RS256'})}.{_b64(claims)}"
                                               f".{signature}",
        "another key": jwt.encode(claims, "x" * 40, algorithm="HS256"),
        "no signature": f"{header}.{_b64(claims)}",
        "truncated signature": access[:-5],
        "expired": _signed(claims, exp=now - 1, iat=now - 3600),
        "not yet valid": _signed(claims, nbf=now + 3600),
        "wrong audience": _signed(claims, aud="someone-else"),
        "wrong issuer": _signed(claims, iss="evil"),
        "no expiry": _signed(claims, exp=None),
        "no login id": _signed(claims, sid=None),
        "no token id": _signed(claims, jti=None),
        "a refresh token": refresh,
        "a numeric subject": _signed(claims, sub=int(claims["sub"])),
        "a negative subject": _signed(claims, sub="-1"),
        "a subject beyond any id": _signed(claims, sub="9" * 40),
        "a subject in Arabic-Indic digits": _signed(claims, sub="١"),
        "an expiry beyond the calendar": _signed(claims, exp=10**20),
        "an issue time beyond the calendar": _signed(claims, iat=10**20),
        "a login id of another type": _signed(claims, sid=["x"]),
        "garbage": "not-a-token", "three dots": "...", "empty parts": "..",
        "100 KB": "a" * 100_000, "100 KB of dots": "." * 100_000,
        "latin-1 bytes": "\xff\xfe.\xff.\xff", "json": '{"alg":"none"}',
    }  # fmt: skip


@pytest.fixture
def shop(api) -> Shop:
    return Shop(api)


def test_forged_and_misused_access_tokens_are_a_json_401_on_every_kind_of_route(shop):
    session = shop.sessions["customer"]
    forgeries = _forgeries(session["access"], session["refresh"], shop.ids["admin"])
    before, failures = snapshot(shop.app), []

    for name, token in forgeries.items():
        for method, path in (("GET", "/api/auth/me/"), ("GET", "/api/users/"),
                             ("GET", f"/api/products/{shop.slug}/"), ("DELETE", "/api/cart/"),
                             ("PATCH", f"/api/orders/{shop.order_number}/status/")):  # fmt: skip
            answer = send(shop.client, method, path, {"status": "cancelled"}, token)
            problem = refusal(answer, 401) or (
                None if answer.headers.get("WWW-Authenticate") else "no WWW-Authenticate"
            )
            if problem:
                failures.append(f"{name} on {method} {path}: {problem}")

    assert failures == []
    assert snapshot(shop.app) == before


def test_forged_and_misused_refresh_tokens_are_a_json_401_and_revoke_nothing(shop):
    session = shop.sessions["customer"]
    refresh_claims = _claims(session["refresh"])
    forgeries = {
        **_forgeries(session["refresh"], session["access"], shop.ids["admin"]),
        "an access token": session["access"],
        "expired refresh": _signed(refresh_claims, exp=int(time.time()) - 1),
    }
    before, failures = snapshot(shop.app), []

    for name, token in forgeries.items():
        if name == "a refresh token":  # _forgeries' "other kind" is the access token here
            continue
        for path, caller in (("/api/auth/refresh/", None), ("/api/auth/logout/", "customer")):
            answer = shop.call("POST", path, {"refresh": token}, caller)
            if problem := refusal(answer, 401, 422):  # 422: longer than a token can be
                failures.append(f"{name} on {path}: {problem}")

    assert failures == []
    assert snapshot(shop.app) == before
    assert shop.call("GET", "/api/auth/me/", None, "customer").status_code == 200


AUTHORIZATION_HEADERS = {
    "the token without a scheme": "{t}", "Basic": "Basic {t}", "Token": "Token {t}",
    "JWT": "JWT {t}", "Bearer alone": "Bearer", "Bearer and a space": "Bearer ",
    "a tab for the space": "Bearer\t{t}", "two tokens": "Bearer {t} {t}",
    "Bearer twice": "Bearer Bearer {t}", "a comma list": "Bearer {t}, Basic eA==",
    "a quoted token": 'Bearer "{t}"', "100 KB": "Bearer " + "A" * 100_000,
    "latin-1 bytes": "Bearer \xff\xfe\xfd", "a NUL": "Bearer \x00",
}  # fmt: skip
ACCEPTED_HEADERS = {  # RFC 7235: the scheme is case-insensitive; spaces around are not data
    "lower case": "bearer {t}", "upper case": "BEARER {t}", "extra spaces": "Bearer   {t}",
    "a trailing space": "Bearer {t} ",
}  # fmt: skip


def test_malformed_authorization_headers_are_a_json_401_never_a_500(shop):
    token, failures = shop.tokens["customer"], []
    for name, header in AUTHORIZATION_HEADERS.items():
        answer = shop.client.get("/api/auth/me/", headers={"Authorization": header.format(t=token)})
        if problem := refusal(answer, 401):
            failures.append(f"{name}: {problem}")
    for name, header in ACCEPTED_HEADERS.items():
        answer = shop.client.get("/api/auth/me/", headers={"Authorization": header.format(t=token)})
        if answer.status_code != 200:
            failures.append(f"{name}: {answer.status_code}")
    assert failures == []


def test_logging_out_kills_that_logins_tokens_at_once_and_no_other_login(shop, api):
    session = shop.sessions["customer"]
    email = session["user"]["email"]
    other = api.post("/api/auth/login/", {"email": email, "password": PASSWORD}).get_json()

    assert shop.call("POST", "/api/auth/logout/", {"refresh": session["refresh"]},
                     "customer").status_code == 204  # fmt: skip

    assert refusal(shop.call("GET", "/api/auth/me/", None, "customer"), 401) is None
    again = shop.call("POST", "/api/auth/refresh/", {"refresh": session["refresh"]})
    assert refusal(again, 401) is None
    assert send(shop.client, "GET", "/api/auth/me/", None, other["access"]).status_code == 200


def test_logging_out_with_someone_elses_refresh_token_is_401_and_leaves_them_signed_in(shop):
    victim = shop.sessions["other_customer"]
    before = snapshot(shop.app)

    answer = shop.call("POST", "/api/auth/logout/", {"refresh": victim["refresh"]}, "customer")

    assert refusal(answer, 401) is None
    assert snapshot(shop.app) == before
    assert shop.call("GET", "/api/auth/me/", None, "other_customer").status_code == 200


def test_reusing_a_spent_refresh_token_revokes_its_whole_login_but_not_the_others(shop, api):
    session = shop.sessions["customer"]
    other = api.post("/api/auth/login/", {"email": session["user"]["email"],
                                          "password": PASSWORD}).get_json()  # fmt: skip
    rotated = shop.call("POST", "/api/auth/refresh/", {"refresh": session["refresh"]}).get_json()

    reuse = shop.call("POST", "/api/auth/refresh/", {"refresh": session["refresh"]})

    assert refusal(reuse, 401) is None
    for token in (rotated["access"], session["access"]):
        assert send(shop.client, "GET", "/api/auth/me/", None, token).status_code == 401
    assert (
        shop.call("POST", "/api/auth/refresh/", {"refresh": rotated["refresh"]}).status_code == 401
    )
    assert send(shop.client, "GET", "/api/auth/me/", None, other["access"]).status_code == 200


def test_tokens_of_a_deleted_user_are_401_not_500(shop):
    session = shop.sessions["other_customer"]
    with shop.core.engine.begin() as conn:  # no route erases users: only the database can
        conn.execute(sa.delete(t.users).where(t.users.c.id == session["user"]["id"]))

    assert refusal(send(shop.client, "GET", "/api/auth/me/", None, session["access"]), 401) is None
    assert refusal(shop.call("POST", "/api/auth/refresh/", {"refresh": session["refresh"]}),
                   401) is None  # fmt: skip


def test_changing_the_password_signs_out_every_other_login_of_that_user_only(shop, api):
    session = shop.sessions["customer"]
    other = api.post("/api/auth/login/", {"email": session["user"]["email"],
                                          "password": PASSWORD}).get_json()  # fmt: skip
    body = {"old_password": PASSWORD, "new_password": "An0ther-pass"}

    assert shop.call("POST", "/api/auth/change-password/", body, "customer").status_code == 204

    assert send(shop.client, "GET", "/api/auth/me/", None, other["access"]).status_code == 401
    assert shop.call("GET", "/api/auth/me/", None, "customer").status_code == 200
    assert shop.call("GET", "/api/auth/me/", None, "other_customer").status_code == 200
