"""In-memory repository for reviews."""

from __future__ import annotations

from shopcore.adapters.memory.base import IntegrityViolation, MemoryTable
from shopcore.domain.orders import OrderStatus
from shopcore.domain.reviews import Author, Review, ReviewDetails, average_rating, public_name
from shopcore.ports.reviews import ReviewRepository


class MemoryReviewRepository(MemoryTable[Review], ReviewRepository):
    table = "reviews"

    def add(self, review: Review) -> None:
        # Stands in for the unique constraint on (product_id, user_id); the use case checks first.
        if self.get_by_author(review.product_id, review.user_id) is not None:
            raise IntegrityViolation("reviews (product_id, user_id) is unique")
        self._insert(review)

    def get(self, review_id: int, *, lock: bool = False) -> Review | None:
        if lock:
            self._lock(review_id)
        return self._get(review_id)

    def get_by_author(self, product_id: int, user_id: int) -> Review | None:
        return self._first(lambda r: r.product_id == product_id and r.user_id == user_id)

    def save(self, review: Review) -> None:
        self._put(review)

    def delete(self, review_id: int) -> bool:
        return self.rows.pop(review_id, None) is not None

    def details(self, review_id: int) -> ReviewDetails | None:
        review = self.rows.get(review_id)
        return None if review is None else self._details(review)

    def list_for_product(
        self, product_id: int, offset: int, limit: int
    ) -> tuple[list[ReviewDetails], int]:
        found = [r for r in self.rows.values() if r.product_id == product_id]
        found.sort(key=lambda r: (r.created_at, r.id or 0), reverse=True)
        return [self._details(r) for r in found[offset : offset + limit]], len(found)

    def _details(self, review: Review) -> ReviewDetails:
        user = self.store.tables["users"][review.user_id]
        product = self.store.tables["products"][review.product_id]
        author = Author(review.user_id, public_name(user.first_name, user.last_name))
        return ReviewDetails.of(review, product.slug, author)

    def has_delivered_purchase(self, user_id: int, product_id: int) -> bool:
        return any(
            order.user_id == user_id
            and order.status == OrderStatus.DELIVERED
            and any(line.product_id == product_id for line in order.lines)
            for order in self.store.tables["orders"].values()
        )

    def lock_product(self, product_id: int) -> None:
        """Nothing to wait for (units of work on the store run one at a time), but noted."""
        self.store.locks.append(("products", product_id))

    def refresh_rating(self, product_id: int) -> None:
        product = self.store.tables["products"].get(product_id)
        if product is None:
            return
        ratings = [r.rating for r in self.rows.values() if r.product_id == product_id]
        product.rating_avg = average_rating(sum(ratings), len(ratings))
        product.rating_count = len(ratings)
