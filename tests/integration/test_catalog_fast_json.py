"""ProductSchema's fast path writes exactly what its marshmallow fields would."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import sqlalchemy as sa
from marshmallow import Schema

from shop_web.schemas.catalog import ProductSchema
from shopcore.adapters.sqlalchemy import tables as t
from shopcore.domain.catalog import ProductImage
from shopcore.domain.users import Principal
from shopcore.domain.values import Role
from shopcore.use_cases.catalog_browse import ProductQuery
from tests.integration.catalog_helpers import Shop
from tests.integration.conftest import Api


def _varied_products(shop: Shop) -> None:
    plain = shop.product("Plain Pot", price="10.00", stock=0)
    shop.product("Cheap Pot", price="19.99", discount_price="4.50", stock=7)
    rated = shop.product("Rated Pot ünïcode", description='Line\nbreak "quoted"')
    hidden = shop.product("Hidden Pot")
    shop.api.patch(f"/api/products/{hidden['slug']}/", {"is_active": False}, shop.vendor)
    with shop.core.engine.begin() as conn:
        conn.execute(sa.update(t.products).where(t.products.c.id == rated["id"])
                     .values(rating_avg=Decimal("4.67"), rating_count=3))  # fmt: skip
    with shop.core.uow_factory() as uow:
        for position, name in enumerate(("a b.png", "c%d.webp")):
            uow.images.add(ProductImage(plain["id"], f"products/{name}", f"thumbs/{name}",
                                        640, 480, position, datetime.now(UTC)))  # fmt: skip
        uow.commit()


def test_the_fast_dump_equals_the_schema_fields_dump(api: Api) -> None:
    shop = Shop(api)
    _varied_products(shop)
    views = shop.core.list_products.execute(ProductQuery(), 0, 100).items
    schema = ProductSchema()

    with shop.app.test_request_context("/api/products/", base_url="https://shop.example:8443"):
        fast_one = [schema.dump(view) for view in views]
        fast_many = ProductSchema(many=True).dump(views)
        fields_dump = [Schema.dump(schema, view) for view in views]

    assert fast_one == fields_dump == fast_many
    assert len(fields_dump) == 3 and any(item["images"] for item in fields_dump)
    assert {item["discount_price"] for item in fields_dump} == {None, "4.50"}
    assert {item["rating_avg"] for item in fields_dump} == {None, "4.67"}


def test_the_fast_dump_covers_inactive_products_seen_by_their_vendor(api: Api) -> None:
    shop = Shop(api)
    _varied_products(shop)
    response = api.get("/api/products/hidden-pot/", shop.vendor)
    view = shop.core.get_product.execute("hidden-pot", Principal(shop.vendor_id, Role.VENDOR))

    with shop.app.test_request_context("/api/products/hidden-pot/"):
        assert ProductSchema().dump(view) == Schema.dump(ProductSchema(), view)
    assert response.get_json()["is_active"] is False


def test_other_objects_still_go_through_the_fields(api: Api) -> None:
    shop = Shop(api)
    with shop.app.test_request_context("/"):
        dumped = ProductSchema(only=("id", "slug")).dump({"id": 1, "slug": "x", "name": "y"})

    assert dumped == {"id": 1, "slug": "x"}
