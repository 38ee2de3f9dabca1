"""The cart: one per user, persistent, shown at current prices.

A product that is short of stock may still sit in the cart (placing the order checks live stock);
only active products can be added, and every quantity stays within 1..MAX_LINE_QUANTITY.
"""

from __future__ import annotations

from shopcore.domain.cart import Cart, CartLine
from shopcore.domain.catalog import Product
from shopcore.domain.errors import CartLineNotFound, ProductUnavailable
from shopcore.domain.orders import check_quantity
from shopcore.domain.users import Principal
from shopcore.ports.security import Clock
from shopcore.ports.unit_of_work import UnitOfWork


def _cart(uow: UnitOfWork, user_id: int) -> Cart:
    return Cart(user_id, uow.carts.items(user_id))


def _sellable(uow: UnitOfWork, slug: str) -> Product:
    product = uow.products.get_by_slug(slug)
    if product is None or not product.is_active or product.id is None:
        raise ProductUnavailable(
            f"There is no product {slug!r} for sale.", errors={"product": ["Unknown product."]}
        )
    return product


def _in_cart(uow: UnitOfWork, user_id: int, slug: str) -> CartLine:
    product = uow.products.get_by_slug(slug)
    line = None if product is None or product.id is None else uow.carts.get(user_id, product.id)
    if line is None:
        raise CartLineNotFound()
    return line


class GetCart:
    """The caller's cart with current prices and totals."""

    def __init__(self, *, uow: UnitOfWork):
        self.uow = uow

    def execute(self, principal: Principal) -> Cart:
        with self.uow as uow:
            return _cart(uow, principal.user_id)


class AddToCart:
    """Adds units of an active product; adding it again adds to the quantity already there."""

    def __init__(self, *, uow: UnitOfWork, clock: Clock):
        self.uow, self.clock = uow, clock

    def execute(self, principal: Principal, slug: str, quantity: int) -> Cart:
        check_quantity(quantity)
        with self.uow as uow:
            product = _sellable(uow, slug)
            assert product.id is not None
            line = uow.carts.get(principal.user_id, product.id)
            if line is None:
                line = CartLine(principal.user_id, product.id, quantity, self.clock.now())
            else:
                line.add(quantity)
            uow.carts.put(line)
            cart = _cart(uow, principal.user_id)
            uow.commit()
        return cart


class SetCartQuantity:
    """Sets the quantity of a product already in the cart; 0 removes it."""

    def __init__(self, *, uow: UnitOfWork):
        self.uow = uow

    def execute(self, principal: Principal, slug: str, quantity: int) -> Cart:
        if quantity != 0:
            check_quantity(quantity)
        with self.uow as uow:
            line = _in_cart(uow, principal.user_id, slug)
            if quantity == 0:
                uow.carts.remove(principal.user_id, line.product_id)
            else:
                _sellable(uow, slug)  # a product no longer sold can only be removed
                line.quantity = quantity
                uow.carts.put(line)
            cart = _cart(uow, principal.user_id)
            uow.commit()
        return cart


class RemoveFromCart:
    """Takes one product out of the cart."""

    def __init__(self, *, uow: UnitOfWork):
        self.uow = uow

    def execute(self, principal: Principal, slug: str) -> None:
        with self.uow as uow:
            line = _in_cart(uow, principal.user_id, slug)
            uow.carts.remove(principal.user_id, line.product_id)
            uow.commit()


class ClearCart:
    """Empties the cart."""

    def __init__(self, *, uow: UnitOfWork):
        self.uow = uow

    def execute(self, principal: Principal) -> None:
        with self.uow as uow:
            uow.carts.clear(principal.user_id)
            uow.commit()
