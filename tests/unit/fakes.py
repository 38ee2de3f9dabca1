"""The in-memory adapters unit tests run on (they live in shopcore.adapters.memory)."""

from shopcore.adapters.memory.security import (
    FrozenClock,
    InMemoryTokenIssuer,
    PlainPasswordHasher,
    SequentialIds,
)
from shopcore.adapters.memory.storage import FakeImageProcessor, InMemoryFileStorage
from shopcore.adapters.memory.unit_of_work import InMemoryStore, InMemoryUnitOfWork

__all__ = [
    "FakeImageProcessor",
    "FrozenClock",
    "InMemoryFileStorage",
    "InMemoryStore",
    "InMemoryTokenIssuer",
    "InMemoryUnitOfWork",
    "PlainPasswordHasher",
    "SequentialIds",
]
