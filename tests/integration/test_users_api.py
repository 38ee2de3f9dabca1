"""User administration: list with filters, search and pages; detail; PATCH; DELETE."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.integration.conftest import PASSWORD, Api


def make(api: Api, email: str, first: str, last: str, role: str = "customer") -> dict[str, Any]:
    body = {"email": email, "password": PASSWORD, "first_name": first, "last_name": last,
            "role": role}  # fmt: skip
    response = api.post("/api/auth/register/", body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()  # type: ignore[no-any-return]


@pytest.fixture
def admin(api: Api) -> dict[str, Any]:
    return api.user("admin")  # type: ignore[no-any-return]


@pytest.fixture
def people(api: Api, admin: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Four users besides the admin; Cid is deactivated."""
    people = {
        "ann": make(api, "ann@example.com", "Ann", "Lee"),
        "bob": make(api, "bob@shop.test", "Bob", "Annis", "vendor"),
        "cid": make(api, "cid@example.com", "Cid", "Moe", "vendor"),
        "dee": make(api, "dee_1%@example.com", "Dee", "Ray"),
        "root": admin,
    }
    assert (
        api.delete(f"/api/users/{people['cid']['user']['id']}/", admin["access"]).status_code == 204
    )
    return people


def ids(response: Any) -> list[int]:
    return [user["id"] for user in response.get_json()["results"]]


def ids_of(people: dict[str, dict[str, Any]], *names: str) -> list[int]:
    return sorted(people[name]["user"]["id"] for name in names)


def assert_status(response: Any, code: int) -> dict[str, Any]:
    assert response.status_code == code, response.get_json()
    body = response.get_json()
    assert body["code"] == code and body["message"]
    return body  # type: ignore[no-any-return]


# --- who may ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/api/users/"), ("GET", "/api/users/1/"), ("PATCH", "/api/users/1/"),
     ("DELETE", "/api/users/1/")],
)  # fmt: skip
def test_user_administration_is_for_admins_only(api: Api, method: str, path: str) -> None:
    kwargs = {"json": {"role": "vendor"}} if method == "PATCH" else {}

    assert_status(api.call(method, path, **kwargs), 401)
    for role in ("customer", "vendor"):
        assert_status(api.call(method, path, api.token(role), **kwargs), 403)


# --- list -------------------------------------------------------------------------------------


def test_list_answers_the_envelope_ordered_by_id(
    api: Api, admin: dict[str, Any], people: dict[str, dict[str, Any]]
) -> None:
    response = api.get("/api/users/", admin["access"])

    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 5 and body["next"] is None and body["previous"] is None
    assert ids(response) == ids_of(people, *people)
    by_id = {user["id"]: user for user in body["results"]}
    assert by_id[people["ann"]["user"]["id"]] == people["ann"]["user"]


def test_list_pages_with_absolute_links(
    api: Api, admin: dict[str, Any], people: dict[str, dict[str, Any]]
) -> None:
    everyone = ids_of(people, *people)

    first = api.get("/api/users/?page_size=2", admin["access"]).get_json()
    assert first["count"] == 5 and [u["id"] for u in first["results"]] == everyone[:2]
    assert first["previous"] is None
    link = urlsplit(first["next"])
    assert (link.scheme, link.netloc, link.path) == ("http", "localhost", "/api/users/")
    assert parse_qs(link.query) == {"page": ["2"], "page_size": ["2"]}

    second = api.get(first["next"].removeprefix("http://localhost"), admin["access"]).get_json()
    assert [u["id"] for u in second["results"]] == everyone[2:4]
    third = api.get(second["next"].removeprefix("http://localhost"), admin["access"]).get_json()
    assert [u["id"] for u in third["results"]] == everyone[4:] and third["next"] is None
    assert parse_qs(urlsplit(third["previous"]).query) == {"page": ["2"], "page_size": ["2"]}


def test_list_links_keep_the_filters(
    api: Api, admin: dict[str, Any], people: dict[str, dict[str, Any]]
) -> None:
    body = api.get("/api/users/?search=e&page_size=1", admin["access"]).get_json()

    assert parse_qs(urlsplit(body["next"]).query) == {
        "search": ["e"], "page": ["2"], "page_size": ["1"],
    }  # fmt: skip


def test_a_page_past_the_end_is_empty(
    api: Api, admin: dict[str, Any], people: dict[str, dict[str, Any]]
) -> None:
    body = api.get("/api/users/?page=9&page_size=2", admin["access"]).get_json()

    assert body["count"] == 5 and body["results"] == [] and body["next"] is None
    assert parse_qs(urlsplit(body["previous"]).query)["page"] == ["8"]


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("role=vendor", ["bob", "cid"]),
        ("role=admin", ["root"]),
        ("is_active=false", ["cid"]),
        ("is_active=true&role=vendor", ["bob"]),
        ("search=ANN", ["ann", "bob"]),
        ("search=shop.test", ["bob"]),
        ("search=moe", ["cid"]),
        ("search=%25", ["dee"]),
        ("search=_", ["dee"]),
        ("search=nobody", []),
    ],
)
def test_list_filters_by_role_active_flag_and_search(
    api: Api, admin: dict[str, Any], people: dict[str, dict[str, Any]], query: str,
    names: list[str],
) -> None:  # fmt: skip
    response = api.get(f"/api/users/?{query}", admin["access"])

    assert response.status_code == 200
    assert ids(response) == ids_of(people, *names)
    assert response.get_json()["count"] == len(names)


@pytest.mark.parametrize(
    ("query", "field"),
    [("role=superuser", "role"), ("is_active=maybe", "is_active"), ("page=0", "page"),
     ("page_size=101", "page_size"), ("page_size=0", "page_size"), ("page=x", "page"),
     ("search=", "search")],
)  # fmt: skip
def test_list_refuses_bad_query_arguments_with_flat_errors(
    api: Api, admin: dict[str, Any], query: str, field: str
) -> None:
    body = assert_status(api.get(f"/api/users/?{query}", admin["access"]), 422)

    assert list(body["errors"]) == [field]


# --- detail -----------------------------------------------------------------------------------


def test_an_admin_reads_any_user(api: Api, admin: dict[str, Any]) -> None:
    ann = make(api, "ann@example.com", "Ann", "Lee")

    response = api.get(f"/api/users/{ann['user']['id']}/", admin["access"])

    assert response.status_code == 200 and response.get_json() == ann["user"]


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_an_unknown_user_is_404(api: Api, admin: dict[str, Any], method: str) -> None:
    kwargs = {"json": {"role": "vendor"}} if method == "PATCH" else {}

    body = assert_status(api.call(method, "/api/users/999999/", admin["access"], **kwargs), 404)
    assert body["status"] == "Not Found"


# --- patch ------------------------------------------------------------------------------------


def test_patch_changes_the_role_with_immediate_effect(api: Api, admin: dict[str, Any]) -> None:
    ann = make(api, "ann@example.com", "Ann", "Lee")
    path = f"/api/users/{ann['user']['id']}/"

    response = api.patch(path, {"role": "vendor"}, admin["access"])

    assert response.status_code == 200 and response.get_json()["role"] == "vendor"
    assert api.get("/api/auth/me/", ann["access"]).get_json()["role"] == "vendor"


def test_a_promoted_admin_can_administer_and_loses_it_when_demoted(
    api: Api, admin: dict[str, Any]
) -> None:
    ann = make(api, "ann@example.com", "Ann", "Lee")
    path = f"/api/users/{ann['user']['id']}/"

    assert api.patch(path, {"role": "admin"}, admin["access"]).status_code == 200
    assert api.get("/api/users/", ann["access"]).status_code == 200
    assert api.patch(path, {"role": "customer"}, admin["access"]).status_code == 200
    assert_status(api.get("/api/users/", ann["access"]), 403)


def test_patch_deactivates_and_locks_the_user_out_at_once(api: Api, admin: dict[str, Any]) -> None:
    ann = make(api, "ann@example.com", "Ann", "Lee")
    path = f"/api/users/{ann['user']['id']}/"

    response = api.patch(path, {"is_active": False}, admin["access"])

    assert response.status_code == 200 and response.get_json()["is_active"] is False
    assert_status(api.get("/api/auth/me/", ann["access"]), 401)
    assert_status(api.post("/api/auth/refresh/", {"refresh": ann["refresh"]}), 401)
    login = {"email": "ann@example.com", "password": PASSWORD}
    assert_status(api.post("/api/auth/login/", login), 401)

    assert api.patch(path, {"is_active": True}, admin["access"]).status_code == 200
    assert_status(api.get("/api/auth/me/", ann["access"]), 401)  # old tokens stay dead
    assert api.post("/api/auth/login/", login).status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [({"role": "superuser"}, "role"), ({"is_active": "perhaps"}, "is_active"),
     ({"email": "x@example.com"}, "email"), ({"password": "new-password"}, "password")],
)  # fmt: skip
def test_patch_refuses_other_fields_and_bad_values(
    api: Api, admin: dict[str, Any], body: dict[str, Any], field: str
) -> None:
    ann = make(api, "ann@example.com", "Ann", "Lee")
    path = f"/api/users/{ann['user']['id']}/"

    response = assert_status(api.patch(path, body, admin["access"]), 422)

    assert list(response["errors"]) == [field]
    assert api.get(path, admin["access"]).get_json() == ann["user"]


@pytest.mark.parametrize("body", [{"role": "customer"}, {"role": "vendor"}, {"is_active": False}])
def test_an_admin_cannot_demote_or_deactivate_themselves(
    api: Api, admin: dict[str, Any], body: dict[str, Any]
) -> None:
    path = f"/api/users/{admin['user']['id']}/"

    assert_status(api.patch(path, body, admin["access"]), 422)

    assert api.get(path, admin["access"]).get_json() == admin["user"]


# --- delete -----------------------------------------------------------------------------------


def test_delete_deactivates_and_keeps_the_user(api: Api, admin: dict[str, Any]) -> None:
    ann = make(api, "ann@example.com", "Ann", "Lee")
    path = f"/api/users/{ann['user']['id']}/"

    response = api.delete(path, admin["access"])

    assert response.status_code == 204 and response.data == b""
    assert api.get(path, admin["access"]).get_json() == {**ann["user"], "is_active": False}
    assert_status(api.get("/api/auth/me/", ann["access"]), 401)


def test_an_admin_cannot_delete_themselves(api: Api, admin: dict[str, Any]) -> None:
    path = f"/api/users/{admin['user']['id']}/"

    assert_status(api.delete(path, admin["access"]), 422)
    assert api.get("/api/auth/me/", admin["access"]).status_code == 200
