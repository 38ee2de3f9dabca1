"""The unique keys the use cases check first, and the locking reads, on memory and on SQL.

Both refuse a second user with one email and a second review of one product by one author; SQL
answers with the domain error (a concurrent writer can get past the use case's check), the store
with IntegrityViolation (its units of work run one at a time, so only a use case that skipped its
check gets there). A locking read returns exactly what a plain read returns, on both.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from shopcore.adapters.memory.base import IntegrityViolation
from shopcore.adapters.memory.unit_of_work import InMemoryStore, InMemoryUnitOfWork
from shopcore.domain.catalog import Category, Product
from shopcore.domain.errors import DuplicateReview, EmailTaken
from shopcore.domain.reviews import Review
from shopcore.domain.users import User
from shopcore.domain.values import Role
from shopcore.ports.unit_of_work import UnitOfWork
from shopcore.ports.users import UserFilter

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


class Backend:
    def __init__(self, uow: Callable[[], UnitOfWork], memory: bool) -> None:
        self.uow, self.memory = uow, memory

    def refusal(self, domain_error: type[Exception]) -> type[Exception]:
        return IntegrityViolation if self.memory else domain_error


@pytest.fixture(params=["memory", "sql"])
def backend(request: pytest.FixtureRequest, app) -> Backend:
    if request.param == "memory":
        store = InMemoryStore()
        return Backend(lambda: InMemoryUnitOfWork(store), memory=True)
    return Backend(app.extensions["shopcore"].uow_factory, memory=False)


def _user(email: str, role: Role = Role.CUSTOMER) -> User:
    return User(email, "x", "Ann", "Lee", NOW, role)


def test_a_second_user_with_the_same_email_is_refused_and_not_stored(backend: Backend) -> None:
    with backend.uow() as uow:
        uow.users.add(_user("same@example.com"))
        uow.commit()

    with backend.uow() as uow, pytest.raises(backend.refusal(EmailTaken)):
        uow.users.add(_user("same@example.com"))
    with backend.uow() as uow:
        _, total = uow.users.list(UserFilter(search="same@example.com"), 0, 10)
        assert total == 1


def test_a_second_review_by_the_same_author_is_refused(backend: Backend) -> None:
    with backend.uow() as uow:
        vendor, buyer = _user("v@example.com", Role.VENDOR), _user("b@example.com")
        uow.users.add(vendor)
        uow.users.add(buyer)
        category = Category("Tea", "tea", NOW)
        uow.categories.add(category)
        assert vendor.id is not None and category.id is not None and buyer.id is not None
        tea = Product(vendor.id, category.id, "Tea", "tea", "", Decimal("5"), 1, NOW, NOW)
        uow.products.add(tea)
        assert tea.id is not None
        uow.reviews.add(Review(tea.id, buyer.id, 5, "First.", NOW, NOW))
        uow.commit()

    with backend.uow() as uow, pytest.raises(backend.refusal(DuplicateReview)):
        uow.reviews.add(Review(tea.id, buyer.id, 1, "Second.", NOW, NOW))
    with backend.uow() as uow:
        review = uow.reviews.get_by_author(tea.id, buyer.id)
        assert review is not None and review.comment == "First."
        assert uow.reviews.get(review.id or 0, lock=True) == uow.reviews.get(review.id or 0)


def test_a_locking_read_returns_what_a_plain_read_returns(backend: Backend) -> None:
    with backend.uow() as uow:
        user = _user("lock@example.com", Role.VENDOR)
        uow.users.add(user)
        category = Category("Pots", "pots", NOW)
        uow.categories.add(category)
        assert user.id is not None and category.id is not None
        pot = Product(user.id, category.id, "Pot", "pot", "", Decimal("5"), 1, NOW, NOW)
        uow.products.add(pot)
        uow.commit()

    with backend.uow() as uow:
        assert uow.users.get(user.id, lock=True) == uow.users.get(user.id)
        assert uow.products.lock_by_slug("pot") == uow.products.get_by_slug("pot")
        assert uow.products.lock_by_slug("nope") is None
        assert uow.categories.parents(lock=True) == uow.categories.parents()
