"""Reviews of products by the customers who received them, and the rating arithmetic."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from shopcore.domain.errors import PermissionDenied, RuleViolation
from shopcore.domain.users import Principal

TITLE_MAX = 120
COMMENT_MAX = 2000
RATING_MIN, RATING_MAX = 1, 5


def check_rating(rating: object) -> int:
    """A whole number of stars from 1 to 5; ``True``, ``4.5`` and ``"5"`` are not ratings."""
    if isinstance(rating, bool) or not isinstance(rating, int):
        raise RuleViolation(errors={"rating": ["Must be a whole number from 1 to 5."]})
    if not RATING_MIN <= rating <= RATING_MAX:
        raise RuleViolation(errors={"rating": ["Must be a whole number from 1 to 5."]})
    return rating


def clean_title(title: str) -> str:
    title = title.strip()
    if len(title) > TITLE_MAX:
        raise RuleViolation(errors={"title": [f"At most {TITLE_MAX} characters."]})
    return title


def clean_comment(comment: str) -> str:
    comment = comment.strip()
    if not comment:
        raise RuleViolation(errors={"comment": ["Must not be empty."]})
    if len(comment) > COMMENT_MAX:
        raise RuleViolation(errors={"comment": [f"At most {COMMENT_MAX} characters."]})
    return comment


def average_rating(total: int, count: int) -> Decimal | None:
    """The mean of ``count`` ratings summing to ``total``, half-up to 0.01; None for no ratings.

    Computed from integer sums, so it is exact whatever the number of reviews.
    """
    if count == 0:
        return None
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class Review:
    product_id: int
    user_id: int
    rating: int
    comment: str
    created_at: datetime
    updated_at: datetime
    title: str = ""
    # Only customers with a delivered order may review, so this is true for every review today;
    # it stays in the model (and the JSON) for reviews imported or allowed without one later.
    verified_purchase: bool = True
    id: int | None = None

    def __post_init__(self) -> None:
        self.rating = check_rating(self.rating)
        self.title = clean_title(self.title)
        self.comment = clean_comment(self.comment)

    def edit(
        self,
        now: datetime,
        *,
        rating: int | None = None,
        title: str | None = None,
        comment: str | None = None,
    ) -> None:
        """Change the given fields, all checked first: nothing changes on an error.

        ``updated_at`` moves only when something actually changed.
        """
        new = (
            self.rating if rating is None else check_rating(rating),
            self.title if title is None else clean_title(title),
            self.comment if comment is None else clean_comment(comment),
        )
        if new != (self.rating, self.title, self.comment):
            self.rating, self.title, self.comment = new
            self.updated_at = now

    def ensure_managed_by(self, principal: Principal) -> None:
        if not (principal.is_admin or principal.user_id == self.user_id):
            raise PermissionDenied("Only the review's author or an admin may change it.")


@dataclass(frozen=True)
class Author:
    id: int
    name: str


def public_name(first_name: str, last_name: str) -> str:
    """The name shown next to a review; never the email, which reviews must not expose."""
    return f"{first_name} {last_name}".strip() or "Customer"


@dataclass(frozen=True)
class ReviewDetails:
    """A review as readers see it: with its product's slug and its author's public name."""

    id: int
    product: str
    user: Author
    rating: int
    title: str
    comment: str
    verified_purchase: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, review: Review, product_slug: str, author: Author) -> ReviewDetails:
        assert review.id is not None
        return cls(
            review.id, product_slug, author, review.rating, review.title, review.comment,
            review.verified_purchase, review.created_at, review.updated_at,
        )  # fmt: skip
