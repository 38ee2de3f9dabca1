"""Shared plumbing of the in-memory repositories."""

from __future__ import annotations

import copy
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class MemoryTable(Generic[T]):
    """A dict of copies: what goes in and what comes out are never the caller's objects."""

    table: str = ""
    key: str = "id"

    def __init__(self, store: Any) -> None:
        self.store = store

    @property
    def rows(self) -> dict[Any, T]:
        return self.store.tables[self.table]  # type: ignore[no-any-return]

    def _insert(self, entity: T) -> None:
        if getattr(entity, self.key, None) is None:
            setattr(entity, self.key, self.store.next_id(self.table))
        self.rows[getattr(entity, self.key)] = copy.deepcopy(entity)

    def _get(self, key: Any) -> T | None:
        entity = self.rows.get(key)
        return None if entity is None else copy.deepcopy(entity)

    def _put(self, entity: T) -> None:
        self.rows[getattr(entity, self.key)] = copy.deepcopy(entity)

    def _all(self) -> list[T]:
        return [copy.deepcopy(entity) for entity in self.rows.values()]
