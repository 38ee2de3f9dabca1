"""Seed a benchmark catalog fast: bulk Core inserts into the real tables, no HTTP, no use cases.

Deterministic (one random seed) so runs are comparable. Rows go through the normal tables, so
any trigger the migrations define (the SQLite FTS5 search index) fires; search_index.py then
rebuilds whatever full-text index exists, which is also what makes MySQL's FULLTEXT current.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import sqlalchemy as sa
from pymysql.converters import escape_string

from bench import search_index
from shopcore.adapters.hashing import Argon2Hasher
from shopcore.adapters.sqlalchemy import tables as t
from shopcore.adapters.sqlalchemy.databases import advance_id_sequences

PASSWORD = "bench-password-1"
SEARCH_WORD = "steel"  # a material: in ~10% of names and ~10% of descriptions
ORDER_STOCK = 1_000_000
CHUNK = 5_000

ADJECTIVES = (
    "classic compact deluxe eco premium rugged sleek smart vintage wireless "
    "portable ergonomic foldable handmade modular quiet bright soft heavy light"
).split()
MATERIALS = "steel oak cotton leather bamboo glass ceramic wool carbon linen".split()
NOUNS = ("lamp chair backpack kettle headphones desk jacket mug watch speaker blender sofa "
         "shelf bottle tent camera keyboard pillow scarf skillet").split()  # fmt: skip
FILLER = ("built to last with a clean design that fits any home or office and ships in "
          "recyclable packaging backed by a two year warranty").split()  # fmt: skip


@dataclass
class Seeded:
    """What the scenarios need to know about the seeded data."""

    size: int
    parent_category_id: int
    search_word: str
    detail_slugs: list[str]
    order_slugs: list[str]
    customer_ids: list[int]
    customer_emails: list[str]
    timings: dict[str, float] = field(default_factory=dict)


def seed(engine: sa.Engine, size: int, customers: int, rng_seed: int = 7) -> Seeded:
    """Fill an empty, migrated database: 50 categories, 20 vendors, ``customers`` customers,
    ``size`` products (every other one with an image) and 0-5 reviews per product."""
    rng = random.Random(rng_seed)
    now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)  # stored as naive UTC
    password_hash = Argon2Hasher().hash(PASSWORD)  # real parameters, hashed once
    with engine.begin() as conn:
        _bulk_load_settings(conn)
        category_ids, parent_id = _categories(conn, now)
        vendor_ids = _users(conn, "vendor", 20, password_hash, now)
        customer_ids = _users(conn, "customer", customers, password_hash, now)
        order_count = min(1_000, max(1, size // 10))
        products, reviews = _catalog(rng, size, order_count, category_ids, vendor_ids,
                                     customer_ids, now)  # fmt: skip
        _insert(conn, t.products, products)
        _insert(conn, t.product_images, _images(products, now))
        _insert(conn, t.reviews, reviews)
        _bulk_load_settings(conn, loading=False)
    search_index.rebuild(engine)
    active = [p["slug"] for p in products if p["is_active"]]
    return Seeded(
        size=size,
        parent_category_id=parent_id,
        search_word=SEARCH_WORD,
        detail_slugs=rng.sample(active, min(len(active), 5_000)),
        order_slugs=[p["slug"] for p in products[:order_count]],
        customer_ids=customer_ids,
        customer_emails=[_email("customer", i) for i in range(customers)],
    )


def _insert(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """Bulk insert straight on the driver: SQLAlchemy's per-value bind processing (and on
    MySQL, pymysql's per-value escaping) would be most of the seeding time; PostgreSQL gets
    COPY. Values are written
    the way the column types store them; timestamps are naive UTC already."""
    if not rows:
        return
    names = list(rows[0])
    quote = conn.dialect.identifier_preparer.quote
    head = f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) VALUES "
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        if conn.dialect.name == "sqlite":
            values = [tuple([_sqlite_value(row[n]) for n in names]) for row in chunk]
            conn.exec_driver_sql(head + f"({', '.join('?' * len(names))})", values)
        elif conn.dialect.name == "postgresql":  # COPY, psycopg writing each value's text
            columns = ", ".join(quote(n) for n in names)
            with conn.connection.driver_connection.cursor() as cursor:  # type: ignore[union-attr]
                with cursor.copy(f"COPY {quote(table.name)} ({columns}) FROM STDIN") as copy:
                    for row in chunk:
                        copy.write_row([row[n] for n in names])
        else:
            literals = ",".join(f"({','.join([_mysql_literal(row[n]) for n in names])})"
                                for row in chunk)  # fmt: skip
            with conn.connection.driver_connection.cursor() as cursor:  # type: ignore[union-attr]
                cursor.execute(head + literals)  # no args: nothing is %-formatted


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):  # SQLAlchemy's SQLite text format
        return value.isoformat(" ", "microseconds")
    if isinstance(value, Decimal):
        return str(value)
    return value


def _mysql_literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, datetime):
        return f"'{value.isoformat(' ', 'microseconds')}'"
    return f"'{escape_string(value)}'"


def _bulk_load_settings(conn: sa.Connection, *, loading: bool = True) -> None:
    """Room for index pages (SQLite); no per-row checks of data that is valid by construction
    (MySQL, this session only, switched back on after the load); PostgreSQL's id sequences
    moved past the explicit ids afterwards."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA cache_size = {-200_000 if loading else -2_000}")
    elif conn.dialect.name == "postgresql":
        if not loading:  # the rows came with their ids: move the sequences past them
            advance_id_sequences(conn)
    else:
        flag = 0 if loading else 1
        conn.exec_driver_sql(f"SET SESSION foreign_key_checks = {flag}, unique_checks = {flag}")


def _categories(conn: sa.Connection, now: datetime) -> tuple[list[int], int]:
    """10 roots, each with 2 children, each child with 1 grandchild: 50 categories."""
    rows: list[dict[str, Any]] = []
    for root in range(10):
        root_id = len(rows) + 1
        rows.append(_category(root_id, f"Department {root}", None, now))
        for child in range(2):
            child_id = len(rows) + 1
            rows.append(_category(child_id, f"Aisle {root}.{child}", root_id, now))
            rows.append(_category(child_id + 1, f"Shelf {root}.{child}", child_id, now))
    _insert(conn, t.categories, rows)
    return [row["id"] for row in rows], rows[0]["id"]


def _category(cid: int, name: str, parent: int | None, now: datetime) -> dict[str, Any]:
    slug = name.lower().replace(" ", "-").replace(".", "-")
    return {"id": cid, "name": name, "slug": slug, "description": f"All about {name}.",
            "parent_id": parent, "created_at": now}  # fmt: skip


def _email(role: str, index: int) -> str:
    return f"bench-{role}-{index}@example.com"


def _users(conn: sa.Connection, role: str, count: int, pw: str, now: datetime) -> list[int]:
    first = conn.execute(sa.select(sa.func.coalesce(sa.func.max(t.users.c.id), 0))).scalar_one()
    rows = [
        {"id": first + i + 1, "email": _email(role, i), "password_hash": pw,
         "first_name": role.title(), "last_name": str(i), "phone": "", "address": "",
         "role": role, "profile_image": None, "is_active": True, "date_joined": now}
        for i in range(count)
    ]  # fmt: skip
    _insert(conn, t.users, rows)
    return [row["id"] for row in rows]


def _catalog(
    rng: random.Random,
    size: int,
    order_count: int,
    category_ids: list[int],
    vendor_ids: list[int],
    customer_ids: list[int],
    now: datetime,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    products: list[dict[str, Any]] = []
    reviews: list[dict[str, Any]] = []
    for i in range(size):
        product = _product(rng, i + 1, category_ids, vendor_ids, now)
        if i < order_count:  # the order scenario buys these: active, plenty of stock
            product["is_active"], product["stock"] = True, ORDER_STOCK
        ratings = _reviews(rng, product, customer_ids, reviews)
        if ratings:
            avg = Decimal(sum(ratings)) / len(ratings)
            product["rating_avg"] = avg.quantize(Decimal("0.01"), ROUND_HALF_UP)
            product["rating_count"] = len(ratings)
        products.append(product)
    return products, reviews


def _product(
    rng: random.Random, pid: int, categories: list[int], vendors: list[int], now: datetime
) -> dict[str, Any]:
    adjective, material, noun = rng.choice(ADJECTIVES), rng.choice(MATERIALS), rng.choice(NOUNS)
    name = f"{adjective.title()} {material.title()} {noun.title()} {pid}"
    words = rng.sample(FILLER, 12)
    description = f"A {adjective} {noun} in {rng.choice(MATERIALS)}, {' '.join(words)}."
    price = Decimal(rng.randrange(199, 99_999)) / 100
    discount = (price * Decimal("0.8")).quantize(Decimal("0.01")) if rng.random() < 0.2 else None
    age = timedelta(seconds=rng.randrange(31_536_000), microseconds=pid)  # unique, last year
    created = now - age
    return {
        "id": pid, "vendor_id": rng.choice(vendors), "category_id": rng.choice(categories),
        "name": name, "slug": name.lower().replace(" ", "-"), "description": description,
        "price": price, "discount_price": discount,
        "final_price": discount if discount is not None else price,
        "stock": 0 if rng.random() < 0.1 else rng.randrange(1, 500),
        "is_active": rng.random() >= 0.05,
        "rating_avg": None, "rating_count": 0, "created_at": created, "updated_at": created,
    }  # fmt: skip


def _reviews(
    rng: random.Random, product: dict[str, Any], customers: list[int], out: list[dict[str, Any]]
) -> list[int]:
    ratings = []
    for user_id in rng.sample(customers, min(len(customers), rng.randrange(0, 6))):
        rating = rng.randint(1, 5)
        ratings.append(rating)
        out.append({"product_id": product["id"], "user_id": user_id, "rating": rating,
                    "title": "Bench review", "comment": f"Rated {rating} of 5.",
                    "verified_purchase": False, "created_at": product["created_at"],
                    "updated_at": product["created_at"]})  # fmt: skip
    return ratings


def _images(products: list[dict[str, Any]], now: datetime) -> list[dict[str, Any]]:
    return [
        {"product_id": p["id"], "path": f"products/{p['id']}.webp",
         "thumbnail_path": f"products/{p['id']}-thumb.webp", "width": 800, "height": 600,
         "position": 0, "created_at": now}
        for p in products[::2]
    ]  # fmt: skip
