"""SQL repository for Idempotency-Keys of order placement."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, insert, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import IntegrityError

from shopcore.ports.orders import IdempotencyRecord, IdempotencyRepository

from .tables import idempotency_keys


class SqlIdempotencyRepository(IdempotencyRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, user_id: int, key: str) -> IdempotencyRecord | None:
        stmt = select(idempotency_keys).where(
            idempotency_keys.c.user_id == user_id, idempotency_keys.c.key == key
        )
        row = self.conn.execute(stmt).first()
        if row is None:
            return None
        data = row._mapping
        return IdempotencyRecord(
            data["user_id"], data["key"], data["request_hash"], data["order_number"] or "",
            data["created_at"],
        )  # fmt: skip

    def claim(self, record: IdempotencyRecord) -> bool:
        # The unique (user_id, key) constraint decides a race. On InnoDB and PostgreSQL the
        # second INSERT waits for the first transaction and fails only once it committed; on
        # SQLite writers already run one at a time. On MySQL and SQLite the failed statement
        # alone is undone; PostgreSQL would abort the whole transaction, so there the INSERT
        # says ON CONFLICT DO NOTHING and inserts no row instead. The caller rolls back.
        if self.conn.dialect.name == "postgresql":
            insert_once = postgresql.insert(idempotency_keys).values(vars(record))
            claimed = insert_once.on_conflict_do_nothing().returning(idempotency_keys.c.id)
            return self.conn.execute(claimed).first() is not None
        try:
            self.conn.execute(insert(idempotency_keys).values(vars(record)))
        except IntegrityError:
            return False
        return True

    def prune(self, before: datetime) -> int:
        stmt = delete(idempotency_keys).where(idempotency_keys.c.created_at < before)
        return int(self.conn.execute(stmt).rowcount)
