"""SQL repository for reviews, and the product rating aggregate that follows them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from shopcore.domain.errors import DuplicateReview
from shopcore.domain.orders import OrderStatus
from shopcore.domain.reviews import Author, Review, ReviewDetails, average_rating, public_name
from shopcore.ports.reviews import ReviewRepository

from .tables import order_lines, orders, products, reviews, users

_FIELDS = (
    "product_id", "user_id", "rating", "title", "comment", "verified_purchase",
    "created_at", "updated_at",
)  # fmt: skip


def _review(data: Any) -> Review:
    return Review(**{name: data[name] for name in (*_FIELDS, "id")})


def _details(row: Any) -> ReviewDetails:
    data = row._mapping
    author = Author(data["user_id"], public_name(data["first_name"], data["last_name"]))
    return ReviewDetails.of(_review(data), data["product_slug"], author)


def _is_unique_violation(exc: IntegrityError) -> bool:
    text = str(exc.orig).lower()
    return "unique" in text or "duplicate" in text


_DETAILS = select(
    reviews, users.c.first_name, users.c.last_name, products.c.slug.label("product_slug")
).select_from(
    reviews.join(users, users.c.id == reviews.c.user_id).join(
        products, products.c.id == reviews.c.product_id
    )
)


class SqlReviewRepository(ReviewRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, review: Review) -> None:
        values = {name: getattr(review, name) for name in _FIELDS}
        try:
            result = self.conn.execute(insert(reviews).values(values))
        except IntegrityError as exc:
            if _is_unique_violation(exc):  # (product_id, user_id): a racing post won
                raise DuplicateReview() from exc
            raise
        assert result.inserted_primary_key is not None
        review.id = result.inserted_primary_key[0]

    def get(self, review_id: int, *, lock: bool = False) -> Review | None:
        stmt = select(reviews).where(reviews.c.id == review_id)
        row = self.conn.execute(stmt.with_for_update() if lock else stmt).first()
        return None if row is None else _review(row._mapping)

    def get_by_author(self, product_id: int, user_id: int) -> Review | None:
        stmt = select(reviews).where(
            reviews.c.product_id == product_id, reviews.c.user_id == user_id
        )
        row = self.conn.execute(stmt).first()
        return None if row is None else _review(row._mapping)

    def save(self, review: Review) -> None:
        values = {
            name: getattr(review, name) for name in ("rating", "title", "comment", "updated_at")
        }
        self.conn.execute(update(reviews).where(reviews.c.id == review.id).values(values))

    def delete(self, review_id: int) -> bool:
        return self.conn.execute(delete(reviews).where(reviews.c.id == review_id)).rowcount == 1

    def details(self, review_id: int) -> ReviewDetails | None:
        row = self.conn.execute(_DETAILS.where(reviews.c.id == review_id)).first()
        return None if row is None else _details(row)

    def list_for_product(
        self, product_id: int, offset: int, limit: int
    ) -> tuple[list[ReviewDetails], int]:
        count = select(func.count()).select_from(reviews).where(reviews.c.product_id == product_id)
        total = self.conn.execute(count).scalar_one()
        page = (
            _DETAILS.where(reviews.c.product_id == product_id)
            .order_by(reviews.c.created_at.desc(), reviews.c.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return [_details(row) for row in self.conn.execute(page)], total

    def has_delivered_purchase(self, user_id: int, product_id: int) -> bool:
        stmt = (
            select(order_lines.c.id)
            .join(orders, orders.c.id == order_lines.c.order_id)
            .where(
                orders.c.user_id == user_id,
                orders.c.status == OrderStatus.DELIVERED.value,
                order_lines.c.product_id == product_id,
            )
            .limit(1)
        )
        return self.conn.execute(stmt).first() is not None

    def lock_product(self, product_id: int) -> None:
        # SELECT ... FOR UPDATE on MySQL/MariaDB and PostgreSQL; SQLite has no row locks, but
        # its writers already run one at a time (BEGIN IMMEDIATE, see engine.make_engine).
        stmt = select(products.c.id).where(products.c.id == product_id).with_for_update()
        self.conn.execute(stmt).first()

    def refresh_rating(self, product_id: int) -> None:
        # MySQL: a locking read, since under REPEATABLE READ a plain SELECT would read this
        # transaction's snapshot and miss reviews committed while it waited for the product
        # lock. PostgreSQL refuses FOR SHARE with aggregates and needs none: under READ
        # COMMITTED every statement reads what was committed before it began.
        totals = select(
            func.count(reviews.c.id), func.coalesce(func.sum(reviews.c.rating), 0)
        ).where(reviews.c.product_id == product_id)
        if self.conn.dialect.name != "postgresql":
            totals = totals.with_for_update(read=True)
        count, total = self.conn.execute(totals).one()
        self.conn.execute(
            update(products)
            .where(products.c.id == product_id)
            .values(rating_avg=average_rating(int(total), int(count)), rating_count=int(count))
        )
