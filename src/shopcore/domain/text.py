"""Text rules of the catalog: slug candidates and the words of a search."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterator

MAX_SEARCH_WORDS = 10
_WORD = re.compile(r"[^\W_]+")  # letters and digits; everything else separates words


def slug_candidates(base: str, max_length: int) -> Iterator[str]:
    """``base``, then ``base-2``, ``base-3``... each cut so that it fits in ``max_length``."""
    yield base[:max_length].rstrip("-")
    number = 2
    while True:
        suffix = f"-{number}"
        yield base[: max_length - len(suffix)].rstrip("-") + suffix
        number += 1


def first_free_slug(base: str, taken: Collection[str], max_length: int) -> str:
    """The first of ``slug_candidates(base)`` that is not in ``taken``."""
    return next(slug for slug in slug_candidates(base, max_length) if slug not in taken)


def search_words(text: str) -> tuple[str, ...]:
    """The words of a search, lower-cased, without duplicates, in order (at most ten).

    Only letters and digits make up words, so no character of the input can reach a
    full-text engine as an operator.
    """
    normalized = unicodedata.normalize("NFC", text).casefold()
    words = dict.fromkeys(_WORD.findall(normalized))
    return tuple(words)[:MAX_SEARCH_WORDS]


def fold(text: str) -> str:
    """Lower-case ``text`` and strip its accents (``Crème`` -> ``creme``), for matching."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def text_words(text: str) -> list[str]:
    """The folded words of a stored text, as a full-text index would see them."""
    return _WORD.findall(fold(text))
