"""Deterministic stand-ins for the security ports: fast, and easy to steer in tests."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from shopcore.domain.errors import InvalidToken
from shopcore.ports.security import Clock, IdGenerator, TokenClaims, TokenIssuer


class FrozenClock(Clock):
    def __init__(self, now: datetime | None = None) -> None:
        self.current = now or datetime(2026, 11, 24, 10, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


class SequentialIds(IdGenerator):
    def __init__(self) -> None:
        self._counter = itertools.count(1)

    def token_id(self) -> str:
        return f"id{next(self._counter):06d}"

    def order_number(self, now: datetime) -> str:
        return f"ORD-{now:%Y%m%d}-{next(self._counter):08d}"


class InMemoryTokenIssuer(TokenIssuer):
    """Opaque tokens remembered in a dict; expiry is checked against ``clock``."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.issued: dict[str, TokenClaims] = {}

    def issue(self, claims: TokenClaims) -> str:
        token = f"{claims.kind}.{claims.jti}"
        self.issued[token] = claims
        return token

    def decode(self, token: str, kind: str) -> TokenClaims:
        claims = self.issued.get(token)
        if claims is None or claims.kind != kind or claims.expires_at <= self.clock.now():
            raise InvalidToken()
        return claims
