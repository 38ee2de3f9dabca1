"""The catalog repositories keep the same contract in memory and in SQL (SQLite and MariaDB).

Each test runs on the in-memory store and on the app's database; the SQL runs also check that
constraint failures of concurrent writers come back as domain errors, never as a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from shopcore.adapters.memory.base import IntegrityViolation
from shopcore.adapters.memory.unit_of_work import InMemoryStore, InMemoryUnitOfWork
from shopcore.adapters.sqlalchemy import tables as t
from shopcore.adapters.sqlalchemy.catalog import SqlProductRepository
from shopcore.domain.catalog import Category, Product, ProductImage
from shopcore.domain.errors import CategoryInUse, ProductOrdered, RuleViolation, SlugTaken
from shopcore.domain.users import Principal, User
from shopcore.domain.values import Role
from shopcore.ports.unit_of_work import UnitOfWork

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
UowFactory = Callable[[], UnitOfWork]


class World:
    """A unit-of-work factory plus a way to record an order line for a product.

    ``constraint`` is what a write that breaks a foreign key raises: the SQL adapters turn it
    into the domain error (a concurrent writer can get past a use case's check), the in-memory
    store into its IntegrityViolation (the use cases check first, so only a bug gets there).
    """

    def __init__(
        self,
        uow: UowFactory,
        order_line: Callable[[Product], None],
        constraint: type[Exception],
    ) -> None:
        self.uow, self.order_line, self.constraint = uow, order_line, constraint
        with self.uow() as uow_:
            vendor = User("v@example.com", "x", "Vera", "Smith", NOW, Role.VENDOR)
            uow_.users.add(vendor)
            uow_.commit()
        assert vendor.id is not None
        self.vendor_id = vendor.id

    def category(self, slug: str, parent: int | None = None) -> Category:
        category = Category(slug.title(), slug, NOW, "", parent)
        with self.uow() as uow:
            uow.categories.add(category)
            uow.commit()
        return category

    def product(self, slug: str, category: Category, **kw: Any) -> Product:
        assert category.id is not None
        product = Product(self.vendor_id, category.id, slug.title(), slug, "", Decimal("9.50"),
                          3, NOW, NOW, **kw)  # fmt: skip
        with self.uow() as uow:
            uow.products.add(product)
            uow.commit()
        return product


def _memory() -> World:
    store = InMemoryStore()

    def order_line(product: Product) -> None:
        line = SimpleNamespace(product_id=product.id)
        store.tables["orders"][len(store.tables["orders"]) + 1] = SimpleNamespace(lines=[line])

    return World(lambda: InMemoryUnitOfWork(store), order_line, IntegrityViolation)


def _sql(app: Flask) -> World:
    shop = app.extensions["shopcore"]
    engine: sa.Engine = shop.engine

    def order_line(product: Product) -> None:
        with engine.begin() as conn:
            order_id = conn.execute(sa.insert(t.orders).values(
                order_number=f"ORD-R-{product.id}", user_id=product.vendor_id, status="pending",
                payment_method="card", payment_status="unpaid", subtotal=1, shipping_cost=0,
                total=1, ship_full_name="A", ship_phone="1", ship_address_line1="1",
                ship_city="C", ship_postal_code="1", ship_country="US", created_at=NOW,
                updated_at=NOW,
            )).inserted_primary_key[0]  # fmt: skip
            conn.execute(sa.insert(t.order_lines).values(
                order_id=order_id, product_id=product.id, vendor_id=product.vendor_id,
                product_slug=product.slug, product_name=product.name, unit_price=1, quantity=1,
                line_total=1,
            ))  # fmt: skip

    return World(shop.uow_factory, order_line, CategoryInUse)


@pytest.fixture(params=["memory", "sql"])
def world(request: pytest.FixtureRequest, app: Flask) -> World:
    return _memory() if request.param == "memory" else _sql(app)


def test_slugs_are_unique_per_table(world: World) -> None:
    home = world.category("home")
    world.product("pot", home)

    with pytest.raises(SlugTaken):
        world.category("home")
    with pytest.raises(SlugTaken):
        world.product("pot", home)
    with world.uow() as uow:
        assert uow.categories.taken_slugs(["home", "home-2", "pot"]) == {"home"}
        assert uow.products.taken_slugs(["pot", "pot-2", "home"]) == {"pot"}
        assert uow.products.taken_slugs([]) == set()


def test_lookups_by_slug_and_the_category_tree(world: World) -> None:
    home = world.category("home")
    kitchen = world.category("kitchen", home.id)

    with world.uow() as uow:
        assert uow.categories.get_by_slug("kitchen") == kitchen
        assert uow.categories.get_by_slug("nope") is None
        assert uow.categories.parents() == {home.id: None, kitchen.id: home.id}
        assert uow.categories.has_children(home.id) and not uow.categories.has_children(kitchen.id)


def test_a_category_in_use_cannot_be_deleted(world: World) -> None:
    home = world.category("home")
    world.category("kitchen", home.id)
    garden = world.category("garden")
    world.product("hose", garden, is_active=False)
    assert home.id is not None and garden.id is not None

    for category_id in (home.id, garden.id):
        with world.uow() as uow, pytest.raises(world.constraint):
            uow.categories.delete(category_id)
    with world.uow() as uow:
        assert uow.products.exists_in_category(garden.id)
        assert not uow.products.exists_in_category(home.id)


def test_an_ordered_product_cannot_be_erased(world: World) -> None:
    pot = world.product("pot", world.category("home"))
    pan = world.product("pan", world.category("kitchen"))
    world.order_line(pot)
    assert pot.id is not None and pan.id is not None

    with world.uow() as uow:
        assert uow.products.has_order_lines(pot.id) and not uow.products.has_order_lines(pan.id)
        with pytest.raises(ProductOrdered):
            uow.products.delete(pot.id)
    with world.uow() as uow:
        uow.products.delete(pan.id)
        uow.commit()
    with world.uow() as uow:
        assert uow.products.get(pot.id) is not None and uow.products.get(pan.id) is None


def test_erasing_a_product_erases_its_image_rows(world: World) -> None:
    pot = world.product("pot", world.category("home"))
    assert pot.id is not None
    with world.uow() as uow:
        for position, name in ((1, "b"), (0, "a"), (1, "c")):
            uow.images.add(
                ProductImage(pot.id, f"{name}.png", f"{name}_t.png", 1, 1, position, NOW)
            )
        uow.commit()
    with world.uow() as uow:
        images = uow.images.list_for_product(pot.id)
        assert [i.path for i in images] == ["a.png", "b.png", "c.png"]
        uow.products.delete(pot.id)
        uow.commit()
    with world.uow() as uow:
        assert (
            uow.images.list_for_product(pot.id) == [] and uow.images.get(images[0].id or 0) is None
        )


def test_save_writes_the_derived_final_price(world: World) -> None:
    pot = world.product("pot", world.category("home"))

    with world.uow() as uow:
        locked = uow.products.lock_by_slug("pot")
        assert locked is not None
        locked.set_pricing(Decimal("20"), Decimal("12.5"))
        uow.products.save(locked)
        uow.commit()

    with world.uow() as uow:
        assert uow.catalog.product("pot").final_price == Decimal("12.50")  # type: ignore[union-attr]
        assert uow.products.get(pot.id or 0).final_price == Decimal("12.50")  # type: ignore[union-attr]


def test_sql_writes_naming_a_vanished_category_are_validation_errors(app: Flask) -> None:
    world = _sql(app)
    home = world.category("home")
    ghost = Category("Ghost", "ghost", NOW, id=987654)

    with pytest.raises(RuleViolation) as caught:
        world.product("pot", ghost)
    assert "category" in caught.value.errors
    with pytest.raises(RuleViolation) as caught:
        world.category("kitchen", parent=987654)
    assert "parent" in caught.value.errors
    assert home.id is not None


def test_an_order_arriving_before_the_erase_deactivates_instead(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = _sql(app)
    pot = world.product("pot", world.category("home"))
    world.order_line(pot)
    calls = {"n": 0}
    original = SqlProductRepository.has_order_lines

    def missed_once(self: SqlProductRepository, product_id: int) -> bool:
        calls["n"] += 1  # the first look happens "before" the order; the FK still says no
        return False if calls["n"] == 1 else original(self, product_id)

    monkeypatch.setattr(SqlProductRepository, "has_order_lines", missed_once)

    app.extensions["shopcore"].delete_product.execute(
        Principal(world.vendor_id, Role.VENDOR), "pot"
    )

    with world.uow() as uow:
        stored = uow.products.get(pot.id or 0)
    assert stored is not None and stored.is_active is False
