"""Bring any full-text index over products up to date after a bulk load.

SQLite FTS5 tables fed by triggers are already current (the seed inserts through the normal
tables); without such triggers they are rebuilt from their content. Either way they are then
optimized (merged into one b-tree), as a long-lived index would be. MySQL/MariaDB FULLTEXT
indexes are maintained by InnoDB on every insert, so they need nothing. PostgreSQL's GIN index
is current too; ANALYZE gives the planner the statistics autovacuum would gather later, and
VACUUM the visibility map that lets counts skip heap pages.
"""

from __future__ import annotations

import sqlalchemy as sa


def fts_tables(conn: sa.Connection) -> list[str]:
    rows = conn.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND lower(sql) LIKE '%using fts5%'"
    )
    return [row[0] for row in rows]


def _has_triggers(conn: sa.Connection, table: str) -> bool:
    found = conn.exec_driver_sql(
        "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'products' "
        "AND lower(sql) LIKE ?",
        (f"%{table.lower()}%",),
    ).scalar_one()
    return bool(found)


def rebuild(engine: sa.Engine) -> list[str]:
    """Rebuild/optimize every FTS5 table; returns what was done, for the run's log."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")  # outside a transaction
        return ["vacuumed and analyzed"]
    if engine.dialect.name != "sqlite":
        return []
    done = []
    with engine.begin() as conn:
        for table in fts_tables(conn):
            if not _has_triggers(conn, table):
                conn.exec_driver_sql(f"INSERT INTO {table}({table}) VALUES ('rebuild')")
                done.append(f"rebuilt {table}")
            conn.exec_driver_sql(f"INSERT INTO {table}({table}) VALUES ('optimize')")
            done.append(f"optimized {table}")
    return done
