"""Creating and dropping whole databases on a server (MariaDB/MySQL or PostgreSQL).

For tests, benchmarks and CI, which give every run a fresh database next to the one named in a
URL. The statements are dialect-specific: MySQL wants ``CHARACTER SET utf8mb4`` (the schema
relies on it); PostgreSQL runs CREATE/DROP DATABASE outside a transaction, from its
maintenance database, and ``WITH (FORCE)`` ends connections a killed test run left behind.
"""

from __future__ import annotations

import sqlalchemy as sa

from .engine import make_engine
from .tables import metadata

SERVER_BACKENDS = frozenset({"mysql", "postgresql"})


def create_database(url: str) -> None:
    """Create the database named in ``url`` afresh, dropping one of that name first."""
    drop_database(url)
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "mysql":
        _on_server(url, f"CREATE DATABASE `{parsed.database}` CHARACTER SET utf8mb4")
    else:
        _on_server(url, f"CREATE DATABASE \"{parsed.database}\" ENCODING 'UTF8'")


def drop_database(url: str) -> None:
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "mysql":
        _on_server(url, f"DROP DATABASE IF EXISTS `{parsed.database}`")
    else:
        _on_server(url, f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')


def advance_id_sequences(conn: sa.Connection) -> None:
    """After rows were written with explicit ids (bulk seeding, fixtures): move PostgreSQL's id
    sequences past the highest id, so the next ordinary insert does not collide. MySQL and
    SQLite move their counters by themselves."""
    if conn.dialect.name != "postgresql":
        return
    for table in metadata.sorted_tables:
        if "id" not in table.c or not isinstance(table.c.id.type, sa.Integer):
            continue
        conn.exec_driver_sql(
            f"SELECT setval(seq, COALESCE((SELECT max(id) FROM {table.name}), 0) + 1, false) "
            f"FROM pg_get_serial_sequence('{table.name}', 'id') AS seq WHERE seq IS NOT NULL"
        )


def server_version(url: str) -> str:
    """``VERSION()`` of the server, e.g. ``11.4.3-MariaDB`` or ``PostgreSQL 15.8 ...``."""
    engine = make_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return str(conn.exec_driver_sql("SELECT VERSION()").scalar_one())
    finally:
        engine.dispose()


def _on_server(url: str, statement: str) -> None:
    """Run ``statement`` connected to the server rather than to the database it names.

    An unreachable server raises here: callers let it fail (a test run never skips then).
    """
    parsed = sa.make_url(url)
    backend = parsed.get_backend_name()
    if backend not in SERVER_BACKENDS or not parsed.database:
        raise ValueError(f"not a MariaDB/MySQL or PostgreSQL URL with a database name: {parsed}")
    server_url = parsed.set(database="" if backend == "mysql" else "postgres")
    rendered = server_url.render_as_string(hide_password=False)
    engine = make_engine(rendered, poolclass=sa.pool.NullPool, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(statement)
    finally:
        engine.dispose()
