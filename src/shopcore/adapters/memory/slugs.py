"""A standard-library slugger for unit tests: accents stripped, other non-ASCII dropped,
apostrophes removed (like the python-slugify adapter)."""

from __future__ import annotations

import re
import unicodedata

from shopcore.ports.slugs import Slugger


class AsciiSlugger(Slugger):
    def slugify(self, text: str, max_length: int) -> str:
        decomposed = unicodedata.normalize("NFKD", text.replace("'", "").replace("\u2019", ""))
        ascii_text = decomposed.encode("ascii", "ignore").decode("ascii").lower()
        slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
        if len(slug) > max_length:
            cut = slug[: max_length + 1]
            slug = cut.rsplit("-", 1)[0] if "-" in cut else slug[:max_length]
        return slug.strip("-")
