"""Absolute URLs of stored files (avatars, product images) for the current request: the request's
host followed by the URL the core's file storage gives the file."""

from __future__ import annotations

from flask import g, request

from shop_web.api.base import use_cases


class MediaLinks:
    """``links(name)``: the absolute URL of the stored file ``name``, or None for no file."""

    def __init__(self) -> None:
        self.host = request.host_url.rstrip("/")
        self.shop = use_cases()

    def __call__(self, name: str | None) -> str | None:
        url = self.shop.media_url(name)
        return None if url is None else self.host + url


def media_links() -> MediaLinks:
    """The current request's links, made once per request (a page dumps its items one by one)."""
    links = g.get("media_links")
    if links is None:
        links = g.media_links = MediaLinks()
    assert isinstance(links, MediaLinks)
    return links
