"""Reviews over HTTP, on SQLite and MariaDB: who may review, the rating aggregate, races."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shopcore.domain.reviews import Review
from tests.integration.reviews_helpers import Seed, StatementCounter, buyer_of


@pytest.fixture
def seed(app):
    return Seed(app)


@pytest.fixture
def vendor(api):
    return api.register("vendor")


@pytest.fixture
def tea(seed, vendor):
    return seed.product(vendor["user"]["id"], "green-tea")


def post(api, session, slug="green-tea", **body):
    body = {"rating": 5, "comment": "Lovely.", **body}
    return api.post(f"/api/products/{slug}/reviews/", body, session["access"])


# --- posting ---------------------------------------------------------------------------------


def test_a_customer_with_a_delivered_order_posts_a_review(api, seed, tea):
    buyer = buyer_of(api, seed, tea)
    response = post(api, buyer, rating=4, title=" Nice ", comment=" Smooth. ")

    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert set(body) == {
        "id", "product", "user", "rating", "title", "comment", "verified_purchase",
        "created_at", "updated_at",
    }  # fmt: skip
    assert body["product"] == "green-tea"
    assert body["user"] == {"id": buyer["user"]["id"], "name": "Customer Tester"}
    assert (body["rating"], body["title"], body["comment"]) == (4, "Nice", "Smooth.")
    assert body["verified_purchase"] is True
    assert body["created_at"].endswith("+00:00")
    assert seed.rating("green-tea") == (4, 1)


def test_posting_needs_a_token(api, tea):
    response = api.post("/api/products/green-tea/reviews/", {"rating": 5, "comment": "Hi."})
    assert response.status_code == 401


def test_a_customer_without_a_purchase_is_forbidden(api, seed, tea):
    response = post(api, api.register("customer"))
    assert response.status_code == 403
    assert response.get_json()["code"] == 403
    assert seed.rating("green-tea") == (None, 0)


@pytest.mark.parametrize("status", ["pending", "cancelled", "shipped"])
def test_an_order_that_was_not_delivered_is_not_enough(api, seed, tea, status):
    response = post(api, buyer_of(api, seed, tea, status=status))
    assert response.status_code == 403
    assert api.get("/api/products/green-tea/reviews/").get_json()["count"] == 0


def test_an_unknown_product_is_404(api, seed, tea):
    assert post(api, buyer_of(api, seed, tea), slug="no-such-tea").status_code == 404


def test_an_inactive_product_is_404(api, seed, vendor):
    old = seed.product(vendor["user"]["id"], "old-tea", active=False)
    assert post(api, buyer_of(api, seed, old), slug="old-tea").status_code == 404


def test_a_second_review_of_a_product_is_409(api, seed, tea):
    buyer = buyer_of(api, seed, tea)
    assert post(api, buyer, rating=5).status_code == 201
    response = post(api, buyer, rating=1)
    assert response.status_code == 409
    assert seed.rating("green-tea") == (5, 1)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"rating": 0}, "rating"),
        ({"rating": 6}, "rating"),
        ({"rating": 4.5}, "rating"),
        ({"rating": "5"}, "rating"),
        ({"rating": True}, "rating"),
        ({"rating": None}, "rating"),
        ({"comment": ""}, "comment"),
        ({"comment": "   "}, "comment"),
        ({"comment": "x" * 2001}, "comment"),
        ({"title": "t" * 121}, "title"),
        ({"title": None}, "title"),
        ({"verified_purchase": False}, "verified_purchase"),
    ],
)
def test_invalid_reviews_are_422_and_change_nothing(api, seed, tea, body, field):
    response = post(api, buyer_of(api, seed, tea), **body)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["errors"]
    assert seed.rating("green-tea") == (None, 0)


def test_rating_and_comment_are_required(api, seed, tea):
    buyer = buyer_of(api, seed, tea)
    response = api.post("/api/products/green-tea/reviews/", {}, buyer["access"])
    assert response.status_code == 422
    assert {"rating", "comment"} <= set(response.get_json()["errors"])


def test_a_body_that_is_not_json_is_400(api, seed, tea):
    buyer = buyer_of(api, seed, tea)
    response = api.call(
        "POST", "/api/products/green-tea/reviews/", buyer["access"],
        data="{not json", content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400


# --- the aggregate ---------------------------------------------------------------------------


def test_ratings_4_and_5_average_4_50_and_follow_edits_and_deletes(api, seed, tea):
    first, second = buyer_of(api, seed, tea), buyer_of(api, seed, tea)
    assert post(api, first, rating=4).status_code == 201
    review = post(api, second, rating=5).get_json()
    assert seed.rating("green-tea") == (4.5, 2)
    assert str(seed.rating("green-tea")[0]) == "4.50"

    edited = api.patch(f"/api/reviews/{review['id']}/", {"rating": 1}, second["access"])
    assert edited.status_code == 200 and edited.get_json()["rating"] == 1
    assert str(seed.rating("green-tea")[0]) == "2.50"

    assert api.delete(f"/api/reviews/{review['id']}/", second["access"]).status_code == 204
    assert seed.rating("green-tea") == (4, 1)


def test_the_product_json_shows_the_rating(api, seed, tea):
    for rating in (4, 5):
        assert post(api, buyer_of(api, seed, tea), rating=rating).status_code == 201
    product = api.get("/api/products/green-tea/").get_json()
    assert (product["rating_avg"], product["rating_count"]) == ("4.50", 2)


def test_deleting_the_last_review_leaves_no_rating(api, seed, tea):
    buyer = buyer_of(api, seed, tea)
    review = post(api, buyer, rating=2).get_json()
    assert api.delete(f"/api/reviews/{review['id']}", buyer["access"]).status_code == 204
    assert seed.rating("green-tea") == (None, 0)


# --- editing and deleting --------------------------------------------------------------------


def test_the_author_patches_only_the_fields_sent(api, seed, tea):
    buyer = buyer_of(api, seed, tea)
    review = post(api, buyer, rating=4, title="Nice", comment="Good.").get_json()
    response = api.patch(f"/api/reviews/{review['id']}", {"comment": "Great."}, buyer["access"])
    assert response.status_code == 200
    body = response.get_json()
    assert (body["rating"], body["title"], body["comment"]) == (4, "Nice", "Great.")
    assert body["created_at"] == review["created_at"]


def test_an_admin_may_edit_and_delete_someone_elses_review(api, seed, tea):
    buyer, admin = buyer_of(api, seed, tea), api.token("admin")
    review = post(api, buyer, rating=3).get_json()
    path = f"/api/reviews/{review['id']}/"
    assert api.patch(path, {"rating": 5}, admin).get_json()["rating"] == 5
    assert api.delete(path, admin).status_code == 204
    assert api.get("/api/products/green-tea/reviews/").get_json()["count"] == 0


def test_other_users_get_403_and_change_nothing(api, seed, tea, vendor):
    buyer = buyer_of(api, seed, tea)
    review = post(api, buyer, rating=3).get_json()
    path = f"/api/reviews/{review['id']}/"
    for token in (api.token("customer"), vendor["access"]):
        assert api.patch(path, {"rating": 5}, token).status_code == 403
        assert api.delete(path, token).status_code == 403
    assert seed.rating("green-tea") == (3, 1)


def test_unknown_reviews_are_404_and_anonymous_callers_401(api, seed, tea):
    token = api.token("customer")
    assert api.patch("/api/reviews/999999/", {"rating": 5}, token).status_code == 404
    assert api.delete("/api/reviews/999999/", token).status_code == 404
    review = post(api, buyer_of(api, seed, tea)).get_json()
    assert api.patch(f"/api/reviews/{review['id']}/", {"rating": 1}).status_code == 401
    assert api.delete(f"/api/reviews/{review['id']}/").status_code == 401


@pytest.mark.parametrize("body", [{"rating": 9}, {"comment": " "}, {"title": "t" * 121}])
def test_an_invalid_patch_is_422_and_changes_nothing(api, seed, tea, body):
    buyer = buyer_of(api, seed, tea)
    review = post(api, buyer, rating=3).get_json()
    response = api.patch(f"/api/reviews/{review['id']}/", body, buyer["access"])
    assert response.status_code == 422
    listed = api.get("/api/products/green-tea/reviews/").get_json()["results"]
    assert [(r["rating"], r["comment"]) for r in listed] == [(3, "Lovely.")]


# --- listing ---------------------------------------------------------------------------------


def test_reviews_are_listed_newest_first_in_pages(api, seed, tea):
    ids = [post(api, buyer_of(api, seed, tea), rating=n).get_json()["id"] for n in (1, 2, 3)]
    first = api.get("/api/products/green-tea/reviews/?page_size=2")
    assert first.status_code == 200
    body = first.get_json()
    assert body["count"] == 3 and body["previous"] is None
    assert [r["id"] for r in body["results"]] == [ids[2], ids[1]]
    assert body["next"].startswith("http://localhost/api/products/green-tea/reviews/?")
    second = api.get(body["next"]).get_json()
    assert [r["id"] for r in second["results"]] == [ids[0]]
    assert second["next"] is None and second["previous"] is not None


def test_reviews_with_the_same_timestamp_list_by_id_descending(api, seed, tea, vendor):
    now = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    authors = [api.register("customer")["user"]["id"] for _ in range(3)]
    with seed.shop.uow_factory() as uow:
        for author in authors:
            uow.reviews.add(Review(tea.id, author, 4, "Same time.", now, now))
        uow.commit()
    ids = [r["id"] for r in api.get("/api/products/green-tea/reviews/").get_json()["results"]]
    assert ids == sorted(ids, reverse=True)


def test_an_unknown_products_reviews_are_404(api):
    assert api.get("/api/products/nothing-here/reviews/").status_code == 404


def test_an_inactive_products_reviews_are_hidden_from_all_but_its_vendor(api, seed, vendor):
    seed.product(vendor["user"]["id"], "old-tea", active=False)
    assert api.get("/api/products/old-tea/reviews/").status_code == 404
    assert api.get("/api/products/old-tea/reviews/", api.token("customer")).status_code == 404
    assert api.get("/api/products/old-tea/reviews/", vendor["access"]).status_code == 200
    assert api.get("/api/products/old-tea/reviews/", api.token("admin")).status_code == 200


def test_the_list_carries_an_etag_that_changes_with_the_reviews(api, seed, tea):
    first = api.get("/api/products/green-tea/reviews/")
    etag = first.headers["ETag"]
    assert etag and not etag.startswith("W/")
    cached = api.get("/api/products/green-tea/reviews", headers={"If-None-Match": etag})
    assert cached.status_code == 304 and cached.data == b""
    post(api, buyer_of(api, seed, tea))
    fresh = api.get("/api/products/green-tea/reviews/", headers={"If-None-Match": etag})
    assert fresh.status_code == 200 and fresh.headers["ETag"] != etag


def test_listing_runs_the_same_number_of_statements_for_any_page_size(api, app, seed, vendor):
    def statements(slug):
        with StatementCounter(seed.engine) as counter:
            assert api.get(f"/api/products/{slug}/reviews/?page_size=100").status_code == 200
        return counter.count

    few, many = seed.product(vendor["user"]["id"]), seed.product(vendor["user"]["id"])
    authors = [api.register("customer")["user"]["id"] for _ in range(15)]
    now = datetime.now(UTC)
    with seed.shop.uow_factory() as uow:
        for product, count in ((few, 2), (many, 15)):
            for author in authors[:count]:
                uow.reviews.add(Review(product.id, author, 5, "Yes.", now, now))
        uow.commit()
    assert statements(few.slug) == statements(many.slug)


# --- documentation ---------------------------------------------------------------------------


def test_the_routes_are_documented(api):
    paths = api.get("/openapi.json").get_json()["paths"]
    listing = paths["/api/products/{slug}/reviews/"]
    assert {"get", "post"} <= set(listing)
    assert {"200", "304", "404"} <= set(listing["get"]["responses"])
    assert {"201", "401", "403", "404", "409", "422"} <= set(listing["post"]["responses"])
    assert listing["post"]["security"] == [{"bearerAuth": []}]
    detail = paths["/api/reviews/{review_id}/"]
    assert {"patch", "delete"} <= set(detail)
    assert {"200", "401", "403", "404", "422"} <= set(detail["patch"]["responses"])
    assert {"204", "401", "403", "404"} <= set(detail["delete"]["responses"])
