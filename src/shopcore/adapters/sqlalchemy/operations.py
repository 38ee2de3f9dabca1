"""What an operator does to the one database the shop runs on: migrate it, write the next
migration, and check that it answers (for the health check)."""

from __future__ import annotations

from sqlalchemy import Engine

from .migrate import Revision, upgrade, write_revision


class DatabaseOperations:
    """Schema and health operations on ``engine`` (the engine the use cases run on)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def upgrade_schema(self) -> None:
        """Create or migrate the schema to the newest revision (``shop db upgrade``)."""
        upgrade(self.engine)

    def write_migration(self, message: str) -> Revision:
        """Write the next Alembic migration from what tables.py has that the database lacks."""
        return write_revision(self.engine, message)

    def reachable(self) -> bool:
        """Whether the database answers a trivial query now."""
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
        except Exception:  # noqa: BLE001 - any failure means "unreachable" to a health check
            return False
        return True
