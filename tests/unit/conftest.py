"""Unit tests: use cases on in-memory adapters. No Flask, no SQLAlchemy, no database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from shopcore.adapters.memory.slugs import AsciiSlugger
from shopcore.bootstrap import Settings, UseCases, bootstrap
from shopcore.domain.users import Principal
from shopcore.use_cases.auth import RegisterCommand
from tests.unit.fakes import (
    FakeImageProcessor,
    FrozenClock,
    InMemoryFileStorage,
    InMemoryStore,
    InMemoryTokenIssuer,
    InMemoryUnitOfWork,
    PlainPasswordHasher,
    SequentialIds,
)


@dataclass
class Harness:
    """Use cases wired to fakes, plus the fakes themselves for inspecting state."""

    shop: UseCases
    store: InMemoryStore
    clock: FrozenClock
    storage: InMemoryFileStorage
    hasher: PlainPasswordHasher

    def uow(self) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(self.store)

    def register(self, email: str = "ann@example.com", role: str = "customer") -> Principal:
        session = self.shop.register_user.execute(
            RegisterCommand(email, "s3cret-pass", "Ann", "Lee", role=role)
        )
        assert session.user.id is not None
        return Principal(session.user.id, session.user.role)

    def admin(self, email: str = "root@example.com") -> Principal:
        from shopcore.use_cases.users import CreateAdminCommand

        user = self.shop.create_admin.execute(CreateAdminCommand(email, "s3cret-pass"))
        assert user.id is not None
        return Principal(user.id, user.role)


def make_harness(
    uow: Callable[[InMemoryStore], InMemoryUnitOfWork] = InMemoryUnitOfWork, **ports: Any
) -> Harness:
    """Use cases wired to fakes: ``uow`` makes each unit of work on the one store (a test may
    give a subclass that misbehaves), and ``ports`` replace or add keyword arguments of
    ``bootstrap`` (``retry=...``)."""
    store, clock = InMemoryStore(), FrozenClock()
    storage, hasher = InMemoryFileStorage(), PlainPasswordHasher()

    def uow_factory(*, read_only: bool = False) -> InMemoryUnitOfWork:
        return uow(store)

    wiring: dict[str, Any] = {
        "uow_factory": uow_factory, "hasher": hasher, "tokens": InMemoryTokenIssuer(clock),
        "storage": storage, "images": FakeImageProcessor(), "clock": clock,
        "ids": SequentialIds(), "slugger": AsciiSlugger(),
    }  # fmt: skip
    shop = bootstrap(Settings(), **{**wiring, **ports})
    return Harness(shop, store, clock, storage, hasher)


@pytest.fixture
def harness() -> Harness:
    return make_harness()
