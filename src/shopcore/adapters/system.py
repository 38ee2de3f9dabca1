"""The real clock and random identifiers."""

from __future__ import annotations

import secrets
from datetime import datetime

from shopcore.domain.clock import utcnow
from shopcore.ports.security import Clock, IdGenerator

# Crockford-like alphabet without 0/O and 1/I/L, so order numbers read well over the phone.
_ORDER_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


class SystemClock(Clock):
    def now(self) -> datetime:
        return utcnow()


class RandomIds(IdGenerator):
    def token_id(self) -> str:
        return secrets.token_hex(16)

    def order_number(self, now: datetime) -> str:
        """``ORD-20261124-7K3F9QX2``: the date, then 40 random bits (not derived from any id)."""
        suffix = "".join(secrets.choice(_ORDER_ALPHABET) for _ in range(8))
        return f"ORD-{now:%Y%m%d}-{suffix}"
