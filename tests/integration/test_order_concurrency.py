"""Many buyers at once: stock never oversold, no deadlock surfaces, idempotency holds.

The in-process tests run the Flask test client from many threads (every request gets its own
unit of work and connection) on SQLite and on MariaDB. The ``shop serve`` test runs the real
gunicorn server with two worker processes against MariaDB.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from shopcore.ports.orders import OrderFilter
from tests.integration.orders_helpers import SHIPPING, Shop, vendor
from tests.integration.shop_server import Answer, ShopProcess, server_env

RETRY_LOGGER = "shopcore.adapters.sqlalchemy.retry"


@pytest.fixture
def shop(api):
    return Shop(api)


def at_once(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run every call in its own thread, released together; return the results in order."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = calls[index]()
        except BaseException as error:  # noqa: BLE001 - reported by the assertions below
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def poster(app, path: str, body: Any, token: str, headers: dict[str, str] | None = None):
    def call() -> tuple[int, Any]:
        response = app.test_client().post(
            path, json=body, headers={"Authorization": f"Bearer {token}", **(headers or {})}
        )
        return response.status_code, response.get_json()

    return call


def order_body(*items: tuple[str, int]) -> dict[str, Any]:
    return {"items": [{"product": s, "quantity": q} for s, q in items], "shipping": SHIPPING,
            "payment_method": "card"}  # fmt: skip


def order_count(shop: Shop) -> int:
    with shop.core.uow_factory(read_only=True) as uow:
        return uow.orders.list(OrderFilter(), 0, 1)[1]


def test_forty_buyers_of_ten_units_get_exactly_ten_orders(app, api, shop):
    tea = shop.product(vendor(api)[0], "tea", stock=10)
    tokens = [api.token() for _ in range(40)]

    results = at_once([poster(app, "/api/orders/", order_body(("tea", 1)), t) for t in tokens])

    statuses = Counter(status for status, _ in results)
    assert statuses == {201: 10, 409: 30}, results
    conflicts = [body for status, body in results if status == 409]
    assert all(body["errors"] == {"items.0.quantity": ["Only 0 left of 'Tea'."]}
               for body in conflicts)  # fmt: skip
    assert shop.stock(tea) == 0 and order_count(shop) == 10


def test_two_multi_line_orders_over_the_same_products_in_opposite_order_never_fail(
    app, api, shop, caplog
):
    seller = vendor(api)[0]
    tea, mug = shop.product(seller, "tea", stock=500), shop.product(seller, "mug", stock=500)
    tokens = [api.token() for _ in range(4)]
    calls = []
    for round_ in range(6):
        for i, token in enumerate(tokens):
            items = [("tea", 1), ("mug", 2)] if (i + round_) % 2 else [("mug", 2), ("tea", 1)]
            calls.append(poster(app, "/api/orders/", order_body(*items), token))

    with caplog.at_level(logging.WARNING, logger=RETRY_LOGGER):
        results = at_once(calls)

    assert [status for status, _ in results] == [201] * 24, results
    assert (shop.stock(tea), shop.stock(mug)) == (500 - 24, 500 - 48)
    # Taking rows in ascending product id order means these never even deadlock (and so never
    # need the retry that would hide it).
    assert [r.message for r in caplog.records if r.name == RETRY_LOGGER] == []


def test_ten_identical_requests_with_one_idempotency_key_make_one_order(app, api, shop):
    tea = shop.product(vendor(api)[0], "tea", stock=50)
    token = api.token()
    call = poster(app, "/api/orders/", order_body(("tea", 3)), token, {"Idempotency-Key": "once"})

    results = at_once([call] * 10)

    assert [status for status, _ in results] == [201] * 10, results
    assert len({body["order_number"] for _, body in results}) == 1
    assert shop.stock(tea) == 47 and order_count(shop) == 1


def test_two_cancels_at_once_put_the_stock_back_once(app, api, shop):
    tea = shop.product(vendor(api)[0], "tea", stock=100)
    owner, admin = api.token(), api.token("admin")
    for _ in range(5):
        number = shop.placed(owner, [("tea", 4)])["order_number"]
        path = f"/api/orders/{number}/cancel/"
        results = at_once([poster(app, path, None, owner), poster(app, path, None, admin)])
        assert sorted(status for status, _ in results) == [200, 409], results
        assert shop.stock(tea) == 100


def test_concurrent_adds_of_one_product_merge_into_one_cart_line(app, api, shop):
    shop.product(vendor(api)[0], "tea")
    token = api.token()
    body = {"product": "tea", "quantity": 1}

    results = at_once([poster(app, "/api/cart/items/", body, token)] * 10)

    assert [status for status, _ in results] == [201] * 10, results
    cart = api.get("/api/cart/", token).get_json()
    assert [(i["product"]["slug"], i["quantity"]) for i in cart["items"]] == [("tea", 10)]


# --- the real server ----------------------------------------------------------------------


@pytest.mark.server_db
@pytest.mark.slow
def test_forty_buyers_through_shop_serve_with_two_workers(app, api, shop, database_url, tmp_path):
    tea = shop.product(vendor(api)[0], "tea", stock=10)
    tokens = [api.token() for _ in range(40)]  # same secret key: the server accepts them
    env = server_env(
        database_url, tmp_path, SHOP_SECRET_KEY=app.config["SECRET_KEY"],
        SHOP_RATELIMIT_ENABLED="false",
    )  # fmt: skip
    server = ShopProcess(env, workers=2, args=("--timeout", "120"))
    try:
        server.wait_ready(timeout=90)
        # The port was free a moment ago; make sure it is our server (our database) answering.
        assert server.call("GET", "/api/cart/", token=tokens[0]).status == 200, server.output()
        body = order_body(("tea", 1))
        results = at_once(
            [lambda t=t: server.call("POST", "/api/orders/", body, token=t, timeout=120)
             for t in tokens]
        )  # fmt: skip
    finally:
        server.stop()

    statuses = Counter(r.status if isinstance(r, Answer) else repr(r) for r in results)
    assert statuses == {201: 10, 409: 30}, (statuses, server.output()[-4000:])
    assert shop.stock(tea) == 0 and order_count(shop) == 10
