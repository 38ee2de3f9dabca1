"""Repositories for carts, orders and idempotency keys."""

from __future__ import annotations

import abc


class CartRepository(abc.ABC):
    """A user's cart lines."""


class OrderRepository(abc.ABC):
    """Orders with their lines and history."""


class IdempotencyRepository(abc.ABC):
    """Idempotency keys of order placement, per user."""
