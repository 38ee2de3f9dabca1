"""API.md, Roles and Auth and users: what the auth and user routes promise a client.

Token rotation, logout, change-password, avatar, password rules and the user list's filters
are proven in test_auth_api.py and test_users_api.py; this module covers the rest.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from tests.integration.conftest import PASSWORD, Api, AppFactory
from tests.integration.contract_helpers import (
    TIMESTAMP,
    USER_KEYS,
    World,
    assert_error,
    tag,
)


@pytest.fixture
def world(api: Api) -> World:
    return World(api)


def claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))  # type: ignore[no-any-return]


def register(api: Api, **fields: Any) -> Any:
    body = {
        "email": f"new-{tag()}@example.com",
        "password": "long-enough-1",
        "first_name": "Ann",
        "last_name": "Lee",
        **fields,
    }
    return api.post("/api/auth/register/", body)


# --- registration and roles -------------------------------------------------------------------


def test_register_answers_201_with_exactly_user_access_and_refresh(api: Api) -> None:
    response = register(api, phone="+91 1", address="1 Main St")

    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"user", "access", "refresh"}
    assert set(body["user"]) == USER_KEYS
    assert body["user"]["role"] == "customer" and body["user"]["is_active"] is True
    assert (body["user"]["phone"], body["user"]["address"]) == ("+91 1", "1 Main St")
    assert body["user"]["profile_image"] is None and TIMESTAMP.match(body["user"]["date_joined"])
    assert api.get("/api/auth/me/", body["access"]).get_json() == body["user"]


def test_self_registration_may_choose_vendor_but_never_admin(world: World, api: Api) -> None:
    assert register(api, role="vendor").get_json()["user"]["role"] == "vendor"
    assert register(api, role="customer").get_json()["user"]["role"] == "customer"
    for role in ("admin", "ADMIN", "superuser", "", None, 1):
        email = f"sneaky-{tag()}@example.com"
        body = assert_error(register(api, role=role, email=email), 422)
        assert list(body["errors"]) == ["role"], role
        listed = api.get(f"/api/users/?search={email}", world.admin).get_json()
        assert listed["count"] == 0, role


def test_emails_are_stored_lower_case_and_unique_in_any_case(api: Api) -> None:
    email = f"Mixed.Case-{tag()}@Example.COM"

    created = register(api, email=email).get_json()["user"]

    assert created["email"] == email.lower()
    for variant in (email, email.lower(), email.upper()):
        login = api.post("/api/auth/login/", {"email": variant, "password": "long-enough-1"})
        assert login.status_code == 200 and login.get_json()["user"]["id"] == created["id"]
    assert_error(register(api, email=email.upper()), 409)


def test_login_answers_user_access_and_refresh(world: World, api: Api) -> None:
    user = world.session("vendor")["user"]

    body = api.post("/api/auth/login/", {"email": user["email"], "password": PASSWORD}).get_json()

    assert set(body) == {"user", "access", "refresh"} and body["user"] == user


def test_refresh_answers_exactly_a_new_pair(world: World, api: Api) -> None:
    session = world.session()

    body = api.post("/api/auth/refresh/", {"refresh": session["refresh"]}).get_json()

    assert set(body) == {"access", "refresh"} and body["refresh"] != session["refresh"]


# --- token lifetimes --------------------------------------------------------------------------


def test_access_tokens_live_60_minutes_and_refresh_tokens_7_days_by_default(
    world: World,
) -> None:
    session = world.session()

    access, refresh = claims(session["access"]), claims(session["refresh"])

    assert access["exp"] - access["iat"] == 60 * 60
    assert refresh["exp"] - refresh["iat"] == 7 * 24 * 60 * 60


def test_token_lifetimes_are_configurable(make_app: AppFactory) -> None:
    api = Api(make_app(ACCESS_TOKEN_MINUTES=5, REFRESH_TOKEN_DAYS=2).test_client())

    session = register(api).get_json()

    access, refresh = claims(session["access"]), claims(session["refresh"])
    assert access["exp"] - access["iat"] == 5 * 60
    assert refresh["exp"] - refresh["iat"] == 2 * 24 * 60 * 60


# --- profile ----------------------------------------------------------------------------------


def test_patch_me_takes_the_four_profile_fields_only(world: World, api: Api) -> None:
    changes = {"first_name": "Bea", "last_name": "Ray", "phone": "123", "address": "2 High St"}

    body = api.patch("/api/auth/me/", changes, world.customer).get_json()

    assert set(body) == USER_KEYS and {k: body[k] for k in changes} == changes
    for field, value in (("email", "x@example.com"), ("role", "admin"), ("is_active", False)):
        error = assert_error(api.patch("/api/auth/me/", {field: value}, world.customer), 422)
        assert list(error["errors"]) == [field]
    assert api.get("/api/auth/me/", world.customer).get_json()["role"] == "customer"


# --- user administration ----------------------------------------------------------------------


def test_user_administration_answers_user_json_in_the_envelope(world: World, api: Api) -> None:
    listed = api.get("/api/users/", world.admin).get_json()
    one = api.get(f"/api/users/{world.vendor_id}/", world.admin).get_json()
    changed = api.patch(f"/api/users/{world.vendor_id}/", {"role": "customer"}, world.admin)

    assert set(listed) == {"count", "next", "previous", "results"} and listed["count"] == 3
    assert all(set(user) == USER_KEYS for user in listed["results"])
    assert set(one) == USER_KEYS and one["role"] == "vendor"
    assert changed.status_code == 200 and changed.get_json()["role"] == "customer"


@pytest.mark.parametrize("role", ["customer", "vendor"])
def test_user_administration_is_403_for_everyone_but_admins(
    world: World, api: Api, role: str
) -> None:
    token = world.customer if role == "customer" else world.vendor
    path = f"/api/users/{world.customer_id}/"

    assert_error(api.get("/api/users/", token), 403)
    assert_error(api.get(path, token), 403)
    assert_error(api.patch(path, {"is_active": False}, token), 403)
    assert_error(api.delete(path, token), 403)
    assert api.get("/api/auth/me/", world.customer).get_json()["is_active"] is True


def test_an_admin_makes_an_admin_who_can_then_do_everything(world: World, api: Api) -> None:
    promoted = api.patch(f"/api/users/{world.vendor_id}/", {"role": "admin"}, world.admin)

    assert promoted.get_json()["role"] == "admin"
    assert api.get("/api/users/", world.vendor).status_code == 200
    assert api.post("/api/categories/", {"name": f"C {tag()}"}, world.vendor).status_code == 201


def test_deleting_a_user_deactivates_them_and_keeps_their_orders(world: World, api: Api) -> None:
    buyer = world.session()
    slug = world.product()["slug"]
    pending = world.order(buyer["access"], [(slug, 2)])
    delivered = world.delivered(buyer["access"], slug)

    response = api.delete(f"/api/users/{buyer['user']['id']}/", world.admin)

    assert response.status_code == 204 and response.data == b""
    user = api.get(f"/api/users/{buyer['user']['id']}/", world.admin).get_json()
    assert user == {**buyer["user"], "is_active": False}
    for order in (pending, delivered):
        number = order["order_number"]
        kept = api.get(f"/api/orders/{number}/", world.admin)
        assert kept.status_code == 200 and kept.get_json()["items"] == order["items"]
    everyone = api.get("/api/orders/?page_size=100", world.admin).get_json()["results"]
    assert {pending["order_number"], delivered["order_number"]} <= {
        o["order_number"] for o in everyone
    }
    vendor_view = api.get("/api/vendor/orders/", world.vendor).get_json()
    assert vendor_view["count"] == 2
    assert_error(api.get("/api/auth/me/", buyer["access"]), 401)
    login = {"email": buyer["user"]["email"], "password": PASSWORD}
    assert_error(api.post("/api/auth/login/", login), 401)
    assert (
        api.post(
            "/api/orders/" + pending["order_number"] + "/cancel/", token=world.admin
        ).status_code
        == 200
    )


def test_a_deleted_user_stays_listed_as_inactive(world: World, api: Api) -> None:
    api.delete(f"/api/users/{world.customer_id}/", world.admin)

    inactive = api.get("/api/users/?is_active=false", world.admin).get_json()

    assert [user["id"] for user in inactive["results"]] == [world.customer_id]
