"""In-memory file storage and a fake image processor (standard library only, no Pillow)."""

from __future__ import annotations

import re

from shopcore.adapters.storage import check_name, media_url
from shopcore.domain.errors import InvalidImage
from shopcore.ports.storage import FileStorage, ImageProcessor, ProcessedImage

# b"IMG:640x480:jpg", optionally followed by ":<anything>" to tell images of one size apart.
_FAKE_IMAGE = re.compile(rb"IMG:([0-9]{1,9})x([0-9]{1,9}):(jpg|png|webp)(?::.*)?", re.DOTALL)


class InMemoryFileStorage(FileStorage):
    """A dict of name -> bytes with the same name rules and URLs as LocalFileStorage."""

    def __init__(self, url_prefix: str = "/media/") -> None:
        self.url_prefix = url_prefix
        self.files: dict[str, bytes] = {}

    def save(self, name: str, data: bytes) -> None:
        self.files[check_name(name)] = bytes(data)

    def open(self, name: str) -> bytes:
        try:
            return self.files[check_name(name)]
        except KeyError:
            raise FileNotFoundError(name) from None

    def delete(self, name: str) -> None:
        self.files.pop(check_name(name), None)

    def url(self, name: str) -> str:
        return media_url(self.url_prefix, name)

    def __contains__(self, name: object) -> bool:
        return name in self.files

    def __len__(self) -> int:
        return len(self.files)


class FakeImageProcessor(ImageProcessor):
    """Accepts ``b"IMG:<width>x<height>:<jpg|png|webp>[:<anything>]"`` and nothing else.

    The data comes back unchanged, the thumbnail is ``b"THUMB:" + data``.
    """

    def __init__(self, max_pixels: int = 40_000_000, thumbnail_size: int = 320) -> None:
        self.max_pixels = max_pixels
        self.thumbnail_size = thumbnail_size

    def process(self, data: bytes, *, thumbnail_size: int | None = None) -> ProcessedImage:
        data = bytes(data)
        match = _FAKE_IMAGE.fullmatch(data)
        if match is None:
            raise InvalidImage()
        width, height = int(match[1]), int(match[2])
        if width < 1 or height < 1:
            raise InvalidImage("The image has no pixels.")
        if width * height > self.max_pixels:
            raise InvalidImage(
                f"The image is {width}x{height} pixels; at most {self.max_pixels:,} pixels "
                "are allowed."
            )
        extension = match[3].decode("ascii")
        return ProcessedImage(data, b"THUMB:" + data, extension, width, height)
