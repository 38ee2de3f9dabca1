"""The order workload of the scale-out tests and the database checks that prove no data was lost.

A workload is a set of clients, each with its own buyer, alternating between the two servers.
Every client places multi-line orders on scarce stock with an Idempotency-Key, sometimes replays
the same request on the other server, and sometimes cancels an order from both servers at once.
A request that dies with its connection (a killed worker) is retried with the same key on the
other server until it gets an answer, as a real client would.
"""

from __future__ import annotations

import http.client
import random
import threading
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from shopcore.adapters.sqlalchemy.tables import (
    idempotency_keys,
    order_history,
    order_lines,
    orders,
    products,
)
from tests.integration.shop_server import Answer, ShopProcess

__all__ = ["Answer"]

# (stock, price) of each product: enough for a while, then it runs out mid-run.
SCARCE = [(40, "12.50"), (30, "3.99"), (24, "100.00"), (16, "0.99")]
SHIPPING = {
    "full_name": "Bo Buyer",
    "phone": "+1 555 0100",
    "address_line1": "1 Main St",
    "city": "Springfield",
    "postal_code": "12345",
    "country": "US",
}
CONNECTION_ERRORS = (OSError, http.client.HTTPException)


@dataclass(frozen=True)
class Stocked:
    id: int
    slug: str
    name: str
    price: Decimal
    initial_stock: int


def order_body(lines: list[tuple[str, int]]) -> dict[str, Any]:
    items = [{"product": slug, "quantity": quantity} for slug, quantity in lines]
    return {"items": items, "shipping": SHIPPING, "payment_method": "cod"}


@dataclass
class RunResult:
    answers: dict[str, list[Answer]] = field(default_factory=lambda: defaultdict(list))
    cancels: dict[str, list[int]] = field(default_factory=dict)  # order number -> statuses
    connection_errors: int = 0
    unexpected: list[str] = field(default_factory=list)

    @property
    def placed(self) -> dict[str, dict[str, Any]]:
        """Idempotency key -> the body of its 201 answer."""
        return {
            key: next(a.body for a in answers if a.status == 201)
            for key, answers in self.answers.items()
            if any(a.status == 201 for a in answers)
        }

    @property
    def double_cancels(self) -> list[str]:
        return [number for number, statuses in self.cancels.items() if len(statuses) == 2]


class Workload:
    def __init__(self, cluster: Any, stock: list[Stocked], buyers: list[Any], rounds: int):
        self.cluster, self.stock, self.buyers, self.rounds = cluster, stock, buyers, rounds
        self.result = RunResult()
        self.lock = threading.Lock()

    def run(self) -> RunResult:
        with ThreadPoolExecutor(len(self.buyers)) as pool:
            list(pool.map(self._client, range(len(self.buyers))))
        return self.result

    def _client(self, index: int) -> None:
        rng = random.Random(index)
        here, there = self.cluster.servers(index)
        token = self.buyers[index].access
        for _ in range(self.rounds):
            chosen = rng.sample(self.stock, rng.randint(2, 3))
            body = order_body([(p.slug, rng.randint(1, 2)) for p in chosen])
            key = str(uuid.uuid4())
            answer = self._place(here, there, token, body, key)
            if answer is not None and rng.random() < 0.5:
                self._place(there, here, token, body, key)  # the client lost the answer
            if answer is not None and answer.status == 201 and rng.random() < 0.4:
                self._cancel_twice(answer.body["order_number"], token)

    def _call(self, servers: list[ShopProcess], method: str, path: str, **kwargs: Any) -> Answer:
        """Try each server in turn while connections die; the last error propagates."""
        for attempt, server in enumerate(servers):
            try:
                return server.call(method, path, **kwargs)
            except CONNECTION_ERRORS:
                with self.lock:
                    self.result.connection_errors += 1
                if attempt == len(servers) - 1:
                    raise
        raise AssertionError("no server to call")

    def _place(self, first, second, token, body, key) -> Answer | None:
        servers = [first, second, first, second]
        headers = {"Idempotency-Key": key}
        try:
            answer = self._call(servers, "POST", "/api/orders/", body=body, token=token,
                                headers=headers)  # fmt: skip
        except CONNECTION_ERRORS as error:
            self._unexpected(f"order {key}: no server answered: {error!r}")
            return None
        with self.lock:
            self.result.answers[key].append(answer)
        if answer.status not in (201, 409):
            self._unexpected(f"order {key}: {answer.status} {answer.body!r}")
        return answer

    def _cancel_twice(self, number: str, token: str) -> None:
        start = threading.Barrier(2)
        path = f"/api/orders/{number}/cancel/"

        def cancel(servers: list[ShopProcess]) -> int:
            start.wait()
            try:
                return self._call(servers, "POST", path, token=token).status
            except CONNECTION_ERRORS:
                return 0

        a, b = self.cluster.a, self.cluster.b
        errors_before = self.result.connection_errors
        with ThreadPoolExecutor(2) as pool:
            statuses = sorted(pool.map(cancel, [[a, b, a], [b, a, b]]))
        with self.lock:
            self.result.cancels[number] = statuses
        # A cancel whose worker died after committing is answered 409 on its retry.
        lost = self.result.connection_errors > errors_before
        wins = statuses.count(200)
        if any(s not in (200, 409) for s in statuses) or wins > 1 or (wins == 0 and not lost):
            self._unexpected(f"cancel {number} twice: {statuses}")

    def _unexpected(self, text: str) -> None:
        with self.lock:
            self.result.unexpected.append(text)


# --- database checks ----------------------------------------------------------------------------


def stock_of(conn: sa.Connection, product_id: int) -> int:
    return conn.execute(sa.select(products.c.stock).where(products.c.id == product_id)).scalar_one()


def order_numbers_with(conn: sa.Connection, product_id: int) -> set[str]:
    query = (
        sa.select(orders.c.order_number)
        .join(order_lines, order_lines.c.order_id == orders.c.id)
        .where(order_lines.c.product_id == product_id)
    )
    return set(conn.execute(query).scalars())


def assert_orders_consistent(conn: sa.Connection, numbers: set[str]) -> None:
    """Each order is whole: it has lines, and its totals are the sums of its lines."""
    rows = conn.execute(sa.select(orders).where(orders.c.order_number.in_(numbers))).all()
    assert len(rows) == len(numbers)
    for order in rows:
        lines = conn.execute(sa.select(order_lines).where(order_lines.c.order_id == order.id)).all()
        assert lines, f"order {order.order_number} has no lines"
        for line in lines:
            assert line.line_total == line.unit_price * line.quantity, order.order_number
        assert order.subtotal == sum(line.line_total for line in lines), order.order_number
        assert order.total == order.subtotal + order.shipping_cost, order.order_number


def assert_no_data_lost(conn: sa.Connection, stock: list[Stocked], run: RunResult) -> None:
    ids = [p.id for p in stock]
    in_db = set().union(*(order_numbers_with(conn, product_id) for product_id in ids))
    placed = run.placed
    numbers = {body["order_number"] for body in placed.values()}

    assert in_db == numbers, "orders in the database differ from the orders answered 201"
    assert len(numbers) == len(placed), "two idempotency keys answered with one order"
    _assert_one_order_per_key(conn, run)
    assert_orders_consistent(conn, in_db)
    _assert_answers_match_the_database(conn, stock, placed)
    _assert_cancelled_exactly_once(conn, run)
    _assert_stock_balances(conn, stock)


def _assert_one_order_per_key(conn: sa.Connection, run: RunResult) -> None:
    for key, answers in run.answers.items():
        bodies = [a.body for a in answers if a.status == 201]
        assert all(body == bodies[0] for body in bodies), f"key {key} answered differently"
    keys = list(run.answers)
    stored = dict(
        conn.execute(
            sa.select(idempotency_keys.c.key, idempotency_keys.c.order_number).where(
                idempotency_keys.c.key.in_(keys)
            )
        ).all()
    )
    for key, body in run.placed.items():
        assert stored.get(key) == body["order_number"], f"key {key} is not stored with its order"
    refused = set(keys) - set(run.placed)
    assert not any(stored.get(key) for key in refused), "a refused request left an order behind"


def _assert_answers_match_the_database(conn, stock, placed) -> None:
    by_slug = {p.slug: p for p in stock}
    for body in placed.values():
        order_id = conn.execute(
            sa.select(orders.c.id).where(orders.c.order_number == body["order_number"])
        ).scalar_one()
        lines = conn.execute(sa.select(order_lines).where(order_lines.c.order_id == order_id))
        in_db = {(r.product_slug, r.product_name, r.unit_price, r.quantity) for r in lines}
        answered = {
            (i["product"], i["product_name"], Decimal(i["unit_price"]), i["quantity"])
            for i in body["items"]
        }
        assert in_db == answered, body["order_number"]
        for slug, name, price, _ in in_db:  # the snapshot is the product's price and name
            assert (name, price) == (by_slug[slug].name, by_slug[slug].price)


def _assert_cancelled_exactly_once(conn: sa.Connection, run: RunResult) -> None:
    cancelled = conn.execute(
        sa.select(orders.c.order_number, sa.func.count())
        .join(order_history, order_history.c.order_id == orders.c.id)
        .where(order_history.c.status == "cancelled")
        .where(orders.c.order_number.in_([b["order_number"] for b in run.placed.values()]))
        .group_by(orders.c.order_number)
    ).all()
    counts = Counter(dict(cancelled))
    assert set(counts) == set(run.cancels), "cancelled orders differ from those cancelled"
    assert all(count == 1 for count in counts.values()), f"cancelled more than once: {counts}"
    statuses = conn.execute(
        sa.select(orders.c.status).where(orders.c.order_number.in_(list(run.cancels)))
    ).scalars()
    assert set(statuses) <= {"cancelled"}


def _assert_stock_balances(conn: sa.Connection, stock: list[Stocked]) -> None:
    """initial stock = stock left + units in orders that were not cancelled, for each product."""
    for product in stock:
        ordered = conn.execute(
            sa.select(sa.func.coalesce(sa.func.sum(order_lines.c.quantity), 0))
            .join(orders, orders.c.id == order_lines.c.order_id)
            .where(order_lines.c.product_id == product.id, orders.c.status != "cancelled")
        ).scalar_one()
        left = stock_of(conn, product.id)
        assert left >= 0, product.slug
        assert product.initial_stock == left + ordered, (product.slug, left, ordered)
