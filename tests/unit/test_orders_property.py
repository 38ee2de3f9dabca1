"""Property: whatever the orders and cancels, no unit of stock appears or disappears, and each
operation succeeds or is refused exactly as a simple model of stock and statuses predicts."""

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
    model = _Model(list(INITIAL))

    for kind, arg, extra in ops:
        expected = model.predict(kind, arg, extra)
        try:
            if kind == "place":
                items = [(products[i].slug, qty) for i, qty in arg]
                model.placed(place(h, buyers[extra], *items).order_number, extra)
            elif model.orders:
                number, owner = model.orders[arg % len(model.orders)]
                if kind == "cancel":
                    h.shop.cancel_order.execute(admin if extra else buyers[owner], number)
                else:
                    cmd = StatusChangeCommand(status=OrderStatus.CONFIRMED)
                    h.shop.change_order_status.execute(admin, number, cmd)
            outcome = "done"
        except (OutOfStock, IllegalTransition) as refused:
            outcome = type(refused).__name__
        except ShopError as error:  # any other refusal would be a bug in the generator
            raise AssertionError(error) from error
        assert outcome == expected, (kind, arg, extra)
        model.apply(kind, arg, extra, outcome)
        _check_invariant(h, products)
        assert [stock_of(h, p) for p in products] == model.stock


class _Model:
    """What each operation must do: an order succeeds exactly when every product has the units,
    a cancel exactly when the status allows it (owners: pending; admins: pending or confirmed),
    a confirmation exactly when the order is pending."""

    def __init__(self, stock: list[int]) -> None:
        self.stock = stock
        self.orders: list[tuple[str, int]] = []
        self.status: dict[str, str] = {}
        self.held: dict[str, dict[int, int]] = {}
        self._wanted: dict[int, int] = {}

    def predict(self, kind, arg, extra) -> str:
        if kind == "place":
            self._wanted = {}
            for i, qty in arg:
                self._wanted[i] = self._wanted.get(i, 0) + qty
            short = any(qty > self.stock[i] for i, qty in self._wanted.items())
            return "OutOfStock" if short else "done"
        if not self.orders:
            return "done"
        status = self.status[self.orders[arg % len(self.orders)][0]]
        if kind == "cancel":
            allowed = ("pending", "confirmed") if extra else ("pending",)
        else:
            allowed = ("pending",)
        return "done" if status in allowed else "IllegalTransition"

    def placed(self, number: str, owner: int) -> None:
        self.orders.append((number, owner))
        self.status[number] = "pending"
        self.held[number] = dict(self._wanted)

    def apply(self, kind, arg, extra, outcome) -> None:
        if outcome != "done":
            return
        if kind == "place":
            for i, qty in self._wanted.items():
                self.stock[i] -= qty
        elif self.orders:
            number = self.orders[arg % len(self.orders)][0]
            if kind == "cancel":
                self.status[number] = "cancelled"
                for i, qty in self.held[number].items():
                    self.stock[i] += qty
            else:
                self.status[number] = "confirmed"


def _check_invariant(h, products):
    live = [o for o in h.store.tables["orders"].values() if o.status != "cancelled"]
    for product, initial in zip(products, INITIAL, strict=True):
        held = sum(line.quantity for o in live for line in o.lines if line.product_id == product.id)
        assert stock_of(h, product) >= 0
        assert stock_of(h, product) + held == initial
