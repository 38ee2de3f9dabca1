"""Schema migrations with Alembic, run from Python (``shop db upgrade`` calls ``upgrade``)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from .engine import make_engine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(database_url: str | Engine, revision: str = "head") -> None:
    """Bring the schema at ``database_url`` up to ``revision`` (creating it on a new database)."""
    engine = make_engine(database_url) if isinstance(database_url, str) else database_url
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    command.downgrade(alembic_config(engine), revision)
