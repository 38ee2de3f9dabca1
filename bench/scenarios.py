"""The six scenarios of issue 7, as request lines for wrk and as one probe request each."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.seed import PASSWORD, Seeded

ORDER_REQUESTS = 20_000
LOGIN_REQUESTS = 2_000
SHIPPING = {"full_name": "Bench Buyer", "phone": "+15550100", "address_line1": "1 Load St",
            "city": "Testville", "postal_code": "12345", "country": "US"}  # fmt: skip


@dataclass(frozen=True)
class Probe:
    """One representative request: its method, path, token and JSON body."""

    method: str
    path: str
    token: str | None = None
    body: dict[str, Any] | None = None


MIXED = 7  # reads while orders flow (bench/mixed.py): scenarios 1 and 3 with scenario 4's lines


@dataclass(frozen=True)
class Scenario:
    number: int
    title: str
    probe: Probe
    requests_file: Path | None = None  # rotate over these lines; None: repeat the probe
    vs_floor: bool = False
    count_sql: bool = False


def build(seeded: Seeded, tokens: list[str], workdir: Path) -> list[Scenario]:
    """Scenarios 1-5 (the floor, 6, is run separately against its own server)."""
    word, parent = seeded.search_word, seeded.parent_category_id
    filtered = f"/api/products/?category={parent}&ordering=-price&search={word}&page_size=20"
    detail_lines = [_line("GET", f"/api/products/{slug}/") for slug in seeded.detail_slugs]
    order_lines = [
        _line("POST", "/api/orders/", tokens[i % len(tokens)], _order(seeded.order_slugs, i))
        for i in range(ORDER_REQUESTS)
    ]
    emails = seeded.customer_emails
    login_lines = [
        _line("POST", "/api/auth/login/", None, _login(emails[i % len(emails)]))
        for i in range(LOGIN_REQUESTS)
    ]
    return [
        Scenario(1, "GET /api/products/?page_size=20 (anonymous)",
                 Probe("GET", "/api/products/?page_size=20"), vs_floor=True, count_sql=True),
        Scenario(2, f"GET /api/products/?category={parent}&ordering=-price&search={word}",
                 Probe("GET", filtered), vs_floor=True, count_sql=True),
        Scenario(3, f"GET /api/products/<slug>/ ({len(detail_lines)} slugs)",
                 Probe("GET", f"/api/products/{seeded.detail_slugs[0]}/"),
                 _write(workdir / "detail.tsv", detail_lines), vs_floor=True, count_sql=True),
        Scenario(4, f"POST /api/orders/ ({len(tokens)} users, {len(seeded.order_slugs)} products)",
                 Probe("POST", "/api/orders/", tokens[0], _order(seeded.order_slugs, 1)),
                 _write(workdir / "orders.tsv", order_lines), count_sql=True),
        Scenario(5, f"POST /api/auth/login/ ({len(emails)} users, argon2id)",
                 Probe("POST", "/api/auth/login/", None, _login(emails[0])),
                 _write(workdir / "login.tsv", login_lines)),
    ]  # fmt: skip


def _order(slugs: list[str], i: int) -> dict[str, Any]:
    return {"items": [{"product": slugs[i % len(slugs)], "quantity": 1}], "shipping": SHIPPING,
            "payment_method": "cod"}  # fmt: skip


def _login(email: str) -> dict[str, Any]:
    return {"email": email, "password": PASSWORD}


def _line(method: str, path: str, token: str | None = None, body: Any = None) -> str:
    auth = f"Bearer {token}" if token else "-"
    data = json.dumps(body, separators=(",", ":")) if body is not None else "-"
    return f"{method}\t{path}\t{auth}\t{data}"


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n")
    return path
