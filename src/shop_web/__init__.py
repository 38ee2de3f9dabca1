"""shop_web: the Flask adapter that serves shopcore over HTTP (see ../shared/API.md)."""

from shop_web.app import create_app

__all__ = ["create_app"]
