"""The one retry policy: a use case whose transaction lost a race runs again, a bounded number
of times, in a fresh transaction.

Every use case opens and commits its own unit of work inside ``execute``, so running
``execute`` again is running a whole new transaction; the one that lost was rolled back. The
composition root applies the policy to every use case it builds (see ``wiring.Wiring``), so no
use case or adapter has a loop of its own. What counts as a lost race is the port's
``TransientConflict``: the SQL unit of work raises it for deadlocks and lock timeouts, and use
cases raise it when a concurrent writer took a slug or an idempotency key first.
"""

from __future__ import annotations

import functools
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from shopcore.domain.errors import ServiceBusy
from shopcore.ports.unit_of_work import TransientConflict

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """``attempts`` runs in all. Before run n+1 it sleeps a random time up to
    ``min(max_delay, base_delay * 2**n)`` ("full jitter"), so racing losers spread out instead of
    meeting again. Ten runs let a burst of ten creations with one name all succeed (each run lets
    at least one through); the sleeps add up to at most about a second."""

    attempts: int = 10
    base_delay: float = 0.005  # seconds
    max_delay: float = 0.2
    sleep: Callable[[float], None] = time.sleep
    jitter: Callable[[float, float], float] = field(default=random.uniform)

    def run(self, action: Callable[[], T]) -> T:
        """``action()``, run again after each TransientConflict; after the last attempt the
        conflict's own final error, or ServiceBusy (503 with Retry-After)."""
        for attempt in range(1, self.attempts + 1):
            try:
                return action()
            except TransientConflict as conflict:
                log.warning("transient conflict (attempt %d of %d): %s",
                            attempt, self.attempts, conflict)  # fmt: skip
                if attempt == self.attempts:
                    raise (conflict.final or ServiceBusy()) from conflict
                self.sleep(self.jitter(0, min(self.max_delay, self.base_delay * 2**attempt)))
        raise AssertionError("unreachable")  # pragma: no cover

    def wrap(self, use_case: T) -> T:
        """Make ``use_case.execute`` run under this policy (idempotent)."""
        execute = getattr(use_case, "execute", None)
        if execute is None or getattr(execute, "_retried", False):
            return use_case

        @functools.wraps(execute)
        def execute_with_retries(*args: Any, **kwargs: Any) -> Any:
            return self.run(lambda: execute(*args, **kwargs))

        execute_with_retries._retried = True  # type: ignore[attr-defined]
        vars(use_case)["execute"] = execute_with_retries
        return use_case
