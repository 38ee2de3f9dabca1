"""Helpers for the cart and order unit tests (no tests here)."""

from __future__ import annotations

import itertools
from decimal import Decimal

from shopcore.domain.catalog import Category, Product
from shopcore.domain.orders import Order, PaymentMethod, ShippingAddress
from shopcore.domain.users import Principal
from shopcore.use_cases.orders import OrderItem, PlaceOrderCommand
from tests.unit.conftest import Harness, make_harness

SHIPPING = ShippingAddress("Ann Lee", "+91 98765 43210", "1 Main St", "Pune", "411001", "IN")
_numbers = itertools.count(1)


def fresh_harness() -> Harness:
    """What the ``harness`` fixture gives, for tests (hypothesis) that need many."""
    return make_harness()


def add_product(
    h: Harness, vendor: Principal, slug: str | None = None, *, price: str = "10.00",
    discount: str | None = None, stock: int = 10, active: bool = True,
) -> Product:  # fmt: skip
    now = h.clock.now()
    slug = slug or f"product-{next(_numbers)}"
    with h.uow() as uow:
        category = Category("Things", f"things-{next(_numbers)}", now)
        uow.categories.add(category)
        assert category.id is not None
        product = Product(
            vendor.user_id, category.id, slug.replace("-", " ").title(), slug, "", Decimal(price),
            stock, now, now, discount_price=None if discount is None else Decimal(discount),
            is_active=active,
        )  # fmt: skip
        uow.products.add(product)
        uow.commit()
    return product


def command(
    *items: tuple[str, int], key: str | None = None, method: str = "card",
    shipping: ShippingAddress = SHIPPING, from_cart: bool = False,
) -> PlaceOrderCommand:  # fmt: skip
    lines = None if from_cart else tuple(OrderItem(slug, qty) for slug, qty in items)
    return PlaceOrderCommand(shipping, PaymentMethod(method), lines, key)


def place(h: Harness, who: Principal, *items: tuple[str, int], **options: object) -> Order:
    return h.shop.place_order.execute(who, command(*items, **options))  # type: ignore[arg-type]


def stock_of(h: Harness, product: Product) -> int:
    return int(h.store.tables["products"][product.id].stock)


def stored_orders(h: Harness) -> list[Order]:
    return list(h.store.tables["orders"].values())


def set_price(h: Harness, product: Product, price: str, *, active: bool = True) -> None:
    with h.uow() as uow:
        stored = uow.products.get(product.id or 0)
        assert stored is not None
        stored.set_pricing(Decimal(price), None)
        stored.is_active = active
        uow.products.save(stored)
        uow.commit()
