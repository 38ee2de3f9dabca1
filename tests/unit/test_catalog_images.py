"""Product image use cases: stored with a thumbnail, no orphan files on any failure."""

from __future__ import annotations

import pytest

from shopcore.adapters.memory.catalog import MemoryProductImageRepository
from shopcore.adapters.memory.storage import FakeImageProcessor, InMemoryFileStorage
from shopcore.domain.errors import (
    ImageNotFound,
    InvalidImage,
    PermissionDenied,
    ProductNotFound,
    RuleViolation,
)
from shopcore.ports.storage import ProcessedImage
from tests.unit.catalog_helpers import Catalog
from tests.unit.conftest import Harness

PNG = b"IMG:640x480:png"


class CountingProcessor(FakeImageProcessor):
    def __init__(self) -> None:
        super().__init__(max_pixels=1_000_000)
        self.calls = 0

    def process(self, data: bytes, *, thumbnail_size: int | None = None) -> ProcessedImage:
        self.calls += 1
        return super().process(data, thumbnail_size=thumbnail_size)


@pytest.fixture
def cat(harness: Harness) -> Catalog:
    catalog = Catalog(harness)
    catalog.shop.images = CountingProcessor()
    catalog.product("Pot")
    return catalog


def _files(cat: Catalog) -> InMemoryFileStorage:
    return cat.h.storage


def test_an_upload_stores_the_image_and_its_thumbnail(cat: Catalog) -> None:
    image = cat.shop.add_product_image.execute(cat.vendor, "pot", PNG)

    product_id = cat.stored("pot").id
    assert image.path.startswith(f"products/{product_id}/") and image.path.endswith(".png")
    assert image.thumbnail_path == image.path.removesuffix(".png") + "_thumb.png"
    assert _files(cat).open(image.path) == PNG
    assert _files(cat).open(image.thumbnail_path) == b"THUMB:" + PNG
    assert (image.width, image.height, image.position) == (640, 480, 0)
    shown = cat.shop.get_product.execute("pot").images
    assert [(i.id, i.path) for i in shown] == [(image.id, image.path)]


def test_positions_count_up_and_the_format_is_the_real_one(cat: Catalog) -> None:
    uploads = [b"IMG:10x10:jpg", b"IMG:20x10:webp", b"IMG:30x10:png"]

    images = [cat.shop.add_product_image.execute(cat.admin, "pot", data) for data in uploads]

    assert [i.position for i in images] == [0, 1, 2]
    assert [i.path.rsplit(".", 1)[1] for i in images] == ["jpg", "webp", "png"]


def test_an_invalid_image_stores_nothing(cat: Catalog) -> None:
    for bad in (b"GIF89a...", b"IMG:99999x99999:png"):  # not an image; a decompression bomb
        with pytest.raises(InvalidImage):
            cat.shop.add_product_image.execute(cat.vendor, "pot", bad)

    assert len(_files(cat)) == 0 and cat.store.tables["product_images"] == {}


@pytest.mark.parametrize("who", ["other_vendor", "customer"])
def test_others_are_refused_before_any_image_work(cat: Catalog, who: str) -> None:
    with pytest.raises(PermissionDenied):
        cat.shop.add_product_image.execute(getattr(cat, who), "pot", PNG)

    assert cat.shop.images.calls == 0 and len(_files(cat)) == 0  # type: ignore[attr-defined]


def test_an_unknown_or_hidden_product_is_not_found(cat: Catalog) -> None:
    cat.product("Secret", is_active=False)

    with pytest.raises(ProductNotFound):
        cat.shop.add_product_image.execute(cat.vendor, "nope", PNG)
    with pytest.raises(ProductNotFound):
        cat.shop.add_product_image.execute(cat.other_vendor, "secret", PNG)
    assert len(_files(cat)) == 0


def test_files_are_removed_when_the_product_vanishes_during_processing(cat: Catalog) -> None:
    shop = cat.shop

    class DeletingProcessor(FakeImageProcessor):
        def process(self, data: bytes, *, thumbnail_size: int | None = None) -> ProcessedImage:
            shop.delete_product.execute(cat.vendor, "pot")
            return super().process(data)

    shop.images = DeletingProcessor()

    with pytest.raises(ProductNotFound):
        shop.add_product_image.execute(cat.vendor, "pot", PNG)
    assert len(_files(cat)) == 0


def test_files_are_removed_when_the_transaction_fails(
    cat: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_add(self: MemoryProductImageRepository, image: object) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(MemoryProductImageRepository, "add", broken_add)

    with pytest.raises(RuntimeError):
        cat.shop.add_product_image.execute(cat.vendor, "pot", PNG)
    assert len(_files(cat)) == 0 and cat.store.tables["product_images"] == {}


def test_a_failed_thumbnail_write_removes_the_main_file(
    cat: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = InMemoryFileStorage.save

    def no_thumbnails(self: InMemoryFileStorage, name: str, data: bytes) -> None:
        if name.endswith("_thumb.png"):
            raise OSError("disk full")
        original(self, name, data)

    monkeypatch.setattr(InMemoryFileStorage, "save", no_thumbnails)

    with pytest.raises(OSError, match="disk full"):
        cat.shop.add_product_image.execute(cat.vendor, "pot", PNG)
    assert len(_files(cat)) == 0


def test_a_product_has_at_most_ten_images(cat: Catalog) -> None:
    for number in range(10):
        cat.shop.add_product_image.execute(cat.vendor, "pot", PNG + b":%d" % number)
    calls = cat.shop.images.calls  # type: ignore[attr-defined]

    with pytest.raises(RuleViolation) as caught:
        cat.shop.add_product_image.execute(cat.vendor, "pot", PNG)

    assert "image" in caught.value.errors
    assert cat.shop.images.calls == calls  # type: ignore[attr-defined]
    assert len(_files(cat)) == 20


def test_deleting_an_image_removes_both_files(cat: Catalog) -> None:
    keep = cat.shop.add_product_image.execute(cat.vendor, "pot", PNG + b":keep")
    drop = cat.shop.add_product_image.execute(cat.vendor, "pot", PNG + b":drop")

    cat.shop.delete_product_image.execute(cat.admin, "pot", drop.id)

    assert drop.path not in _files(cat) and drop.thumbnail_path not in _files(cat)
    assert keep.path in _files(cat)
    assert [i.id for i in cat.shop.get_product.execute("pot").images] == [keep.id]


def test_an_image_of_another_product_or_an_unknown_one_is_not_found(cat: Catalog) -> None:
    cat.product("Pan")
    other = cat.shop.add_product_image.execute(cat.vendor, "pan", PNG)

    for image_id in (other.id, 999):
        with pytest.raises(ImageNotFound):
            cat.shop.delete_product_image.execute(cat.vendor, "pot", image_id)
    assert other.path in _files(cat)


def test_only_the_owner_or_an_admin_deletes_images(cat: Catalog) -> None:
    image = cat.shop.add_product_image.execute(cat.vendor, "pot", PNG)

    for who in (cat.other_vendor, cat.customer):
        with pytest.raises(PermissionDenied):
            cat.shop.delete_product_image.execute(who, "pot", image.id)
    assert image.path in _files(cat)
