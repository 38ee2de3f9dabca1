"""Schemathesis against our own /openapi.json, in-process, as every role.

Property-based: for every operation it sends valid and invalid requests built from the
document, and checks that no answer is a 5xx and that every answer's status code, content type
and body are the ones the document promises.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks

from tests.fuzz.seeding import Seeded, build_app, seed

pytestmark = pytest.mark.fuzz

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]

# Loaded when the module is imported: schemathesis makes one test per operation from it.
# Reading /openapi.json needs no database; the ``seeded`` fixture makes it before any case runs.
ROOT = Path(tempfile.mkdtemp(prefix="shop-fuzz-"))
APP = build_app(ROOT)
schema = schemathesis.openapi.from_wsgi("/openapi.json", APP)


@pytest.fixture(scope="module")
def seeded() -> Iterator[Seeded]:
    try:
        yield seed(APP)
    finally:
        APP.extensions["shopcore"].engine.dispose()
        shutil.rmtree(ROOT, ignore_errors=True)


def auth(seeded, role: str) -> dict[str, str]:
    return {} if role == "anonymous" else {"Authorization": f"Bearer {seeded.tokens[role]}"}


def fuzz_as(role: str):
    """One test per role: every operation, as that caller.

    (schemathesis' ``parametrize`` does not combine with pytest's, so the roles are written out.)
    """

    @schema.parametrize()
    @settings(
        max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
    )
    def test(case, seeded):
        case.call_and_validate(headers=auth(seeded, role), checks=CHECKS)

    test.__doc__ = f"Every operation, called as {role}, keeps the promises of /openapi.json."
    return test


test_every_operation_keeps_its_promises_to_anonymous_callers = fuzz_as("anonymous")
test_every_operation_keeps_its_promises_to_a_revoked_token = fuzz_as("revoked")  # logged out
test_every_operation_keeps_its_promises_to_a_customer = fuzz_as("customer")
test_every_operation_keeps_its_promises_to_a_vendor = fuzz_as("vendor")
test_every_operation_keeps_its_promises_to_an_admin = fuzz_as("admin")


# Generated path values almost never name a real object, so each detail route is also called on
# seeded ones: their full answers must match the documented schemas too. These get an app of
# their own, since fuzzing may delete or change anything it finds.
@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Seeded]]:
    app = build_app(tmp_path_factory.mktemp("pristine"))
    try:
        seeded = seed(app)
        yield schemathesis.openapi.from_wsgi("/openapi.json", app), seeded
    finally:
        app.extensions["shopcore"].engine.dispose()


REAL_OBJECTS = [
    ("GET", "/api/categories/{category_id}/", "anonymous"),
    ("GET", "/api/products/{slug}/", "anonymous"),
    ("GET", "/api/products/{slug}/", "vendor"),
    ("GET", "/api/products/{slug}/reviews/", "anonymous"),
    ("GET", "/api/orders/{order_number}/", "customer"),
    ("GET", "/api/orders/{order_number}/", "admin"),
    ("GET", "/api/users/{user_id}/", "admin"),
    ("GET", "/api/vendor/orders/", "vendor"),
    ("GET", "/api/vendor/analytics/", "vendor"),
    ("GET", "/api/orders/", "admin"),
    ("GET", "/api/users/", "admin"),
    ("GET", "/api/cart/", "customer"),
    ("GET", "/api/auth/me/", "vendor"),
    ("PATCH", "/api/reviews/{review_id}/", "customer"),
]


def path_values(seeded: Seeded) -> dict[str, object]:
    return {"category_id": seeded.category_id, "slug": seeded.product_slug,
            "order_number": seeded.order_number, "user_id": seeded.user_ids["vendor"],
            "review_id": seeded.review_id}  # fmt: skip


@pytest.mark.parametrize(("method", "path", "role"), REAL_OBJECTS)
def test_real_objects_match_their_documented_schemas(method, path, role, pristine):
    real_schema, seeded = pristine
    operation = real_schema[path][method]
    names = {p.name for p in operation.path_parameters}
    values = {k: v for k, v in path_values(seeded).items() if k in names}
    body = {"body": {"comment": "Still works."}} if method == "PATCH" else {}

    case = operation.Case(path_parameters=values, **body)
    response = case.call_and_validate(headers=auth(seeded, role), checks=CHECKS)

    assert response.status_code == 200, response.text
