"""Vendor analytics."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from shop_web.api.base import Blueprint, current_principal, use_cases
from shop_web.schemas import analytics as s
from shopcore.domain.values import Role
from shopcore.use_cases.analytics import AnalyticsQuery

blp = Blueprint(
    "analytics", __name__, url_prefix="/api/vendor/analytics",
    description="Sales, stock and rating figures of a vendor.",
)  # fmt: skip


@blp.route("/")
class VendorAnalytics(MethodView):
    @blp.doc(operationId="getVendorAnalytics")
    @blp.authenticated(Role.VENDOR, Role.ADMIN)
    @blp.arguments(s.AnalyticsQuerySchema, location="query")
    @blp.response(200, s.VendorAnalyticsSchema)
    @blp.alt_response(404, response="NOT_FOUND", description="No vendor with that id")
    def get(self, args: dict[str, Any]) -> Any:
        """A vendor's products, sales, revenue, rating, low stock and best sellers

        Vendors get their own figures; admins must name the vendor with `?vendor=<user id>`.
        Sales (units_sold, revenue, order_count, top_products) count every order line of the
        vendor whose order is not cancelled: pending, confirmed, shipped and delivered orders
        all count as sold. `from` and `to` (inclusive; a date means the whole day in UTC)
        restrict sales to orders placed in that period; product counts, low_stock and
        rating_avg are always current.
        """
        query = AnalyticsQuery(args.get("vendor"), args.get("start"), args.get("end"))
        return use_cases().vendor_analytics.execute(current_principal(), query)
