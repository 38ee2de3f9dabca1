"""Configuration from the environment: the only module that reads ``os.environ``.

Every variable is declared once in ``SETTINGS`` (name, Flask config key, default, parser) and
parsed at start-up: a value that cannot be read raises ``ConfigError`` with one line naming the
variable and what is wrong, so it is never ignored or silently turned off. Adding a setting is
adding one line to the table.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import limits
import platformdirs
import redis.connection
from limits.storage import SCHEMES as LIMIT_STORAGE_SCHEMES

from shopcore.bootstrap import Settings
from shopcore.bootstrap.settings import check_database_url, probe_database


class ConfigError(RuntimeError):
    """A setting is missing, unreadable or unsafe: the message is one line naming it."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))  # one line, whatever a driver said


# --- where instance/ is --------------------------------------------------------------------------


PACKAGE = Path(__file__).resolve().parent


def default_instance(package: Path = PACKAGE) -> Path:
    """The source checkout's ``instance/`` when running from one (``make run``), else the user's
    data folder (``~/.local/share/shop`` on Linux): never the current directory."""
    checkout = package.parent.parent
    if package.parent.name == "src" and (checkout / "pyproject.toml").is_file():
        return checkout / "instance"
    return Path(platformdirs.user_data_dir("shop", appauthor=False))


def instance_path(env: Mapping[str, str] = os.environ) -> Path:
    """Where the development database, signing key and media live: ``SHOP_INSTANCE_PATH`` when
    set (relative to the current directory), otherwise ``default_instance()``."""
    return Path(_setting("SHOP_INSTANCE_PATH").read(env, {}))


# --- parsers: each returns the value or raises ValueError saying what is expected ----------------

Parser = Callable[[str], Any]
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def boolean(value: str) -> bool:
    word = value.strip().lower()
    if word not in _TRUE | _FALSE:
        raise ValueError("expected true or false (or 1/0, yes/no, on/off)")
    return word in _TRUE


def integer(low: int, high: int | None = None) -> Parser:
    expected = f"from {low} to {high}" if high is not None else f"of at least {low}"

    def parse(value: str) -> int:
        try:
            number = int(value.strip())
        except ValueError:
            raise ValueError(f"expected a whole number {expected}") from None
        if number < low or (high is not None and number > high):
            raise ValueError(f"expected a whole number {expected}")
        return number

    return parse


def choice(*options: str) -> Parser:
    def parse(value: str) -> str:
        if value not in options:
            raise ValueError(f"expected one of {', '.join(options)}")
        return value

    return parse


def text(value: str) -> str:
    return value


def path(value: str) -> str:
    if not value.strip():
        raise ValueError("expected a folder, not an empty value")
    if Path(value).exists() and not Path(value).is_dir():
        raise ValueError("expected a folder, but it is a file")
    return str(Path(value).resolve())


def rate_limit(value: str) -> str:
    """flask-limiter's notation (``100/day``, ``10/minute;500/hour``), parsed by its own library."""
    try:
        limits.parse_many(value)
    except ValueError:
        raise ValueError("expected a limit such as 100/day or 10/minute;500/hour") from None
    return value


def database_url(value: str) -> str:
    check_database_url(value)
    return value


def redis_url(value: str) -> str:
    """A Redis URL (``redis://``, ``rediss://``, ``unix://``), or empty for none."""
    if value == "":
        return value
    try:
        redis.connection.parse_url(value)
    except ValueError as error:
        raise ValueError(
            f"expected a Redis URL such as redis://127.0.0.1:6379/0 ({error})"
        ) from None
    database = urlsplit(value).path.strip("/") if not value.startswith("unix://") else ""
    if database and not database.isdigit():  # redis-py would quietly use database 0
        raise ValueError(f"the database number must be a whole number, not {database!r}")
    return value


def limit_storage_url(value: str) -> str:
    """A storage of the ``limits`` library that flask-limiter can use (memory://, redis://...)."""
    scheme = urlsplit(value).scheme if "://" in value else ""
    usable = {name for name in LIMIT_STORAGE_SCHEMES if not name.startswith("async+")}
    if scheme not in usable:
        raise ValueError("expected memory:// or a Redis URL such as redis://127.0.0.1:6379/0")
    return redis_url(value) if scheme in ("redis", "rediss") else value


def origins(value: str) -> list[str]:
    """Comma-separated origins (``https://shop.example``, ``http://localhost:3000``) or ``*``."""
    found = [item.strip() for item in value.split(",") if item.strip()]
    for origin in found:
        parts = urlsplit(origin)
        is_origin = parts.scheme in ("http", "https") and parts.netloc and not parts.path
        if origin != "*" and not (is_origin and not parts.query and not parts.fragment):
            raise ValueError(f"{origin!r} is not an origin such as https://shop.example")
    return found


# --- the table ----------------------------------------------------------------------------------

Default = str | Callable[[Mapping[str, Any]], str]


@dataclass(frozen=True)
class Setting:
    variable: str
    key: str  # in the Flask config
    default: Default  # a string, or built from the settings read before this one
    parse: Parser

    def read(self, env: Mapping[str, str], config: Mapping[str, Any]) -> Any:
        raw = env.get(self.variable)
        value = raw if raw is not None else self._default(config)
        try:
            return self.parse(value)
        except ValueError as error:
            raise ConfigError(f"{self.variable}={_hide_password(value)!r}: {error}") from None

    def _default(self, config: Mapping[str, Any]) -> str:
        return self.default if isinstance(self.default, str) else self.default(config)


def _under_instance(name: str) -> Callable[[Mapping[str, Any]], str]:
    return lambda config: str(Path(config["INSTANCE_PATH"]) / name)


SETTINGS: tuple[Setting, ...] = (
    Setting("SHOP_INSTANCE_PATH", "INSTANCE_PATH", lambda _: str(default_instance()), path),
    Setting("SHOP_ENV", "SHOP_ENV", "development", choice("development", "production")),
    Setting("SHOP_DATABASE_URL", "DATABASE_URL",
            lambda c: f"sqlite:///{_under_instance('shop.sqlite3')(c)}", database_url),
    Setting("SHOP_SECRET_KEY", "SECRET_KEY", "", text),  # its length: check(), never echoed
    Setting("SHOP_ACCESS_TOKEN_MINUTES", "ACCESS_TOKEN_MINUTES", "60", integer(1, 525_600)),
    Setting("SHOP_REFRESH_TOKEN_DAYS", "REFRESH_TOKEN_DAYS", "7", integer(1, 3650)),
    Setting("SHOP_RATELIMIT_ENABLED", "RATELIMIT_ENABLED", "true", boolean),
    Setting("SHOP_RATELIMIT_ANON", "RATELIMIT_ANON", "100/day", rate_limit),
    Setting("SHOP_RATELIMIT_USER", "RATELIMIT_USER", "1000/day", rate_limit),
    Setting("SHOP_RATELIMIT_LOGIN", "RATELIMIT_LOGIN", "10/minute", rate_limit),
    Setting("SHOP_RATELIMIT_STORAGE_URL", "RATELIMIT_STORAGE_URI", "memory://", limit_storage_url),
    Setting("SHOP_RATELIMIT_FAIL_CLOSED", "RATELIMIT_FAIL_CLOSED", "false", boolean),
    Setting("SHOP_REDIS_URL", "REDIS_URL", "", redis_url),
    Setting("SHOP_MEDIA_ROOT", "MEDIA_ROOT", _under_instance("media"), path),
    Setting("SHOP_MAX_UPLOAD_BYTES", "MAX_CONTENT_LENGTH", str(5 * 1024 * 1024), integer(1)),
    Setting("SHOP_CORS_ORIGINS", "CORS_ORIGINS", "", origins),
    Setting("SHOP_CORS_ALLOW_CREDENTIALS", "CORS_ALLOW_CREDENTIALS", "false", boolean),
    Setting("SHOP_TRUSTED_PROXIES", "TRUSTED_PROXIES", "0", integer(0)),
    Setting("SHOP_LOW_STOCK_THRESHOLD", "LOW_STOCK_THRESHOLD", "5", integer(0)),
    Setting("SHOP_CATALOG_CACHE", "CATALOG_CACHE", "true", boolean),
    Setting("SHOP_CATALOG_CACHE_MB", "CATALOG_CACHE_MB", "6", integer(1)),
)  # fmt: skip


def _setting(variable: str) -> Setting:
    return next(setting for setting in SETTINGS if setting.variable == variable)


def _hide_password(value: str) -> str:
    """``scheme://user:***@host``: a URL's password never reaches a message."""
    return re.sub(r"(://[^/?#@:]*:)[^/?#@]*@", r"\1***@", value)


def from_environment(env: Mapping[str, str] = os.environ) -> dict[str, Any]:
    """Flask config keys built from ``SHOP_*`` variables (contract: Running and configuration).

    Raises ConfigError for the first variable that cannot be read.
    """
    config: dict[str, Any] = {}
    for setting in SETTINGS:
        config[setting.key] = setting.read(env, config)
    return config


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


def check_database(url: str) -> None:
    """Refuse to start on a database that cannot be reached: one line with the URL (password
    hidden) and the driver's reason."""
    try:
        probe_database(url)
    except ValueError as error:
        shown = check_database_url(url)
        raise ConfigError(f"SHOP_DATABASE_URL={shown!r}: cannot connect: {error}") from None


def development_secret(instance: Path | None = None) -> str:
    """A signing key generated once and kept under ``instance/``, for development only.

    Created with O_EXCL so that several workers starting together agree on one key.
    """
    instance = instance or instance_path()
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
