"""Port for turning names into URL slugs."""

from __future__ import annotations

import abc


class Slugger(abc.ABC):
    """Makes URL slugs from names with a maintained transliteration library."""

    @abc.abstractmethod
    def slugify(self, text: str, max_length: int) -> str:
        """Lower-case ASCII words joined by ``-``, at most ``max_length`` long, cut at a word
        boundary; non-ASCII letters are transliterated (``Crème Brûlée`` -> ``creme-brulee``).
        An empty string when nothing usable is left."""
