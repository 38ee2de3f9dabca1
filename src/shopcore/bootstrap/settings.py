"""What the core needs to know, as one value: the web layer builds it from the environment."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any


@dataclass(frozen=True)
class Settings:
    """Everything the core needs to know; the web layer builds it from the environment."""

    database_url: str = "sqlite:///instance/shop.sqlite3"
    secret_key: str = ""
    access_ttl: timedelta = timedelta(minutes=60)
    refresh_ttl: timedelta = timedelta(days=7)
    media_root: str = "instance/media"
    media_url: str = "/media/"
    max_image_pixels: int = 40_000_000
    argon2_memory_kib: int = 19 * 1024
    argon2_time_cost: int = 2
    low_stock_threshold: int = 5
    engine_options: dict[str, Any] = field(default_factory=dict)
