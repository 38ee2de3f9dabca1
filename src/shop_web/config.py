"""Configuration from the environment: the only module that reads ``os.environ``."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from shopcore.bootstrap import Settings

INSTANCE = Path(os.environ.get("SHOP_INSTANCE_PATH", "instance")).resolve()


class ConfigError(RuntimeError):
    """A setting is missing or unsafe."""


def _flag(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _split(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def from_environment(env: Mapping[str, str] = os.environ) -> dict[str, Any]:
    """Flask config keys built from ``SHOP_*`` variables (contract: Running and configuration)."""
    return {
        "SHOP_ENV": env.get("SHOP_ENV", "development"),
        "DATABASE_URL": env.get("SHOP_DATABASE_URL", f"sqlite:///{INSTANCE / 'shop.sqlite3'}"),
        "SECRET_KEY": env.get("SHOP_SECRET_KEY", ""),
        "ACCESS_TOKEN_MINUTES": int(env.get("SHOP_ACCESS_TOKEN_MINUTES", "60")),
        "REFRESH_TOKEN_DAYS": int(env.get("SHOP_REFRESH_TOKEN_DAYS", "7")),
        "RATELIMIT_ENABLED": _flag(env.get("SHOP_RATELIMIT_ENABLED", "true")),
        "RATELIMIT_ANON": env.get("SHOP_RATELIMIT_ANON", "100/day"),
        "RATELIMIT_USER": env.get("SHOP_RATELIMIT_USER", "1000/day"),
        "RATELIMIT_LOGIN": env.get("SHOP_RATELIMIT_LOGIN", "10/minute"),
        "RATELIMIT_STORAGE_URI": env.get("SHOP_RATELIMIT_STORAGE_URL", "memory://"),
        "RATELIMIT_FAIL_CLOSED": _flag(env.get("SHOP_RATELIMIT_FAIL_CLOSED", "false")),
        "REDIS_URL": env.get("SHOP_REDIS_URL", ""),
        "MEDIA_ROOT": env.get("SHOP_MEDIA_ROOT", str(INSTANCE / "media")),
        "MAX_CONTENT_LENGTH": int(env.get("SHOP_MAX_UPLOAD_BYTES", str(5 * 1024 * 1024))),
        "CORS_ORIGINS": _split(env.get("SHOP_CORS_ORIGINS", "")),
        "CORS_ALLOW_CREDENTIALS": _flag(env.get("SHOP_CORS_ALLOW_CREDENTIALS", "false")),
        "TRUSTED_PROXIES": int(env.get("SHOP_TRUSTED_PROXIES", "0")),
        "LOW_STOCK_THRESHOLD": int(env.get("SHOP_LOW_STOCK_THRESHOLD", "5")),
        "CATALOG_CACHE": _flag(env.get("SHOP_CATALOG_CACHE", "true")),
        "CATALOG_CACHE_MB": int(env.get("SHOP_CATALOG_CACHE_MB", "6")),
    }


def check(config: Mapping[str, Any]) -> None:
    """Refuse unsafe settings always, and weak ones in production."""
    if "*" in config.get("CORS_ORIGINS", []) and config.get("CORS_ALLOW_CREDENTIALS"):
        raise ConfigError(
            "SHOP_CORS_ORIGINS='*' cannot be combined with SHOP_CORS_ALLOW_CREDENTIALS=true: "
            "list the origins that may send credentials"
        )
    short_key = len(str(config.get("SECRET_KEY", "")).encode()) < 32
    if config["SHOP_ENV"] != "production":
        if short_key:  # the token signer refuses it anyway; development generates a good one
            raise ConfigError("SHOP_SECRET_KEY must be at least 32 bytes (or left unset)")
        return
    if short_key:
        raise ConfigError(
            "SHOP_SECRET_KEY must be set to at least 32 bytes when SHOP_ENV=production"
        )
    if "*" in config.get("CORS_ORIGINS", []):
        raise ConfigError("SHOP_CORS_ORIGINS must list origins, not '*', in production")


def development_secret(instance: Path = INSTANCE) -> str:
    """A signing key generated once and kept under ``instance/``, for development only.

    Created with O_EXCL so that several workers starting together agree on one key.
    """
    path = instance / "secret_key"
    instance.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):
            key = path.read_text().strip()
            if key:
                return key
        raise ConfigError(f"{path} is empty") from None
    key = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def core_settings(config: Mapping[str, Any]) -> Settings:
    """The subset of the Flask config that shopcore needs, as its own Settings."""
    return Settings(
        database_url=config["DATABASE_URL"],
        secret_key=config["SECRET_KEY"],
        access_ttl=timedelta(minutes=config["ACCESS_TOKEN_MINUTES"]),
        refresh_ttl=timedelta(days=config["REFRESH_TOKEN_DAYS"]),
        media_root=config["MEDIA_ROOT"],
        media_url="/media/",
        argon2_memory_kib=config.get("ARGON2_MEMORY_KIB", 19 * 1024),
        argon2_time_cost=config.get("ARGON2_TIME_COST", 2),
        low_stock_threshold=config["LOW_STOCK_THRESHOLD"],
        engine_options=config.get("ENGINE_OPTIONS", {}),
    )
