"""Reviews, vendor analytics and maintenance."""

from __future__ import annotations

from shopcore.bootstrap.wiring import Wiring
from shopcore.use_cases import analytics as analytics_uc
from shopcore.use_cases import maintenance
from shopcore.use_cases import reviews as reviews_uc


class ReviewUseCases(Wiring):
    """Reviews, vendor analytics and maintenance."""

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

    @property
    def vendor_analytics(self) -> analytics_uc.ShowVendorAnalytics:
        return analytics_uc.ShowVendorAnalytics(
            uow=self._uow(read_only=True),
            low_stock_threshold=self.settings.low_stock_threshold,
        )

    # --- maintenance (production helper) -----------------------------------------------------

    @property
    def prune(self) -> maintenance.Prune:
        return maintenance.Prune(uow=self._uow(), clock=self.clock)
