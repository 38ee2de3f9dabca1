"""Repositories for carts, orders, idempotency keys and stock levels. None of them commits."""

from __future__ import annotations

import abc
from dataclasses import dataclass
from datetime import datetime

from shopcore.domain.cart import CartItem, CartLine
from shopcore.domain.orders import Order, OrderStatus, PaymentStatus


class CartRepository(abc.ABC):
    """A user's cart lines, one per product."""

    @abc.abstractmethod
    def items(self, user_id: int) -> list[CartItem]:
        """Every line with its product's current data, oldest first, in one look-up."""

    @abc.abstractmethod
    def get(self, user_id: int, product_id: int) -> CartLine | None:
        """One line, locked until the unit ends, so concurrent adds of a product serialize."""

    @abc.abstractmethod
    def lock(self, user_id: int) -> None:
        """Lock the user's whole cart until the unit ends; called first in the unit, before
        any read, so that the unit reads the cart as every earlier checkout or change left it
        and a concurrent checkout or change of it waits (one cart is never ordered twice)."""

    @abc.abstractmethod
    def put(self, line: CartLine) -> None:
        """Insert the line, or replace the quantity of the existing one."""

    @abc.abstractmethod
    def remove(self, user_id: int, product_id: int) -> bool:
        """Delete one line; False when there was none."""

    @abc.abstractmethod
    def clear(self, user_id: int) -> None: ...


@dataclass(frozen=True)
class OrderFilter:
    user_id: int | None = None  # only this customer's orders; None for everyone's
    vendor_id: int | None = None  # only orders holding at least one line of this vendor
    status: OrderStatus | None = None


class OrderRepository(abc.ABC):
    """Orders with their lines and history."""

    @abc.abstractmethod
    def add(self, order: Order) -> None:
        """Insert the order, its lines and its history; set the ids."""

    @abc.abstractmethod
    def number_taken(self, order_number: str) -> bool: ...

    @abc.abstractmethod
    def get_by_number(self, order_number: str) -> Order | None: ...

    @abc.abstractmethod
    def list(self, filters: OrderFilter, offset: int, limit: int) -> tuple[list[Order], int]:
        """One page, newest first, and the total; a constant number of queries per page."""

    @abc.abstractmethod
    def save_change(self, order: Order, was: tuple[OrderStatus, PaymentStatus]) -> bool:
        """Write the order's new status, payment status, updated_at and last history entry,
        only if the stored order still has the statuses in ``was`` (checked and changed in one
        statement). False, with nothing written, when someone else changed it first."""


@dataclass(frozen=True)
class IdempotencyRecord:
    user_id: int
    key: str
    request_hash: str
    order_number: str
    created_at: datetime


class IdempotencyRepository(abc.ABC):
    """Idempotency keys of order placement, per user."""

    @abc.abstractmethod
    def get(self, user_id: int, key: str) -> IdempotencyRecord | None: ...

    @abc.abstractmethod
    def claim(self, record: IdempotencyRecord) -> bool:
        """Insert the key; False when the user already has it (a concurrent request won).

        Where the database makes a second claim wait for the first one's transaction, this
        returns only after that transaction ended.
        """

    @abc.abstractmethod
    def prune(self, before: datetime) -> int:
        """Delete keys created before ``before``; return how many."""


class StockRepository(abc.ABC):
    """Product stock levels, changed atomically: never below zero, never a lost update."""

    @abc.abstractmethod
    def take(self, product_id: int, quantity: int) -> bool:
        """Remove ``quantity`` units if that many are left; False (and no change) otherwise."""

    @abc.abstractmethod
    def put_back(self, product_id: int, quantity: int) -> None: ...

    @abc.abstractmethod
    def level(self, product_id: int) -> int:
        """The current stock, read past any snapshot (0 for an unknown product)."""
