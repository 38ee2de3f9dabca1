"""The Alembic migrations build exactly the schema of tables.py, and run down and up again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from shopcore.adapters.sqlalchemy.databases import create_database, drop_database
from shopcore.adapters.sqlalchemy.engine import make_engine
from shopcore.adapters.sqlalchemy.migrate import downgrade, upgrade
from shopcore.adapters.sqlalchemy.search import schema_filters
from shopcore.adapters.sqlalchemy.tables import metadata


@pytest.fixture
def fresh_engine(database_url: str, tmp_path: Path) -> Iterator[sa.Engine]:
    """An engine on a new, empty database of the same kind as ``database_url``."""
    url = sa.make_url(database_url)
    if url.get_backend_name() == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'migrations.sqlite3'}")
        yield engine
        engine.dispose()
        return
    fresh = url.set(database=f"{url.database}_mig").render_as_string(hide_password=False)
    create_database(fresh)
    engine = make_engine(fresh, poolclass=sa.pool.NullPool)
    yield engine
    engine.dispose()
    drop_database(fresh)


def differences(engine: sa.Engine) -> list[Any]:
    """What autogenerate would change, compared the way migrations/env.py compares."""
    with engine.connect() as conn:
        options = {"compare_type": True, **schema_filters(engine.dialect.name)}
        context = MigrationContext.configure(conn, opts=options)
        return compare_metadata(context, metadata)  # type: ignore[no-any-return]


def tables(engine: sa.Engine) -> set[str]:
    """Every table, including dialect-only ones such as SQLite's full-text search tables."""
    return set(sa.inspect(engine).get_table_names()) - {"alembic_version"}


def revision(engine: sa.Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def test_the_migrated_schema_matches_the_tables(fresh_engine: sa.Engine) -> None:
    upgrade(fresh_engine)

    assert set(metadata.tables) <= tables(fresh_engine)
    assert differences(fresh_engine) == []


def test_migrations_go_down_to_nothing_and_up_again(fresh_engine: sa.Engine) -> None:
    upgrade(fresh_engine)
    head = revision(fresh_engine)

    downgrade(fresh_engine, "base")
    assert tables(fresh_engine) == set() and revision(fresh_engine) is None

    upgrade(fresh_engine)
    assert revision(fresh_engine) == head is not None
    assert differences(fresh_engine) == []


def test_upgrading_an_up_to_date_database_changes_nothing(fresh_engine: sa.Engine) -> None:
    upgrade(fresh_engine)
    before = revision(fresh_engine)

    upgrade(fresh_engine)

    assert revision(fresh_engine) == before and differences(fresh_engine) == []


def test_upgrade_accepts_a_url_and_creates_the_database_file(tmp_path: Path) -> None:
    path = tmp_path / "by-url.sqlite3"

    upgrade(f"sqlite:///{path}")

    engine = make_engine(f"sqlite:///{path}")
    assert set(metadata.tables) <= tables(engine) and differences(engine) == []
    engine.dispose()


def test_the_comparison_notices_a_schema_that_drifted(fresh_engine: sa.Engine) -> None:
    upgrade(fresh_engine)
    with fresh_engine.begin() as conn:
        conn.execute(sa.text("ALTER TABLE users ADD COLUMN nickname VARCHAR(20)"))

    assert [diff[0] for diff in differences(fresh_engine)] == ["remove_column"]
