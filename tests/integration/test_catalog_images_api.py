"""Product image uploads on SQLite and MariaDB: formats, refusals, metadata, no orphan files."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from tests.integration.catalog_helpers import Shop, image_bytes, jpeg_with_exif
from tests.integration.conftest import Api, AppFactory


@pytest.fixture
def shop(api: Api) -> Shop:
    shop = Shop(api)
    shop.product("Pot")
    return shop


@pytest.fixture
def files(media_root: str) -> set[Path]:
    """The files under the media root before the test (other tests leave theirs)."""
    return set(Path(media_root).rglob("*.*"))


def new_files(media_root: str, before: set[Path]) -> set[Path]:
    return set(Path(media_root).rglob("*.*")) - before


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` pixels (a decompression bomb)."""
    data = bytearray(image_bytes("PNG", (8, 8)))
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


@pytest.mark.parametrize(("fmt", "extension"), [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp")])
def test_each_format_is_stored_with_a_thumbnail_and_served(
    api: Api, shop: Shop, fmt: str, extension: str
) -> None:
    response = shop.upload("pot", image_bytes(fmt, (800, 400)), name="upload.bin")

    assert response.status_code == 201, response.get_json()
    image = response.get_json()
    assert set(image) == {"id", "url", "thumbnail_url", "width", "height", "position"}
    assert (image["width"], image["height"], image["position"]) == (800, 400, 0)
    assert image["url"].startswith("http://localhost/media/products/")
    assert image["url"].endswith(f".{extension}")
    served = Image.open(io.BytesIO(shop.media(image["url"])))
    thumbnail = Image.open(io.BytesIO(shop.media(image["thumbnail_url"])))
    assert (served.format, served.size) == (fmt, (800, 400))
    assert (thumbnail.format, thumbnail.size) == (fmt, (320, 160))
    assert api.get("/api/products/pot/").get_json()["images"] == [image]


def test_images_are_listed_by_position(api: Api, shop: Shop) -> None:
    uploaded = [shop.upload("pot", image_bytes("PNG", (10 + n, 10))).get_json() for n in range(3)]

    assert [i["position"] for i in uploaded] == [0, 1, 2]
    assert api.get("/api/products/pot/").get_json()["images"] == uploaded


def test_exif_is_applied_then_removed_from_the_served_file(shop: Shop) -> None:
    image = shop.upload("pot", jpeg_with_exif(), name="photo.jpg").get_json()

    served_bytes = shop.media(image["url"])
    served = Image.open(io.BytesIO(served_bytes))
    assert (image["width"], image["height"]) == (40, 60) == served.size  # rotated upright
    assert not served.getexif() and "exif" not in served.info
    assert b"SpyCam" not in served_bytes
    assert not Image.open(io.BytesIO(shop.media(image["thumbnail_url"]))).getexif()


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"this is text, not a picture\n" * 10, "photo.png"),  # a fake PNG
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "broken.png"),  # a PNG signature and garbage
        (image_bytes("GIF"), "anim.gif"),
        (image_bytes("BMP"), "old.bmp"),
    ],
)
def test_anything_but_jpeg_png_or_webp_is_422_and_stores_nothing(
    api: Api, shop: Shop, files: set[Path], media_root: str, data: bytes, name: str
) -> None:
    response = shop.upload("pot", data, name=name)

    assert response.status_code == 422 and response.get_json()["message"]
    assert new_files(media_root, files) == set()
    assert api.get("/api/products/pot/").get_json()["images"] == []


def test_a_decompression_bomb_is_422_from_its_header(
    shop: Shop, files: set[Path], media_root: str
) -> None:
    response = shop.upload("pot", png_claiming(30_000, 30_000))

    assert response.status_code == 422 and "pixels" in response.get_json()["message"]
    assert new_files(media_root, files) == set()


def test_an_oversized_upload_is_413(
    make_app: AppFactory,
    shop: Shop,
    files: set[Path],
    media_root: str,  # noqa: F811
) -> None:
    small = Api(make_app(MAX_CONTENT_LENGTH=2_000).test_client())
    big = image_bytes("PNG", (400, 400), compress_level=0)
    assert len(big) > 2_000

    response = small.post(
        "/api/products/pot/images/", None, shop.vendor,
        data={"image": (io.BytesIO(big), "big.png")}, content_type="multipart/form-data",
    )  # fmt: skip

    assert response.status_code == 413 and response.get_json()["code"] == 413
    assert new_files(media_root, files) == set()
    ok = small.post(
        "/api/products/pot/images/", None, shop.vendor,
        data={"image": (io.BytesIO(image_bytes("PNG", (8, 8))), "small.png")},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert ok.status_code == 201


def test_a_missing_or_empty_file_and_a_json_body_are_refused(api: Api, shop: Shop) -> None:
    missing = api.post("/api/products/pot/images/", None, shop.vendor, data={"other": "x"},
                       content_type="multipart/form-data")  # fmt: skip
    empty = shop.upload("pot", b"")
    as_json = api.post("/api/products/pot/images/", {"image": "aGVsbG8="}, shop.vendor)

    assert missing.status_code == 422 and "image" in missing.get_json()["errors"]
    assert empty.status_code == 400
    assert as_json.status_code == 400


def test_upload_permissions(api: Api, shop: Shop, files: set[Path], media_root: str) -> None:
    data = image_bytes("PNG")
    anonymous = api.post("/api/products/pot/images/", None, None,
                         data={"image": (io.BytesIO(data), "a.png")},
                         content_type="multipart/form-data")  # fmt: skip

    assert anonymous.status_code == 401
    assert shop.upload("pot", data, shop.customer).status_code == 403
    assert shop.upload("pot", data, shop.other_vendor).status_code == 403
    assert shop.upload("nope", data).status_code == 404
    assert new_files(media_root, files) == set()
    assert shop.upload("pot", data, shop.admin).status_code == 201
    assert shop.upload("pot", data, shop.vendor).status_code == 201


def test_deleting_an_image_removes_both_files(
    api: Api, shop: Shop, files: set[Path], media_root: str
) -> None:
    keep = shop.upload("pot", image_bytes("PNG")).get_json()
    drop = shop.upload("pot", image_bytes("JPEG")).get_json()
    url = f"/api/products/pot/images/{drop['id']}/"

    assert api.delete(url).status_code == 401
    assert api.delete(url, shop.customer).status_code == 403
    assert api.delete(url, shop.other_vendor).status_code == 403
    assert api.delete(url, shop.vendor).status_code == 204

    for link in (drop["url"], drop["thumbnail_url"]):
        assert api.get(link.removeprefix("http://localhost")).status_code == 404
    assert len(new_files(media_root, files)) == 2  # only the kept image and its thumbnail
    assert api.get("/api/products/pot/").get_json()["images"] == [keep]
    assert api.delete(url, shop.vendor).status_code == 404


def test_an_image_id_of_another_product_is_404(api: Api, shop: Shop) -> None:
    shop.product("Pan")
    other = shop.upload("pan", image_bytes("PNG")).get_json()

    response = api.delete(f"/api/products/pot/images/{other['id']}/", shop.vendor)

    assert response.status_code == 404
    assert shop.media(other["url"])
