"""Hostile uploads to product images and avatars: refused cleanly and storing nothing, or stored
only as a freshly encoded image (never the bytes that were sent)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.integration.hostile_helpers import Shop, png, refusal, snapshot

SCRIPT = b"<script>alert(document.cookie)</script><?php system($_GET['c']); ?>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>x()</script></svg>'


@pytest.fixture
def shop(api) -> Shop:
    return Shop(api)


@pytest.fixture(params=["product image", "avatar"])
def target(request, shop) -> tuple[str, str]:
    """(method, path) of an upload route."""
    if request.param == "avatar":
        return "PUT", "/api/auth/me/avatar/"
    return "POST", f"/api/products/{shop.slug}/images/"


def _files(shop: Shop) -> list[Path]:
    return sorted(Path(shop.app.config["MEDIA_ROOT"]).rglob("*"))


def _upload(shop: Shop, target: tuple[str, str], **kwargs: Any) -> Any:
    method, path = target
    headers = {"Authorization": f"Bearer {shop.tokens['vendor']}", **kwargs.pop("headers", {})}
    return shop.client.open(path, method=method, headers=headers, **kwargs)


def _multipart(files: dict[str, Any]) -> dict[str, Any]:
    return {"data": files, "content_type": "multipart/form-data"}


def _file(data: bytes, name: str) -> Any:
    return (io.BytesIO(data), name)


# name -> (the request's keyword arguments, made afresh for each use; the status)
MALFORMED: dict[str, tuple[Any, int]] = {
    "a JSON body": (lambda: {"data": b'{"image": "aGk="}', "content_type": "application/json"},
                    400),
    "a form body": (lambda: {"data": {"image": "x"},
                             "content_type": "application/x-www-form-urlencoded"}, 400),
    "multipart without a boundary": (lambda: {"data": b"--x\r\n\r\nimage\r\n--x--",
                                              "content_type": "multipart/form-data"}, 400),
    "multipart with a boundary but no parts": (lambda: {
        "data": b"garbage", "content_type": "multipart/form-data; boundary=xyz"}, 422),
    "no body": (dict, 422),
    "the file in another field": (lambda: _multipart({"file": _file(png(), "a.png")}), 422),
    "text in the image field": (lambda: _multipart({"image": "not a file"}), 422),
    "an empty file": (lambda: _multipart({"image": _file(b"", "a.png")}), 400),
    "an SVG with a script": (lambda: _multipart({"image": _file(SVG, "a.svg")}), 422),
    "HTML": (lambda: _multipart({"image": _file(b"<html>" + SCRIPT, "a.html")}), 422),
    "a GIF": (lambda: _multipart({"image": _file(png(fmt="GIF"), "a.gif")}), 422),
    "a BMP named .png": (lambda: _multipart({"image": _file(png(fmt="BMP"), "a.png")}), 422),
    "a truncated JPEG": (lambda: _multipart({"image": _file(png(fmt="JPEG")[:300], "a.jpg")}),
                         422),
    "a script behind a JPEG magic number": (lambda: _multipart({"image": _file(
        b"\xff\xd8\xff\xe0" + SCRIPT, "a.jpg")}), 422),
    "junk first, a good image second": (lambda: _multipart({"image": [
        _file(SCRIPT, "a.png"), _file(png(), "b.png")]}), 422),
}  # fmt: skip


@pytest.mark.parametrize("name", list(MALFORMED))
def test_malformed_uploads_are_refused_cleanly_and_store_nothing(shop, target, name):
    request, status = MALFORMED[name]
    before, files = snapshot(shop.app), _files(shop)

    answer = _upload(shop, target, **request())

    assert refusal(answer, status) is None, answer.get_data()[:300]
    assert (snapshot(shop.app), _files(shop)) == (before, files)


def test_a_huge_declared_length_with_a_small_body_is_413_before_anything_is_read(shop, target):
    before = snapshot(shop.app)
    for length in (str(10**12), str(6 * 1024 * 1024), "9" * 30):
        answer = _upload(shop, target, data=b"--x\r\n", content_type="multipart/form-data; "
                         "boundary=x", environ_overrides={"CONTENT_LENGTH": length})  # fmt: skip
        assert refusal(answer, 413) is None, length
    assert snapshot(shop.app) == before


def _stored(shop: Shop, answer: Any) -> bytes:
    body = answer.get_json()
    url = body["url"] if "url" in body else body["profile_image"]
    served = shop.client.get(url.removeprefix("http://localhost"))
    assert served.status_code == 200
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    return bytes(served.data)


def test_a_jpeg_with_a_script_appended_is_stored_as_a_new_jpeg_without_the_script(shop, target):
    polyglot = png((64, 48), "JPEG") + SCRIPT

    answer = _upload(shop, target, **_multipart({"image": (io.BytesIO(polyglot), "x.php")}))

    assert answer.status_code in (200, 201), answer.get_json()
    stored = _stored(shop, answer)
    assert b"<script" not in stored and b"<?php" not in stored and stored != polyglot
    assert Image.open(io.BytesIO(stored)).format == "JPEG"
    name = (answer.get_json().get("url") or answer.get_json()["profile_image"]).rsplit("/", 1)[1]
    assert name.endswith(".jpg") and "php" not in name


def test_a_png_named_jpg_is_stored_as_png_under_a_name_of_our_own(shop, target):
    answer = _upload(shop, target, **_multipart({"image": (io.BytesIO(png()), "../../a.jpg")}))

    assert answer.status_code in (200, 201), answer.get_json()
    stored = _stored(shop, answer)
    assert stored.startswith(b"\x89PNG") and Image.open(io.BytesIO(stored)).format == "PNG"
    url = answer.get_json().get("url") or answer.get_json()["profile_image"]
    assert url.endswith(".png") and ".." not in url and "a.jpg" not in url
    root = Path(shop.app.config["MEDIA_ROOT"]).resolve()
    assert all(path.resolve().is_relative_to(root) for path in _files(shop))


def test_of_two_files_in_the_image_field_only_the_first_is_taken(shop):
    path = ("POST", f"/api/products/{shop.slug}/images/")
    before = len(shop.call("GET", f"/api/products/{shop.slug}/").get_json()["images"])

    answer = _upload(shop, path, **_multipart({"image": [
        (io.BytesIO(png((30, 20))), "a.png"), (io.BytesIO(SCRIPT), "b.png")]}))  # fmt: skip

    assert answer.status_code == 201
    assert (answer.get_json()["width"], answer.get_json()["height"]) == (30, 20)
    images = shop.call("GET", f"/api/products/{shop.slug}/").get_json()["images"]
    assert len(images) == before + 1
