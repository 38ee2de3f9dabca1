"""What the catalog use cases share: slugs, loading with permission checks, a sentinel.

The use cases themselves live in ``catalog_categories``, ``catalog_products``,
``catalog_browse`` and ``catalog_images``.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from itertools import islice

from shopcore.domain.catalog import Product, is_category_id
from shopcore.domain.errors import PermissionDenied, ProductNotFound, RuleViolation, SlugTaken
from shopcore.domain.text import slug_candidates
from shopcore.domain.users import Principal
from shopcore.ports.slugs import Slugger
from shopcore.ports.unit_of_work import TransientConflict, UnitOfWork

_SUFFIX_ROOM = 11  # "-" and up to ten digits
_BATCH = 20


class Keep(enum.Enum):
    """Marks a field an update leaves as it is, where None is a meaningful new value."""

    KEEP = "keep"


KEEP = Keep.KEEP


def allocate_slug(
    slugger: Slugger,
    name: str,
    *,
    max_length: int,
    fallback: str,
    taken: Callable[[Collection[str]], set[str]],
    reserved: Collection[str] = (),
    digits_allowed: bool = True,
) -> str:
    """The first free slug among ``base``, ``base-2``, ``base-3``...

    ``base`` comes from the name; a name with nothing to transliterate (``"!!!"``) uses
    ``fallback``, and so does an all-digit one when ``digits_allowed`` is false
    (``"2024"`` -> ``"category-2024"``). ``taken`` answers which of a batch of candidates
    are in use.
    """
    base = slugger.slugify(name, max_length - _SUFFIX_ROOM) or fallback
    if is_category_id(base) and not digits_allowed:
        base = f"{fallback}-{base}"
    candidates = slug_candidates(base, max_length)
    while True:
        batch = list(islice(candidates, _BATCH))
        used = taken(batch) | set(reserved)
        free = next((slug for slug in batch if slug not in used), None)
        if free is not None:
            return free


@contextmanager
def slug_clash_retried() -> Iterator[None]:
    """Around the insert of a new slug: if a concurrent writer took it since ``allocate_slug``
    looked, the retry policy runs the whole use case again, and the fresh transaction picks the
    next free slug; SlugTaken only when it keeps happening."""
    try:
        yield
    except SlugTaken as clash:
        raise TransientConflict("A concurrent writer took the slug.", final=clash) from clash


def ensure_can_sell(principal: Principal) -> None:
    if not principal.role.can_sell:
        raise PermissionDenied("Only vendors and admins can sell products.")


def ensure_admin(principal: Principal) -> None:
    principal.ensure_admin("Only admins manage categories.")


def visible_product(
    uow: UnitOfWork, slug: str, principal: Principal | None, *, lock: bool = False
) -> Product:
    """The product, unless it does not exist or is inactive and not the caller's (404)."""
    product = uow.products.lock_by_slug(slug) if lock else uow.products.get_by_slug(slug)
    if product is None or not product.is_visible_to(principal):
        raise ProductNotFound()
    return product


def managed_product(uow: UnitOfWork, slug: str, principal: Principal) -> Product:
    """The product, locked for changing, when the caller is its vendor or an admin (else 403)."""
    product = visible_product(uow, slug, principal, lock=True)
    product.ensure_managed_by(principal)
    return product


def require_category(uow: UnitOfWork, category_id: int) -> None:
    if uow.categories.get(category_id) is None:
        raise RuleViolation("No such category.", errors={"category": ["No such category."]})
