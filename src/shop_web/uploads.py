"""Reading multipart uploads."""

from __future__ import annotations

from typing import Any

from flask import current_app
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge


def read_upload(file: Any) -> bytes:
    """The bytes of an uploaded file, refusing more than ``MAX_CONTENT_LENGTH`` (413)."""
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if not hasattr(file, "read"):
        raise BadRequest("The 'image' field must be a file upload.")
    data: bytes = file.read(limit + 1)
    if len(data) > limit:
        raise RequestEntityTooLarge(f"The file is larger than {limit} bytes.")
    if not data:
        raise BadRequest("The uploaded file is empty.")
    return data
