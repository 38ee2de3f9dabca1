"""Schema migrations with Alembic, run from Python (``shop db upgrade`` calls ``upgrade``,
``shop db revision`` calls ``write_revision``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util import CommandError
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


@dataclass(frozen=True)
class Revision:
    path: Path
    operations: bool  # False: autogenerate found nothing; upgrade() and downgrade() just pass


def write_revision(engine: Engine, message: str) -> Revision:
    """Write the next migration into ``migrations/versions``, numbered after the newest one
    (``0002_<message>.py``), with what autogenerate finds between tables.py and the database at
    ``engine``. Raises ValueError when the database is not at the newest migration."""
    config = alembic_config(engine)
    found: list[bool] = []

    def note_operations(_context: Any, _revision: Any, directives: list[Any]) -> None:
        found.append(not directives[0].upgrade_ops.is_empty())

    try:
        script = command.revision(
            config,
            message=message,
            autogenerate=True,
            rev_id=_next_number(config),
            process_revision_directives=note_operations,
        )
    except CommandError as error:  # "Target database is not up to date."
        raise ValueError(f"{error} Run `shop db upgrade` first.") from None
    assert script is not None and not isinstance(script, list)  # one head, one new file
    return Revision(Path(script.path), operations=any(found))


def _next_number(config: Config) -> str:
    """Migrations are numbered 0001, 0002, ...: the newest number plus one."""
    numbers = [int(rev.revision) for rev in ScriptDirectory.from_config(config).walk_revisions()
               if rev.revision.isdigit()]  # fmt: skip
    return f"{max(numbers, default=0) + 1:04d}"
