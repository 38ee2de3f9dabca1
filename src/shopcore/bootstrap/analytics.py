"""A vendor's sales figures."""

from __future__ import annotations

from shopcore.bootstrap.wiring import Wiring
from shopcore.use_cases import analytics as analytics_uc


class AnalyticsUseCases(Wiring):
    """A vendor's sales figures (an admin may name any vendor)."""

    @property
    def vendor_analytics(self) -> analytics_uc.ShowVendorAnalytics:
        return analytics_uc.ShowVendorAnalytics(
            uow=self._uow(read_only=True),
            low_stock_threshold=self.settings.low_stock_threshold,
        )
