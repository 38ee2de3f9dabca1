"""gunicorn, driven from Python so ``shop serve`` needs no config file."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication

from shop_web.app import create_app


class ShopServer(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return create_app()


def run(*, workers: int, bind: str, timeout: int) -> None:
    ShopServer(
        {
            "bind": bind,
            "workers": workers,
            "timeout": timeout,
            "graceful_timeout": timeout,
            "keepalive": 5,
            "accesslog": None,
        }
    ).run()
