"""Ports for stored files and image processing."""

from __future__ import annotations

import abc
from dataclasses import dataclass


class FileStorage(abc.ABC):
    """Where uploaded files live: a folder now, an object store later."""

    @abc.abstractmethod
    def save(self, name: str, data: bytes) -> None:
        """Store ``data`` under ``name`` (a relative path such as ``products/ab12.webp``)."""

    @abc.abstractmethod
    def open(self, name: str) -> bytes:
        """Return the stored bytes; raise FileNotFoundError when there is none."""

    @abc.abstractmethod
    def delete(self, name: str) -> None:
        """Remove ``name``; removing a missing file is not an error."""

    @abc.abstractmethod
    def url(self, name: str) -> str:
        """The path clients fetch the file from, e.g. ``/media/products/ab12.webp``."""


@dataclass(frozen=True)
class ProcessedImage:
    """An upload that was verified and re-encoded without metadata."""

    data: bytes
    thumbnail: bytes
    extension: str  # "jpg", "png" or "webp": the real format, not the one claimed
    width: int
    height: int


class ImageProcessor(abc.ABC):
    @abc.abstractmethod
    def process(self, data: bytes, *, thumbnail_size: int = 320) -> ProcessedImage:
        """Verify ``data`` is a JPEG, PNG or WebP within the pixel limit and re-encode it.

        Raise InvalidImage for anything else, including decompression bombs.
        """
