"""Shared plumbing of the in-memory repositories."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class IntegrityViolation(Exception):
    """The store's stand-in for a database constraint failing (unique key, foreign key).

    Deliberately not a domain error: the SQL adapters turn a constraint failure into one because
    a concurrent writer can get past a use case's check, but units of work on the store run one
    at a time, so here only a use case that skipped its own check gets this far. Unit tests then
    fail instead of passing on the fake's word.
    """


class MemoryTable(Generic[T]):
    """A dict of copies: what goes in and what comes out are never the caller's objects."""

    table: str = ""
    key: str = "id"

    def __init__(self, store: Any) -> None:
        self.store = store

    @property
    def rows(self) -> dict[Any, T]:
        return self.store.tables[self.table]  # type: ignore[no-any-return]

    def _lock(self, key: Any) -> None:
        """Note a row read ``FOR UPDATE``: ``store.locks`` is what a unit test can check."""
        self.store.locks.append((self.table, key))

    def _insert(self, entity: T) -> None:
        if getattr(entity, self.key, None) is None:
            setattr(entity, self.key, self.store.next_id(self.table))
        self.rows[getattr(entity, self.key)] = copy.deepcopy(entity)

    def _get(self, key: Any) -> T | None:
        entity = self.rows.get(key)
        return None if entity is None else copy.deepcopy(entity)

    def _put(self, entity: T) -> None:
        self.rows[getattr(entity, self.key)] = copy.deepcopy(entity)

    def _first(self, matches: Callable[[T], bool]) -> T | None:
        """A copy of the first row that ``matches`` (only that row is copied)."""
        found = next((entity for entity in self.rows.values() if matches(entity)), None)
        return None if found is None else copy.deepcopy(found)

    def _all(self) -> list[T]:
        return [copy.deepcopy(entity) for entity in self.rows.values()]
