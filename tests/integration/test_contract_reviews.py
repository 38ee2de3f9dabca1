"""API.md, Reviews: who may review, the review JSON, and the product's rating figures."""

from __future__ import annotations

import pytest

from tests.integration.conftest import Api
from tests.integration.contract_helpers import TIMESTAMP, World, assert_error

# The contract's fields, plus updated_at (reviews can be edited; documented in /openapi.json).
REVIEW_KEYS = {
    "id",
    "product",
    "user",
    "rating",
    "title",
    "comment",
    "verified_purchase",
    "created_at",
    "updated_at",
}


@pytest.fixture
def world(api: Api) -> World:
    return World(api)


def post(api: Api, slug: str, token: str | None, **body: object) -> object:
    return api.post(
        f"/api/products/{slug}/reviews/", {"rating": 5, "comment": "Good.", **body}, token
    )


def test_a_buyer_with_a_delivered_order_reviews_once(world: World, api: Api) -> None:
    slug = world.product()["slug"]
    world.delivered(world.customer, slug)

    created = post(api, slug, world.customer, rating=4, title="Nice")

    assert created.status_code == 201  # type: ignore[attr-defined]
    review = created.get_json()  # type: ignore[attr-defined]
    assert set(review) == REVIEW_KEYS
    assert review["product"] == slug and review["verified_purchase"] is True
    assert review["user"] == {"id": world.customer_id, "name": "Customer Tester"}
    assert (review["rating"], review["title"], review["comment"]) == (4, "Nice", "Good.")
    assert TIMESTAMP.match(review["created_at"])
    listed = api.get(f"/api/products/{slug}/reviews/").get_json()
    assert listed["results"] == [review]
    assert_error(post(api, slug, world.customer), 409)
    assert api.get(f"/api/products/{slug}/reviews/").get_json()["count"] == 1


def test_no_delivered_purchase_is_403(world: World, api: Api) -> None:
    slug = world.product()["slug"]
    assert_error(post(api, slug, world.customer), 403)
    for status in ("pending", "confirmed", "shipped", "cancelled"):
        number = world.order(world.customer, [(slug, 1)])["order_number"]
        if status == "cancelled":
            api.post(f"/api/orders/{number}/cancel/", token=world.customer)
        elif status != "pending":
            world.status(number, status="confirmed")
            if status == "shipped":
                world.status(number, status="shipped")
        assert_error(post(api, slug, world.customer), 403)
    assert_error(post(api, slug, world.admin), 403)
    assert_error(post(api, slug, None), 401)
    assert_error(post(api, "no-such-product", world.customer), 404)
    assert api.get(f"/api/products/{slug}/reviews/").get_json()["count"] == 0


def test_rating_is_one_to_five_and_comment_is_required(world: World, api: Api) -> None:
    slug = world.product()["slug"]
    world.delivered(world.customer, slug)

    for bad in ({"rating": 0}, {"rating": 6}, {"rating": 4.5}, {"rating": "5"}, {"comment": ""}):
        field = next(iter(bad))
        assert list(assert_error(post(api, slug, world.customer, **bad), 422)["errors"]) == [field]
    no_comment = api.post(f"/api/products/{slug}/reviews/", {"rating": 3}, world.customer)
    assert list(assert_error(no_comment, 422)["errors"]) == ["comment"]


def test_the_author_or_an_admin_edits_and_deletes_and_nobody_else(world: World, api: Api) -> None:
    slug = world.product()["slug"]
    review = world.review(world.customer, slug, rating=2)
    path = f"/api/reviews/{review['id']}/"

    for token in (world.vendor, world.session()["access"]):
        assert_error(api.patch(path, {"rating": 5}, token), 403)
        assert_error(api.delete(path, token), 403)
    assert_error(api.patch(path, {"rating": 5}), 401)
    edited = api.patch(path, {"rating": 3, "title": "Better"}, world.customer).get_json()
    assert (edited["rating"], edited["title"], edited["comment"]) == (3, "Better", "Works well.")
    by_admin = api.patch(path, {"comment": "Moderated."}, world.admin).get_json()
    assert by_admin["comment"] == "Moderated." and by_admin["user"]["id"] == world.customer_id
    deleted = api.delete(path, world.admin)
    assert deleted.status_code == 204 and deleted.data == b""
    assert_error(api.patch(path, {"rating": 5}, world.customer), 404)


def test_reviews_are_listed_newest_first(world: World, api: Api) -> None:
    slug = world.product()["slug"]
    ids = [world.review(world.session()["access"], slug)["id"] for _ in range(3)]

    listed = api.get(f"/api/products/{slug}/reviews/").get_json()

    assert [r["id"] for r in listed["results"]] == ids[::-1]


def test_rating_avg_is_a_two_place_string_following_the_reviews(world: World, api: Api) -> None:
    slug = world.product()["slug"]
    path = f"/api/products/{slug}/"

    def figures() -> tuple[object, object]:
        body = api.get(path).get_json()
        return body["rating_avg"], body["rating_count"]

    assert figures() == (None, 0)
    first = world.review(world.customer, slug, rating=4)
    second = world.review(world.session()["access"], slug, rating=5)
    assert figures() == ("4.50", 2)
    world.review(world.session()["access"], slug, rating=5)
    assert figures() == ("4.67", 3)  # 14 / 3, half-up to two places
    api.patch(f"/api/reviews/{second['id']}/", {"rating": 1}, world.admin)
    assert figures() == ("3.33", 3)
    api.delete(f"/api/reviews/{first['id']}/", world.customer)
    assert figures() == ("3.00", 2)
    listed = api.get("/api/products/").get_json()["results"][0]
    assert (listed["rating_avg"], listed["rating_count"]) == ("3.00", 2)
