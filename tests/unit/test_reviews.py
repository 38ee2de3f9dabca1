"""Review rules and the product rating aggregate, on in-memory adapters."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from shopcore.adapters.memory.base import IntegrityViolation
from shopcore.domain.errors import (
    DuplicateReview,
    NotPurchased,
    PermissionDenied,
    ProductNotFound,
    ReviewNotFound,
    RuleViolation,
)
from shopcore.domain.reviews import Review, average_rating
from shopcore.use_cases.reviews import ReviewChanges, ReviewInput
from tests.unit.reviews_helpers import Seed


@pytest.fixture
def seed(harness):
    return Seed(harness)


@pytest.fixture
def vendor(harness):
    return harness.register("vendor@example.com", role="vendor")


@pytest.fixture
def tea(seed, vendor):
    return seed.product(vendor, "green-tea")


@pytest.fixture
def buyer(harness, seed, tea):
    """A customer with a delivered order of the tea."""
    customer = harness.register("buyer@example.com")
    seed.order(customer, (tea, 1), status="delivered")
    return customer


def post(harness, who, slug="green-tea", rating=5, comment="Lovely.", title=""):
    return harness.shop.post_review.execute(who, slug, ReviewInput(rating, comment, title))


def stored_reviews(harness):
    return list(harness.store.tables["reviews"].values())


# --- who may review --------------------------------------------------------------------------


def test_a_customer_with_a_delivered_order_reviews_the_product(harness, seed, buyer):
    review = post(harness, buyer, rating=4, title="  Good  ", comment="  Smooth and fresh. ")

    assert review.product == "green-tea"
    assert review.user.id == buyer.user_id and review.user.name == "Ann Lee"
    assert (review.rating, review.title, review.comment) == (4, "Good", "Smooth and fresh.")
    assert review.verified_purchase is True
    assert review.created_at == review.updated_at == harness.clock.now()
    product = seed.stored_product("green-tea")
    assert (product.rating_avg, product.rating_count) == (Decimal("4.00"), 1)


def test_a_customer_without_any_order_cannot_review(harness, tea):
    stranger = harness.register("stranger@example.com")
    with pytest.raises(NotPurchased):
        post(harness, stranger)
    assert stored_reviews(harness) == []


@pytest.mark.parametrize("status", ["pending", "confirmed", "shipped", "cancelled"])
def test_an_order_that_was_not_delivered_does_not_allow_a_review(harness, seed, tea, status):
    customer = harness.register("waiting@example.com")
    seed.order(customer, (tea, 2), status=status)
    with pytest.raises(NotPurchased):
        post(harness, customer)
    assert stored_reviews(harness) == []


def test_a_delivered_order_of_another_product_does_not_allow_a_review(harness, seed, vendor):
    seed.product(vendor, "green-tea")
    mug = seed.product(vendor, "mug")
    customer = harness.register("mugger@example.com")
    seed.order(customer, (mug, 1))
    with pytest.raises(NotPurchased):
        post(harness, customer, "green-tea")


def test_someone_elses_delivered_order_does_not_allow_a_review(harness, buyer):
    other = harness.register("other@example.com")
    with pytest.raises(NotPurchased):
        post(harness, other)


def test_a_vendor_cannot_review_its_own_product_even_after_buying_it(harness, seed, vendor, tea):
    seed.order(vendor, (tea, 1))
    with pytest.raises(PermissionDenied):
        post(harness, vendor)
    assert stored_reviews(harness) == []


def test_an_unknown_product_is_not_found(harness, buyer):
    with pytest.raises(ProductNotFound):
        post(harness, buyer, "no-such-tea")


def test_an_inactive_product_takes_no_reviews(harness, seed, vendor):
    old = seed.product(vendor, "old-tea", active=False)
    customer = harness.register("fan@example.com")
    seed.order(customer, (old, 1))
    with pytest.raises(ProductNotFound):
        post(harness, customer, "old-tea")


def test_a_second_review_of_the_same_product_is_a_conflict(harness, seed, buyer):
    post(harness, buyer, rating=5)
    with pytest.raises(DuplicateReview):
        post(harness, buyer, rating=1)
    assert [r.rating for r in stored_reviews(harness)] == [5]
    assert seed.stored_product("green-tea").rating_avg == Decimal("5.00")


def test_the_repository_refuses_a_duplicate_like_the_unique_constraint(harness, tea, buyer):
    now = harness.clock.now()
    with harness.uow() as uow:
        uow.reviews.add(Review(tea.id, buyer.user_id, 3, "One.", now, now))
        with pytest.raises(IntegrityViolation):  # not the domain error: the use case owes that
            uow.reviews.add(Review(tea.id, buyer.user_id, 4, "Two.", now, now))


# --- what a review holds ---------------------------------------------------------------------


@pytest.mark.parametrize("rating", [0, 6, -1, 4.5, "5", True, None, Decimal("4")])
def test_a_rating_must_be_a_whole_number_from_one_to_five(harness, buyer, rating):
    with pytest.raises(RuleViolation) as caught:
        post(harness, buyer, rating=rating)
    assert "rating" in caught.value.errors
    assert stored_reviews(harness) == []


@pytest.mark.parametrize("comment", ["", "   ", "\n\t", "x" * 2001])
def test_a_comment_must_have_one_to_2000_characters_after_trimming(harness, buyer, comment):
    with pytest.raises(RuleViolation) as caught:
        post(harness, buyer, comment=comment)
    assert "comment" in caught.value.errors
    assert stored_reviews(harness) == []


def test_limits_are_inclusive(harness, buyer):
    review = post(harness, buyer, comment="x" * 2000, title="t" * 120)
    assert len(review.comment) == 2000 and len(review.title) == 120


def test_a_title_longer_than_120_characters_is_refused(harness, buyer):
    with pytest.raises(RuleViolation) as caught:
        post(harness, buyer, title="t" * 121)
    assert "title" in caught.value.errors


def test_the_title_is_optional(harness, buyer):
    assert post(harness, buyer).title == ""


# --- the rating aggregate --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "count", "expected"),
    [(9, 2, "4.50"), (5, 3, "1.67"), (4, 3, "1.33"), (9, 8, "1.13"), (7, 1, "7.00")],
)
def test_the_average_is_rounded_half_up_to_the_cent(total, count, expected):
    assert average_rating(total, count) == Decimal(expected)


def test_no_ratings_have_no_average():
    assert average_rating(0, 0) is None


def _customers_who_bought(harness, seed, product, count):
    customers = []
    for n in range(count):
        customer = harness.register(f"c{n}@example.com")
        seed.order(customer, (product, 1))
        customers.append(customer)
    return customers


def test_the_product_rating_follows_create_edit_and_delete(harness, seed, tea):
    ann, bob = _customers_who_bought(harness, seed, tea, 2)
    post(harness, ann, rating=4)
    first = post(harness, bob, rating=5)
    assert _rating(seed) == (Decimal("4.50"), 2)

    harness.shop.edit_review.execute(bob, first.id, ReviewChanges(rating=1))
    assert _rating(seed) == (Decimal("2.50"), 2)

    harness.shop.delete_review.execute(bob, first.id)
    assert _rating(seed) == (Decimal("4.00"), 1)


def test_deleting_the_last_review_clears_the_rating(harness, seed, buyer):
    review = post(harness, buyer, rating=3)
    harness.shop.delete_review.execute(buyer, review.id)
    assert _rating(seed) == (None, 0)


def _rating(seed):
    product = seed.stored_product("green-tea")
    return product.rating_avg, product.rating_count


# --- editing and deleting --------------------------------------------------------------------


def test_the_author_edits_only_the_fields_given(harness, buyer):
    review = post(harness, buyer, rating=4, title="Nice", comment="Good tea.")
    harness.clock.advance(minutes=5)
    edited = harness.shop.edit_review.execute(buyer, review.id, ReviewChanges(comment=" Great. "))
    assert (edited.rating, edited.title, edited.comment) == (4, "Nice", "Great.")
    assert edited.created_at == review.created_at
    assert edited.updated_at == review.created_at + timedelta(minutes=5)


def test_an_edit_that_changes_nothing_keeps_updated_at(harness, buyer):
    review = post(harness, buyer, rating=4, title="Nice", comment="Good tea.")
    harness.clock.advance(minutes=5)
    same = ReviewChanges(rating=4, title=" Nice", comment="Good tea. ")
    assert harness.shop.edit_review.execute(buyer, review.id, same).updated_at == review.updated_at


def test_an_admin_may_edit_and_delete_any_review(harness, seed, buyer):
    admin = harness.admin()
    review = post(harness, buyer, rating=2)
    assert harness.shop.edit_review.execute(admin, review.id, ReviewChanges(rating=3)).rating == 3
    harness.shop.delete_review.execute(admin, review.id)
    assert stored_reviews(harness) == []


def test_another_customer_may_neither_edit_nor_delete_a_review(harness, seed, buyer):
    review = post(harness, buyer, rating=2)
    other = harness.register("other@example.com")
    with pytest.raises(PermissionDenied):
        harness.shop.edit_review.execute(other, review.id, ReviewChanges(rating=5))
    with pytest.raises(PermissionDenied):
        harness.shop.delete_review.execute(other, review.id)
    assert [r.rating for r in stored_reviews(harness)] == [2]


def test_the_products_vendor_may_not_edit_its_reviews(harness, vendor, buyer):
    review = post(harness, buyer, rating=1)
    with pytest.raises(PermissionDenied):
        harness.shop.edit_review.execute(vendor, review.id, ReviewChanges(rating=5))


def test_an_unknown_review_is_not_found(harness, buyer):
    with pytest.raises(ReviewNotFound):
        harness.shop.edit_review.execute(buyer, 999, ReviewChanges(rating=5))
    with pytest.raises(ReviewNotFound):
        harness.shop.delete_review.execute(buyer, 999)


def test_an_invalid_edit_changes_nothing(harness, seed, buyer):
    review = post(harness, buyer, rating=4, comment="Good.")
    with pytest.raises(RuleViolation):
        harness.shop.edit_review.execute(buyer, review.id, ReviewChanges(rating=5, comment=" "))
    [stored] = stored_reviews(harness)
    assert (stored.rating, stored.comment) == (4, "Good.")
    assert _rating(seed) == (Decimal("4.00"), 1)


# --- listing ---------------------------------------------------------------------------------


def test_reviews_are_listed_newest_first_and_paginated(harness, seed, tea):
    customers = _customers_who_bought(harness, seed, tea, 4)
    ids = []
    for n, customer in enumerate(customers):
        if n != 2:  # the third and fourth review share a timestamp: the higher id comes first
            harness.clock.advance(minutes=1)
        ids.append(post(harness, customer, rating=n + 1).id)

    page = harness.shop.list_reviews.execute(None, "green-tea", 0, 3)
    assert page.total == 4
    assert [r.id for r in page.items] == [ids[3], ids[2], ids[1]]
    rest = harness.shop.list_reviews.execute(None, "green-tea", 3, 3)
    assert [r.id for r in rest.items] == [ids[0]]


def test_an_unknown_products_reviews_are_not_found(harness):
    with pytest.raises(ProductNotFound):
        harness.shop.list_reviews.execute(None, "nothing", 0, 20)


def test_an_inactive_products_reviews_are_shown_only_to_its_vendor_and_admins(
    harness, seed, vendor
):
    seed.product(vendor, "old-tea", active=False)
    customer = harness.register("c@example.com")
    for who in (None, customer):
        with pytest.raises(ProductNotFound):
            harness.shop.list_reviews.execute(who, "old-tea", 0, 20)
    assert harness.shop.list_reviews.execute(vendor, "old-tea", 0, 20).total == 0
    assert harness.shop.list_reviews.execute(harness.admin(), "old-tea", 0, 20).total == 0
