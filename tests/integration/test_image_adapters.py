"""PillowImageProcessor and LocalFileStorage against real Pillow and a real folder."""

from __future__ import annotations

import io
import os
import resource
import struct
import time
import warnings
import zlib
from pathlib import Path

import pytest
from PIL import ExifTags, Image, ImageCms, ImageFile, PngImagePlugin

from shopcore.adapters.images import PillowImageProcessor
from shopcore.adapters.storage import LocalFileStorage
from shopcore.domain.errors import InvalidImage, RuleViolation

FORMATS = [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp")]
RED, BLUE = (255, 0, 0), (0, 0, 255)


def make_image(size: tuple[int, int] = (120, 80), mode: str = "RGB") -> Image.Image:
    """A blue image with a red top-left quarter, so rotations are visible.

    With an alpha channel, the bottom-right quarter is transparent.
    """
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, size[0] // 2, size[1] // 2))
    image = image.convert(mode) if mode != "RGB" else image
    if mode in ("RGBA", "LA"):
        alpha = Image.new("L", size, 255)
        alpha.paste(0, (size[0] // 2, size[1] // 2, size[0], size[1]))
        image.putalpha(alpha)
    return image


def encode(image: Image.Image, pillow_format: str, **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, pillow_format, **params)
    return buffer.getvalue()


def reopen(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def spy_exif() -> Image.Exif:
    """EXIF with a rotation (orientation 6: rotate 90 degrees clockwise) and GPS position."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "SpyCam"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (52.0, 31.0, 12.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (13.0, 24.0, 36.0),
    }
    return exif


def png_with_header_size(width: int, height: int) -> bytes:
    """A tiny valid PNG whose IHDR is patched to claim ``width`` x ``height`` (CRC fixed)."""
    data = bytearray(encode(Image.new("RGB", (8, 8)), "PNG"))
    assert data[12:16] == b"IHDR"
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


@pytest.fixture
def processor() -> PillowImageProcessor:
    return PillowImageProcessor()


# --- accepted images -----------------------------------------------------------------------


@pytest.mark.parametrize(("pillow_format", "extension"), FORMATS)
def test_accepts_each_format_with_its_real_extension(
    processor: PillowImageProcessor, pillow_format: str, extension: str
) -> None:
    result = processor.process(encode(make_image((800, 600)), pillow_format))

    assert (result.extension, result.width, result.height) == (extension, 800, 600)
    main, thumbnail = reopen(result.data), reopen(result.thumbnail)
    assert (main.format, main.size) == (pillow_format, (800, 600))
    assert (thumbnail.format, thumbnail.size) == (pillow_format, (320, 240))


@pytest.mark.parametrize(("size", "expected"), [((1000, 250), (320, 80)), ((90, 700), (41, 320))])
def test_thumbnail_fits_the_box_and_keeps_the_aspect_ratio(
    processor: PillowImageProcessor, size: tuple[int, int], expected: tuple[int, int]
) -> None:
    result = processor.process(encode(make_image(size), "PNG"))

    assert reopen(result.thumbnail).size == expected


def test_small_images_are_not_enlarged_for_the_thumbnail(processor: PillowImageProcessor) -> None:
    result = processor.process(encode(make_image((100, 50)), "JPEG"))

    assert reopen(result.thumbnail).size == (100, 50)


def test_thumbnail_size_comes_from_the_constructor_or_the_call() -> None:
    data = encode(make_image((400, 200)), "WEBP")

    assert reopen(PillowImageProcessor(thumbnail_size=100).process(data).thumbnail).size == (
        100,
        50,
    )
    assert reopen(PillowImageProcessor().process(data, thumbnail_size=64).thumbnail).size == (
        64,
        32,
    )


@pytest.mark.parametrize(
    ("pillow_format", "mode", "expected_mode"),
    [
        ("JPEG", "CMYK", "RGB"),
        ("JPEG", "L", "RGB"),
        ("PNG", "L", "L"),
        ("PNG", "LA", "LA"),
        ("PNG", "RGBA", "RGBA"),
        ("PNG", "P", "P"),
        ("WEBP", "RGBA", "RGBA"),
    ],
)
def test_modes_are_kept_or_converted_for_the_output_format(
    processor: PillowImageProcessor, pillow_format: str, mode: str, expected_mode: str
) -> None:
    result = processor.process(encode(make_image(mode=mode), pillow_format))

    assert reopen(result.data).mode == expected_mode
    assert reopen(result.thumbnail).format == pillow_format


def test_png_palette_transparency_survives(processor: PillowImageProcessor) -> None:
    image = make_image(mode="P")
    red_index = image.getpixel((0, 0))
    result = processor.process(encode(image, "PNG", transparency=red_index))

    assert reopen(result.data).info.get("transparency") is not None
    assert reopen(result.thumbnail).convert("RGBA").getpixel((0, 0))[3] == 0


# --- metadata ------------------------------------------------------------------------------


def test_jpeg_exif_is_applied_then_removed(processor: PillowImageProcessor) -> None:
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(
        make_image((120, 80)),
        "JPEG",
        exif=spy_exif(),
        icc_profile=srgb,
        xmp=b"<x:xmpmeta>secret-xmp</x:xmpmeta>",
        comment=b"secret-comment",
    )
    original = reopen(data)
    assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the input really has GPS

    result = processor.process(data)

    assert (result.width, result.height) == (80, 120)  # orientation 6 swaps the sides
    for output in (result.data, result.thumbnail):
        image = reopen(output)
        assert not image.getexif()
        assert not {"exif", "icc_profile", "xmp", "comment"} & set(image.info)
        assert b"SpyCam" not in output and b"secret" not in output
    # The stored top-left (red) quarter is displayed top-right after rotating clockwise.
    upright = reopen(result.data)
    assert upright.size == (80, 120)
    assert _is_red(upright.getpixel((70, 10))) and not _is_red(upright.getpixel((10, 10)))


@pytest.mark.parametrize("pillow_format", ["PNG", "WEBP"])
def test_png_and_webp_metadata_is_removed(
    processor: PillowImageProcessor, pillow_format: str
) -> None:
    params: dict[str, object] = {
        "exif": spy_exif(),
        "icc_profile": ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes(),
    }
    if pillow_format == "PNG":
        text = PngImagePlugin.PngInfo()
        text.add_text("Comment", "secret-text")
        text.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>secret-xmp</x:xmpmeta>")
        params["pnginfo"] = text
    else:
        params["xmp"] = b"<x:xmpmeta>secret-xmp</x:xmpmeta>"
    data = encode(make_image((120, 80)), pillow_format, **params)
    assert "exif" in reopen(data).info

    result = processor.process(data)

    assert (result.width, result.height) == (80, 120)
    for output in (result.data, result.thumbnail):
        image = reopen(output)
        assert not image.getexif()
        assert not {"exif", "icc_profile", "xmp", "XML:com.adobe.xmp", "Comment"} & set(image.info)
        assert b"SpyCam" not in output and b"secret" not in output


def _is_red(pixel: object) -> bool:
    assert isinstance(pixel, tuple)
    red, green, blue = pixel[:3]
    return bool(red > 200 and green < 60 and blue < 60)


# --- refused files -------------------------------------------------------------------------


def _truncated(pillow_format: str) -> bytes:
    data = encode(Image.effect_noise((200, 200), 64).convert("RGB"), pillow_format)
    return data[: len(data) // 2]


def _corrupt_png() -> bytes:
    data = bytearray(encode(Image.effect_noise((64, 64), 64).convert("RGB"), "PNG"))
    data[len(data) // 2] ^= 0xFF  # inside IDAT: its CRC no longer matches
    return bytes(data)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"this is a text file named photo.png\n", id="text-named-png"),
        pytest.param(b"", id="empty"),
        pytest.param(encode(make_image(), "GIF"), id="gif"),
        pytest.param(encode(make_image(), "BMP"), id="bmp"),
        pytest.param(encode(make_image(), "TIFF"), id="tiff"),
        pytest.param(_truncated("JPEG"), id="truncated-jpeg"),
        pytest.param(_truncated("PNG"), id="truncated-png"),
        pytest.param(_truncated("WEBP"), id="truncated-webp"),
        pytest.param(_corrupt_png(), id="corrupt-png"),
    ],
)
def test_anything_but_an_intact_jpeg_png_or_webp_is_refused(
    processor: PillowImageProcessor, data: bytes
) -> None:
    with pytest.raises(InvalidImage) as caught:
        processor.process(data)

    assert isinstance(caught.value, RuleViolation)  # the web layer's 422
    assert caught.value.message


@pytest.mark.parametrize(
    ("width", "height"),
    [
        (8_000, 8_000),  # above our 40 Mpx limit, below Pillow's own
        (10_000, 10_000),  # Pillow's DecompressionBombWarning, turned into an error
        (30_000, 30_000),  # Pillow's DecompressionBombError
    ],
)
def test_decompression_bombs_are_refused_from_the_header(
    processor: PillowImageProcessor, monkeypatch: pytest.MonkeyPatch, width: int, height: int
) -> None:
    data = png_with_header_size(width, height)
    assert len(data) < 200

    def no_decoding(self: ImageFile.ImageFile) -> None:
        pytest.fail("pixel data was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    started = time.perf_counter()

    with pytest.raises(InvalidImage, match="pixels"):
        processor.process(data)

    assert time.perf_counter() - started < 1.0
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before < 50_000


def test_pixel_limit_is_configurable() -> None:
    data = encode(make_image((20, 10)), "PNG")

    assert PillowImageProcessor(max_pixels=200).process(data).width == 20
    with pytest.raises(InvalidImage, match="20x10"):
        PillowImageProcessor(max_pixels=199).process(data)


def test_processing_leaves_pillow_and_warnings_settings_alone(
    processor: PillowImageProcessor,
) -> None:
    limit, filters = Image.MAX_IMAGE_PIXELS, list(warnings.filters)

    processor.process(encode(make_image(), "PNG"))
    with pytest.raises(InvalidImage):
        processor.process(png_with_header_size(10_000, 10_000))

    assert Image.MAX_IMAGE_PIXELS == limit
    assert list(warnings.filters) == filters


# --- LocalFileStorage ----------------------------------------------------------------------


def test_local_storage_saves_opens_and_deletes(tmp_path: Path) -> None:
    storage = LocalFileStorage(tmp_path / "media")

    storage.save("products/ab12.webp", b"first")
    storage.save("products/ab12.webp", b"second")

    assert (tmp_path / "media" / "products" / "ab12.webp").read_bytes() == b"second"
    assert storage.open("products/ab12.webp") == b"second"
    assert os.listdir(tmp_path / "media" / "products") == ["ab12.webp"]  # no temp files left
    storage.delete("products/ab12.webp")
    with pytest.raises(FileNotFoundError):
        storage.open("products/ab12.webp")


def test_local_storage_files_are_readable_by_the_web_server(tmp_path: Path) -> None:
    storage = LocalFileStorage(str(tmp_path))

    storage.save("a.jpg", b"x")

    assert (tmp_path / "a.jpg").stat().st_mode & 0o777 == 0o644


def test_deleting_or_opening_a_missing_file(tmp_path: Path) -> None:
    storage = LocalFileStorage(tmp_path)

    storage.delete("products/none.webp")  # no error
    with pytest.raises(FileNotFoundError):
        storage.open("products/none.webp")


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    storage = LocalFileStorage(tmp_path)
    storage.save("p/a.png", b"old")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk on fire")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk on fire"):
        storage.save("p/a.png", b"new")

    assert storage.open("p/a.png") == b"old"
    assert os.listdir(tmp_path / "p") == ["a.png"]


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("/media/", "/media/products/ab12.webp"),
        ("/media", "/media/products/ab12.webp"),
        ("https://cdn.example.com/m/", "https://cdn.example.com/m/products/ab12.webp"),
    ],
)
def test_local_storage_url(tmp_path: Path, prefix: str, expected: str) -> None:
    assert LocalFileStorage(tmp_path, url_prefix=prefix).url("products/ab12.webp") == expected


def test_default_url_prefix_is_media(tmp_path: Path) -> None:
    assert LocalFileStorage(tmp_path).url("products/ab12.webp") == "/media/products/ab12.webp"


BAD_NAMES = [
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
]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_local_storage_refuses_names_leaving_the_root(tmp_path: Path, name: str) -> None:
    root = tmp_path / "media"
    storage = LocalFileStorage(root)

    for operation in (
        lambda: storage.save(name, b"x"),
        lambda: storage.open(name),
        lambda: storage.delete(name),
        lambda: storage.url(name),
    ):
        with pytest.raises(ValueError):
            operation()
    assert [p.name for p in tmp_path.rglob("*")] in ([], ["media"])


def test_local_storage_refuses_symlinks_out_of_the_root(tmp_path: Path) -> None:
    root, outside = tmp_path / "media", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / "link").symlink_to(outside, target_is_directory=True)
    storage = LocalFileStorage(root)

    with pytest.raises(ValueError):
        storage.save("link/a.jpg", b"x")
    assert list(outside.iterdir()) == []
