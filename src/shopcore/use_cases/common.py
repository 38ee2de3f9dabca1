"""Small shapes shared by use cases."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list and the total number of matching items."""

    items: list[T]
    total: int
