"""docs/api.md stays true to the app's /openapi.json, and the docs' links stay inside the repo.

The API reference lists its routes in Markdown tables whose first column is ``method, path``.
A cell is one or more ``METHODS /path`` joined by " and " (the second path of a row is an alias,
as the contract presents them): ``PUT, PATCH /api/products/{slug}/ and PUT, PATCH
/api/products/{slug}/update/``. Paths are compared without their trailing slash, since every
route answers with and without it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask.views import MethodView
from flask_smorest import Blueprint

ROOT = Path(__file__).resolve().parents[2]
API_REFERENCE = ROOT / "docs" / "api.md"
ROUTE_COLUMN = "method, path"
SPEC_METHODS = {"get", "put", "post", "patch", "delete"}
ROUTE = re.compile(r"^(?P<methods>[A-Z]+(?:, [A-Z]+)*) (?P<path>/\S*)$")
LINK = re.compile(r"\[[^\]]*\]\((?P<target>[^()\s]+)(?:\s+\"[^\"]*\")?\)")
SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)

Operation = tuple[str, str]


# -- reading Markdown -------------------------------------------------------------------------


def prose_lines(text: str) -> list[tuple[int, str]]:
    """(line number, line) outside fenced code blocks."""
    lines, fenced = [], False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced:
            lines.append((number, line))
    return lines


def table_cells(line: str) -> list[str]:
    """The cells of a table row; a ``|`` inside a code span does not split a cell."""
    cells, cell, in_code = [], "", False
    for char in line.strip().strip("|"):
        if char == "`":
            in_code = not in_code
        if char == "|" and not in_code:
            cells.append(cell.strip())
            cell = ""
        else:
            cell += char
    return [*cells, cell.strip()]


def route_rows(text: str) -> list[tuple[int, str]]:
    """(line number, first cell) of every body row of the tables headed ``method, path``."""
    rows: list[tuple[int, str]] = []
    in_routes, previous = False, None
    for number, line in prose_lines(text):
        if not line.lstrip().startswith("|"):
            in_routes = False
        elif previous is None or not previous.lstrip().startswith("|"):  # a header row
            in_routes = table_cells(line)[0] == ROUTE_COLUMN
        elif in_routes and not set(line) <= set("|-: "):  # not the separator row
            rows.append((number, table_cells(line)[0]))
        previous = line
    return rows


def normalize(path: str) -> str:
    return path.rstrip("/") or "/"


def parse_route_cell(cell: str) -> list[Operation]:
    """``GET, PATCH /api/auth/me/`` -> [("GET", "/api/auth/me"), ("PATCH", "/api/auth/me")]."""
    operations = []
    for part in cell.replace("`", "").split(" and "):
        match = ROUTE.match(part.strip())
        if match is None:
            raise ValueError(f"not a route: {part.strip()!r} (write 'GET, POST /api/path/')")
        for method in match["methods"].split(", "):
            operations.append((method, normalize(match["path"])))
    return operations


def documented_operations(text: str) -> dict[Operation, int]:
    """Every operation of the reference's route tables, with the line that lists it."""
    found: dict[Operation, int] = {}
    for number, cell in route_rows(text):
        for operation in parse_route_cell(cell):
            found.setdefault(operation, number)
    return found


def served_operations(spec: dict[str, Any]) -> set[Operation]:
    return {
        (method.upper(), normalize(path))
        for path, item in spec["paths"].items()
        for method in item
        if method in SPEC_METHODS
    }


def reference_problems(text: str, spec: dict[str, Any]) -> list[str]:
    """What makes the reference untrue to the spec, one line per route; empty when it is true."""
    documented, served = documented_operations(text), served_operations(spec)
    problems = [
        f"docs/api.md line {line} documents {method} {path}/, which /openapi.json does not have"
        for (method, path), line in sorted(documented.items())
        if (method, path) not in served
    ]
    problems += [
        f"{method} {path}/ is in /openapi.json but not in a route table of docs/api.md"
        for method, path in sorted(served - documented.keys())
    ]
    return problems


def heading_anchors(text: str) -> set[str]:
    """GitHub's anchors of a document's headings: lower case, punctuation out, spaces to '-'."""
    return {
        re.sub(r"[^\w\- ]", "", line.lstrip("#").strip().lower()).replace(" ", "-")
        for _, line in prose_lines(text)
        if line.startswith("#")
    }


def link_problems(document: Path, root: Path = ROOT) -> list[str]:
    """Relative links of ``document`` that lead nowhere or out of the repository."""
    problems = []
    for number, line in prose_lines(document.read_text(encoding="utf-8")):
        for match in LINK.finditer(re.sub(r"`[^`]*`", "", line)):
            target = match["target"]
            if SCHEME.match(target):
                continue
            where = f"{document.relative_to(root)} line {number}: {target}"
            file_part, _, anchor = target.partition("#")
            resolved = (document.parent / file_part).resolve() if file_part else document
            if not resolved.is_relative_to(root):
                problems.append(f"{where} points outside the repository")
            elif not resolved.exists():
                problems.append(f"{where} points at a file that does not exist")
            elif anchor and resolved.suffix == ".md":
                if anchor not in heading_anchors(resolved.read_text(encoding="utf-8")):
                    problems.append(f"{where} names a heading that does not exist")
    return problems


def documents() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


# -- the reference against the real app ------------------------------------------------------


def test_every_route_of_the_api_reference_is_served_and_every_served_route_is_documented(client):
    spec = client.get("/openapi.json").get_json()

    problems = reference_problems(API_REFERENCE.read_text(encoding="utf-8"), spec)

    assert problems == [], "\n".join(problems)


def test_the_api_reference_lists_the_routes_of_every_area(client):
    documented = documented_operations(API_REFERENCE.read_text(encoding="utf-8"))

    for operation in [
        ("POST", "/api/auth/login"),
        ("GET", "/api/products/{slug}"),
        ("POST", "/api/products/create"),  # an alias, listed after "and"
        ("PATCH", "/api/products/{slug}/update"),
        ("DELETE", "/api/cart/items/{slug}"),
        ("PATCH", "/api/orders/{order_number}/status"),
        ("DELETE", "/api/reviews/{review_id}"),
        ("GET", "/api/health"),
    ]:
        assert operation in documented, operation


def test_a_route_added_to_the_app_without_docs_is_named_by_the_check(make_app):
    app = make_app()
    extra = Blueprint("coupons", __name__, url_prefix="/api/coupons")

    @extra.route("/")
    class Coupons(MethodView):
        @extra.response(200)
        def get(self) -> Any:
            """List coupons"""
            return {}

    app.extensions["flask-smorest"]["blp_name_to_api"]["health"].register_blueprint(extra)
    spec = app.test_client().get("/openapi.json").get_json()

    problems = reference_problems(API_REFERENCE.read_text(encoding="utf-8"), spec)

    assert problems == [
        "GET /api/coupons/ is in /openapi.json but not in a route table of docs/api.md"
    ]


def test_a_documented_route_the_app_does_not_serve_is_named_by_the_check(client):
    spec = client.get("/openapi.json").get_json()
    text = API_REFERENCE.read_text(encoding="utf-8").replace(
        "| GET /api/vendor/orders/ |", "| GET /api/vendor/orders/ and GET /api/vendor/coupons/ |"
    )
    line = next(n for n, cell in route_rows(text) if "coupons" in cell)

    problems = reference_problems(text, spec)

    assert problems == [
        f"docs/api.md line {line} documents GET /api/vendor/coupons/, "
        "which /openapi.json does not have"
    ]


def test_a_route_removed_from_the_reference_is_named_by_the_check(client):
    spec = client.get("/openapi.json").get_json()
    text = API_REFERENCE.read_text(encoding="utf-8").replace(
        "| POST /api/orders/ and POST /api/orders/create/ |", "| POST /api/orders/ |"
    )

    assert reference_problems(text, spec) == [
        "POST /api/orders/create/ is in /openapi.json but not in a route table of docs/api.md"
    ]


# -- the Markdown reading itself --------------------------------------------------------------


def test_a_route_cell_gives_every_method_of_every_path_with_aliases_after_and():
    cell = "PUT, PATCH /api/products/{slug}/ and PUT, PATCH /api/products/{slug}/update/"

    assert parse_route_cell(cell) == [
        ("PUT", "/api/products/{slug}"),
        ("PATCH", "/api/products/{slug}"),
        ("PUT", "/api/products/{slug}/update"),
        ("PATCH", "/api/products/{slug}/update"),
    ]


@pytest.mark.parametrize(
    "cell", ["get /api/cart/", "GET,POST /api/cart/", "GET api/cart/", "the cart", ""]
)
def test_a_route_cell_that_is_not_a_route_is_refused_rather_than_skipped(cell):
    with pytest.raises(ValueError, match="not a route"):
        parse_route_cell(cell)


def test_only_tables_headed_method_path_are_route_tables_and_code_spans_keep_their_pipes():
    text = "\n".join(
        [
            "| status | when |",
            "|---|---|",
            "| 404 | unknown |",
            "",
            "| method, path | who | what |",
            "|---|---|---|",
            "| GET /api/cart/ | user | `a | b` |",
            "| `DELETE /api/cart/` | user | 204 |",
            "",
            "```",
            "| method, path | who |",
            "|---|---|",
            "| GET /api/in-a-code-block/ | anyone |",
            "```",
        ]
    )

    assert route_rows(text) == [(7, "GET /api/cart/"), (8, "`DELETE /api/cart/`")]
    assert table_cells("| GET /x/ | user | `a | b` |") == ["GET /x/", "user", "`a | b`"]


def test_trailing_slash_twins_in_the_spec_count_as_one_route():
    spec = {"paths": {"/api/cart/": {"get": {}}, "/api/cart": {"get": {}, "parameters": []}}}

    assert served_operations(spec) == {("GET", "/api/cart")}
    assert reference_problems("| method, path |\n|---|\n| GET /api/cart/ |\n", spec) == []


# -- links ------------------------------------------------------------------------------------


def test_every_relative_link_of_the_readme_and_the_docs_leads_to_a_file_of_the_repository():
    problems = [problem for document in documents() for problem in link_problems(document)]

    assert problems == [], "\n".join(problems)


def test_the_readme_links_the_contract_inside_the_repository_and_nowhere_outside():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = [m["target"] for _, line in prose_lines(readme) for m in LINK.finditer(line)]

    assert "docs/api.md" in targets
    assert not [t for t in targets if "shared/API.md" in t or t.startswith(("/", "file:"))]


def test_the_link_check_names_missing_files_outside_links_and_unknown_headings(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "other.md").write_text("# Other page\n\n## Known heading\n")
    page = tmp_path / "docs" / "page.md"
    page.write_text(
        "\n".join(
            [
                "[fine](other.md#known-heading) [web](https://example.com/x.md)",
                "[gone](missing.md) `[in code](nowhere.md)`",
                "[contract](../../shared/API.md)",
                "[anchor](other.md#no-such-heading)",
                "```",
                "[in a code block](nowhere.md)",
                "```",
            ]
        )
    )

    assert link_problems(page, root=tmp_path) == [
        "docs/page.md line 2: missing.md points at a file that does not exist",
        "docs/page.md line 3: ../../shared/API.md points outside the repository",
        "docs/page.md line 4: other.md#no-such-heading names a heading that does not exist",
    ]


def test_the_docs_folder_has_the_pages_the_readme_promises():
    names = {path.name for path in documents()}

    assert {"README.md", "api.md", "benchmarks.md"} <= names
