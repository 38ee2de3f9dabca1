"""Products: browsed by anyone, sold by vendors (and admins)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import Schema

from shop_web.api.base import (
    Blueprint,
    current_principal,
    envelope,
    optional_principal,
    page_window,
    stacked,
    use_cases,
)
from shop_web.schemas import catalog as s
from shop_web.schemas.common import paginated
from shopcore.domain.values import Role
from shopcore.use_cases.catalog_browse import ProductQuery
from shopcore.use_cases.catalog_edits import ProductChanges
from shopcore.use_cases.catalog_products import NewProduct

blp = Blueprint(
    "products", __name__, url_prefix="/api/products",
    description="Products: list with filters, detail, and their vendors' changes.",
)  # fmt: skip

_QUERY_NAMES = {"vendor": "vendor_id"}


# The decorator stacks each route shares with its deprecated alias (/create/, /update/, /delete/).
def _creating(operation_id: str, **doc: Any) -> Any:
    return stacked(
        blp.doc(operationId=operation_id, **doc),
        blp.authenticated(Role.VENDOR, Role.ADMIN),
        blp.arguments(s.ProductWriteSchema),
        blp.response(201, s.ProductSchema),
        blp.alt_response(409, response="CONFLICT", description="Concurrent writers kept its slug"),
        blp.alt_response(422, response="UNPROCESSABLE_ENTITY"),
    )


def _editing(operation_id: str, schema: type[Schema], **doc: Any) -> Any:
    return stacked(
        blp.doc(operationId=operation_id, **doc),
        blp.authenticated(),
        blp.arguments(schema),
        blp.response(200, s.ProductSchema),
        blp.alt_response(403, response="FORBIDDEN", description="Neither its vendor nor an admin"),
        blp.alt_response(404, response="NOT_FOUND"),
        blp.alt_response(422, response="UNPROCESSABLE_ENTITY"),
    )


def _deleting(operation_id: str, **doc: Any) -> Any:
    return stacked(
        blp.doc(operationId=operation_id, **doc),
        blp.authenticated(),
        blp.response(204),
        blp.alt_response(403, response="FORBIDDEN", description="Neither its vendor nor an admin"),
        blp.alt_response(404, response="NOT_FOUND"),
    )


@blp.route("/")
class Products(MethodView):
    @blp.doc(operationId="listProducts")
    @blp.catalog_read
    @blp.arguments(s.ProductQuerySchema, location="query")
    @blp.response(200, paginated(s.ProductSchema))
    def get(self, args: dict[str, Any]) -> Any:
        """List active products, filtered and ordered

        Every filter given must hold. Malformed numbers, an unknown category or ordering, and
        max_price below min_price are 422.
        """
        offset, limit = page_window(args)
        query = ProductQuery(**{_QUERY_NAMES.get(k, k): v for k, v in args.items()})
        page = use_cases().list_products.execute(query, offset, limit)
        return envelope(page.items, page.total, offset, limit)

    @_creating("createProduct")
    def post(self, data: dict[str, Any]) -> Any:
        """Create a product sold by the caller (vendors and admins)"""
        return _create(data)


@blp.route("/create/")
class ProductCreate(MethodView):
    @_creating("createProductAlias", deprecated=True)
    def post(self, data: dict[str, Any]) -> Any:
        """Create a product (same as POST /api/products/)"""
        return _create(data)


@blp.route("/<slug>/")
class ProductDetail(MethodView):
    @blp.doc(operationId="getProduct")
    @blp.optional_auth
    @blp.catalog_read
    @blp.response(200, s.ProductSchema)
    @blp.alt_response(404, response="NOT_FOUND", description="Unknown, or inactive and not yours")
    def get(self, slug: str) -> Any:
        """One product; an inactive one only for its vendor and admins"""
        return use_cases().get_product.execute(slug, optional_principal())

    @_editing("replaceProduct", s.ProductWriteSchema)
    def put(self, data: dict[str, Any], slug: str) -> Any:
        """Replace a product's fields (its vendor or an admin); the slug stays

        discount_price and is_active are left as they are when omitted; send
        `"discount_price": null` to remove a discount.
        """
        return _update(slug, data)

    @_editing("updateProduct", s.ProductPatchSchema)
    def patch(self, data: dict[str, Any], slug: str) -> Any:
        """Change some of a product's fields (its vendor or an admin); the slug stays"""
        return _update(slug, data)

    @_deleting("deleteProduct")
    def delete(self, slug: str) -> None:
        """Delete a product (its vendor or an admin)

        A product that has been ordered is deactivated instead, so orders keep their lines;
        otherwise it is erased together with its image files.
        """
        use_cases().delete_product.execute(current_principal(), slug)


@blp.route("/<slug>/update/")
class ProductUpdate(MethodView):
    @_editing("replaceProductAlias", s.ProductWriteSchema, deprecated=True)
    def put(self, data: dict[str, Any], slug: str) -> Any:
        """Replace a product's fields (same as PUT /api/products/{slug}/)"""
        return _update(slug, data)

    @_editing("updateProductAlias", s.ProductPatchSchema, deprecated=True)
    def patch(self, data: dict[str, Any], slug: str) -> Any:
        """Change some of a product's fields (same as PATCH /api/products/{slug}/)"""
        return _update(slug, data)


@blp.route("/<slug>/delete/")
class ProductDelete(MethodView):
    @_deleting("deleteProductAlias", deprecated=True)
    def delete(self, slug: str) -> None:
        """Delete a product (same as DELETE /api/products/{slug}/)"""
        use_cases().delete_product.execute(current_principal(), slug)


def _create(data: dict[str, Any]) -> Any:
    return use_cases().create_product.execute(current_principal(), NewProduct(**s.renamed(data)))


def _update(slug: str, data: dict[str, Any]) -> Any:
    changes = ProductChanges(**s.renamed(data))
    return use_cases().update_product.execute(current_principal(), slug, changes)
