"""Placing an order: live stock, all lines or none, frozen prices, idempotent retries.

Reads, cancelling and status changes are in ``order_management``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import datetime

from shopcore.domain.catalog import Product, can_take
from shopcore.domain.errors import (
    EmptyOrder,
    IdempotencyKeyReused,
    OutOfStock,
    RuleViolation,
    ServiceBusy,
)
from shopcore.domain.orders import (
    MAX_LINE_QUANTITY,
    Actor,
    Order,
    OrderLine,
    PaymentMethod,
    ShippingAddress,
    valid_quantity,
)
from shopcore.domain.users import Principal
from shopcore.ports.orders import IdempotencyRecord
from shopcore.ports.security import Clock, IdGenerator
from shopcore.ports.unit_of_work import TransientConflict, UnitOfWork

MAX_ORDER_LINES = 100
IDEMPOTENCY_KEY_MAX = 255


def acting_user(uow: UnitOfWork, principal: Principal) -> Actor:
    """Who an order's history records as making a change: the caller, with their name now."""
    user = uow.users.get(principal.user_id)
    return Actor(principal.user_id, user.full_name if user else "")


@dataclass(frozen=True)
class OrderItem:
    product: str  # slug
    quantity: int


@dataclass(frozen=True)
class PlaceOrderCommand:
    shipping: ShippingAddress
    payment_method: PaymentMethod
    items: tuple[OrderItem, ...] | None = None  # None: order the cart (and empty it)
    idempotency_key: str | None = None

    def fingerprint(self) -> str:
        """sha256 of the canonical JSON of the request (the key itself left out)."""
        body = {
            "items": None if self.items is None else [asdict(item) for item in self.items],
            "shipping": asdict(self.shipping),
            "payment_method": str(self.payment_method),
        }
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class _Wanted:
    """One line of the request: where it came from (for error keys), what, and how many."""

    index: int
    slug: str
    quantity: int
    product: Product | None


class PlaceOrder:
    """Places an order from explicit items or from the cart.

    Everything happens in one transaction: the idempotency key is claimed first (a concurrent
    twin waits on it, then answers the winner's order), stock is taken line by line in
    ascending product id order, and any failure rolls every line back.
    """

    def __init__(self, *, uow: UnitOfWork, clock: Clock, ids: IdGenerator):
        self.uow, self.clock, self.ids = uow, clock, ids

    def execute(self, principal: Principal, cmd: PlaceOrderCommand) -> Order:
        _check_key(cmd.idempotency_key)
        with self.uow as uow:
            if cmd.items is None:  # first, before any read: two checkouts of one cart queue
                uow.carts.lock(principal.user_id)
            if cmd.idempotency_key is not None:
                record = uow.idempotency.get(principal.user_id, cmd.idempotency_key)
                if record is not None:
                    return _replay(uow, record, cmd)
            order = self._place(uow, principal, cmd)
            if order is None:
                # A concurrent request with the same key won the claim and has committed by
                # now: the retry policy looks again in a fresh transaction (and snapshot),
                # which answers the winner's order.
                raise TransientConflict("The Idempotency-Key was claimed concurrently.")
            uow.commit()
            return order

    def _place(self, uow: UnitOfWork, principal: Principal, cmd: PlaceOrderCommand) -> Order | None:
        now = self.clock.now()
        number = _new_number(uow, self.ids, now)
        if cmd.idempotency_key is not None:
            record = IdempotencyRecord(
                principal.user_id, cmd.idempotency_key, cmd.fingerprint(), number, now
            )
            if not uow.idempotency.claim(record):
                return None
        wanted = _wanted(uow, principal.user_id, cmd.items)
        _take_stock(uow, wanted)
        actor = acting_user(uow, principal)
        lines = [_freeze(w) for w in wanted]
        order = Order.place(
            order_number=number, user_id=principal.user_id, lines=lines, shipping=cmd.shipping,
            payment_method=cmd.payment_method, by=actor, at=now,
        )  # fmt: skip
        uow.orders.add(order)
        if cmd.items is None:
            uow.carts.clear(principal.user_id)
        return order


def _check_key(key: str | None) -> None:
    if key is not None and not 1 <= len(key) <= IDEMPOTENCY_KEY_MAX:
        message = f"Must be 1 to {IDEMPOTENCY_KEY_MAX} characters."
        raise RuleViolation("Invalid Idempotency-Key.", errors={"Idempotency-Key": [message]})


def _replay(uow: UnitOfWork, record: IdempotencyRecord, cmd: PlaceOrderCommand) -> Order:
    if record.request_hash != cmd.fingerprint():
        raise IdempotencyKeyReused()
    order = uow.orders.get_by_number(record.order_number)
    if order is None:  # keys and orders are written in one transaction
        raise ServiceBusy()
    return order


def _new_number(uow: UnitOfWork, ids: IdGenerator, now: datetime) -> str:
    for _ in range(5):
        number = ids.order_number(now)
        if not uow.orders.number_taken(number):
            return number
    raise ServiceBusy()


def _wanted(uow: UnitOfWork, user_id: int, items: tuple[OrderItem, ...] | None) -> list[_Wanted]:
    """The requested lines (or the cart's), each checked, repeats of a product added up."""
    if items is None:
        raw = [_Wanted(i, c.product.slug, c.quantity, c.product)
               for i, c in enumerate(uow.carts.items(user_id))]  # fmt: skip
    else:
        raw = [_Wanted(i, it.product, it.quantity, uow.products.get_by_slug(it.product))
               for i, it in enumerate(items)]  # fmt: skip
    if not raw:
        raise EmptyOrder(errors={"items": ["The order has no items (and the cart is empty)."]})
    if len(raw) > MAX_ORDER_LINES:
        raise RuleViolation(errors={"items": [f"At most {MAX_ORDER_LINES} lines per order."]})
    return _merged(raw)


def _merged(raw: list[_Wanted]) -> list[_Wanted]:
    """One line per product, at the index of its first mention (errors name the line)."""
    merged: dict[str, _Wanted] = {}
    errors: dict[str, list[str]] = {}
    for w in raw:
        if w.product is None or not w.product.is_active:
            errors[f"items.{w.index}.product"] = [f"No product {w.slug!r} is for sale."]
        if not valid_quantity(w.quantity):
            errors[f"items.{w.index}.quantity"] = [_QUANTITY_RULE]
        elif w.slug in merged:
            first = merged[w.slug]
            merged[w.slug] = _Wanted(first.index, w.slug, first.quantity + w.quantity, w.product)
            if merged[w.slug].quantity > MAX_LINE_QUANTITY:
                errors[f"items.{w.index}.quantity"] = [_QUANTITY_RULE + " Repeats add up."]
        else:
            merged[w.slug] = w
    if errors:
        raise RuleViolation("Some items cannot be ordered.", errors=errors)
    return list(merged.values())


_QUANTITY_RULE = f"Must be a whole number from 1 to {MAX_LINE_QUANTITY}."


def _take_stock(uow: UnitOfWork, wanted: list[_Wanted]) -> None:
    """Take every line's units in ascending product id order (a fixed lock order: two orders
    over the same products cannot deadlock); report every short line, then roll back."""
    short: dict[str, list[str]] = {}
    names: list[str] = []
    for w in sorted(wanted, key=lambda w: w.product.id or 0 if w.product else 0):
        assert w.product is not None and w.product.id is not None
        if not uow.stock.take(w.product.id, w.quantity):
            left = uow.stock.level(w.product.id)
            if can_take(left, w.quantity):  # units came back meanwhile (a cancel): run again
                raise TransientConflict("The stock changed while the order was placed.")
            short[f"items.{w.index}.quantity"] = [f"Only {left} left of {w.product.name!r}."]
            names.append(f"{w.product.name!r} ({left} left, {w.quantity} wanted)")
    if short:
        raise OutOfStock(f"Not enough stock for {', '.join(names)}.", errors=short)


def _freeze(w: _Wanted) -> OrderLine:
    product = w.product
    assert product is not None and product.id is not None
    return OrderLine(
        product_id=product.id, vendor_id=product.vendor_id, product_slug=product.slug,
        product_name=product.name, unit_price=product.final_price, quantity=w.quantity,
    )  # fmt: skip
