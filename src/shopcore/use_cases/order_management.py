"""Reading orders, cancelling them and moving them through the status machine.

Someone else's order is reported as not found, never as forbidden, so order numbers cannot be
probed. Status changes are compare-and-set writes: of two racing changes only one applies, so a
cancelled order puts its stock back exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass

from shopcore.domain.errors import IllegalTransition, OrderNotFound, PermissionDenied
from shopcore.domain.orders import Order, OrderStatus, PaymentStatus
from shopcore.domain.users import Principal
from shopcore.ports.orders import OrderFilter
from shopcore.ports.security import Clock
from shopcore.ports.unit_of_work import UnitOfWork
from shopcore.use_cases.common import Page
from shopcore.use_cases.orders import acting_user


def _visible_order(uow: UnitOfWork, principal: Principal, number: str) -> Order:
    order = uow.orders.get_by_number(number)
    if order is None or not (principal.is_admin or order.is_owned_by(principal.user_id)):
        raise OrderNotFound()
    return order


def _save(uow: UnitOfWork, order: Order, was: tuple[OrderStatus, PaymentStatus]) -> None:
    """Write the change if nobody changed the order meanwhile; restock on cancellation."""
    if not uow.orders.save_change(order, was):
        raise IllegalTransition(
            "The order was changed by someone else at the same time; reload it and try again."
        )
    if order.status is OrderStatus.CANCELLED and was[0] is not OrderStatus.CANCELLED:
        for line in sorted(order.lines, key=lambda line: line.product_id):
            uow.stock.put_back(line.product_id, line.quantity)


class GetOrder:
    """One order of the caller's (any order, for admins)."""

    def __init__(self, *, uow: UnitOfWork):
        self.uow = uow

    def execute(self, principal: Principal, order_number: str) -> Order:
        with self.uow as uow:
            return _visible_order(uow, principal, order_number)


class ListOrders:
    """The caller's orders, newest first; admins see everyone's."""

    def __init__(self, *, uow: UnitOfWork):
        self.uow = uow

    def execute(
        self, principal: Principal, status: OrderStatus | None, offset: int, limit: int
    ) -> Page[Order]:
        owner = None if principal.is_admin else principal.user_id
        with self.uow as uow:
            items, total = uow.orders.list(OrderFilter(user_id=owner, status=status), offset, limit)
        return Page(items, total)


class ListVendorOrders:
    """Orders holding the calling vendor's products, showing only those lines and their sum.

    Admins see every order with every line.
    """

    def __init__(self, *, uow: UnitOfWork):
        self.uow = uow

    def execute(
        self, principal: Principal, status: OrderStatus | None, offset: int, limit: int
    ) -> Page[Order]:
        if not principal.role.can_sell:
            raise PermissionDenied("Only vendors and admins see vendor orders.")
        vendor = None if principal.is_admin else principal.user_id
        with self.uow as uow:
            items, total = uow.orders.list(
                OrderFilter(vendor_id=vendor, status=status), offset, limit
            )
        if vendor is not None:
            items = [order.for_vendor(vendor) for order in items]
        return Page(items, total)


class CancelOrder:
    """The owner cancels a pending order; an admin a pending or confirmed one. Stock goes back;
    a paid order is refunded."""

    def __init__(self, *, uow: UnitOfWork, clock: Clock):
        self.uow, self.clock = uow, clock

    def execute(self, principal: Principal, order_number: str) -> Order:
        with self.uow as uow:
            order = _visible_order(uow, principal, order_number)
            was = (order.status, order.payment_status)
            order.cancel(acting_user(uow, principal), self.clock.now(), as_admin=principal.is_admin)
            _save(uow, order, was)
            uow.commit()
        return order


@dataclass(frozen=True)
class StatusChangeCommand:
    status: OrderStatus | None = None
    payment_status: PaymentStatus | None = None


class ChangeOrderStatus:
    """An admin moves an order or its payment along the status machine."""

    def __init__(self, *, uow: UnitOfWork, clock: Clock):
        self.uow, self.clock = uow, clock

    def execute(self, principal: Principal, order_number: str, cmd: StatusChangeCommand) -> Order:
        if not principal.is_admin:
            raise PermissionDenied("Only admins change the status of orders.")
        with self.uow as uow:
            order = _visible_order(uow, principal, order_number)
            was = (order.status, order.payment_status)
            order.change(
                acting_user(uow, principal), self.clock.now(),
                status=cmd.status, payment_status=cmd.payment_status,
            )  # fmt: skip
            _save(uow, order, was)
            uow.commit()
        return order
