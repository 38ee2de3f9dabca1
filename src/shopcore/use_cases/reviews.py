"""Reviews: verified buyers rate what they received; products keep their rating in step.

Every change of a review takes its product's lock first, then recomputes the product's
``rating_avg`` and ``rating_count`` from the reviews in the same transaction, so the aggregate
always agrees with the reviews, also under concurrent writers.
"""

from __future__ import annotations

from dataclasses import dataclass

from shopcore.domain.catalog import Product
from shopcore.domain.errors import (
    DuplicateReview,
    NotPurchased,
    PermissionDenied,
    ReviewNotFound,
)
from shopcore.domain.reviews import Review, ReviewDetails
from shopcore.domain.users import Principal
from shopcore.ports.security import Clock
from shopcore.ports.unit_of_work import UnitOfWork
from shopcore.use_cases.catalog import visible_product
from shopcore.use_cases.common import Page


@dataclass(frozen=True)
class ReviewInput:
    rating: int
    comment: str
    title: str = ""


@dataclass(frozen=True)
class ReviewChanges:
    """A partial update: None leaves the field as it is."""

    rating: int | None = None
    title: str | None = None
    comment: str | None = None


def _details(uow: UnitOfWork, review_id: int | None) -> ReviewDetails:
    details = None if review_id is None else uow.reviews.details(review_id)
    if details is None:
        raise ReviewNotFound()
    return details


class ListReviews:
    """A product's reviews, newest first; an inactive product's only for its vendor and admins."""

    def __init__(self, *, uow: UnitOfWork):
        self.uow = uow

    def execute(
        self, principal: Principal | None, slug: str, offset: int, limit: int
    ) -> Page[ReviewDetails]:
        with self.uow as uow:
            product = visible_product(uow, slug, principal)
            assert product.id is not None
            items, total = uow.reviews.list_for_product(product.id, offset, limit)
        return Page(items, total)


def _check_may_review(uow: UnitOfWork, principal: Principal, product: Product) -> None:
    assert product.id is not None
    if product.vendor_id == principal.user_id:
        raise PermissionDenied("Vendors cannot review their own products.")
    if not uow.reviews.has_delivered_purchase(principal.user_id, product.id):
        raise NotPurchased()


class PostReview:
    """A customer with a delivered order of an active product reviews it, once."""

    def __init__(self, *, uow: UnitOfWork, clock: Clock):
        self.uow, self.clock = uow, clock

    def execute(self, principal: Principal, slug: str, data: ReviewInput) -> ReviewDetails:
        now = self.clock.now()
        with self.uow as uow:
            product = visible_product(uow, slug, None)  # inactive products take no reviews
            assert product.id is not None
            review = Review(
                product_id=product.id, user_id=principal.user_id, rating=data.rating,
                title=data.title, comment=data.comment, created_at=now, updated_at=now,
            )  # fmt: skip
            _check_may_review(uow, principal, product)
            uow.reviews.lock_product(product.id)
            if uow.reviews.get_by_author(product.id, principal.user_id) is not None:
                raise DuplicateReview()
            uow.reviews.add(review)  # the unique constraint catches a racing duplicate
            uow.reviews.refresh_rating(product.id)
            details = _details(uow, review.id)
            uow.commit()
        return details


def _locked_review(uow: UnitOfWork, principal: Principal, review_id: int) -> Review:
    """The review, checked for ownership, re-read under its product's lock."""
    review = uow.reviews.get(review_id)
    if review is None:
        raise ReviewNotFound()
    review.ensure_managed_by(principal)
    uow.reviews.lock_product(review.product_id)
    review = uow.reviews.get(review_id, lock=True)
    if review is None:  # deleted while we waited for the lock
        raise ReviewNotFound()
    return review


class EditReview:
    """The author or an admin changes a review's rating, title or comment."""

    def __init__(self, *, uow: UnitOfWork, clock: Clock):
        self.uow, self.clock = uow, clock

    def execute(
        self, principal: Principal, review_id: int, changes: ReviewChanges
    ) -> ReviewDetails:
        with self.uow as uow:
            review = _locked_review(uow, principal, review_id)
            review.edit(
                self.clock.now(), rating=changes.rating, title=changes.title,
                comment=changes.comment,
            )  # fmt: skip
            uow.reviews.save(review)
            uow.reviews.refresh_rating(review.product_id)
            details = _details(uow, review.id)
            uow.commit()
        return details


class DeleteReview:
    """The author or an admin removes a review; the product's rating follows."""

    def __init__(self, *, uow: UnitOfWork):
        self.uow = uow

    def execute(self, principal: Principal, review_id: int) -> None:
        with self.uow as uow:
            review = _locked_review(uow, principal, review_id)
            if not uow.reviews.delete(review_id):
                raise ReviewNotFound()
            uow.reviews.refresh_rating(review.product_id)
            uow.commit()
