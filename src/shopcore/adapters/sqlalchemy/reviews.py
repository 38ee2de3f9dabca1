"""SQL repository for reviews."""

from __future__ import annotations

from sqlalchemy import Connection

from shopcore.ports.reviews import ReviewRepository


class SqlReviewRepository(ReviewRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
