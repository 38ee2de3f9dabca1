"""In-memory repository for reviews."""

from __future__ import annotations

from typing import Any

from shopcore.ports.reviews import ReviewRepository


class MemoryReviewRepository(ReviewRepository):
    def __init__(self, store: Any) -> None:
        self.store = store
