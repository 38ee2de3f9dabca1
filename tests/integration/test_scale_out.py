"""Two `shop serve` servers (two gunicorn workers each) on one database server and one Redis.

They prove that nothing which must be shared lives in a process: rate limits are counted in
Redis, logouts are seen by the other server at once, and stock, orders and idempotency keys hold
under concurrent buyers, retries on the other server, double cancels and a killed worker.

The module runs once on MariaDB/MySQL (SHOP_TEST_MYSQL_URL) and once on PostgreSQL
(SHOP_TEST_PG_URL), for each that is set, and needs SHOP_TEST_REDIS_URL (CI sets all three):
without a database server or Redis it skips; with one set and unreachable, it fails. The Redis
database is flushed.
"""

from __future__ import annotations

import os
import signal
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal

import pytest
import redis
import sqlalchemy as sa

from shopcore.adapters.sqlalchemy.databases import drop_database
from shopcore.adapters.sqlalchemy.migrate import upgrade
from shopcore.bootstrap import Settings, UseCases, bootstrap
from shopcore.domain.users import Principal
from shopcore.domain.values import Role
from shopcore.use_cases.auth import RegisterCommand
from shopcore.use_cases.catalog_categories import NewCategory
from shopcore.use_cases.catalog_products import NewProduct
from shopcore.use_cases.users import CreateAdminCommand
from tests.integration import scale_checks as checks
from tests.integration.conftest import SERVER_URLS, server_database_url
from tests.integration.shop_server import ShopProcess, server_env

REDIS_URL = os.environ.get("SHOP_TEST_REDIS_URL", "")
SECRET = "scale-out-secret-key-shared-by-every-server!"
PASSWORD = "s3cret-pass"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.xdist_group("scale_out"),  # one cluster for the module under --dist loadgroup
    pytest.mark.skipif(not SERVER_URLS, reason="scale-out needs SHOP_TEST_MYSQL_URL or _PG_URL"),
    pytest.mark.skipif(not REDIS_URL, reason="scale-out needs Redis: set SHOP_TEST_REDIS_URL"),
]


@dataclass
class Buyer:
    user_id: int
    email: str
    access: str
    refresh: str


class Cluster:
    """Two servers, the use cases for setting up data, and the database for checking it."""

    def __init__(self, a: ShopProcess, b: ShopProcess, shop: UseCases, engine: sa.Engine):
        self.a, self.b, self.shop, self.engine = a, b, shop, engine
        email = unique("admin") + "@example.com"
        admin = shop.create_admin.execute(CreateAdminCommand(email, PASSWORD))
        assert admin.id is not None
        self.admin = Principal(admin.id, Role.ADMIN)
        category = shop.create_category.execute(self.admin, NewCategory(unique("Category")))
        self.category_id = category.id

    def servers(self, index: int) -> tuple[ShopProcess, ShopProcess]:
        """(this server, the other one) for client ``index``: clients alternate servers."""
        return (self.a, self.b) if index % 2 == 0 else (self.b, self.a)

    def buyer(self) -> Buyer:
        email = unique("buyer") + "@example.com"
        session = self.shop.register_user.execute(RegisterCommand(email, PASSWORD, "Bo", "Buyer"))
        assert session.user.id is not None
        return Buyer(session.user.id, email, session.access, session.refresh)

    def product(self, stock: int, price: str = "10.00") -> checks.Stocked:
        cmd = NewProduct(unique("Widget"), "A thing.", self.category_id, Decimal(price), stock)
        view = self.shop.create_product.execute(self.admin, cmd)
        return checks.Stocked(view.id, view.slug, view.name, Decimal(price), stock)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def reachable_redis() -> str:
    """The Redis URL; an unreachable Redis fails the module, never skips."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        pytest.fail(f"SHOP_TEST_REDIS_URL is set but Redis is unreachable: {error}")
    return REDIS_URL


def own_redis_database(url: str, offset: int) -> str:
    """``url`` with its database number moved down by ``offset`` (Redis has 16: 0 to 15)."""
    parsed = redis.connection.parse_url(url)
    number = (int(parsed.get("db", 0)) - offset) % 16
    base = url.rsplit("/", 1)[0] if url.count("/") > 2 else url.rstrip("/")
    return f"{base}/{number}"


@pytest.fixture(scope="module", params=sorted(SERVER_URLS))
def cluster(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Cluster]:
    # A Redis database of this cluster's own: the clusters of the database servers may run at
    # once on two test workers, and one's flushdb must not reset the other's counters.
    redis_url = own_redis_database(reachable_redis(), sorted(SERVER_URLS).index(request.param))
    # A fresh database; an unreachable server fails here.
    database = server_database_url(request.param, suffix="_scale")
    upgrade(database)
    redis.Redis.from_url(redis_url).flushdb()
    env = server_env(
        database,
        tmp_path_factory.mktemp("scale-out"),
        SHOP_ENV="production",
        SHOP_SECRET_KEY=SECRET,
        SHOP_RATELIMIT_STORAGE_URL=redis_url,
        SHOP_REDIS_URL=redis_url,
        SHOP_RATELIMIT_ANON="5/minute",
        SHOP_RATELIMIT_USER="100000/minute",
        SHOP_RATELIMIT_LOGIN="1000/minute",
    )
    servers = [ShopProcess(env, workers=2), ShopProcess(env, workers=2)]
    shop = bootstrap(
        Settings(
            database_url=database, secret_key=SECRET, argon2_memory_kib=1024, argon2_time_cost=1
        )  # fmt: skip
    )
    try:
        for server in servers:
            server.wait_ready()
        yield Cluster(servers[0], servers[1], shop, shop.engine)
    finally:
        for server in servers:
            server.stop()
        shop.engine.dispose()
        drop_database(database)


# --- shared state -------------------------------------------------------------------------------


def test_both_servers_report_redis_and_the_database_healthy(cluster):
    for server in (cluster.a, cluster.b):
        health = server.call("GET", "/api/health/")
        assert health.body == {"status": "ok", "database": "ok", "redis": "ok"}


def test_a_rate_limit_of_five_a_minute_is_shared_by_both_servers(cluster):
    servers = [cluster.a, cluster.b] * 3
    client = "127.0.0.2"  # an address no other test calls from: a budget of its own

    answers = [server.call("GET", "/api/categories/", source=client) for server in servers]

    assert [answer.status for answer in answers] == [200] * 5 + [429]
    assert [a.header("X-RateLimit-Remaining") for a in answers[:5]] == ["4", "3", "2", "1", "0"]
    assert int(answers[5].header("Retry-After") or 0) > 0
    assert answers[5].body["code"] == 429


def test_a_logout_on_one_server_is_effective_on_the_other_at_once(cluster):
    buyer = cluster.buyer()
    client = "127.0.0.3"  # anonymous calls (login, refresh) count against this address only
    credentials = {"email": buyer.email, "password": PASSWORD}
    answer = cluster.a.call("POST", "/api/auth/login/", credentials, source=client)
    assert answer.status == 200, answer.body
    login = answer.body
    assert cluster.b.call("GET", "/api/auth/me/", token=login["access"]).status == 200

    logout = cluster.a.call(
        "POST", "/api/auth/logout/", {"refresh": login["refresh"]}, token=login["access"]
    )

    assert logout.status == 204
    assert cluster.b.call("GET", "/api/auth/me/", token=login["access"]).status == 401
    refresh = cluster.b.call(
        "POST", "/api/auth/refresh/", {"refresh": login["refresh"]}, source=client
    )
    assert refresh.status == 401
    assert cluster.a.call("GET", "/api/auth/me/", token=buyer.access).status == 200


# --- orders -------------------------------------------------------------------------------------


def test_forty_buyers_on_two_servers_for_stock_ten_get_exactly_ten_orders(cluster):
    product = cluster.product(stock=10)
    buyers = [cluster.buyer() for _ in range(40)]
    start = threading.Barrier(40)

    def buy(index: int) -> checks.Answer:
        body = checks.order_body([(product.slug, 1)])
        start.wait()
        return cluster.servers(index)[0].call(
            "POST", "/api/orders/", body, token=buyers[index].access
        )

    with ThreadPoolExecutor(40) as pool:
        answers = list(pool.map(buy, range(40)))

    statuses = sorted(answer.status for answer in answers)
    assert statuses == [201] * 10 + [409] * 30
    placed = {answer.body["order_number"] for answer in answers if answer.status == 201}
    with cluster.engine.connect() as conn:
        assert checks.stock_of(conn, product.id) == 0
        assert checks.order_numbers_with(conn, product.id) == placed
        checks.assert_orders_consistent(conn, placed)


def test_an_idempotency_key_retried_on_the_other_server_returns_the_same_order(cluster):
    product, buyer, key = cluster.product(stock=5), cluster.buyer(), str(uuid.uuid4())
    body = checks.order_body([(product.slug, 2)])
    headers = {"Idempotency-Key": key}

    first = cluster.a.call("POST", "/api/orders/", body, token=buyer.access, headers=headers)
    again = cluster.b.call("POST", "/api/orders/", body, token=buyer.access, headers=headers)
    changed = checks.order_body([(product.slug, 1)])
    reused = cluster.b.call("POST", "/api/orders/", changed, token=buyer.access, headers=headers)

    assert first.status == again.status == 201
    assert again.body == first.body
    assert reused.status == 409
    with cluster.engine.connect() as conn:
        assert checks.stock_of(conn, product.id) == 3
        assert checks.order_numbers_with(conn, product.id) == {first.body["order_number"]}


def test_no_data_is_lost_under_retries_and_double_cancels_on_both_servers(cluster):
    products = [cluster.product(stock, price) for stock, price in checks.SCARCE]
    buyers = [cluster.buyer() for _ in range(12)]

    run = checks.Workload(cluster, products, buyers, rounds=6).run()

    assert run.unexpected == [], run.unexpected
    assert run.placed, "no order got through: the test proved nothing"
    assert run.double_cancels, "no order was cancelled twice at once"
    with cluster.engine.connect() as conn:
        checks.assert_no_data_lost(conn, products, run)


def test_killing_a_worker_mid_run_loses_no_committed_order_and_leaves_no_half_written_one(
    cluster,
):
    products = [cluster.product(stock, price) for stock, price in checks.SCARCE]
    buyers = [cluster.buyer() for _ in range(12)]
    workload = checks.Workload(cluster, products, buyers, rounds=8)
    killed: list[int] = []

    def kill_workers() -> None:
        for server in (cluster.a, cluster.b, cluster.a):
            time.sleep(0.4)
            victim = server.workers()[0]
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)

    killer = threading.Thread(target=kill_workers)
    killer.start()
    run = workload.run()
    killer.join()

    assert len(killed) == 3
    assert run.unexpected == [], run.unexpected
    with cluster.engine.connect() as conn:
        checks.assert_no_data_lost(conn, products, run)
    for server in (cluster.a, cluster.b):  # gunicorn replaced the killed workers
        workers = wait_for_workers(server, 2)
        assert not set(workers) & set(killed)
        assert server.call("GET", "/api/health/").status == 200


def wait_for_workers(server: ShopProcess, count: int, timeout: float = 15) -> list[int]:
    deadline = time.monotonic() + timeout
    while len(workers := server.workers()) != count and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(workers) == count, workers
    return workers
