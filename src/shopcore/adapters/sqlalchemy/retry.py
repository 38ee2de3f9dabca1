"""Which database errors are transient: the one place that knows the dialects' codes.

MySQL/MariaDB may pick a transaction as a deadlock victim (error 1213) or give up waiting for a
row lock (1205); SQLite reports "database is locked" when its busy timeout runs out. In each case
the transaction was rolled back and nothing of it is visible, so running the use case again from
the start is safe. The SQL unit of work (unit_of_work.py) turns such an error into the port's
``TransientConflict``; the composition root's retry policy runs the use case again.
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError

MYSQL_TRANSIENT_CODES = frozenset({1205, 1213})  # lock wait timeout, deadlock
SQLITE_TRANSIENT_MESSAGES = ("database is locked", "database table is locked", "database is busy")


def is_transient(error: BaseException) -> bool:
    """True for a deadlock or lock timeout that rolled the transaction back."""
    if not isinstance(error, DBAPIError) or error.connection_invalidated:
        return False
    original = error.orig
    args = getattr(original, "args", ())
    if args and isinstance(args[0], int) and args[0] in MYSQL_TRANSIENT_CODES:
        return True
    # PostgreSQL (psycopg 3) SQLSTATEs: deadlock_detected, serialization_failure, and
    # lock_not_available (lock_timeout ran out): the transaction is aborted, nothing is kept.
    if getattr(original, "sqlstate", None) in ("40P01", "40001", "55P03"):
        return True
    message = str(original).lower()
    return any(text in message for text in SQLITE_TRANSIENT_MESSAGES)
