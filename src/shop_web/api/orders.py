"""Orders: placing, reading, cancelling, admin status changes, and the vendor's view."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from shop_web.api.base import (
    Blueprint,
    current_principal,
    envelope,
    page_window,
    stacked,
    use_cases,
)
from shop_web.schemas import orders as s
from shopcore.domain.orders import OrderStatus, PaymentMethod, PaymentStatus, ShippingAddress
from shopcore.domain.values import Role
from shopcore.use_cases.order_management import StatusChangeCommand
from shopcore.use_cases.orders import OrderItem, PlaceOrderCommand

blp = Blueprint("orders", __name__, url_prefix="/api/orders", description="Orders.")
vendor_blp = Blueprint(
    "vendor_orders",
    __name__,
    url_prefix="/api/vendor/orders",
    description="Orders holding a vendor's products.",
)

PLACE_SUMMARY = "Place an order from `items`, or from the cart when `items` is left out"
PLACE_DOC = """\
Every line is checked against live stock and all lines are placed together or none is: a short
product is 409 with `errors` keyed `items.<index>.quantity`. An unknown or inactive product is
422 with `errors` keyed `items.<index>.product`. Each line keeps the product's name and price of
this moment. Send `Idempotency-Key` to make retries safe. 503 (with Retry-After) means the
database stayed too busy after several retries: nothing was ordered, try again.
"""


def _status(args: dict[str, Any]) -> OrderStatus | None:
    return OrderStatus(args["status"]) if "status" in args else None


def place_order(data: dict[str, Any], headers: dict[str, Any]) -> Any:
    items = data.get("items")
    cmd = PlaceOrderCommand(
        shipping=ShippingAddress(**data["shipping"]),
        payment_method=PaymentMethod(data["payment_method"]),
        items=None if items is None else tuple(OrderItem(**item) for item in items),
        idempotency_key=headers.get("idempotency_key"),
    )
    return use_cases().place_order.execute(current_principal(), cmd)


def _documented_place(operation_id: str, **doc: Any) -> Any:
    """The decorators of both routes that place an order, each with its own operation id."""
    return stacked(
        blp.doc(summary=PLACE_SUMMARY, description=PLACE_DOC, operationId=operation_id, **doc),
        blp.authenticated(),
        blp.arguments(s.PlaceOrderSchema),
        blp.arguments(s.IdempotencyHeaderSchema, location="headers"),
        blp.response(201, s.OrderSchema),
        blp.alt_response(409, response="CONFLICT"),
        blp.alt_response(422, response="UNPROCESSABLE_ENTITY"),
        blp.alt_response(503, response="SERVICE_UNAVAILABLE"),
    )


@blp.route("/")
class Orders(MethodView):
    @blp.doc(operationId="listOrders")
    @blp.authenticated()
    @blp.arguments(s.OrderQuerySchema, location="query")
    @blp.response(200, s.OrderPageSchema)
    def get(self, args: dict[str, Any]) -> Any:
        """Own orders, newest first (admins: everyone's), optionally of one status"""
        offset, limit = page_window(args)
        page = use_cases().list_orders.execute(current_principal(), _status(args), offset, limit)
        return envelope(page.items, page.total, offset, limit)

    @_documented_place("placeOrder")
    def post(self, data: dict[str, Any], headers: dict[str, Any]) -> Any:
        """Place an order (documented by PLACE_SUMMARY and PLACE_DOC)"""
        return place_order(data, headers)


@blp.route("/create/")
class OrdersCreate(MethodView):
    @_documented_place("placeOrderAlias", deprecated=True)
    def post(self, data: dict[str, Any], headers: dict[str, Any]) -> Any:
        """Place an order (documented by PLACE_SUMMARY and PLACE_DOC)"""
        return place_order(data, headers)


@blp.route("/<string:order_number>/")
class OrderDetail(MethodView):
    @blp.doc(operationId="getOrder")
    @blp.authenticated()
    @blp.response(200, s.OrderSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, order_number: str) -> Any:
        """One order (someone else's order is 404)"""
        return use_cases().get_order.execute(current_principal(), order_number)


@blp.route("/<string:order_number>/cancel/")
class CancelOrder(MethodView):
    @blp.doc(operationId="cancelOrder")
    @blp.authenticated()
    @blp.response(200, s.OrderSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def post(self, order_number: str) -> Any:
        """Cancel an order: the owner while pending, an admin while pending or confirmed

        The stock goes back (once, even if two cancels race: the second is 409); a paid order
        becomes refunded. Any other state (an owner's confirmed order, anything shipped,
        delivered or cancelled) is 409; someone else's order is 404.
        """
        return use_cases().cancel_order.execute(current_principal(), order_number)


@blp.route("/<string:order_number>/status/")
class OrderStatusView(MethodView):
    @blp.doc(operationId="changeOrderStatus")
    @blp.authenticated(Role.ADMIN)
    @blp.arguments(s.StatusChangeSchema)
    @blp.response(200, s.OrderSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def patch(self, data: dict[str, Any], order_number: str) -> Any:
        """Move an order along the status machine (admins)

        `pending -> confirmed -> shipped -> delivered`, `pending | confirmed -> cancelled`;
        payment `unpaid -> paid -> refunded`. A cod order becomes paid when delivered;
        cancelling puts the stock back and refunds a paid order. Anything else is 409.
        """
        payment = data.get("payment_status")
        cmd = StatusChangeCommand(
            status=_status(data), payment_status=PaymentStatus(payment) if payment else None
        )
        return use_cases().change_order_status.execute(current_principal(), order_number, cmd)


@vendor_blp.route("/")
class VendorOrders(MethodView):
    @vendor_blp.doc(operationId="listVendorOrders")
    @vendor_blp.authenticated(Role.VENDOR, Role.ADMIN)
    @vendor_blp.arguments(s.OrderQuerySchema, location="query")
    @vendor_blp.response(200, s.OrderPageSchema)
    def get(self, args: dict[str, Any]) -> Any:
        """Orders holding the caller's products, newest first

        A vendor sees only its own lines, and `subtotal`/`total` add up those lines alone
        (`shipping_cost` is 0.00 there). Admins see every order with every line.
        """
        offset, limit = page_window(args)
        page = use_cases().list_vendor_orders.execute(
            current_principal(), _status(args), offset, limit
        )
        return envelope(page.items, page.total, offset, limit)
