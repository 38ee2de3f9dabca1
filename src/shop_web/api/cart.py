"""The caller's cart."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from shop_web.api.base import Blueprint, current_principal, use_cases
from shop_web.schemas import orders as s

blp = Blueprint(
    "cart",
    __name__,
    url_prefix="/api/cart",
    description="A persistent cart per user, at current prices (an order freezes them).",
)


@blp.route("/")
class CartView(MethodView):
    @blp.doc(operationId="getCart")
    @blp.authenticated()
    @blp.response(200, s.CartSchema)
    def get(self) -> Any:
        """Own cart with current prices and totals"""
        return use_cases().get_cart.execute(current_principal())

    @blp.doc(operationId="clearCart")
    @blp.authenticated()
    @blp.response(204)
    def delete(self) -> None:
        """Empty the cart"""
        use_cases().clear_cart.execute(current_principal())


@blp.route("/items/")
class CartItems(MethodView):
    @blp.doc(operationId="addCartItem")
    @blp.authenticated()
    @blp.arguments(s.CartAddSchema)
    @blp.response(201, s.CartSchema)
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def post(self, data: dict[str, Any]) -> Any:
        """Add a product; adding one already in the cart adds to its quantity (at most 1000)

        An unknown or inactive product is 422 with `errors.product`. Stock is checked when
        ordering, not here.
        """
        return use_cases().add_to_cart.execute(
            current_principal(), data["product"], data["quantity"]
        )


@blp.route("/items/<string:slug>/")
class CartItem(MethodView):
    @blp.doc(operationId="setCartItemQuantity")
    @blp.authenticated()
    @blp.arguments(s.CartQuantitySchema)
    @blp.response(200, s.CartSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def patch(self, data: dict[str, Any], slug: str) -> Any:
        """Set the quantity of a product in the cart; 0 removes it"""
        return use_cases().set_cart_quantity.execute(current_principal(), slug, data["quantity"])

    @blp.doc(operationId="removeCartItem")
    @blp.authenticated()
    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND")
    def delete(self, slug: str) -> None:
        """Remove a product from the cart"""
        use_cases().remove_from_cart.execute(current_principal(), slug)
