"""Repository for product reviews."""

from __future__ import annotations

import abc


class ReviewRepository(abc.ABC):
    """Reviews of products by users."""
