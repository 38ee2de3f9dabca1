"""The demo orders ``seed_orders`` adds on top of the demo catalog."""

from __future__ import annotations

from shop_web.demo import ADMIN_EMAIL, CUSTOMER_EMAIL, DemoCatalog, seed_catalog, seed_orders
from shopcore.domain.orders import OrderStatus


def test_demo_orders_cover_every_status_with_consistent_stock_and_history(app):
    shop = app.extensions["shopcore"]
    catalog = seed_catalog(shop, per_shelf=2)
    customer, admin = catalog.principals[CUSTOMER_EMAIL], catalog.principals[ADMIN_EMAIL]

    def stock(slug: str) -> int:
        return shop.get_product.execute(slug, admin).stock

    before = {slug: stock(slug) for slug in catalog.product_slugs}

    numbers = seed_orders(shop, catalog)

    orders = [shop.get_order.execute(customer, number) for number in numbers]
    assert [o.status for o in orders] == [
        "pending", "confirmed", "shipped", "delivered", "cancelled",
    ]  # fmt: skip
    assert [o.payment_status for o in orders] == ["unpaid", "paid", "paid", "paid", "unpaid"]
    assert [len(o.history) for o in orders] == [1, 3, 4, 4, 2]
    assert orders[-1].history[-1].by.id == customer.user_id
    held: dict[str, int] = {}
    for order in orders:
        if order.status is not OrderStatus.CANCELLED:
            for line in order.lines:
                held[line.product_slug] = held.get(line.product_slug, 0) + line.quantity
    for slug, quantity in held.items():
        assert stock(slug) == before[slug] - quantity
    assert len(held) == 8  # every demo line is a product of its own
    [returned] = orders[-1].lines
    assert stock(returned.product_slug) == before[returned.product_slug]


def test_demo_orders_are_not_added_to_a_catalog_this_run_did_not_create(app):
    shop = app.extensions["shopcore"]
    assert seed_orders(shop, DemoCatalog(False, (), {})) == []
