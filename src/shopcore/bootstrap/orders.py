"""The cart, placing orders and managing them."""

from __future__ import annotations

from shopcore.bootstrap.wiring import Wiring
from shopcore.use_cases import cart, order_management, orders


class OrderUseCases(Wiring):
    """The cart, placing orders and managing them."""

    @property
    def get_cart(self) -> cart.GetCart:
        return cart.GetCart(uow=self._uow(read_only=True))

    @property
    def add_to_cart(self) -> cart.AddToCart:
        return cart.AddToCart(uow=self._uow(), clock=self.clock)

    @property
    def set_cart_quantity(self) -> cart.SetCartQuantity:
        return cart.SetCartQuantity(uow=self._uow())

    @property
    def remove_from_cart(self) -> cart.RemoveFromCart:
        return cart.RemoveFromCart(uow=self._uow())

    @property
    def clear_cart(self) -> cart.ClearCart:
        return cart.ClearCart(uow=self._uow())

    @property
    def place_order(self) -> orders.PlaceOrder:
        return orders.PlaceOrder(uow=self._uow(), clock=self.clock, ids=self.ids)

    @property
    def get_order(self) -> order_management.GetOrder:
        return order_management.GetOrder(uow=self._uow(read_only=True))

    @property
    def list_orders(self) -> order_management.ListOrders:
        return order_management.ListOrders(uow=self._uow(read_only=True))

    @property
    def list_vendor_orders(self) -> order_management.ListVendorOrders:
        return order_management.ListVendorOrders(uow=self._uow(read_only=True))

    @property
    def cancel_order(self) -> order_management.CancelOrder:
        return order_management.CancelOrder(uow=self._uow(), clock=self.clock)

    @property
    def change_order_status(self) -> order_management.ChangeOrderStatus:
        return order_management.ChangeOrderStatus(uow=self._uow(), clock=self.clock)
