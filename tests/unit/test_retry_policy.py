"""The one retry policy: every use case the composition root builds runs again, a bounded number
of times, when its unit of work reports a TransientConflict (a deadlock, a lock timeout, a slug or
an idempotency key taken meanwhile); after the last attempt the caller gets ServiceBusy (503)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from shopcore.bootstrap import RetryPolicy, UseCases
from shopcore.domain.errors import EmailTaken, InvalidToken, ServiceBusy, SlugTaken
from shopcore.domain.users import Principal
from shopcore.ports.unit_of_work import TransientConflict
from shopcore.use_cases.auth import LogInCommand, RegisterCommand, Session
from shopcore.use_cases.users import AdminUserChanges, CreateAdminCommand
from tests.unit.conftest import make_harness
from tests.unit.fakes import (
    InMemoryStore,
    InMemoryUnitOfWork,
)

ATTEMPTS = 4


@dataclass
class Conflicts:
    """How many of the next commits lose a race (each rolls its unit of work back)."""

    left: int = 0
    raised: int = 0


class FlakyUnitOfWork(InMemoryUnitOfWork):
    """An in-memory unit of work whose commit fails as a deadlock victim's would."""

    def __init__(self, store: InMemoryStore, conflicts: Conflicts) -> None:
        super().__init__(store)
        self.conflicts = conflicts

    def commit(self) -> None:
        if self.conflicts.left > 0:
            self.conflicts.left -= 1
            self.conflicts.raised += 1
            raise TransientConflict("deadlock (simulated)")
        super().commit()


@dataclass
class Flaky:
    shop: UseCases
    store: InMemoryStore
    conflicts: Conflicts
    pauses: list[float] = field(default_factory=list)

    def sign_up(self, email: str = "ann@example.com") -> Session:
        command = RegisterCommand(email, "s3cret-pass", "Ann", "Lee")
        return self.shop.register_user.execute(command)

    def users(self) -> int:
        return len(self.store.tables["users"])


@pytest.fixture
def flaky() -> Flaky:
    conflicts, pauses = Conflicts(), []
    h = make_harness(
        lambda store: FlakyUnitOfWork(store, conflicts),
        retry=RetryPolicy(attempts=ATTEMPTS, sleep=pauses.append),
    )
    return Flaky(h.shop, h.store, conflicts, pauses)


def test_a_use_case_whose_unit_of_work_loses_twice_runs_again_and_succeeds_once(flaky):
    flaky.conflicts.left = 2

    session = flaky.sign_up()

    assert flaky.conflicts.raised == 2 and len(flaky.pauses) == 2
    assert flaky.users() == 1  # the two lost attempts were rolled back
    assert flaky.shop.authenticate.execute(session.access).user_id == session.user.id


def test_after_the_last_attempt_the_caller_gets_service_busy_and_nothing_is_written(flaky):
    flaky.conflicts.left = 99

    with pytest.raises(ServiceBusy) as caught:
        flaky.sign_up()

    assert flaky.conflicts.raised == ATTEMPTS and len(flaky.pauses) == ATTEMPTS - 1
    assert isinstance(caught.value.__cause__, TransientConflict)
    assert flaky.users() == 0


def test_a_domain_error_is_never_retried(flaky):
    flaky.sign_up()
    flaky.conflicts.left = 1

    with pytest.raises(EmailTaken):
        flaky.sign_up()  # refused before its commit: the conflict is never reached

    assert flaky.conflicts.left == 1 and flaky.pauses == []


def test_a_logout_that_loses_a_race_is_retried_and_ends_the_login(flaky):
    session = flaky.sign_up()
    caller = flaky.shop.authenticate.execute(session.access)
    flaky.conflicts.left = 2

    flaky.shop.log_out.execute(caller, session.refresh)

    assert flaky.conflicts.raised == 2
    with pytest.raises(InvalidToken):
        flaky.shop.authenticate.execute(session.access)


def test_a_deactivation_that_loses_a_race_is_retried_and_signs_the_user_out(flaky):
    session = flaky.sign_up()
    admin = flaky.shop.create_admin.execute(CreateAdminCommand("root@example.com", "s3cret-pass"))
    flaky.conflicts.left = 3
    changes = AdminUserChanges(is_active=False)

    flaky.shop.update_user.execute(
        Principal(admin.id or 0, admin.role), session.user.id or 0, changes
    )

    assert flaky.conflicts.raised == 3
    with pytest.raises(InvalidToken):
        flaky.shop.refresh_session.execute(session.refresh)


def test_refresh_and_log_in_are_retried_too(flaky):
    session = flaky.sign_up()
    flaky.conflicts.left = 1
    assert flaky.shop.refresh_session.execute(session.refresh).access
    flaky.conflicts.left = 1
    assert flaky.shop.log_in.execute(LogInCommand("ann@example.com", "s3cret-pass")).access
    assert flaky.conflicts.raised == 2


def test_every_use_case_the_composition_root_builds_runs_under_the_policy(flaky):
    names = [name for name, value in vars(UseCases).items() if isinstance(value, property)]
    names += [name for base in UseCases.__mro__[1:] for name, value in vars(base).items()
              if isinstance(value, property) and not name.startswith("_")]  # fmt: skip
    assert len(names) > 40
    for name in names:
        execute = getattr(flaky.shop, name).execute
        assert getattr(execute, "_retried", False), name


# --- the policy itself ----------------------------------------------------------------------


def _losing(times: int, conflict: TransientConflict) -> tuple[list[int], object]:
    calls: list[int] = []

    def action() -> str:
        calls.append(1)
        if len(calls) <= times:
            raise conflict
        return "done"

    return calls, action


def test_the_pauses_grow_with_full_jitter_up_to_the_cap():
    pauses: list[float] = []
    policy = RetryPolicy(attempts=8, base_delay=0.01, max_delay=0.1, sleep=pauses.append,
                         jitter=lambda low, high: high)  # fmt: skip
    calls, action = _losing(7, TransientConflict())

    assert policy.run(action) == "done"  # type: ignore[arg-type]
    assert len(calls) == 8
    assert pauses == pytest.approx([0.02, 0.04, 0.08, 0.1, 0.1, 0.1, 0.1])


def test_the_jitter_is_drawn_between_zero_and_the_pause():
    drawn: list[tuple[float, float]] = []
    policy = RetryPolicy(attempts=3, base_delay=0.01, sleep=lambda _: None,
                         jitter=lambda low, high: drawn.append((low, high)) or 0.0)  # fmt: skip
    _, action = _losing(2, TransientConflict())

    policy.run(action)  # type: ignore[arg-type]

    assert drawn == [(0, 0.02), (0, 0.04)]


def test_a_conflict_that_names_its_final_error_raises_it_after_the_last_attempt():
    policy = RetryPolicy(attempts=3, sleep=lambda _: None)
    calls, action = _losing(99, TransientConflict("slug taken", final=SlugTaken()))

    with pytest.raises(SlugTaken):
        policy.run(action)  # type: ignore[arg-type]
    assert len(calls) == 3


def test_wrapping_twice_does_not_multiply_the_attempts():
    class Lossy:
        calls = 0

        def execute(self) -> None:
            self.calls += 1
            raise TransientConflict()

    policy = RetryPolicy(attempts=3, sleep=lambda _: None)
    use_case = policy.wrap(policy.wrap(Lossy()))

    with pytest.raises(ServiceBusy):
        use_case.execute()
    assert use_case.calls == 3
