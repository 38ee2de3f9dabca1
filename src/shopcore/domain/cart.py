"""The cart: what a user means to buy, shown at current prices (an order freezes them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from shopcore.domain.catalog import Product
from shopcore.domain.errors import RuleViolation
from shopcore.domain.orders import MAX_LINE_QUANTITY, check_quantity
from shopcore.domain.values import money


@dataclass
class CartLine:
    user_id: int
    product_id: int
    quantity: int
    added_at: datetime

    def add(self, quantity: int) -> None:
        """Merge another add of the same product; the total stays within the line maximum."""
        check_quantity(quantity)
        if self.quantity + quantity > MAX_LINE_QUANTITY:
            message = (
                f"The cart already holds {self.quantity} of this product; at most "
                f"{MAX_LINE_QUANTITY} of one product fit in an order."
            )
            raise RuleViolation(message, errors={"quantity": [message]})
        self.quantity += quantity


@dataclass(frozen=True)
class CartItem:
    """A cart line with its product as it is now."""

    product: Product
    quantity: int

    @property
    def line_total(self) -> Decimal:
        return money(self.product.final_price * self.quantity)


@dataclass(frozen=True)
class Cart:
    user_id: int
    items: list[CartItem]

    @property
    def total(self) -> Decimal:
        return money(sum((item.line_total for item in self.items), Decimal(0)))

    @property
    def item_count(self) -> int:
        """Units in the cart (the sum of the quantities)."""
        return sum(item.quantity for item in self.items)
