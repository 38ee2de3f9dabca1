"""Image verification and re-encoding with Pillow.

An upload is identified by its content (never by its name or claimed type), checked against a
pixel limit before any pixel is decoded, verified, decoded, rotated upright from its EXIF
orientation, and re-encoded in its own format without any metadata (EXIF, GPS, XMP, ICC profile,
comments, PNG text chunks). A thumbnail in the same format comes with it.
"""

from __future__ import annotations

import io
import struct
import warnings

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from shopcore.domain.errors import InvalidImage
from shopcore.ports.storage import ImageProcessor, ProcessedImage

# Pillow format name -> stored extension. MPO is the multi-picture JPEG some cameras write.
_EXTENSIONS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp"}
_OPENERS = ["JPEG", "PNG", "WEBP"]  # plugins allowed to identify the upload
_SAVE_PARAMS: dict[str, tuple[str, dict[str, object]]] = {
    "jpg": ("JPEG", {"quality": 85, "optimize": True}),
    "png": ("PNG", {"optimize": True}),
    "webp": ("WEBP", {"quality": 85}),
}
# What Pillow raises while parsing or decoding a malformed file.
_DECODE_ERRORS = (
    OSError,  # includes UnidentifiedImageError and "image file is truncated"
    SyntaxError,  # broken PNG chunks / CRCs
    ValueError,
    EOFError,
    IndexError,
    TypeError,
    struct.error,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,  # turned into an error locally in PillowImageProcessor
)
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


class PillowImageProcessor(ImageProcessor):
    """Accept JPEG, PNG and WebP uploads of at most ``max_pixels`` pixels."""

    def __init__(self, max_pixels: int = 40_000_000, thumbnail_size: int = 320) -> None:
        if max_pixels < 1 or thumbnail_size < 1:
            raise ValueError("max_pixels and thumbnail_size must be positive")
        self.max_pixels = max_pixels
        self.thumbnail_size = thumbnail_size

    def process(self, data: bytes, *, thumbnail_size: int | None = None) -> ProcessedImage:
        """Verify and re-encode ``data``; raise InvalidImage for anything unacceptable.

        ``thumbnail_size`` overrides the one given to the constructor.
        """
        size = self.thumbnail_size if thumbnail_size is None else thumbnail_size
        if size < 1:
            raise ValueError("thumbnail_size must be positive")
        image, extension = self._decode(data)
        image = _to_output_mode(_strip_metadata(_upright(image)), extension)
        thumbnail = _thumbnail(image, size)
        return ProcessedImage(
            data=_encode(image, extension),
            thumbnail=_encode(thumbnail, extension),
            extension=extension,
            width=image.width,
            height=image.height,
        )

    def _decode(self, data: bytes) -> tuple[Image.Image, str]:
        """Verify the file on one open, then decode it from a fresh one."""
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            try:
                with self._open(data) as probe:
                    probe.verify()
                image = self._open(data)
                image.load()
            except _DECODE_ERRORS as exc:
                raise InvalidImage(_decode_error_message(exc, self.max_pixels)) from exc
        return image, _EXTENSIONS[str(image.format)]

    def _open(self, data: bytes) -> Image.Image:
        """Identify ``data`` from its header and check its pixel count; decode nothing yet."""
        image = Image.open(io.BytesIO(data), formats=_OPENERS)
        if image.format not in _EXTENSIONS:
            raise InvalidImage()
        width, height = image.size
        if width < 1 or height < 1:
            raise InvalidImage("The image has no pixels.")
        if width * height > self.max_pixels:
            raise InvalidImage(
                f"The image is {width}x{height} pixels; at most {self.max_pixels:,} pixels "
                "are allowed."
            )
        return image


def _decode_error_message(exc: BaseException, max_pixels: int) -> str:
    """A user-facing message for an error Pillow raised."""
    if isinstance(exc, UnidentifiedImageError):
        return InvalidImage.default_message
    if isinstance(exc, (Image.DecompressionBombError, Image.DecompressionBombWarning)):
        return f"The image has too many pixels; at most {max_pixels:,} pixels are allowed."
    return "The image file is corrupt or truncated."


def _upright(image: Image.Image) -> Image.Image:
    """Apply the EXIF orientation; unreadable EXIF leaves the image as stored."""
    try:
        ImageOps.exif_transpose(image, in_place=True)
    except _DECODE_ERRORS:
        pass
    return image


def _strip_metadata(image: Image.Image) -> Image.Image:
    """Drop every metadata entry; an embedded ICC profile is applied (converted to sRGB) first."""
    icc = image.info.get("icc_profile")
    if icc:
        image = _to_srgb(image, icc)
    # Only "transparency" (PNG tRNS) describes pixels; everything else is metadata that Pillow
    # would otherwise write back (PNG: icc_profile, JPEG: comment).
    transparency = image.info.get("transparency")
    image.info = {} if transparency is None else {"transparency": transparency}
    return image


def _to_srgb(image: Image.Image, icc: bytes) -> Image.Image:
    """Convert the pixels from the embedded profile to sRGB, so colours survive its removal."""
    if image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        converted = ImageCms.profileToProfile(image, source, _SRGB, outputMode=output_mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image  # a broken profile is dropped without conversion
    return converted if converted is not None else image


def _to_output_mode(image: Image.Image, extension: str) -> Image.Image:
    """JPEG is written as RGB; PNG and WebP keep their mode (WebP converts on save)."""
    if extension == "jpg" and image.mode != "RGB":
        return image.convert("RGB")
    return image


def _thumbnail(image: Image.Image, size: int) -> Image.Image:
    """A copy fitting in ``size`` x ``size`` with the same aspect ratio (never enlarged)."""
    if image.mode in ("P", "1"):
        has_alpha = image.has_transparency_data
        image = image.convert("RGBA" if has_alpha else "RGB")
    ratio = min(size / image.width, size / image.height, 1.0)
    target = (max(1, round(image.width * ratio)), max(1, round(image.height * ratio)))
    thumbnail = image.resize(target, Image.Resampling.LANCZOS, reducing_gap=3.0)
    thumbnail.info = {}
    return thumbnail


def _encode(image: Image.Image, extension: str) -> bytes:
    """Write ``image`` in the format of ``extension`` with no metadata."""
    pillow_format, params = _SAVE_PARAMS[extension]
    buffer = io.BytesIO()
    image.save(buffer, pillow_format, **params)
    return buffer.getvalue()
