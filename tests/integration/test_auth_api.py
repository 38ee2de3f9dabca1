"""Auth endpoints: register, login, refresh, logout, me, change-password, avatar."""

from __future__ import annotations

import base64
import io
import json
import re
import time
from typing import Any

import argon2
import jwt
import pytest
import sqlalchemy as sa
from argon2 import extract_parameters
from flask import Flask
from PIL import Image

from shopcore.adapters.hashing import Argon2Hasher
from shopcore.adapters.sqlalchemy.tables import users
from tests.integration.conftest import PASSWORD, Api, AppFactory

USER_KEYS = {"id", "email", "first_name", "last_name", "phone", "address", "role",
             "profile_image", "is_active", "date_joined"}  # fmt: skip
UNAUTHORIZED = {"code": 401, "status": "Unauthorized"}
# Forging an HS512 token with our 38-byte test key makes pyjwt warn about the key length.
HS512_KEY_WARNING = pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")


def login(api: Api, email: str, password: str = PASSWORD) -> Any:
    return api.post("/api/auth/login/", {"email": email, "password": password})


def assert_unauthorized(response: Any) -> None:
    assert response.status_code == 401, response.get_json()
    body = response.get_json()
    assert {k: body[k] for k in UNAUTHORIZED} == UNAUTHORIZED and body["message"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def stored_hash(app: Flask, email: str) -> str:
    with app.extensions["shopcore"].engine.connect() as conn:
        return conn.execute(sa.select(users.c.password_hash).where(users.c.email == email)).scalar()  # type: ignore[no-any-return]


# --- register ---------------------------------------------------------------------------------


def test_register_answers_201_with_the_user_and_a_working_token_pair(api: Api) -> None:
    response = api.post(
        "/api/auth/register/",
        {"email": "Ann.Lee@Example.com", "password": PASSWORD, "first_name": "Ann",
         "last_name": "Lee", "phone": "+1 555 0100", "address": "1 Main St"},
    )  # fmt: skip

    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"user", "access", "refresh"}
    user = body["user"]
    assert set(user) == USER_KEYS
    assert user["email"] == "ann.lee@example.com" and user["role"] == "customer"
    assert (user["phone"], user["address"], user["profile_image"]) == (
        "+1 555 0100",
        "1 Main St",
        None,
    )
    assert user["is_active"] is True
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", user["date_joined"])
    me = api.get("/api/auth/me/", body["access"]).get_json()
    assert me == user
    assert api.post("/api/auth/refresh/", {"refresh": body["refresh"]}).status_code == 200


def test_register_as_vendor(api: Api) -> None:
    assert api.register("vendor")["user"]["role"] == "vendor"


@pytest.mark.parametrize("role", ["admin", "root", ""])
def test_register_refuses_the_admin_role_and_creates_nothing(api: Api, role: str) -> None:
    body = {"email": "eve@example.com", "password": PASSWORD, "first_name": "Eve",
            "last_name": "Vil", "role": role}  # fmt: skip

    response = api.post("/api/auth/register/", body)

    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["role"]
    assert login(api, "eve@example.com").status_code == 401


def test_register_reports_every_missing_field_flat(api: Api) -> None:
    response = api.post("/api/auth/register/", {})

    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == 422 and body["status"] == "Unprocessable Entity"
    assert set(body["errors"]) == {"email", "password", "first_name", "last_name"}
    assert all(isinstance(v, list) and v for v in body["errors"].values())


@pytest.mark.parametrize("password", ["short7!", "1234567890", "weak@example.com"])
def test_register_refuses_weak_passwords(api: Api, password: str) -> None:
    body = {"email": "weak@example.com", "password": password, "first_name": "W",
            "last_name": "K"}  # fmt: skip

    response = api.post("/api/auth/register/", body)

    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["password"]


def test_register_refuses_a_malformed_email(api: Api) -> None:
    body = {"email": "not-an-email", "password": PASSWORD, "first_name": "N", "last_name": "E"}

    response = api.post("/api/auth/register/", body)

    assert response.status_code == 422 and "email" in response.get_json()["errors"]


def test_register_refuses_unknown_fields(api: Api) -> None:
    body = {"email": "x@example.com", "password": PASSWORD, "first_name": "X", "last_name": "Y",
            "is_active": False}  # fmt: skip

    response = api.post("/api/auth/register/", body)

    assert response.status_code == 422 and list(response.get_json()["errors"]) == ["is_active"]


def test_register_refuses_an_email_taken_in_another_case(api: Api) -> None:
    api.register(email="dup@example.com")

    response = api.post(
        "/api/auth/register/",
        {"email": "DUP@Example.com", "password": PASSWORD, "first_name": "D", "last_name": "U"},
    )

    assert response.status_code == 409
    body = response.get_json()
    assert body["status"] == "Conflict" and list(body["errors"]) == ["email"]


# --- passwords at rest ------------------------------------------------------------------------


def test_stored_password_hashes_are_argon2id(api: Api, app: Flask) -> None:
    api.register(email="hash@example.com")

    assert stored_hash(app, "hash@example.com").startswith("$argon2id$")


def test_default_argon2_parameters_meet_owasps_minimum() -> None:
    hashed = Argon2Hasher().hash("correct horse battery staple")

    params = extract_parameters(hashed)
    assert hashed.startswith("$argon2id$")
    assert params.memory_cost >= 19456 and params.time_cost >= 2 and params.parallelism >= 1


def test_login_rehashes_a_hash_made_with_weaker_parameters(api: Api, app: Flask) -> None:
    api.register(email="old@example.com")
    weak = Argon2Hasher(memory_cost=512, time_cost=1).hash(PASSWORD)
    with app.extensions["shopcore"].engine.begin() as conn:
        conn.execute(
            users.update().where(users.c.email == "old@example.com").values(password_hash=weak)
        )

    assert login(api, "old@example.com").status_code == 200

    params = extract_parameters(stored_hash(app, "old@example.com"))
    assert (params.memory_cost, params.time_cost) == (1024, 1)  # the test app's parameters


# --- login ------------------------------------------------------------------------------------


def test_login_answers_the_user_and_a_new_token_pair(api: Api) -> None:
    session = api.register(email="in@example.com")

    response = login(api, " IN@example.com")

    assert response.status_code == 200
    body = response.get_json()
    assert body["user"] == session["user"]
    assert body["access"] != session["access"] and body["refresh"] != session["refresh"]
    assert api.get("/api/auth/me/", body["access"]).status_code == 200


def test_unknown_email_and_wrong_password_get_identical_401s(api: Api) -> None:
    api.register(email="known@example.com")

    unknown = login(api, "unknown@example.com")
    wrong = login(api, "known@example.com", "wrong-password")

    assert_unauthorized(unknown)
    assert unknown.get_json() == wrong.get_json()
    assert unknown.headers["WWW-Authenticate"] == wrong.headers["WWW-Authenticate"]


def test_unknown_email_runs_one_real_password_check_and_no_hashing(
    api: Api, app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    api.register(email="known@example.com")
    hasher = app.extensions["shopcore"].hasher
    calls: list[str] = []
    for name in ("hash", "verify"):
        original = getattr(hasher, name)
        monkeypatch.setattr(
            hasher, name, lambda *a, _n=name, _o=original: calls.append(_n) or _o(*a)
        )

    login(api, "unknown@example.com")
    unknown_calls = list(calls)
    calls.clear()
    login(api, "known@example.com", "wrong-password")

    assert unknown_calls == calls == ["verify"]


def test_the_decoy_hash_is_made_once_up_front_with_the_current_parameters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hasher = Argon2Hasher(memory_cost=1024, time_cost=1)
    hashed: list[str] = []
    monkeypatch.setattr(argon2.PasswordHasher, "hash", lambda _self, pw: hashed.append(pw))

    decoy = hasher.decoy_hash()

    assert hashed == [] and decoy == hasher.decoy_hash()
    assert decoy.startswith("$argon2id$") and not hasher.needs_rehash(decoy)
    assert not hasher.verify(decoy, "")


def test_unknown_email_takes_about_as_long_as_a_wrong_password(make_app: AppFactory) -> None:
    """With OWASP-strength hashing, the decoy check hides which emails have accounts."""
    api = Api(make_app(ARGON2_MEMORY_KIB=19456, ARGON2_TIME_COST=2).test_client())
    api.register(email="known@example.com")

    def best_of(email: str) -> float:
        times = []
        for _ in range(4):
            start = time.perf_counter()
            assert login(api, email, "wrong-password").status_code == 401
            times.append(time.perf_counter() - start)
        return min(times)

    unknown, wrong = best_of("unknown@example.com"), best_of("known@example.com")
    assert 0.33 < unknown / wrong < 3.0, (unknown, wrong)  # skipping the check: ~0.05


def test_login_refuses_a_deactivated_user(api: Api) -> None:
    session = api.register(email="gone@example.com")
    admin = api.token("admin")
    assert api.delete(f"/api/users/{session['user']['id']}/", admin).status_code == 204

    response = login(api, "gone@example.com")

    assert_unauthorized(response)
    assert response.get_json()["message"] == login(api, "nobody@example.com").get_json()["message"]


def test_login_validates_its_body(api: Api) -> None:
    response = api.post("/api/auth/login/", {"email": "a@example.com"})

    assert response.status_code == 422 and list(response.get_json()["errors"]) == ["password"]


# --- tokens -----------------------------------------------------------------------------------


def b64(data: dict[str, Any] | bytes) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def claims_of(token: str) -> dict[str, Any]:
    return jwt.decode(token, options={"verify_signature": False})  # type: ignore[no-any-return]


def sign(claims: dict[str, Any], app: Flask, algorithm: str = "HS256", key: str = "") -> str:
    return jwt.encode(claims, key or app.config["SECRET_KEY"], algorithm=algorithm)


def forgeries(app: Flask, access: str) -> dict[str, str]:
    """Tokens that must all be refused, built from a valid access token."""
    claims = claims_of(access)
    header, payload, signature = access.split(".")
    other_payload = b64({**claims, "sub": str(int(claims["sub"]) + 1)})
    forged = {
        "alg none": f"{b64({'alg': 'none', 'typ': 'JWT'})}.{payload}.",
        "alg NONE": f"{b64({'alg': 'NONE', 'typ': 'JWT'})}.{payload}.",
        "changed payload": f"{header}.{other_payload}.{signature}",
        "wrong key": sign(claims, app, key="another-secret-key-of-at-least-32-bytes"),
        "HS512": sign(claims, app, "HS512"),
        "RS256 header": f"{b64({'alg': 'RS256', 'typ': 'JWT'})}.{payload}.{signature}",
        "wrong aud": sign({**claims, "aud": "other-api"}, app),
        "wrong iss": sign({**claims, "iss": "someone-else"}, app),
        "expired": sign({**claims, "exp": int(time.time()) - 5}, app),
        "non-numeric sub": sign({**claims, "sub": "root"}, app),
        "other user's sub": sign({**claims, "sub": str(int(claims["sub"]) + 1)}, app),
        "unknown login": sign({**claims, "sid": "f" * 32}, app),
        "refresh kind": sign({**claims, "typ": "refresh"}, app),
        "garbage": "not.a.token",
        "empty signature": f"{header}.{payload}.",
    }
    for claim in ("iss", "aud", "exp", "iat", "sub", "jti", "sid", "typ"):
        forged[f"missing {claim}"] = sign({k: v for k, v in claims.items() if k != claim}, app)
    return forged


def test_the_unforged_token_is_accepted(api: Api, app: Flask) -> None:
    session = api.register()
    resigned = sign(claims_of(session["access"]), app)

    assert api.get("/api/auth/me/", resigned).status_code == 200


@HS512_KEY_WARNING
def test_forged_and_tampered_access_tokens_are_refused(api: Api, app: Flask) -> None:
    session = api.register()
    api.register()  # the user with the next id exists, so "other user's sub" names a real user

    for name, token in forgeries(app, session["access"]).items():
        response = api.get("/api/auth/me/", token)
        assert response.status_code == 401, name
        assert_unauthorized(response)
    assert api.get("/api/auth/me/", session["access"]).status_code == 200


@HS512_KEY_WARNING
def test_forged_refresh_tokens_are_refused_and_revoke_nothing(api: Api, app: Flask) -> None:
    session = api.register()
    refresh_claims = claims_of(session["refresh"])

    forged = [
        sign({**refresh_claims, "aud": "other-api"}, app),
        sign(refresh_claims, app, "HS512"),
        f"{b64({'alg': 'none'})}.{session['refresh'].split('.')[1]}.",
        sign({**refresh_claims, "exp": int(time.time()) - 5}, app),
        session["access"],  # an access token is not a refresh token
    ]
    for token in forged:
        assert_unauthorized(api.post("/api/auth/refresh/", {"refresh": token}))
    assert api.post("/api/auth/refresh/", {"refresh": session["refresh"]}).status_code == 200


def test_a_refresh_token_is_not_an_access_token(api: Api) -> None:
    session = api.register()

    assert_unauthorized(api.get("/api/auth/me/", session["refresh"]))


@pytest.mark.parametrize(
    "header", ["", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token abc", "Bearer a b"]
)
def test_missing_or_malformed_authorization_is_401(api: Api, header: str) -> None:
    response = api.get("/api/auth/me/", headers={"Authorization": header} if header else {})

    assert_unauthorized(response)


# --- refresh ----------------------------------------------------------------------------------


def refresh(api: Api, token: str) -> Any:
    return api.post("/api/auth/refresh/", {"refresh": token})


def test_refresh_rotates_the_pair_and_the_old_refresh_token_dies(api: Api) -> None:
    session = api.register()

    response = refresh(api, session["refresh"])

    assert response.status_code == 200
    pair = response.get_json()
    assert set(pair) == {"access", "refresh"}
    assert api.get("/api/auth/me/", pair["access"]).status_code == 200
    assert refresh(api, pair["refresh"]).status_code == 200


def test_reusing_a_spent_refresh_token_kills_the_whole_login(api: Api) -> None:
    session = api.register(email="reuse@example.com")
    other = login(api, "reuse@example.com").get_json()
    rotated = refresh(api, session["refresh"]).get_json()

    assert_unauthorized(refresh(api, session["refresh"]))

    assert_unauthorized(api.get("/api/auth/me/", rotated["access"]))
    assert_unauthorized(api.get("/api/auth/me/", session["access"]))
    assert_unauthorized(refresh(api, rotated["refresh"]))
    assert api.get("/api/auth/me/", other["access"]).status_code == 200
    assert refresh(api, other["refresh"]).status_code == 200


def test_refresh_requires_a_refresh_field(api: Api) -> None:
    response = api.post("/api/auth/refresh/", {})

    assert response.status_code == 422 and list(response.get_json()["errors"]) == ["refresh"]


# --- logout -----------------------------------------------------------------------------------


def test_logout_ends_that_login_at_once_and_only_that_one(api: Api) -> None:
    session = api.register(email="out@example.com")
    other = login(api, "out@example.com").get_json()

    response = api.post("/api/auth/logout/", {"refresh": session["refresh"]}, session["access"])

    assert response.status_code == 204 and response.data == b""
    assert_unauthorized(api.get("/api/auth/me/", session["access"]))
    assert_unauthorized(refresh(api, session["refresh"]))
    assert api.get("/api/auth/me/", other["access"]).status_code == 200
    assert refresh(api, other["refresh"]).status_code == 200


def test_logout_requires_authentication(api: Api) -> None:
    session = api.register()

    assert_unauthorized(api.post("/api/auth/logout/", {"refresh": session["refresh"]}))
    assert api.get("/api/auth/me/", session["access"]).status_code == 200


def test_logout_refuses_someone_elses_refresh_token(api: Api) -> None:
    ann, bob = api.register(), api.register()

    response = api.post("/api/auth/logout/", {"refresh": bob["refresh"]}, ann["access"])

    assert_unauthorized(response)
    assert api.get("/api/auth/me/", bob["access"]).status_code == 200
    assert refresh(api, bob["refresh"]).status_code == 200


def test_logout_validates_its_body(api: Api) -> None:
    session = api.register()

    response = api.post("/api/auth/logout/", {}, session["access"])
    assert response.status_code == 422 and list(response.get_json()["errors"]) == ["refresh"]
    assert_unauthorized(api.post("/api/auth/logout/", {"refresh": "junk"}, session["access"]))


# --- me ---------------------------------------------------------------------------------------


def test_patch_me_changes_the_profile_fields(api: Api) -> None:
    session = api.register()
    changes = {"first_name": "Anna", "last_name": "Li", "phone": "+44 20", "address": "2 High St"}

    response = api.patch("/api/auth/me/", changes, session["access"])

    assert response.status_code == 200
    assert {k: response.get_json()[k] for k in changes} == changes
    assert api.get("/api/auth/me/", session["access"]).get_json() == response.get_json()


@pytest.mark.parametrize(
    "changes",
    [{"email": "new@example.com"}, {"role": "admin"}, {"is_active": False},
     {"first_name": ""}, {"phone": "1" * 33}, {"first_name": 5}],
)  # fmt: skip
def test_patch_me_refuses_other_fields_and_bad_values(api: Api, changes: dict[str, Any]) -> None:
    session = api.register()

    response = api.patch("/api/auth/me/", changes, session["access"])

    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == list(changes)
    assert api.get("/api/auth/me/", session["access"]).get_json() == session["user"]


def test_me_requires_authentication(api: Api) -> None:
    assert_unauthorized(api.get("/api/auth/me/"))
    assert_unauthorized(api.patch("/api/auth/me/", {"first_name": "X"}))


# --- change password --------------------------------------------------------------------------


def change_password(api: Api, token: str, old: str, new: str) -> Any:
    body = {"old_password": old, "new_password": new}
    return api.post("/api/auth/change-password/", body, token)


def test_change_password_signs_out_the_other_logins_only(api: Api) -> None:
    session = api.register(email="pw@example.com")
    other = login(api, "pw@example.com").get_json()

    response = change_password(api, session["access"], PASSWORD, "brand-new-passphrase")

    assert response.status_code == 204 and response.data == b""
    assert api.get("/api/auth/me/", session["access"]).status_code == 200
    assert refresh(api, session["refresh"]).status_code == 200
    assert_unauthorized(api.get("/api/auth/me/", other["access"]))
    assert_unauthorized(refresh(api, other["refresh"]))
    assert_unauthorized(login(api, "pw@example.com"))
    assert login(api, "pw@example.com", "brand-new-passphrase").status_code == 200


def test_change_password_refuses_a_wrong_old_password(api: Api) -> None:
    session = api.register(email="pw@example.com")

    response = change_password(api, session["access"], "not-the-password", "brand-new-passphrase")

    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["old_password"]
    assert login(api, "pw@example.com").status_code == 200


@pytest.mark.parametrize("new", ["short7!", "987654321", "pw@example.com"])
def test_change_password_applies_the_password_rules(api: Api, new: str) -> None:
    session = api.register(email="pw@example.com")

    response = change_password(api, session["access"], PASSWORD, new)

    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["new_password"]
    assert login(api, "pw@example.com").status_code == 200


def test_change_password_requires_both_fields_and_authentication(api: Api) -> None:
    session = api.register()

    response = api.post("/api/auth/change-password/", {}, session["access"])
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"old_password", "new_password"}
    assert_unauthorized(change_password(api, "", PASSWORD, "brand-new-passphrase"))


# --- avatar -----------------------------------------------------------------------------------


def png(size: tuple[int, int] = (40, 30), color: str = "red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def upload(api: Api, token: str, data: bytes, name: str = "me.png") -> Any:
    return api.put(
        "/api/auth/me/avatar/", json=None, token=token,
        data={"image": (io.BytesIO(data), name)}, content_type="multipart/form-data",
    )  # fmt: skip


def test_avatar_upload_sets_an_absolute_media_url_that_serves_the_image(api: Api) -> None:
    session = api.register()

    response = upload(api, session["access"], png())

    assert response.status_code == 200
    url = response.get_json()["profile_image"]
    assert re.fullmatch(r"http://localhost/media/avatars/[0-9a-f]{32}\.png", url)
    assert api.get("/api/auth/me/", session["access"]).get_json()["profile_image"] == url
    with api.get(url.removeprefix("http://localhost")) as served:
        assert served.status_code == 200 and served.mimetype == "image/png"
        assert Image.open(io.BytesIO(served.data)).size == (40, 30)


def test_a_new_avatar_replaces_the_old_file(api: Api) -> None:
    session = api.register()
    old = upload(api, session["access"], png()).get_json()["profile_image"]

    new = upload(api, session["access"], png(color="blue")).get_json()["profile_image"]

    assert new != old
    assert api.get(old.removeprefix("http://localhost")).status_code == 404
    with api.get(new.removeprefix("http://localhost")) as served:
        assert served.status_code == 200


@pytest.mark.parametrize("data", [b"this is not an image", b"GIF89a" + b"\0" * 20, png()[:40]])
def test_avatar_refuses_what_is_not_an_image_and_keeps_the_old_one(api: Api, data: bytes) -> None:
    session = api.register()
    kept = upload(api, session["access"], png()).get_json()["profile_image"]

    response = upload(api, session["access"], data)

    assert response.status_code == 422 and response.get_json()["message"]
    assert api.get("/api/auth/me/", session["access"]).get_json()["profile_image"] == kept


def test_avatar_requires_multipart(api: Api) -> None:
    session = api.register()

    response = api.put("/api/auth/me/avatar/", {"image": "aGVsbG8="}, session["access"])

    assert response.status_code == 400 and "multipart" in response.get_json()["message"]


def test_avatar_requires_the_image_field(api: Api) -> None:
    session = api.register()

    response = api.put(
        "/api/auth/me/avatar/", json=None, token=session["access"],
        data={"other": (io.BytesIO(png()), "a.png")}, content_type="multipart/form-data",
    )  # fmt: skip

    assert response.status_code == 422 and list(response.get_json()["errors"]) == ["image"]


def test_avatar_refuses_an_empty_file(api: Api) -> None:
    session = api.register()

    response = upload(api, session["access"], b"")

    assert response.status_code in (400, 422) and response.get_json()["message"]


def test_avatar_requires_authentication(api: Api) -> None:
    assert_unauthorized(upload(api, "", png()))


def test_avatar_larger_than_the_limit_is_413_json(make_app: AppFactory) -> None:
    api = Api(make_app(MAX_CONTENT_LENGTH=2048).test_client())
    session = api.register()
    big = png((400, 400), "white") + bytes(4096)

    response = upload(api, session["access"], big)

    assert response.status_code == 413
    body = response.get_json()
    assert body["code"] == 413 and body["status"] == "Request Entity Too Large" and body["message"]
    assert api.get("/api/auth/me/", session["access"]).get_json()["profile_image"] is None


@pytest.mark.parametrize(
    "path", ["/media/../secret_key", "/media/%2e%2e/secret_key", "/media/avatars/none.png"]
)
def test_media_serves_nothing_outside_uploads(api: Api, path: str) -> None:
    response = api.get(path)

    assert response.status_code == 404 and response.get_json()["code"] == 404
