"""What the installed package ships: adapters for production, and nothing meant for tests only."""

from __future__ import annotations

import importlib
import pkgutil

import shopcore.adapters
from shopcore.adapters.hashing import Argon2Hasher
from shopcore.ports.security import PasswordHasher


def _subclasses(cls: type) -> set[type]:
    direct = set(cls.__subclasses__())
    return direct.union(*(_subclasses(sub) for sub in direct))


def test_the_only_password_hasher_the_package_ships_really_hashes() -> None:
    for module in pkgutil.walk_packages(shopcore.adapters.__path__, "shopcore.adapters."):
        if ".migrations" not in module.name:  # Alembic's env.py runs a migration on import
            importlib.import_module(module.name)
    shipped = {c for c in _subclasses(PasswordHasher) if c.__module__.startswith("shopcore.")}
    assert shipped == {Argon2Hasher}
