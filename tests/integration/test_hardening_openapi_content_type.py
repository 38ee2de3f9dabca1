"""Routing first (404, 405), then the content type (400), then validation (422)."""

from __future__ import annotations

import io

import pytest

from tests.integration.catalog_helpers import Shop, image_bytes


@pytest.fixture
def shop(api) -> Shop:
    return Shop(api)


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["code"] == status
    return body


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH"])
def test_an_unknown_path_is_404_whatever_content_type_the_body_has(client, method):
    response = client.open("/api/unknown/", method=method, data="x", content_type="text/plain")

    _error(response, 404)


def test_an_unknown_path_below_a_known_one_is_404_for_a_body_of_the_wrong_type(api):
    token = api.token("customer")

    response = api.post("/api/cart/items/x/y/z/", token=token, data="{", content_type="text/xml")

    _error(response, 404)


def test_a_wrong_method_on_an_upload_route_is_405_not_a_complaint_about_the_upload(shop):
    slug = shop.product()["slug"]

    for content_type in ("application/json", "text/plain"):
        response = shop.api.put(
            f"/api/products/{slug}/images/", token=shop.vendor, data="{}", content_type=content_type
        )
        _error(response, 405)
        assert response.headers["Allow"].split(", ").count("POST") == 1


def test_a_wrong_method_with_a_proper_upload_is_405(api):
    token = api.token("customer")
    upload = {"image": (io.BytesIO(image_bytes()), "a.png")}

    response = api.post("/api/auth/me/avatar/", token=token, data=upload)

    _error(response, 405)
    assert "PUT" in response.headers["Allow"]


def test_a_wrong_method_with_a_json_route_and_a_text_body_is_405(api):
    response = api.call("PUT", "/api/auth/login/", data="x", content_type="text/plain")

    _error(response, 405)


def test_a_routed_body_of_the_wrong_type_is_still_400_before_its_fields_are_checked(shop):
    # The body would fail validation (no name, no price) if it were read: 400 comes first.
    response = shop.api.post(
        "/api/products/", token=shop.vendor, data='{"stock": -1}', content_type="text/plain"
    )

    assert "application/json" in _error(response, 400)["message"]


def test_a_routed_upload_that_is_not_multipart_is_still_400(shop):
    slug = shop.product()["slug"]

    response = shop.api.post(
        f"/api/products/{slug}/images/", token=shop.vendor, json={"image": "x"}
    )

    assert "multipart/form-data" in _error(response, 400)["message"]


def test_a_json_body_that_fails_validation_is_422(shop):
    response = shop.api.post("/api/products/", {"stock": -1}, shop.vendor)

    assert "name" in _error(response, 422)["errors"]
