"""Uploaded files in a local folder."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path
from urllib.parse import quote

from shopcore.ports.storage import FileStorage

_FORBIDDEN_CHARACTER = re.compile(r"[\x00-\x1f\x7f\\]")


def check_name(name: str) -> str:
    """Return ``name`` if it is a safe relative path such as ``products/ab12.webp``.

    Raise ValueError for names that could leave the storage root or confuse a filesystem:
    empty names, absolute paths, ``..`` or ``.`` segments, empty segments, backslashes, NUL and
    other control characters.
    """
    if not isinstance(name, str) or not name:
        raise ValueError("A file name must be a non-empty string.")
    if _FORBIDDEN_CHARACTER.search(name):  # backslash, or a control character
        raise ValueError(f"Invalid character in file name {name!r}.")
    if name.startswith("/") or any(part in ("", ".", "..") for part in name.split("/")):
        raise ValueError(f"File name {name!r} is not a plain relative path.")
    return name


def media_url(url_prefix: str, name: str) -> str:
    """``url_prefix`` (given a trailing slash if it lacks one) followed by the quoted name."""
    prefix = url_prefix if url_prefix.endswith("/") else url_prefix + "/"
    return prefix + quote(check_name(name), safe="/")


class LocalFileStorage(FileStorage):
    """Files under ``root``, served by the web server under ``url_prefix``."""

    def __init__(self, root: str | Path, url_prefix: str = "/media/") -> None:
        self.root = Path(root).resolve()
        self.url_prefix = url_prefix

    def save(self, name: str, data: bytes) -> None:
        """Write atomically: a temporary file in the target folder, then ``os.replace``."""
        path = self._path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.chmod(tmp, 0o644)  # mkstemp makes 0600; the web server must be able to read it
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise

    def open(self, name: str) -> bytes:
        """The stored bytes; FileNotFoundError when there is none."""
        return self._path(name).read_bytes()

    def delete(self, name: str) -> None:
        """Remove the file; a missing file is not an error."""
        self._path(name).unlink(missing_ok=True)

    def url(self, name: str) -> str:
        return media_url(self.url_prefix, name)

    def _path(self, name: str) -> Path:
        """The absolute path of ``name``, refusing anything outside the root (symlinks too)."""
        path = self.root / check_name(name)
        if not path.resolve().is_relative_to(self.root):
            raise ValueError(f"File name {name!r} leads outside the storage root.")
        return path
