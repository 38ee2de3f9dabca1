"""Reviews: listed with each product, written by customers who received it."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from shop_web.api.base import (
    Blueprint,
    current_principal,
    envelope,
    optional_principal,
    page_window,
    use_cases,
)
from shop_web.schemas import reviews as s
from shop_web.schemas.common import PaginationArgs, paginated
from shopcore.use_cases.reviews import ReviewChanges, ReviewInput

blp = Blueprint(
    "reviews", __name__, url_prefix="/api",
    description="Reviews by customers with a delivered order of the product.",
)  # fmt: skip


@blp.route("/products/<slug>/reviews/")
class ProductReviews(MethodView):
    @blp.doc(operationId="listProductReviews")
    @blp.optional_auth
    @blp.catalog_read
    @blp.arguments(PaginationArgs, location="query")
    @blp.response(200, paginated(s.ReviewSchema))
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, args: dict[str, Any], slug: str) -> Any:
        """List a product's reviews, newest first"""
        offset, limit = page_window(args)
        page = use_cases().list_reviews.execute(optional_principal(), slug, offset, limit)
        return envelope(page.items, page.total, offset, limit)

    @blp.doc(operationId="createReview")
    @blp.authenticated()
    @blp.arguments(s.ReviewCreateSchema)
    @blp.response(201, s.ReviewSchema)
    @blp.alt_response(403, response="FORBIDDEN", description="No delivered order of it")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT", description="Already reviewed by the caller")
    def post(self, data: dict[str, Any], slug: str) -> Any:
        """Review a product you received (once per product)

        Only a customer with a delivered order of the product may review it; vendors cannot
        review their own products. The product's rating_avg and rating_count follow at once.
        """
        return use_cases().post_review.execute(current_principal(), slug, ReviewInput(**data))


@blp.route("/reviews/<int:review_id>/")
class ReviewDetail(MethodView):
    @blp.doc(operationId="updateReview")
    @blp.authenticated()
    @blp.arguments(s.ReviewUpdateSchema)
    @blp.response(200, s.ReviewSchema)
    @blp.alt_response(403, response="FORBIDDEN", description="Neither its author nor an admin")
    @blp.alt_response(404, response="NOT_FOUND")
    def patch(self, data: dict[str, Any], review_id: int) -> Any:
        """Change a review's rating, title or comment (its author or an admin)"""
        changes = ReviewChanges(**data)
        return use_cases().edit_review.execute(current_principal(), review_id, changes)

    @blp.doc(operationId="deleteReview")
    @blp.authenticated()
    @blp.response(204)
    @blp.alt_response(403, response="FORBIDDEN", description="Neither its author nor an admin")
    @blp.alt_response(404, response="NOT_FOUND")
    def delete(self, review_id: int) -> None:
        """Delete a review (its author or an admin)"""
        use_cases().delete_review.execute(current_principal(), review_id)
