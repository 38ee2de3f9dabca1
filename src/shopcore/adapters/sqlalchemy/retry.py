"""Bounded retries of a whole use case when the database reports a transient lock failure.

MySQL/MariaDB may pick a transaction as a deadlock victim (error 1213) or give up waiting for a
row lock (1205); SQLite reports "database is locked" when its busy timeout runs out. In each case
the transaction was rolled back and nothing of it is visible, so running the use case again from
the start is safe. After the last attempt the caller gets ``ServiceBusy`` (a clean 503 with
Retry-After), never an unexplained 500.
"""

from __future__ import annotations

import functools
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from sqlalchemy.exc import DBAPIError

from shopcore.domain.errors import ServiceBusy

log = logging.getLogger(__name__)

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


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    base_delay: float = 0.02  # seconds; doubles with every attempt, with full jitter
    sleep: Callable[[float], None] = time.sleep

    def run(self, action: Callable[[], Any]) -> Any:
        for attempt in range(1, self.attempts + 1):
            try:
                return action()
            except DBAPIError as error:
                if not is_transient(error):
                    raise
                log.warning("transient database error (attempt %d): %s", attempt, error.orig)
                if attempt == self.attempts:
                    raise ServiceBusy() from error
                self.sleep(random.uniform(0, self.base_delay * 2**attempt))  # noqa: S311
        raise AssertionError("unreachable")  # pragma: no cover


class _UseCase(Protocol):
    def execute(self, *args: Any, **kwargs: Any) -> Any: ...


U = TypeVar("U", bound=_UseCase)


def retrying(use_case: U, policy: RetryPolicy | None = None) -> U:
    """Make ``use_case.execute`` run again, in a fresh transaction, after a transient error.

    The use case opens and commits its own unit of work inside ``execute``, so each attempt is a
    whole new transaction.
    """
    policy = policy or RetryPolicy()
    execute = use_case.execute

    @functools.wraps(execute)
    def execute_with_retries(*args: Any, **kwargs: Any) -> Any:
        return policy.run(lambda: execute(*args, **kwargs))

    vars(use_case)["execute"] = execute_with_retries
    return use_case
