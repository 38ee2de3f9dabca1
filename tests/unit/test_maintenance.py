"""Prune: expired and revoked logins go with their refresh tokens; old idempotency keys go."""

from __future__ import annotations

import pytest

from shopcore.domain.errors import InvalidToken
from shopcore.ports.orders import IdempotencyRecord
from shopcore.use_cases.auth import LogInCommand, RegisterCommand, Session
from shopcore.use_cases.maintenance import Prune, PruneResult
from tests.unit.conftest import Harness

PASSWORD = "s3cret-pass"


def sign_up(h: Harness, email: str = "ann@example.com") -> Session:
    return h.shop.register_user.execute(RegisterCommand(email, PASSWORD, "Ann", "Lee"))


def prune(h: Harness) -> PruneResult:
    return Prune(uow=h.uow(), clock=h.clock).execute()


def claim_key(h: Harness, user_id: int, key: str) -> None:
    with h.uow() as uow:
        record = IdempotencyRecord(user_id, key, "hash", f"ORD-{key}", h.clock.now())
        assert uow.idempotency.claim(record)
        uow.commit()


def stored_keys(h: Harness) -> set[str]:
    return {record.key for record in h.store.tables["idempotency_keys"].values()}


def test_prune_deletes_expired_logins_with_their_refresh_tokens(harness):
    session = sign_up(harness)
    harness.clock.advance(days=8)  # past the 7-day refresh lifetime
    live = harness.shop.log_in.execute(LogInCommand("ann@example.com", PASSWORD))

    assert prune(harness) == PruneResult(logins=1, idempotency_keys=0)

    logins = harness.store.tables["logins"]
    assert [login.user_id for login in logins.values()] == [session.user.id]
    tokens = harness.store.tables["refresh_tokens"].values()
    assert {token.login_id for token in tokens} == set(logins)
    assert harness.shop.authenticate.execute(live.access).user_id == session.user.id


def test_prune_deletes_revoked_logins_and_their_tokens_stay_refused(harness):
    session = sign_up(harness)
    principal = harness.shop.authenticate.execute(session.access)
    harness.shop.log_out.execute(principal, session.refresh)
    harness.clock.advance(seconds=1)

    assert prune(harness).logins == 1

    assert harness.store.tables["logins"] == {}
    assert harness.store.tables["refresh_tokens"] == {}
    with pytest.raises(InvalidToken):
        harness.shop.authenticate.execute(session.access)
    with pytest.raises(InvalidToken):
        harness.shop.refresh_session.execute(session.refresh)


def test_prune_keeps_live_logins(harness):
    session = sign_up(harness)
    harness.clock.advance(days=6)

    assert prune(harness) == PruneResult(logins=0, idempotency_keys=0)
    renewed = harness.shop.refresh_session.execute(session.refresh)
    assert harness.shop.authenticate.execute(renewed.access).user_id == session.user.id


def test_prune_deletes_idempotency_keys_older_than_a_day_only(harness):
    user_id = sign_up(harness).user.id
    claim_key(harness, user_id, "old")
    harness.clock.advance(hours=23)
    claim_key(harness, user_id, "recent")
    harness.clock.advance(hours=1, seconds=1)

    assert prune(harness).idempotency_keys == 1
    assert stored_keys(harness) == {"recent"}


def test_prune_is_idempotent(harness):
    user_id = sign_up(harness).user.id
    claim_key(harness, user_id, "old")
    harness.clock.advance(days=8)

    assert prune(harness) == PruneResult(logins=1, idempotency_keys=1)
    assert prune(harness) == PruneResult(logins=0, idempotency_keys=0)


def test_prune_keeps_a_key_exactly_one_lifetime_old(harness):
    user_id = sign_up(harness).user.id
    claim_key(harness, user_id, "edge")
    harness.clock.advance(hours=24)

    assert prune(harness).idempotency_keys == 0
    assert stored_keys(harness) == {"edge"}


def test_the_composition_root_offers_prune(harness):
    sign_up(harness)
    harness.clock.advance(days=8)

    assert harness.shop.prune.execute() == PruneResult(logins=1, idempotency_keys=0)
