"""Housekeeping that keeps the shared tables small: run ``shop prune`` from cron on any server."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from shopcore.ports.security import Clock
from shopcore.ports.unit_of_work import UnitOfWork

# A client may retry an order with the same Idempotency-Key for this long.
IDEMPOTENCY_KEY_LIFETIME = timedelta(hours=24)


@dataclass(frozen=True)
class PruneResult:
    logins: int  # expired or revoked logins; their refresh tokens go with them
    idempotency_keys: int


class Prune:
    """Deletes expired and revoked logins (with their refresh tokens) and old idempotency keys.

    A deleted login is refused exactly like a revoked or expired one, so nothing a client holds
    starts working again. Every delete is conditional on age only: several servers running it at
    once delete each row once between them, and a second run finds nothing left to do.
    """

    def __init__(
        self,
        *,
        uow: UnitOfWork,
        clock: Clock,
        idempotency_lifetime: timedelta = IDEMPOTENCY_KEY_LIFETIME,
    ) -> None:
        self.uow, self.clock, self.idempotency_lifetime = uow, clock, idempotency_lifetime

    def execute(self) -> PruneResult:
        now = self.clock.now()
        with self.uow as uow:
            logins = uow.logins.prune(now)
            keys = uow.idempotency.prune(now - self.idempotency_lifetime)
            uow.commit()
        return PruneResult(logins=logins, idempotency_keys=keys)
