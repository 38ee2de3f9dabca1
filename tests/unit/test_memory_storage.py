"""InMemoryFileStorage and FakeImageProcessor (standard library and pytest only)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from shopcore.adapters.memory.storage import FakeImageProcessor, InMemoryFileStorage
from shopcore.domain.errors import InvalidImage
from shopcore.ports.storage import FileStorage, ImageProcessor, ProcessedImage

# --- InMemoryFileStorage -------------------------------------------------------------------


def test_storage_implements_the_port() -> None:
    assert isinstance(InMemoryFileStorage(), FileStorage)


def test_save_open_overwrite_delete() -> None:
    storage = InMemoryFileStorage()

    storage.save("products/ab12.webp", b"first")
    storage.save("products/ab12.webp", b"second")

    assert storage.open("products/ab12.webp") == b"second"
    assert "products/ab12.webp" in storage and len(storage) == 1
    storage.delete("products/ab12.webp")
    assert "products/ab12.webp" not in storage and len(storage) == 0
    with pytest.raises(FileNotFoundError):
        storage.open("products/ab12.webp")


def test_saved_bytes_are_a_copy() -> None:
    storage = InMemoryFileStorage()
    buffer = bytearray(b"abc")

    storage.save("a.png", buffer)
    buffer[0] = ord("X")

    assert storage.open("a.png") == b"abc"


def test_deleting_a_missing_file_is_fine_and_leaves_the_other_files_alone() -> None:
    storage = InMemoryFileStorage()
    storage.save("products/kept.webp", b"kept")

    storage.delete("products/none.webp")

    assert storage.files == {"products/kept.webp": b"kept"}


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("/media/", "/media/products/ab12.webp"),
        ("/media", "/media/products/ab12.webp"),
        ("https://cdn.example.com/m/", "https://cdn.example.com/m/products/ab12.webp"),
    ],
)
def test_url(prefix: str, expected: str) -> None:
    assert InMemoryFileStorage(url_prefix=prefix).url("products/ab12.webp") == expected
    assert InMemoryFileStorage().url("products/ab12.webp") == "/media/products/ab12.webp"


@pytest.mark.parametrize(
    "name",
    [
        "../escape.jpg",
        "products/../../escape.jpg",
        "products/..",
        "/etc/passwd",
        "products\\..\\escape.jpg",
        "products/a\x00.jpg",
        "",
        "products//a.jpg",
        "./a.jpg",
        "products/",
    ],
)
def test_names_leaving_the_root_are_refused(name: str) -> None:
    storage = InMemoryFileStorage()

    for operation in (
        lambda: storage.save(name, b"x"),
        lambda: storage.open(name),
        lambda: storage.delete(name),
        lambda: storage.url(name),
    ):
        with pytest.raises(ValueError):
            operation()
    assert len(storage) == 0


# --- FakeImageProcessor --------------------------------------------------------------------


def test_processor_implements_the_port() -> None:
    assert isinstance(FakeImageProcessor(), ImageProcessor)


@pytest.mark.parametrize("extension", ["jpg", "png", "webp"])
def test_fake_image_is_accepted(extension: str) -> None:
    data = f"IMG:640x480:{extension}".encode()

    result = FakeImageProcessor().process(data)

    assert result == ProcessedImage(data, b"THUMB:" + data, extension, 640, 480)


def test_fake_images_of_one_size_can_differ_by_a_suffix() -> None:
    data = b"IMG:10x20:png:first\x00\xff"

    result = FakeImageProcessor().process(data, thumbnail_size=64)

    assert (result.extension, result.width, result.height) == ("png", 10, 20)
    assert result.thumbnail == b"THUMB:" + data


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"hello",
        b"\x89PNG\r\n\x1a\n",
        b"IMG:640x480:gif",
        b"IMG:640x480",
        b"IMG:640x480:",
        b"IMG:640:jpg",
        b"IMG:-1x480:jpg",
        b"IMG:0x480:jpg",
        b" IMG:640x480:jpg",
        b"IMG:640x480:jpgx",
    ],
)
def test_anything_else_is_refused(data: bytes) -> None:
    with pytest.raises(InvalidImage):
        FakeImageProcessor().process(data)


def test_pixel_limit() -> None:
    assert FakeImageProcessor(max_pixels=100).process(b"IMG:10x10:jpg").width == 10
    with pytest.raises(InvalidImage, match="pixels"):
        FakeImageProcessor(max_pixels=99).process(b"IMG:10x10:jpg")
    with pytest.raises(InvalidImage):
        FakeImageProcessor().process(b"IMG:30000x30000:png")


def test_memory_adapters_do_not_import_pillow() -> None:
    code = (
        "import sys, shopcore.adapters.memory.storage; "
        "sys.exit(1 if any(m == 'PIL' or m.startswith('PIL.') for m in sys.modules) else 0)"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}

    assert subprocess.run([sys.executable, "-c", code], env=env, check=False).returncode == 0
