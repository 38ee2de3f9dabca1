"""Domain errors map to HTTP in one place, and error bodies are flat."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest
from flask import Flask

import shopcore
from shop_web.errors import STATUS_BY_CATEGORY, flatten, status_for
from shopcore.domain import errors as domain

ALLOWED = {401, 403, 404, 409, 422}
# The one category outside the contract's client errors: the database stayed busy after retries.
UNAVAILABLE: type[domain.ShopError] | None = getattr(domain, "TemporarilyUnavailable", None)


def every_shop_error() -> list[type[domain.ShopError]]:
    """Every subclass of ShopError in shopcore, after importing all of shopcore's modules."""
    for module in pkgutil.walk_packages(shopcore.__path__, "shopcore."):
        if ".migrations" not in module.name:
            importlib.import_module(module.name)
    found: list[type[domain.ShopError]] = []
    pending = list(domain.ShopError.__subclasses__())
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return sorted(set(found), key=lambda cls: cls.__qualname__)


def test_there_are_errors_to_map() -> None:
    names = {cls.__name__ for cls in every_shop_error()}
    assert {"EmailTaken", "InvalidCredentials", "InvalidToken", "UserNotFound"} <= names


@pytest.mark.parametrize("error", every_shop_error(), ids=lambda cls: cls.__name__)
def test_every_shop_error_maps_to_a_client_error_status(error: type[domain.ShopError]) -> None:
    if UNAVAILABLE is not None and issubclass(error, UNAVAILABLE):
        assert status_for(error()) == 503
    else:
        assert status_for(error()) in ALLOWED


@pytest.mark.parametrize(
    ("error", "status"),
    [(domain.NotFound, 404), (domain.Conflict, 409), (domain.RuleViolation, 422),
     (domain.AuthenticationFailed, 401), (domain.PermissionDenied, 403),
     (domain.EmailTaken, 409), (domain.InvalidToken, 401), (domain.UserNotFound, 404),
     (domain.OutOfStock, 409), (domain.IllegalTransition, 409), (domain.DuplicateReview, 409),
     (domain.InvalidImage, 422)],
)  # fmt: skip
def test_categories_map_to_the_contracts_statuses(
    error: type[domain.ShopError], status: int
) -> None:
    assert status_for(error()) == status


def test_categories_are_direct_subclasses_of_shop_error() -> None:
    assert all(domain.ShopError in cls.__bases__ for cls in STATUS_BY_CATEGORY)
    assert status_for(domain.ShopError()) == 500


@pytest.mark.parametrize(
    ("messages", "flat"),
    [
        ({"json": {"email": ["Bad."]}}, {"email": ["Bad."]}),
        ({"query": {"page": ["Too small."]}, "json": {"x": ["No."]}},
         {"page": ["Too small."], "x": ["No."]}),
        ({"json": {"shipping": {"city": ["Missing."]}}}, {"shipping.city": ["Missing."]}),
        ({"json": {"items": {0: {"quantity": ["Too small."]}, 2: {"sku": ["No."]}}}},
         {"items.0.quantity": ["Too small."], "items.2.sku": ["No."]}),
        ({"json": {"_schema": ["Invalid input type."]}}, {"_schema": ["Invalid input type."]}),
        ({"json": {"shipping": {"_schema": ["Bad."]}}}, {"shipping": ["Bad."]}),
        ({"files": {"image": ["Missing."]}}, {"image": ["Missing."]}),
        ({"email": ["Bad."]}, {"email": ["Bad."]}),
        ({"json": {"tags": {1: ["Not a string."]}}}, {"tags.1": ["Not a string."]}),
    ],
)  # fmt: skip
def test_validation_messages_are_flattened_to_dotted_paths(
    messages: dict[Any, Any], flat: dict[str, list[str]]
) -> None:
    assert flatten(messages) == flat


def test_domain_errors_answer_with_their_message_and_field_errors(app: Flask) -> None:
    from shop_web.errors import handle_shop_error

    error = domain.EmailTaken(errors={"email": ["Taken."]})
    with app.test_request_context():
        body, status, headers = handle_shop_error(error)  # type: ignore[misc]

    assert status == 409 and headers == {}
    expected = {"code": 409, "status": "Conflict", "message": error.message}
    assert body.get_json() == {**expected, "errors": {"email": ["Taken."]}}


def test_authentication_errors_carry_www_authenticate(app: Flask) -> None:
    from shop_web.errors import handle_shop_error

    with app.test_request_context():
        _body, status, headers = handle_shop_error(domain.InvalidToken())  # type: ignore[misc]

    assert status == 401 and headers["WWW-Authenticate"].startswith("Bearer")
