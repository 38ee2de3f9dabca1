"""Full-text search conditions on products, per database.

- MySQL/MariaDB: the ``FULLTEXT`` index on (name, description), queried with
  ``MATCH ... AGAINST ('+word1* +word2*' IN BOOLEAN MODE)``: every word required, each as a
  prefix. InnoDB leaves words shorter than ``innodb_ft_min_token_size`` (3 by default) and its
  stopwords out of the index, so such words are matched with ``REGEXP '(^|[^[:alnum:]])word'``
  instead (the start of a word, as everywhere else; case-insensitive through the collation,
  but, unlike the index, not accent-insensitive), ANDed with the rest.
- SQLite: the FTS5 table ``products_fts`` (kept in step by triggers, see the initial
  migration), queried with ``MATCH '"word1"* "word2"*'``.
- PostgreSQL: full-text search with a GIN index on ``shop_search_vector(name || ' ' ||
  description)``, queried with ``@@ shop_search_query('word1 word2')``: SQL functions of the
  initial migration that fold text as FTS5 does (lower case, no accents through unaccent,
  letters and digits make words) and make every word of the query a required prefix.
- Anything else: LIKE for every word.

Search words contain only letters and digits (``domain.text.search_words``), and the query text
is always a bound parameter, so user input can neither inject SQL nor full-text operators.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Integer, and_, column, func, literal_column, or_, select
from sqlalchemy import table as light_table
from sqlalchemy.dialects.mysql import match

from .tables import products
from .users import escape_like

INNODB_MIN_TOKEN, INNODB_MAX_TOKEN = 3, 84
# INFORMATION_SCHEMA.INNODB_FT_DEFAULT_STOPWORD of MySQL 8 and MariaDB 10/11.
INNODB_STOPWORDS = frozenset(
    "a about an are as at be by com de en for from how i in is it la of on or that the this to "
    "was what when where who will with und www".split()
)
_fts = light_table("products_fts", column("rowid", Integer))


def search_condition(dialect: str, words: tuple[str, ...]) -> ColumnElement[bool]:
    """True for products whose name or description holds every word of ``words``."""
    if dialect == "mysql":
        return _mysql(words)
    if dialect == "sqlite":
        return _sqlite(words)
    if dialect == "postgresql":
        return _PG_DOCUMENT.op("@@")(func.shop_search_query(" ".join(words)))
    return and_(*(_contains(word) for word in words))


def _mysql(words: tuple[str, ...]) -> ColumnElement[bool]:
    indexed = [w for w in words if _indexed_by_innodb(w)]
    conditions = [_starts_a_word(word) for word in words if word not in indexed]
    if indexed:
        against = " ".join(f"+{word}*" for word in indexed)
        conditions.append(
            match(products.c.name, products.c.description, against=against).in_boolean_mode()
        )
    return and_(*conditions)


def _indexed_by_innodb(word: str) -> bool:
    return INNODB_MIN_TOKEN <= len(word) <= INNODB_MAX_TOKEN and word not in INNODB_STOPWORDS


def _sqlite(words: tuple[str, ...]) -> ColumnElement[bool]:
    query = " ".join('"{}"*'.format(word.replace('"', '""')) for word in words)
    matching = select(_fts.c.rowid).where(literal_column("products_fts").op("MATCH")(query))
    return products.c.id.in_(matching)


# The indexed expression, written exactly as in the index (a bound ' ' would not match it).
_PG_DOCUMENT = func.shop_search_vector(
    products.c.name.concat(literal_column("' '")).concat(products.c.description)
)


def _starts_a_word(word: str) -> ColumnElement[bool]:
    """MySQL: ``word`` at the start of a word of the name or the description (a word is made of
    letters and digits, so it holds no regular-expression operator)."""
    pattern = f"(^|[^[:alnum:]]){word}"
    return or_(*(c.regexp_match(pattern) for c in (products.c.name, products.c.description)))


def _contains(word: str) -> ColumnElement[bool]:
    """Any other database: ``word`` anywhere in the lower-cased name or description."""
    pattern = f"%{escape_like(word)}%"
    columns = (products.c.name, products.c.description)
    return or_(*(func.lower(c).like(pattern, escape="\\") for c in columns))


FULLTEXT_INDEX = "ft_products_name_description"
SQLITE_SEARCH_TABLE = "products_fts"
# Expression indexes made by the initial migration on PostgreSQL only (search and sorting).
POSTGRESQL_INDEXES = frozenset({
    "ix_products_search", "ix_products_is_active_lower_name_id",
    "ix_products_is_active_rating_avg_nulls_first_id",
})  # fmt: skip


def schema_filters(dialect: str) -> dict[str, Any]:
    """Alembic ``include_name``/``include_object`` hooks for comparing tables.py with a database.

    The search structures exist on one dialect only: SQLite's FTS5 table (with its shadow
    tables) is not in tables.py, the FULLTEXT index in tables.py exists on MySQL only, and
    PostgreSQL's expression indexes are not in tables.py.
    """

    def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
        return not (type_ == "table" and (name or "").startswith(SQLITE_SEARCH_TABLE))

    def include_object(obj: Any, name: str | None, type_: str, reflected: bool, other: Any) -> bool:
        if type_ != "index":
            return True
        if name == FULLTEXT_INDEX:
            return dialect == "mysql"
        return not (dialect == "postgresql" and name in POSTGRESQL_INDEXES)

    return {"include_name": include_name, "include_object": include_object}
