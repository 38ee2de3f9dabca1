"""What the core needs to know, as one value (the web layer builds it from the environment), and
the checks that tell whether its database URL can be used, before anything is served."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from shopcore.adapters.sqlalchemy.engine import make_engine


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


def check_database_url(url: str) -> str:
    """``url`` with its password hidden, once SQLAlchemy can use it: it parses, and its dialect
    and driver are installed. Raises ValueError saying what is wrong (no connection is made)."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as error:
        raise ValueError(f"not a database URL such as sqlite:///shop.db ({error})") from None
    try:
        dialect = parsed.get_dialect()
    except NoSuchModuleError:
        raise ValueError(f"unknown database kind {parsed.drivername!r}") from None
    try:
        dialect.import_dbapi()
    except ImportError as error:
        raise ValueError(f"the driver of {parsed.drivername} is not installed ({error})") from None
    return parsed.render_as_string(hide_password=True)


def probe_database(url: str) -> None:
    """Connect to ``url`` once, as the app will; ValueError with the driver's reason if it cannot.

    A SQLite file's folder is created first, as ``bootstrap`` does.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        folder = Path(parsed.database).parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ValueError(f"cannot create the folder {folder}: {error.strerror}") from None
    engine = make_engine(url, poolclass=NullPool)
    try:
        with engine.connect():
            pass
    except DBAPIError as error:  # the driver's own reason, without SQLAlchemy's SQL and links
        raise ValueError(str(error.orig)) from None
    except (SQLAlchemyError, OSError, TypeError) as error:  # e.g. an unknown URL query option
        raise ValueError(str(error)) from None
    finally:
        engine.dispose()
