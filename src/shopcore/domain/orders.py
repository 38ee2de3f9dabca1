"""Orders: frozen lines, shipping, totals and the status machine.

An order copies what it sold (product name, slug, vendor and unit price) at the moment it was
placed, so later catalog changes never rewrite history. Every change of status or payment status
is kept as a ``StatusChange``, creation included.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal

from shopcore.domain.errors import EmptyOrder, IllegalTransition, RuleViolation
from shopcore.domain.order_status import (
    ADMIN_CANCELLABLE,
    NEXT_PAYMENT,
    NEXT_STATUS,
    OWNER_CANCELLABLE,
    OrderStatus,
    PaymentMethod,
    PaymentStatus,
)
from shopcore.domain.values import money

__all__ = [
    "ADMIN_CANCELLABLE", "FLAT_SHIPPING", "FREE_SHIPPING_FROM", "MAX_LINE_QUANTITY",
    "NEXT_PAYMENT", "NEXT_STATUS", "OWNER_CANCELLABLE", "Actor", "Order", "OrderLine",
    "OrderStatus", "PaymentMethod", "PaymentStatus", "ShippingAddress", "StatusChange",
    "check_quantity", "shipping_cost_for", "valid_quantity", "ADDRESS_LIMITS",
]  # fmt: skip

MAX_LINE_QUANTITY = 1000
FREE_SHIPPING_FROM = Decimal("50.00")  # subtotals from here on ship free
FLAT_SHIPPING = Decimal("5.00")  # otherwise one flat rate per order


def valid_quantity(quantity: object) -> bool:
    """A line quantity is an integer from 1 to MAX_LINE_QUANTITY (booleans are not integers)."""
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        return False
    return 1 <= quantity <= MAX_LINE_QUANTITY


def check_quantity(quantity: object, field_name: str = "quantity") -> int:
    if not valid_quantity(quantity):
        message = f"Must be a whole number from 1 to {MAX_LINE_QUANTITY}."
        raise RuleViolation(f"Invalid quantity: {message}", errors={field_name: [message]})
    assert isinstance(quantity, int)
    return quantity


def shipping_cost_for(subtotal: Decimal) -> Decimal:
    """Free shipping from FREE_SHIPPING_FROM on; a flat rate below it."""
    return money(0) if subtotal >= FREE_SHIPPING_FROM else money(FLAT_SHIPPING)


_REQUIRED_ADDRESS = ("full_name", "phone", "address_line1", "city", "postal_code", "country")
ADDRESS_LIMITS = {
    "full_name": 200, "phone": 32, "address_line1": 255, "address_line2": 255, "city": 100,
    "state": 100, "postal_code": 20, "country": 100,
}  # fmt: skip


@dataclass(frozen=True)
class ShippingAddress:
    full_name: str
    phone: str
    address_line1: str
    city: str
    postal_code: str
    country: str
    address_line2: str = ""
    state: str = ""

    def __post_init__(self) -> None:
        errors: dict[str, list[str]] = {}
        for name, limit in ADDRESS_LIMITS.items():
            value = str(getattr(self, name)).strip()
            object.__setattr__(self, name, value)
            if not value and name in _REQUIRED_ADDRESS:
                errors[f"shipping.{name}"] = ["This field may not be blank."]
            elif len(value) > limit:
                errors[f"shipping.{name}"] = [f"At most {limit} characters."]
        if errors:
            raise RuleViolation("The shipping address is not valid.", errors=errors)


@dataclass
class OrderLine:
    """One product of an order, frozen at the moment of ordering.

    ``line_total`` is always ``unit_price * quantity`` rounded to the cent; it is computed here,
    whatever is passed in.
    """

    product_id: int
    vendor_id: int
    product_slug: str
    product_name: str
    unit_price: Decimal
    quantity: int
    line_total: Decimal = field(default=Decimal("0.00"))

    def __post_init__(self) -> None:
        check_quantity(self.quantity)
        self.unit_price = money(self.unit_price)
        self.line_total = money(self.unit_price * self.quantity)


@dataclass(frozen=True)
class Actor:
    """Who changed an order: the id may vanish with the account, the name is kept."""

    id: int | None
    name: str


@dataclass(frozen=True)
class StatusChange:
    status: OrderStatus
    payment_status: PaymentStatus
    by: Actor
    at: datetime


@dataclass
class Order:
    order_number: str
    user_id: int
    payment_method: PaymentMethod
    shipping: ShippingAddress
    created_at: datetime
    updated_at: datetime
    lines: list[OrderLine] = field(default_factory=list)
    status: OrderStatus = OrderStatus.PENDING
    payment_status: PaymentStatus = PaymentStatus.UNPAID
    subtotal: Decimal = field(default=Decimal("0.00"))
    shipping_cost: Decimal = field(default=Decimal("0.00"))
    total: Decimal = field(default=Decimal("0.00"))
    history: list[StatusChange] = field(default_factory=list)
    id: int | None = None

    @classmethod
    def place(
        cls,
        *,
        order_number: str,
        user_id: int,
        lines: list[OrderLine],
        shipping: ShippingAddress,
        payment_method: PaymentMethod,
        by: Actor,
        at: datetime,
    ) -> Order:
        """A new pending, unpaid order; totals add up exactly; creation opens the history."""
        if not lines:
            raise EmptyOrder()
        subtotal = money(sum((line.line_total for line in lines), Decimal(0)))
        shipping_cost = shipping_cost_for(subtotal)
        order = cls(
            order_number, user_id, PaymentMethod(payment_method), shipping, at, at, list(lines),
            subtotal=subtotal, shipping_cost=shipping_cost, total=subtotal + shipping_cost,
        )  # fmt: skip
        order._record(by, at)
        return order

    def is_owned_by(self, user_id: int) -> bool:
        return self.user_id == user_id

    def cancel(self, by: Actor, at: datetime, *, as_admin: bool) -> None:
        """Owners cancel pending orders; admins pending or confirmed ones. A paid order is
        refunded."""
        allowed = ADMIN_CANCELLABLE if as_admin else OWNER_CANCELLABLE
        if self.status not in allowed:
            raise IllegalTransition(f"A {self.status} order cannot be cancelled.")
        self.change(by, at, status=OrderStatus.CANCELLED)

    def change(
        self,
        by: Actor,
        at: datetime,
        *,
        status: OrderStatus | None = None,
        payment_status: PaymentStatus | None = None,
    ) -> None:
        """Apply an admin's change: the payment first, then the status, then their consequences
        (cod is paid on delivery, cancelling a paid order refunds it). One history entry."""
        if status is None and payment_status is None:
            raise RuleViolation("Give a status, a payment_status or both.")
        if payment_status is not None:
            self._check_payment(PaymentStatus(payment_status))
        if status is not None:
            self._check_status(OrderStatus(status))
        if payment_status is not None:
            self.payment_status = PaymentStatus(payment_status)
        if status is not None:
            self.status = OrderStatus(status)
            self._apply_consequences()
        self.updated_at = at
        self._record(by, at)

    def _check_status(self, target: OrderStatus) -> None:
        if target not in NEXT_STATUS[self.status]:
            raise IllegalTransition(
                f"An order cannot go from {self.status} to {target}.",
                errors={"status": [f"Not allowed from {self.status}."]},
            )

    def _check_payment(self, target: PaymentStatus) -> None:
        if self.status is OrderStatus.CANCELLED or target not in NEXT_PAYMENT[self.payment_status]:
            raise IllegalTransition(
                f"The payment of a {self.status} order cannot go from {self.payment_status} "
                f"to {target}.",
                errors={"payment_status": [f"Not allowed from {self.payment_status}."]},
            )

    def _apply_consequences(self) -> None:
        paid = self.payment_status is PaymentStatus.PAID
        if self.status is OrderStatus.CANCELLED and paid:
            self.payment_status = PaymentStatus.REFUNDED
        elif self.status is OrderStatus.DELIVERED and self.payment_method is PaymentMethod.COD:
            if self.payment_status is PaymentStatus.UNPAID:
                self.payment_status = PaymentStatus.PAID

    def _record(self, by: Actor, at: datetime) -> None:
        self.history.append(StatusChange(self.status, self.payment_status, by, at))

    def for_vendor(self, vendor_id: int) -> Order:
        """The part of this order a vendor sees: only its own lines, totalled without shipping."""
        lines = [line for line in self.lines if line.vendor_id == vendor_id]
        subtotal = money(sum((line.line_total for line in lines), Decimal(0)))
        return replace(self, lines=lines, subtotal=subtotal, shipping_cost=money(0), total=subtotal)
