"""Repository for product reviews."""

from __future__ import annotations

import abc

from shopcore.domain.reviews import Review, ReviewDetails


class ReviewRepository(abc.ABC):
    """Reviews of products by users; at most one per product and user."""

    @abc.abstractmethod
    def add(self, review: Review) -> None:
        """Insert ``review`` and set its ``id``.

        Raise DuplicateReview when the user already reviewed the product, also when a
        concurrent transaction inserted that review first (the unique constraint decides).
        """

    @abc.abstractmethod
    def get(self, review_id: int, *, lock: bool = False) -> Review | None:
        """One review. ``lock=True`` (after ``lock_product``) reads the latest committed
        version and keeps it locked until the transaction ends."""

    @abc.abstractmethod
    def get_by_author(self, product_id: int, user_id: int) -> Review | None: ...

    @abc.abstractmethod
    def save(self, review: Review) -> None:
        """Write back rating, title, comment and updated_at of an existing review."""

    @abc.abstractmethod
    def delete(self, review_id: int) -> bool:
        """Remove a review; False when it was already gone."""

    @abc.abstractmethod
    def details(self, review_id: int) -> ReviewDetails | None:
        """One review with its product's slug and its author, in one look-up."""

    @abc.abstractmethod
    def list_for_product(
        self, product_id: int, offset: int, limit: int
    ) -> tuple[list[ReviewDetails], int]:
        """One page of a product's reviews, newest first (ties: higher id first), and the total.

        A fixed number of queries, whatever the page size.
        """

    @abc.abstractmethod
    def has_delivered_purchase(self, user_id: int, product_id: int) -> bool:
        """Whether ``user_id`` has an order in status delivered holding ``product_id``."""

    @abc.abstractmethod
    def lock_product(self, product_id: int) -> None:
        """Take the product's row lock until the transaction ends.

        Every writer of a product's reviews calls this before changing any review, so writers
        of one product queue here and ``refresh_rating`` always sees every committed review
        (and two writers never wait on each other's review rows: no deadlock).
        """

    @abc.abstractmethod
    def refresh_rating(self, product_id: int) -> None:
        """Recompute the product's ``rating_avg`` and ``rating_count`` from its reviews.

        Call it in the transaction that changed a review, after ``lock_product``.
        """
