"""argon2id password hashing (argon2-cffi)."""

from __future__ import annotations

from argon2 import PasswordHasher as _Argon2
from argon2 import Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from shopcore.ports.security import PasswordHasher

# OWASP Password Storage Cheat Sheet: argon2id with m=19 MiB, t=2, p=1 at the least.
OWASP_MIN_MEMORY_KIB = 19 * 1024
OWASP_MIN_TIME_COST = 2


class Argon2Hasher(PasswordHasher):
    def __init__(
        self,
        *,
        memory_cost: int = OWASP_MIN_MEMORY_KIB,
        time_cost: int = OWASP_MIN_TIME_COST,
        parallelism: int = 1,
    ) -> None:
        self._argon = _Argon2(
            time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism, type=Type.ID
        )
        # Made now, not on first use: the first unknown-email sign-in must cost what the
        # others cost, one verification and no hashing.
        self._decoy = self._argon.hash("decoy: no user has this password")

    def hash(self, password: str) -> str:
        return self._argon.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._argon.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        try:
            return self._argon.check_needs_rehash(password_hash)
        except InvalidHashError:
            return True

    def decoy_hash(self) -> str:
        return self._decoy
