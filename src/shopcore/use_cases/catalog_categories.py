"""Categories: read by anyone, written by admins, optionally nested under a parent."""

from __future__ import annotations

from dataclasses import dataclass

from shopcore.domain.catalog import (
    CATEGORY_NAME_MAX,
    CATEGORY_SLUG_MAX,
    Category,
    check_parent,
    clean_catalog_name,
    clean_description,
)
from shopcore.domain.errors import CategoryInUse, CategoryNotFound
from shopcore.domain.users import Principal
from shopcore.ports.catalog_queries import CategoryView
from shopcore.ports.security import Clock
from shopcore.ports.slugs import Slugger
from shopcore.ports.unit_of_work import UnitOfWork
from shopcore.use_cases.catalog import (
    KEEP,
    Keep,
    allocate_slug,
    ensure_admin,
    slug_clash_retried,
)


@dataclass(frozen=True)
class NewCategory:
    name: str
    description: str = ""
    parent_id: int | None = None


@dataclass(frozen=True)
class CategoryChanges:
    name: str | None = None
    description: str | None = None
    parent_id: int | None | Keep = KEEP  # None moves it to the top level


def _view(uow: UnitOfWork, category_id: int | None) -> CategoryView:
    view = None if category_id is None else uow.catalog.category(category_id)
    if view is None:
        raise CategoryNotFound()
    return view


class CreateCategory:
    """An admin adds a category; its slug comes from the name and never changes."""

    def __init__(self, *, uow: UnitOfWork, clock: Clock, slugger: Slugger):
        self.uow, self.clock, self.slugger = uow, clock, slugger

    def execute(self, principal: Principal, cmd: NewCategory) -> CategoryView:
        ensure_admin(principal)
        name = clean_catalog_name(cmd.name, "name", CATEGORY_NAME_MAX)
        description = clean_description(cmd.description)
        parent_id = cmd.parent_id
        with self.uow as uow:
            check_parent(None, parent_id, uow.categories.parents())
            slug = allocate_slug(
                self.slugger, name, max_length=CATEGORY_SLUG_MAX, fallback="category",
                taken=uow.categories.taken_slugs,
                digits_allowed=False,  # the product filter reads an all-digit category as an id
            )  # fmt: skip
            category = Category(name, slug, self.clock.now(), description, parent_id)
            with slug_clash_retried():
                uow.categories.add(category)
            view = _view(uow, category.id)
            uow.commit()
        return view


class UpdateCategory:
    """An admin renames, re-describes or moves a category (never under its own subtree)."""

    def __init__(self, *, uow: UnitOfWork):
        self.uow = uow

    def execute(
        self, principal: Principal, category_id: int, changes: CategoryChanges
    ) -> CategoryView:
        ensure_admin(principal)
        with self.uow as uow:
            # First, before any plain read: every category locked and read as it is now, so a
            # concurrent change waits for this one and sees it (B under A racing A under B).
            parents = uow.categories.parents(lock=True)
            category = uow.categories.get(category_id)
            if category is None:
                raise CategoryNotFound()
            if changes.name is not None:
                category.name = clean_catalog_name(changes.name, "name", CATEGORY_NAME_MAX)
            if changes.description is not None:
                category.description = clean_description(changes.description)
            if not isinstance(changes.parent_id, Keep):
                check_parent(category_id, changes.parent_id, parents)
                category.parent_id = changes.parent_id
            uow.categories.save(category)
            view = _view(uow, category_id)
            uow.commit()
        return view


class DeleteCategory:
    """An admin erases a category that holds no products (of any state) and no children."""

    def __init__(self, *, uow: UnitOfWork):
        self.uow = uow

    def execute(self, principal: Principal, category_id: int) -> None:
        ensure_admin(principal)
        with self.uow as uow:
            if uow.categories.get(category_id) is None:
                raise CategoryNotFound()
            if uow.categories.has_children(category_id):
                raise CategoryInUse("The category still has sub-categories.")
            if uow.products.exists_in_category(category_id):
                raise CategoryInUse("The category still holds products.")
            uow.categories.delete(category_id)
            uow.commit()


class ListCategories:
    """Every category with its count of active products (not paginated: they are few)."""

    def __init__(self, *, uow: UnitOfWork):
        self.uow = uow

    def execute(self) -> list[CategoryView]:
        with self.uow as uow:
            return uow.catalog.categories()


class GetCategory:
    def __init__(self, *, uow: UnitOfWork):
        self.uow = uow

    def execute(self, category_id: int) -> CategoryView:
        with self.uow as uow:
            return _view(uow, category_id)
