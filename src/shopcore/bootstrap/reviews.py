"""Reviews of products."""

from __future__ import annotations

from shopcore.bootstrap.wiring import Wiring
from shopcore.use_cases import reviews as reviews_uc


class ReviewUseCases(Wiring):
    """Listing, posting, editing and deleting reviews."""

    @property
    def list_reviews(self) -> reviews_uc.ListReviews:
        return reviews_uc.ListReviews(uow=self._uow(read_only=True))

    @property
    def post_review(self) -> reviews_uc.PostReview:
        return reviews_uc.PostReview(uow=self._uow(), clock=self.clock)

    @property
    def edit_review(self) -> reviews_uc.EditReview:
        return reviews_uc.EditReview(uow=self._uow(), clock=self.clock)

    @property
    def delete_review(self) -> reviews_uc.DeleteReview:
        return reviews_uc.DeleteReview(uow=self._uow())
