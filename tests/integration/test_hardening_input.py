"""Hardening of input (issue 10): numbers are ASCII digits, emails have one spelling, and a
signed token with a malformed claim is a 401, on SQLite and on MariaDB.
"""

from __future__ import annotations

import time
from urllib.parse import quote, unquote

import jwt
import pytest

from tests.integration.hostile_helpers import Shop, refusal, send, snapshot

KEY = "test-secret-key-of-at-least-32-bytes!!"  # conftest.test_config's SECRET_KEY
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
PASSWORD = "correct-horse-battery"


@pytest.fixture
def shop(api) -> Shop:
    return Shop(api)


def other_digits(number: int, script: dict[int, str]) -> str:
    """``number`` written in another script's digits, percent-encoded for a URL."""
    return quote(str(number).translate(script))


# --- ids in paths ------------------------------------------------------------------------------


def _id_routes(shop: Shop) -> list[tuple[str, str, int, str]]:
    """(method, path template with {id}, the id, role) of every route with an id in its path."""
    return [
        ("GET", "/api/users/{id}/", shop.ids["customer"], "admin"),
        ("PATCH", "/api/users/{id}/", shop.ids["customer"], "admin"),
        ("DELETE", "/api/users/{id}/", shop.ids["customer"], "admin"),
        ("GET", "/api/categories/{id}/", shop.category_id, ""),
        ("PATCH", "/api/categories/{id}/", shop.category_id, "admin"),
        ("DELETE", "/api/categories/{id}/", shop.category_id, "admin"),
        ("PATCH", "/api/reviews/{id}/", shop.review_id, "customer"),
        ("DELETE", "/api/reviews/{id}/", shop.review_id, "customer"),
        ("DELETE", f"/api/products/{shop.slug}/images/{{id}}/", shop.image_id, "vendor"),
    ]


@pytest.mark.parametrize("script", [FULLWIDTH, ARABIC_INDIC], ids=["fullwidth", "arabic-indic"])
def test_an_id_in_a_path_written_in_other_digits_is_404_and_changes_nothing(shop, script):
    before = snapshot(shop.app)
    problems = []
    for method, template, number, role in _id_routes(shop):
        path = template.format(id=other_digits(number, script))
        body = {"rating": 1} if "reviews" in path else {"name": "Renamed"} | {"role": "admin"}
        answer = shop.call(method, path, body if method == "PATCH" else None, role or None)
        if problem := refusal(answer, 404):
            problems.append(f"{method} {path} as {role or 'anonymous'}: {problem}")

    assert problems == []
    assert snapshot(shop.app) == before


def test_the_issues_fullwidth_one_is_not_user_one(shop):
    answer = shop.call("GET", "/api/users/%EF%BC%91/", None, "admin")

    assert refusal(answer, 404) is None


def test_the_same_ids_in_ascii_digits_still_reach_their_resources(shop):
    assert shop.call("GET", f"/api/users/{shop.ids['customer']}/", None, "admin").status_code == 200
    assert shop.call("GET", f"/api/categories/{shop.category_id}/").status_code == 200
    body = {"rating": 2}
    answer = shop.call("PATCH", f"/api/reviews/{shop.review_id}/", body, "customer")
    assert answer.status_code == 200 and answer.get_json()["rating"] == 2


# --- numbers in query strings ------------------------------------------------------------------

OTHER_NUMBERS = ["٢", "５", "1_0", "%205", "5%20", "+5", "%EF%BC%91%EF%BC%90", "%C2%B2", "1e1"]


def _lists(shop: Shop) -> list[tuple[str, str]]:
    return [
        ("/api/products/", ""), ("/api/users/", "admin"), ("/api/orders/", "customer"),
        ("/api/vendor/orders/", "vendor"), (f"/api/products/{shop.slug}/reviews/", ""),
    ]  # fmt: skip


def _not_refused(shop: Shop, urls: list[tuple[str, str]], field: str) -> list[str]:
    found = []
    for url, role in urls:
        answer = shop.call("GET", url, None, role or None)
        problem = refusal(answer, 422)
        if problem is None and field not in answer.get_json().get("errors", {}):
            problem = f"no errors.{field}: {answer.get_json()}"
        if problem:
            found.append(f"{url} as {role or 'anonymous'}: {problem}")
    return found


@pytest.mark.parametrize("field", ["page", "page_size"])
def test_page_numbers_that_are_not_ascii_digits_are_422_on_every_list(shop, field):
    urls = [(f"{path}?{field}={number}", role) for path, role in _lists(shop)
            for number in OTHER_NUMBERS]  # fmt: skip

    assert _not_refused(shop, urls, field) == []


def test_the_vendor_filter_and_analytics_vendor_take_ascii_digits_only(shop):
    vendor = shop.ids["vendor"]
    urls = [(f"/api/products/?vendor={other_digits(vendor, script)}", "")
            for script in (FULLWIDTH, ARABIC_INDIC)]  # fmt: skip
    urls += [(f"/api/products/?vendor={number}", "") for number in OTHER_NUMBERS]
    urls += [(f"/api/vendor/analytics/?vendor={other_digits(vendor, script)}", "admin")
             for script in (FULLWIDTH, ARABIC_INDIC)]  # fmt: skip

    assert _not_refused(shop, urls, "vendor") == []


@pytest.mark.parametrize("script", [FULLWIDTH, ARABIC_INDIC], ids=["fullwidth", "arabic-indic"])
def test_a_category_id_in_other_digits_is_not_an_id_but_an_unknown_slug(shop, script):
    url = f"/api/products/?category={other_digits(shop.category_id, script)}"

    assert _not_refused(shop, [(url, "")], "category") == []


def test_ascii_numbers_in_query_strings_still_filter_and_page(shop):
    vendor, category = shop.ids["vendor"], shop.category_id
    answer = shop.call(
        "GET", f"/api/products/?vendor={vendor}&category={category}&page=1&page_size=5"
    )
    assert answer.status_code == 200
    assert [item["slug"] for item in answer.get_json()["results"]] == [shop.slug]

    answer = shop.call("GET", f"/api/vendor/analytics/?vendor={vendor}", None, "admin")
    assert answer.status_code == 200 and answer.get_json()["product_count"] == 1


def test_body_ids_written_as_strings_of_other_digits_are_422(shop):
    before = snapshot(shop.app)
    category = str(shop.category_id).translate(FULLWIDTH)
    product = {"name": "Kettle", "description": "", "price": "5.00", "stock": 1,
               "category": category}  # fmt: skip

    answers = {
        "category": shop.call("POST", "/api/products/", product, "vendor"),
        "parent": shop.call("POST", "/api/categories/", {"name": "Sub", "parent": category},
                            "admin"),
    }  # fmt: skip

    for field, answer in answers.items():
        assert refusal(answer, 422) is None and field in answer.get_json()["errors"]
    assert snapshot(shop.app) == before


# --- emails ------------------------------------------------------------------------------------


def register(shop: Shop, email: str) -> object:
    body = {"email": email, "password": PASSWORD, "first_name": "Jo", "last_name": "Ruiz"}
    return send(shop.client, "POST", "/api/auth/register/", body)


def log_in(shop: Shop, email: str) -> object:
    body = {"email": email, "password": PASSWORD}
    return send(shop.client, "POST", "/api/auth/login/", body)


def test_login_accepts_the_email_as_registered_in_decomposed_form(shop):
    decomposed = "Jose\u0301@Example.com"
    registered = register(shop, decomposed)
    assert registered.status_code == 201, registered.get_json()

    answer = log_in(shop, decomposed)

    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["user"]["email"] == "jos\u00e9@example.com"
    assert log_in(shop, "jos\u00e9@example.com").status_code == 200


def test_a_fullwidth_spelling_of_a_registered_email_is_the_same_account(shop):
    assert register(shop, "jo@example.com").status_code == 201
    fullwidth = (
        "\uff4a\uff4f\uff20\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45\uff0e\uff43\uff4f\uff4d"
    )

    assert refusal(register(shop, fullwidth), 409) is None
    assert log_in(shop, fullwidth).status_code == 200


@pytest.mark.parametrize("char", ["%E2%80%8B", "%C2%AD", "%EF%BB%BF"], ids=["zwsp", "shy", "bom"])
def test_an_email_with_an_invisible_character_is_422_and_makes_no_account(shop, char):
    assert register(shop, "jo@example.com").status_code == 201
    before = snapshot(shop.app)

    answer = register(shop, f"jo{unquote(char)}@example.com")

    assert refusal(answer, 422) is None and "email" in answer.get_json()["errors"]
    assert snapshot(shop.app) == before
    assert refusal(log_in(shop, f"jo{unquote(char)}@example.com"), 401) is None


# --- tokens ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("claim", "value"),
    [("exp", "string"), ("iat", "string"), ("exp", 1.5), ("sub", 1), ("sid", ["x"])],
)
def test_a_signed_token_with_a_malformed_claim_is_a_json_401(shop, claim, value):
    claims = jwt.decode(shop.tokens["customer"], options={"verify_signature": False})
    now = int(time.time())
    if value == "string":
        value = str(now + 600) if claim == "exp" else str(now)
    token = jwt.encode({**claims, claim: value}, KEY, algorithm="HS256")

    for path in ("/api/auth/me/", "/api/cart/"):
        answer = send(shop.client, "GET", path, token=token)
        assert refusal(answer, 401) is None, path
    answer = send(shop.client, "POST", "/api/auth/refresh/", {"refresh": token})
    assert refusal(answer, 401) is None
