"""Slugs with python-slugify (Unicode transliteration by text-unidecode)."""

from __future__ import annotations

from slugify import slugify

from shopcore.ports.slugs import Slugger

# "Children's Books" -> "childrens-books", not "children-s-books".
_APOSTROPHES = [["'", ""], ["\u2019", ""]]


class PythonSlugifySlugger(Slugger):
    def slugify(self, text: str, max_length: int) -> str:
        return str(
            slugify(
                text,
                max_length=max_length,
                word_boundary=True,
                save_order=True,
                replacements=_APOSTROPHES,
            )
        )
