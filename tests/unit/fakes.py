"""The in-memory adapters unit tests run on (they live in shopcore.adapters.memory), and the
password hasher that only tests may use."""

from shopcore.adapters.memory.security import (
    FrozenClock,
    InMemoryTokenIssuer,
    SequentialIds,
)
from shopcore.adapters.memory.storage import FakeImageProcessor, InMemoryFileStorage
from shopcore.adapters.memory.unit_of_work import InMemoryStore, InMemoryUnitOfWork
from shopcore.ports.security import PasswordHasher

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


class PlainPasswordHasher(PasswordHasher):
    """Not a hash at all: for tests only. ``version`` lets a test trigger re-hashing."""

    def __init__(self, version: int = 1) -> None:
        self.version = version

    def hash(self, password: str) -> str:
        return f"plain${self.version}${password}"

    def verify(self, password_hash: str, password: str) -> bool:
        return password_hash.split("$", 2)[-1] == password

    def needs_rehash(self, password_hash: str) -> bool:
        return not password_hash.startswith(f"plain${self.version}$")

    def decoy_hash(self) -> str:
        return self.hash("\x00decoy")
