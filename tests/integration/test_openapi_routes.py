"""The OpenAPI document and the Flask url_map describe exactly the same API."""

from __future__ import annotations

import json
import re

import pytest

from shop_web import create_app
from tests.integration.conftest import test_config as make_config

IGNORED_METHODS = {"HEAD", "OPTIONS"}
SPEC_METHODS = {"get", "put", "post", "delete", "patch"}


def normalize(rule: str) -> str:
    """``/api/users/<int:user_id>/`` -> ``/api/users/{user_id}/``."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def routed(app) -> set[tuple[str, str]]:
    return {
        (normalize(rule.rule), method)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in (rule.methods or set()) - IGNORED_METHODS
    }


def documented(spec) -> set[tuple[str, str]]:
    return {
        (path, method.upper())
        for path, item in spec["paths"].items()
        for method in item
        if method in SPEC_METHODS
    }


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("/api/users/<int:user_id>/", "/api/users/{user_id}/"),
        ("/api/products/<slug>/reviews/", "/api/products/{slug}/reviews/"),
        ("/api/orders/<string:number>/cancel/", "/api/orders/{number}/cancel/"),
        ("/media/<path:name>", "/media/{name}"),
    ],
)
def test_rules_are_normalized_to_openapi_templates(rule, expected):
    assert normalize(rule) == expected


def test_every_api_route_is_documented_and_every_documented_route_exists(app, client):
    spec = client.get("/openapi.json").get_json()

    in_code, in_spec = routed(app), documented(spec)

    assert sorted(in_code - in_spec) == [], "routed but missing from /openapi.json"
    assert sorted(in_spec - in_code) == [], "in /openapi.json but not routed"
    assert ("/api/health/", "GET") in in_code


def test_every_documented_path_lives_under_api(client):
    spec = client.get("/openapi.json").get_json()

    assert all(path.startswith("/api/") for path in spec["paths"])


def test_path_parameters_match_the_template(client):
    spec = client.get("/openapi.json").get_json()

    for path, item in spec["paths"].items():
        names = set(re.findall(r"{([^}]+)}", path))
        for method, operation in item.items():
            if method not in SPEC_METHODS:
                continue
            parameters = item.get("parameters", []) + operation.get("parameters", [])
            in_path = {p["name"] for p in parameters if p.get("in") == "path"}
            assert in_path == names, (method, path)


def test_a_route_added_outside_flask_smorest_would_be_caught(database_url, media_root):
    app = create_app(make_config(database_url, media_root))
    app.add_url_rule("/api/hidden/<int:item>/", "hidden", lambda item: "", methods=["PUT"])

    spec = app.test_client().get("/openapi.json").get_json()

    assert routed(app) - documented(spec) == {("/api/hidden/{item}/", "PUT")}


def test_every_reference_in_the_document_resolves(client):
    spec = client.get("/openapi.json").get_json()
    text = json.dumps(spec)

    for ref in set(re.findall(r'"\$ref": "#/([^"]+)"', text)):
        node = spec
        for part in ref.split("/"):
            assert part in node, f"dangling reference #/{ref}"
            node = node[part]


@pytest.mark.parametrize("user_id", ["0", "2147483648", "16003160349293567632039124691582976"])
def test_an_id_outside_the_database_range_is_404_not_an_overflow(api, user_id):
    admin = api.token("admin")

    for method in ("GET", "PATCH", "DELETE"):
        response = api.call(method, f"/api/users/{user_id}/", admin, json={})
        assert response.status_code == 404, (method, response.get_json())


def test_path_ids_are_documented_with_their_bounds(client):
    spec = client.get("/openapi.json").get_json()
    item = spec["paths"]["/api/users/{user_id}/"]
    (parameter,) = item.get("parameters") or item["get"]["parameters"]

    assert parameter["schema"] == {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
