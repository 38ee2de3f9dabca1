"""Reviews under concurrency, on SQLite and MariaDB: duplicates and the rating aggregate."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from shopcore.domain.errors import DuplicateReview
from shopcore.domain.reviews import Review
from tests.integration.reviews_helpers import Seed, buyer_of


@pytest.fixture
def seed(app):
    return Seed(app)


@pytest.fixture
def tea(seed, api):
    return seed.product(api.register("vendor")["user"]["id"], "green-tea")


# --- races -----------------------------------------------------------------------------------


def _race(app, count, request):
    """Run ``request(client, n)`` in ``count`` threads released together; return the answers."""
    barrier, answers = threading.Barrier(count), [None] * count

    def run(n):
        client = app.test_client()
        barrier.wait()
        answers[n] = request(client, n)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return answers


def _post_with(client, token, rating):
    response = client.post(
        "/api/products/green-tea/reviews/",
        json={"rating": rating, "comment": "Race."},
        headers={"Authorization": f"Bearer {token}"},
    )
    return response.status_code


def test_two_racing_posts_of_one_customer_give_one_201_and_one_409(app, api, seed, tea):
    token = buyer_of(api, seed, tea)["access"]
    statuses = _race(app, 2, lambda client, n: _post_with(client, token, 5))
    assert sorted(statuses) == [201, 409]
    assert seed.rating("green-tea") == (5, 1)


def test_concurrent_reviews_of_one_product_keep_the_aggregate_exact(app, api, seed, tea):
    ratings = [5, 4, 4, 3, 1, 2]
    tokens = [buyer_of(api, seed, tea)["access"] for _ in ratings]
    statuses = _race(app, len(ratings), lambda c, n: _post_with(c, tokens[n], ratings[n]))
    assert statuses == [201] * len(ratings)
    average, count = seed.rating("green-tea")
    assert count == len(ratings)
    assert str(average) == "3.17"  # 19 / 6, half-up


def test_the_unique_constraint_refuses_a_duplicate_the_use_case_did_not_see(api, seed, tea):
    buyer = buyer_of(api, seed, tea)["user"]["id"]
    now = datetime.now(UTC)
    with seed.shop.uow_factory() as uow:
        uow.reviews.add(Review(tea.id, buyer, 5, "First.", now, now))
        uow.commit()
    with seed.shop.uow_factory() as uow, pytest.raises(DuplicateReview):
        uow.reviews.add(Review(tea.id, buyer, 1, "Second.", now, now))
