"""The benchmark's seed (bench/seed.py) writes a consistent catalog that the API serves."""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from bench import seed
from bench.floor import create_floor_app, fixed_body
from flask import Flask

from shopcore.adapters.sqlalchemy import tables as t
from tests.integration.conftest import Api


def test_the_seeded_catalog_is_consistent_and_searchable(app: Flask, api: Api) -> None:
    engine = app.extensions["shopcore"].engine
    seeded = seed.seed(engine, 300, customers=12)
    with engine.connect() as conn:
        products = conn.execute(sa.select(t.products)).all()
        reviews = conn.execute(sa.select(t.reviews.c.product_id, t.reviews.c.rating)).all()
        categories = conn.execute(sa.select(t.categories)).all()

    assert len(products) == 300 and len(categories) == 50
    ratings = defaultdict(list)
    for product_id, rating in reviews:
        ratings[product_id].append(rating)
    for product in products:
        got = ratings[product.id]
        assert product.rating_count == len(got)
        mean = Decimal(sum(got)) / len(got) if got else None
        assert product.rating_avg == (mean and mean.quantize(Decimal("0.01"), ROUND_HALF_UP))
    word = seeded.search_word
    expected = sum(p.is_active and word in (p.name + p.description).lower() for p in products)
    found = api.get(f"/api/products/?search={word}&page_size=1").get_json()["count"]
    assert found == expected > 0


def test_the_seeded_users_can_sign_in_and_buy(app: Flask, api: Api) -> None:
    seeded = seed.seed(app.extensions["shopcore"].engine, 100, customers=2)
    login = api.post("/api/auth/login/", {"email": seeded.customer_emails[1],
                                          "password": seed.PASSWORD})  # fmt: skip
    assert login.status_code == 200
    slug = seeded.order_slugs[0]
    assert api.get(f"/api/products/{slug}/").get_json()["stock"] == seed.ORDER_STOCK
    assert api.register()["user"]["id"] > max(seeded.customer_ids)  # ids go on after the seed


def test_the_floor_answers_a_json_body_of_exactly_the_size_asked() -> None:
    client = create_floor_app(5_000).test_client()
    response = client.get("/api/products/?page_size=20")

    assert response.status_code == 200 and response.is_json
    assert len(response.data) == 5_000 == len(fixed_body(5_000))
