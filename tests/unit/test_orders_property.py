"""Property: whatever the orders and cancels, no unit of stock appears or disappears."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from shopcore.domain.errors import IllegalTransition, OutOfStock, ShopError
from shopcore.domain.orders import OrderStatus
from shopcore.use_cases.order_management import StatusChangeCommand
from tests.unit.orders_helpers import add_product, fresh_harness, place, stock_of

INITIAL = (5, 3, 8)

place_op = st.tuples(
    st.just("place"),
    st.lists(st.tuples(st.integers(0, 2), st.integers(1, 6)), min_size=1, max_size=3),
    st.integers(0, 1),  # which buyer
)
cancel_op = st.tuples(st.just("cancel"), st.integers(0, 30), st.booleans())  # order, as admin
confirm_op = st.tuples(st.just("confirm"), st.integers(0, 30), st.just(None))
operations = st.lists(st.one_of(place_op, cancel_op, confirm_op), max_size=25)


@settings(max_examples=60, deadline=None)
@given(operations)
def test_stock_plus_units_in_live_orders_is_constant_and_never_negative(ops):
    h = fresh_harness()
    vendor = h.register("vendor@example.com", "vendor")
    buyers = [h.register("ann@example.com"), h.register("bob@example.com")]
    admin = h.admin()
    products = [add_product(h, vendor, f"p{i}", stock=s) for i, s in enumerate(INITIAL)]
    numbers: list[tuple[str, int]] = []

    for kind, arg, extra in ops:
        try:
            if kind == "place":
                buyer = buyers[extra]
                items = [(products[i].slug, qty) for i, qty in arg]
                numbers.append((place(h, buyer, *items).order_number, extra))
            elif numbers:
                number, owner = numbers[arg % len(numbers)]
                if kind == "cancel":
                    h.shop.cancel_order.execute(admin if extra else buyers[owner], number)
                else:
                    cmd = StatusChangeCommand(status=OrderStatus.CONFIRMED)
                    h.shop.change_order_status.execute(admin, number, cmd)
        except (OutOfStock, IllegalTransition):
            pass
        except ShopError as error:  # any other refusal would be a bug in the generator
            raise AssertionError(error) from error
        _check_invariant(h, products)


def _check_invariant(h, products):
    live = [o for o in h.store.tables["orders"].values() if o.status != "cancelled"]
    for product, initial in zip(products, INITIAL, strict=True):
        held = sum(line.quantity for o in live for line in o.lines if line.product_id == product.id)
        assert stock_of(h, product) >= 0
        assert stock_of(h, product) + held == initial
