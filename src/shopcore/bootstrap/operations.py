"""What an operator runs rather than a customer: schema migrations, the health check, pruning."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shopcore.bootstrap.wiring import Wiring
from shopcore.use_cases import maintenance

if TYPE_CHECKING:
    from shopcore.adapters.sqlalchemy.migrate import Revision


class OperationUseCases(Wiring):
    """Schema migrations and the health check (no-ops in memory), and pruning expired rows."""

    @property
    def prune(self) -> maintenance.Prune:
        return maintenance.Prune(uow=self._uow(), clock=self.clock)

    def upgrade_schema(self) -> None:
        """Create or migrate the database schema (a no-op in memory)."""
        if self.database is not None:
            self.database.upgrade_schema()

    def write_migration(self, message: str) -> Revision:
        """Write the next Alembic migration from what tables.py has that the database lacks
        (a ``Revision``: its path, and whether autogenerate found any operation)."""
        if self.database is None:
            raise ValueError("migrations are written against a database, not in memory")
        return self.database.write_migration(message)

    def database_ok(self) -> bool:
        """Whether the database answers now (always, in memory)."""
        return self.database is None or self.database.reachable()
