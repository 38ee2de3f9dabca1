"""Reading /openapi.json in tests: operations, references, answer schemas, answer checks."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from functools import cache
from typing import Any

from openapi_schema_validator import OAS30Validator, oas30_format_checker

from shop_web import create_app
from tests.integration.conftest import test_config as config_for_tests

SPEC_METHODS = {"get", "put", "post", "delete", "patch"}
ALIAS_PATHS = ("/create/", "/update/", "/delete/")  # the seed's spellings, kept for its clients


@cache
def document() -> dict[str, Any]:
    """The served document; it depends on the code only, so any database will do."""
    folder = tempfile.mkdtemp(prefix="openapi-")
    app = create_app(config_for_tests(f"sqlite:///{folder}/unused.sqlite3", folder))
    response = app.test_client().get("/openapi.json")
    assert response.status_code == 200
    return response.get_json()  # type: ignore[no-any-return]


def operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in SPEC_METHODS:
                yield method.upper(), path, operation


def resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """``node``, or what its ``$ref`` (``#/components/...``) points at."""
    while "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if "$ref" in node and node["$ref"].startswith("#/components/schemas/"):
            yield node["$ref"].rsplit("/", 1)[1]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def answer_schemas(spec: dict[str, Any]) -> set[str]:
    """Names of every component schema an answer body uses, nested ones included."""
    pending = [
        name
        for _, _, operation in operations(spec)
        for response in operation["responses"].values()
        for media in resolve(spec, response).get("content", {}).values()
        for name in _refs(media)
    ]
    found: set[str] = set()
    while pending:
        name = pending.pop()
        if name not in found:
            found.add(name)
            pending.extend(_refs(spec["components"]["schemas"][name]))
    return found


def answer_schema(spec: dict[str, Any], operation_id: str, status: int) -> dict[str, Any]:
    """The documented body schema of ``operation_id``'s answer with ``status``."""
    for _, _, operation in operations(spec):
        if operation.get("operationId") == operation_id:
            response = resolve(spec, operation["responses"][str(status)])
            return response["content"]["application/json"]["schema"]  # type: ignore[no-any-return]
    raise KeyError(operation_id)


def check_answer(spec: dict[str, Any], operation_id: str, response: Any) -> Any:
    """The answer's JSON body, after checking it against the documented schema (required
    properties, patterns, enums, nullability and formats included)."""
    body = response.get_json()
    schema = {**answer_schema(spec, operation_id, response.status_code)}
    schema["components"] = spec["components"]  # where its $refs point
    OAS30Validator(schema, format_checker=oas30_format_checker).validate(body)
    return body
