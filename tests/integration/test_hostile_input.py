"""Hostile JSON bodies: every field of every write endpoint given what it must never accept.

Each answer must be a clean 400 or 422 with the error shape (never a 500, never a 2xx), and the
database must be exactly as it was before the whole barrage.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from tests.integration.hostile_helpers import MEGABYTE, SHIPPING, Shop, refusal, send, snapshot

# What each kind of field is attacked with. Every value here is wrong for every field of its kind.
WRONG_TYPES = [None, [], [1], {}, {"a": 1}, True]
TEXT = [*WRONG_TYPES, 1, 10**30, 1.5, "a\x00b", "bell\x07", "\x1b[31mred", MEGABYTE]
NUMBER = [*WRONG_TYPES, False, 10**30, -(10**30), 2**31, -1, 1.5, 2.0, 1.123456789, "5", "1e3",
          "NaN", "Infinity", "-0", "", "abc"]  # fmt: skip
MONEY = [*WRONG_TYPES, 10**30, "1e999999999", 1.123456789, "10.001", "1e3", "1E+2", "1_000",
         "NaN", "Infinity", "-Infinity", "", "abc", "0x10", "+5", "١٢", -1, "-5.00"]  # fmt: skip
FLAG = [None, [], {}, 0, 1, "true", "false", "yes", "", 1.0]
CHOICE = [*WRONG_TYPES, 1, "", "BOGUS", "a\x00", MEGABYTE]
SLUG = [*WRONG_TYPES, 1, "", "a\x00b", MEGABYTE]


def _endpoints(shop: Shop) -> dict[str, tuple[str, str, str | None, dict[str, Any], dict]]:
    """name -> (method, path, role, a valid body, {field path: values to try})."""
    text = dict.fromkeys
    product = {
        **text(["name", "description"], TEXT),
        "category": NUMBER,
        "stock": NUMBER,
        "price": [*MONEY, 0, "0.00"],
        "discount_price": MONEY[1:],
        "is_active": FLAG,
    }
    product_body = {"name": "Pot", "description": "", "category": shop.category_id,
                    "price": "10.00", "stock": 3}  # fmt: skip
    shipping = {f"shipping.{name}": TEXT for name in SHIPPING}
    review = {"rating": [*NUMBER, 0, 6], "title": TEXT[1:], "comment": TEXT[1:]}
    return {
        "register": ("POST", "/api/auth/register/", None, {
            "email": "new@example.com", "password": "s3cret-pass", "first_name": "A",
            "last_name": "B"}, {**text(["email", "password", "first_name", "last_name",
                                         "phone", "address"], TEXT), "role": [*CHOICE, "admin"]}),
        "login": ("POST", "/api/auth/login/", None, {
            "email": "new@example.com", "password": "s3cret-pass"},
            text(["email", "password"], TEXT)),
        "refresh": ("POST", "/api/auth/refresh/", None, {"refresh": "x"}, {"refresh": TEXT}),
        "logout": ("POST", "/api/auth/logout/", "customer", {"refresh": "x"}, {"refresh": TEXT}),
        "profile": ("PATCH", "/api/auth/me/", "customer", {"first_name": "Ann"},
                    text(["first_name", "last_name", "phone", "address"], TEXT)),
        "password": ("POST", "/api/auth/change-password/", "customer", {
            "old_password": "s3cret-pass", "new_password": "An0ther-pass"},
            text(["old_password", "new_password"], TEXT)),
        "admin-user": ("PATCH", f"/api/users/{shop.ids['customer']}/", "admin", {"role": "vendor"},
                       {"role": [*CHOICE, "superuser"], "is_active": FLAG}),
        "category-create": ("POST", "/api/categories/", "admin", {"name": "Garden"}, {
            "name": TEXT, "description": TEXT, "parent": NUMBER[1:]}),
        "category-put": ("PUT", f"/api/categories/{shop.category_id}/", "admin", {"name": "Garden"},
                         {"name": TEXT, "description": TEXT, "parent": NUMBER[1:]}),
        "product-create": ("POST", "/api/products/", "vendor", product_body, product),
        "product-patch": ("PATCH", f"/api/products/{shop.slug}/", "vendor", {"stock": 9}, product),
        "product-put": ("PUT", f"/api/products/{shop.slug}/update/", "vendor", product_body,
                        product),
        "cart-add": ("POST", "/api/cart/items/", "customer", {"product": shop.slug, "quantity": 1},
                     {"product": SLUG, "quantity": [*NUMBER, 0, 1001]}),
        "cart-set": ("PATCH", f"/api/cart/items/{shop.slug}/", "customer", {"quantity": 2},
                     {"quantity": [*NUMBER, 1001]}),
        "order": ("POST", "/api/orders/", "customer", {
            "items": [{"product": shop.slug, "quantity": 1}], "shipping": SHIPPING,
            "payment_method": "card"}, {
            "items": [None, {}, "x", 5, [], [None], [1], [[]]], "items.0.product": SLUG,
            "items.0.quantity": [*NUMBER, 0, 1001], "shipping": [None, [], "x", 5, {}],
            **shipping, "payment_method": [*CHOICE, "bitcoin"]}),
        "order-status": ("PATCH", f"/api/orders/{shop.order_number}/status/", "admin",
                         {"status": "confirmed"}, {"status": [*CHOICE, "lost"],
                                                   "payment_status": [*CHOICE, "stolen"]}),
        "review-post": ("POST", f"/api/products/{shop.slug}/reviews/", "customer",
                        {"rating": 5, "comment": "Good."}, review),
        "review-patch": ("PATCH", f"/api/reviews/{shop.review_id}/", "customer", {"rating": 2},
                         review),
    }  # fmt: skip


ENDPOINTS = [
    "register", "login", "refresh", "logout", "profile", "password", "admin-user",
    "category-create", "category-put", "product-create", "product-patch", "product-put",
    "cart-add", "cart-set", "order", "order-status", "review-post", "review-patch",
]  # fmt: skip


def _with(body: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of ``body`` with the field at dotted ``path`` (``items.0.quantity``) set."""
    result = copy.deepcopy(body)
    *parents, last = path.split(".")
    target: Any = result
    for name in parents:
        target = target[int(name)] if isinstance(target, list) else target[name]
    target[int(last) if isinstance(target, list) else last] = value
    return result


@pytest.fixture
def shop(api) -> Shop:
    shop = Shop(api)
    assert shop.call("POST", "/api/cart/items/", {"product": shop.slug, "quantity": 1},
                     "customer").status_code == 201  # fmt: skip
    return shop


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_every_field_given_a_wrong_value_is_refused_cleanly_and_nothing_is_written(shop, endpoint):
    method, path, role, valid, fields = _endpoints(shop)[endpoint]
    before, failures = snapshot(shop.app), []

    for field, values in fields.items():
        for value in values:
            answer = shop.call(method, path, _with(valid, field, value), role)
            problem = refusal(answer, 400, 422)
            if problem:
                failures.append(f"{field}={value!r:.40}: {problem}")

    assert failures == []
    assert snapshot(shop.app) == before


BROKEN_BODIES: dict[str, bytes] = {
    "bytes that are not UTF-8": b'{"name": "\xff\xfe\xfd"}',
    "a lone surrogate in a value": b'{"name": "\\ud800"}',
    "a lone surrogate in a key": b'{"\\udfff": 1}',
    "a JSON array": b'[{"name": "Pot"}]',
    "a JSON string": b'"Pot"',
    "null": b"null",
    "10k levels of arrays": b"[" * 10_000 + b"]" * 10_000,
    "10k levels of objects": b'{"a":' * 10_000 + b"1" + b"}" * 10_000,
    "NaN": b'{"price": NaN}',
    "Infinity": b'{"price": Infinity, "stock": -Infinity}',
    "an exponent too large for any decimal": b'{"price": 1e999999999}',
    "an integer of 5000 digits": b'{"stock": 1' + b"0" * 5000 + b"}",
    "a repeated key": b'{"role": "customer", "role": "admin"}',
    "trailing garbage": b'{"name": "Pot"} {"name": "Pan"}',
    "a truncated object": b'{"name": "Pot"',
    "single quotes": b"{'name': 'Pot'}",
    "a NUL byte outside a string": b'{"name": "Pot"}\x00',
}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_broken_bodies_are_400_or_422_on_every_endpoint_and_write_nothing(shop, endpoint):
    method, path, role, _, _ = _endpoints(shop)[endpoint]
    before, failures = snapshot(shop.app), []

    for name, raw in BROKEN_BODIES.items():
        problem = refusal(shop.call(method, path, raw, role), 400, 422)
        if problem:
            failures.append(f"{name}: {problem}")
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "application/xml"):
        answer = send(shop.client, method, path, b'{"name": "Pot"}',
                      shop.tokens.get(role or ""), content_type=content_type)  # fmt: skip
        if problem := refusal(answer, 400):
            failures.append(f"{content_type}: {problem}")

    assert failures == []
    assert snapshot(shop.app) == before


def test_broken_json_says_why_when_the_reason_is_ours(client):
    cases: dict[bytes, str] = {
        b'{"email": "a@b.co", "email": "root@b.co"}': "an object repeats a key",
        b"[" * 10_000: "nested too deeply",
        b'{"email": "\\ud83d"}': "lone surrogate",
    }
    for raw, reason in cases.items():
        answer = send(client, "POST", "/api/auth/login/", raw)
        assert answer.status_code == 400 and reason in answer.get_json()["message"]


def test_a_valid_surrogate_pair_is_text_and_is_kept(shop):
    answer = shop.call("PATCH", "/api/auth/me/", b'{"first_name": "Ann \\ud83d\\ude00"}',
                       "customer")  # fmt: skip
    assert answer.status_code == 200
    assert answer.get_json()["first_name"] == "Ann \U0001f600"


def test_control_characters_are_named_by_their_field_path_and_tabs_and_newlines_pass(shop):
    body = {
        "items": [{"product": shop.slug, "quantity": 1}],
        "payment_method": "card",
        "shipping": {**SHIPPING, "city": "Pu\x00ne", "address_line2": "Flat 2\r\nBlock\tB"},
    }
    answer = shop.call("POST", "/api/orders/", body, "customer")
    assert answer.status_code == 422
    assert answer.get_json()["errors"] == {
        "shipping.city": ["Control characters (other than tab and line breaks) are not allowed."]
    }
    body["shipping"]["city"] = "Pune"
    assert shop.call("POST", "/api/orders/", body, "customer").status_code == 201


def test_money_is_read_exactly_from_plain_decimal_strings_and_json_numbers(shop):
    accepted: dict[Any, str] = {"12": "12.00", " 12.5 ": "12.50", 12.25: "12.25", 1e3: "1000.00",
                                "9999999999.99": "9999999999.99"}  # fmt: skip
    for sent, stored in accepted.items():
        answer = shop.call("PATCH", f"/api/products/{shop.slug}/", {"price": sent}, "vendor")
        assert (answer.status_code, answer.get_json()["price"]) == (200, stored), sent
    for sent in ("10000000000", 10**10):
        answer = shop.call("PATCH", f"/api/products/{shop.slug}/", {"price": sent}, "vendor")
        assert answer.get_json()["errors"] == {"price": ["The amount is too large."]}


MASS_ASSIGNMENT: list[tuple[str, Callable[[Shop], tuple[str, str, str, dict[str, Any]]]]] = [
    ("register as admin", lambda s: ("POST", "/api/auth/register/", "", {"role": "admin"})),
    ("register active flag", lambda s: ("POST", "/api/auth/register/", "", {"is_active": False})),
    ("register id", lambda s: ("POST", "/api/auth/register/", "", {"id": 1})),
    ("own role", lambda s: ("PATCH", "/api/auth/me/", "vendor", {"role": "admin"})),
    ("own active flag", lambda s: ("PATCH", "/api/auth/me/", "vendor", {"is_active": False})),
    ("own email", lambda s: ("PATCH", "/api/auth/me/", "vendor", {"email": "x@example.com"})),
    ("own password", lambda s: ("PATCH", "/api/auth/me/", "vendor", {"password": "n3w-pass!"})),
    ("own profile image", lambda s: ("PATCH", "/api/auth/me/", "vendor", {"profile_image": "x"})),
    ("own join date", lambda s: ("PATCH", "/api/auth/me/", "vendor", {"date_joined": "2000"})),
    *[(f"product {name}", lambda s, name=name, value=value: (
        "PATCH", f"/api/products/{s.slug}/", "vendor", {name: value}))
      for name, value in [("vendor", 99), ("vendor_id", 99), ("id", 99), ("slug", "mine"),
                          ("rating_avg", "5.00"), ("rating_count", 99), ("final_price", "0.01"),
                          ("created_at", "2000-01-01T00:00:00+00:00"), ("images", []),
                          ("in_stock", True), ("updated_at", "2000-01-01T00:00:00+00:00")]],
    ("a product created for another vendor", lambda s: (
        "POST", "/api/products/", "vendor", {"vendor": s.ids["other_vendor"]})),
    ("an order line priced by the client", lambda s: (
        "POST", "/api/orders/", "customer", {"items": [
            {"product": s.slug, "quantity": 1, "unit_price": "0.01"}]})),
    ("an order paid by the client", lambda s: (
        "POST", "/api/orders/", "customer", {"payment_status": "paid"})),
    ("an order confirmed by the client", lambda s: (
        "POST", "/api/orders/", "customer", {"status": "delivered"})),
    ("an order with its own total", lambda s: ("POST", "/api/orders/", "customer", {"total": "0"})),
    ("a review verified by the client", lambda s: (
        "PATCH", f"/api/reviews/{s.review_id}/", "customer", {"verified_purchase": False})),
    ("a review moved to another author", lambda s: (
        "PATCH", f"/api/reviews/{s.review_id}/", "customer", {"user": s.ids["other_customer"]})),
    ("a review moved to another product", lambda s: (
        "PATCH", f"/api/reviews/{s.review_id}/", "customer", {"product": "other"})),
    ("a user's email changed by an admin", lambda s: (
        "PATCH", f"/api/users/{s.ids['customer']}/", "admin", {"email": "x@example.com"})),
    ("a user's password changed by an admin", lambda s: (
        "PATCH", f"/api/users/{s.ids['customer']}/", "admin", {"password": "n3w-pass!"})),
    ("a category's slug", lambda s: (
        "PATCH", f"/api/categories/{s.category_id}/", "admin", {"slug": "x"})),
    ("an order's total changed by an admin", lambda s: (
        "PATCH", f"/api/orders/{s.order_number}/status/", "admin", {"total": "0.00"})),
]  # fmt: skip
_BASES = {
    "/api/auth/register/": {"email": "mass@example.com", "password": "s3cret-pass",
                            "first_name": "A", "last_name": "B"},
    "/api/orders/": {"items": [], "shipping": SHIPPING, "payment_method": "card"},
    "/api/products/": {"name": "Pot", "description": "", "price": "10.00", "stock": 1},
}  # fmt: skip


@pytest.mark.parametrize("case", [name for name, _ in MASS_ASSIGNMENT])
def test_fields_nobody_may_set_are_refused_as_unknown_and_nothing_changes(shop, case):
    method, path, role, extra = dict(MASS_ASSIGNMENT)[case](shop)
    body = {**copy.deepcopy(_BASES.get(path, {})), **extra}
    if path == "/api/orders/" and not body["items"]:
        body["items"] = [{"product": shop.slug, "quantity": 1}]
    if path == "/api/products/":
        body["category"] = shop.category_id
    before = snapshot(shop.app)

    answer = shop.call(method, path, body, role or None)

    assert refusal(answer, 422) is None, answer.get_json()
    unknown = {name.split(".")[-1] for name in answer.get_json()["errors"]}
    assert unknown & set(extra) | unknown & {"unit_price"}, answer.get_json()
    assert snapshot(shop.app) == before


def test_idempotency_keys_differing_only_in_case_are_two_keys_on_every_database(shop):
    body = {"items": [{"product": shop.slug, "quantity": 1}], "shipping": SHIPPING,
            "payment_method": "card"}  # fmt: skip
    numbers = set()
    for key in ("retry-key", "RETRY-KEY", "Retry-Key"):
        answer = shop.client.post(
            "/api/orders/",
            json=body,
            headers={"Idempotency-Key": key, "Authorization": f"Bearer {shop.tokens['customer']}"},
        )
        assert answer.status_code == 201
        numbers.add(answer.get_json()["order_number"])
    assert len(numbers) == 3


def test_emails_differing_by_an_accent_are_two_accounts_on_every_database(client):
    body = {"password": "s3cret-pass", "first_name": "A", "last_name": "B"}
    for email in ("jose@example.com", "josé@example.com"):
        answer = send(client, "POST", "/api/auth/register/", {**body, "email": email})
        assert answer.status_code == 201, answer.get_json()
        assert answer.get_json()["user"]["email"] == email
    login = send(client, "POST", "/api/auth/login/", {"email": "josè@example.com",
                                                      "password": "s3cret-pass"})  # fmt: skip
    assert refusal(login, 401) is None
