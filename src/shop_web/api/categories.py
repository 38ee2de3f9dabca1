"""Categories: read by anyone, written by admins."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from shop_web.api.base import Blueprint, current_principal, use_cases
from shop_web.schemas import catalog as s
from shopcore.domain.values import Role
from shopcore.use_cases.catalog_categories import CategoryChanges, NewCategory

blp = Blueprint(
    "categories", __name__, url_prefix="/api/categories",
    description="Product categories, optionally nested under a parent.",
)  # fmt: skip


@blp.route("/")
class Categories(MethodView):
    @blp.doc(operationId="listCategories")
    @blp.catalog_read
    @blp.response(200, s.CategorySchema(many=True))
    def get(self) -> Any:
        """List every category (not paginated)

        Sorted by name. `product_count` counts the active products directly in the category,
        not those of its sub-categories.
        """
        return use_cases().list_categories.execute()

    @blp.doc(operationId="createCategory")
    @blp.authenticated(Role.ADMIN)
    @blp.arguments(s.CategoryCreateSchema)
    @blp.response(201, s.CategorySchema)
    @blp.alt_response(409, response="CONFLICT", description="Concurrent writers kept its slug")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY", description="Unknown parent")
    def post(self, data: dict[str, Any]) -> Any:
        """Create a category (admins)

        The slug is made from the name (transliterated to ASCII, `-2`, `-3`... when taken) and
        never changes afterwards.
        """
        return use_cases().create_category.execute(
            current_principal(), NewCategory(**s.renamed(data))
        )


@blp.route("/<int:category_id>/")
class CategoryDetail(MethodView):
    @blp.doc(operationId="getCategory")
    @blp.catalog_read
    @blp.response(200, s.CategorySchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, category_id: int) -> Any:
        """One category"""
        return use_cases().get_category.execute(category_id)

    @blp.doc(operationId="replaceCategory")
    @blp.authenticated(Role.ADMIN)
    @blp.arguments(s.CategoryUpdateSchema)
    @blp.response(200, s.CategorySchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY", description="Bad parent (or a cycle)")
    def put(self, data: dict[str, Any], category_id: int) -> Any:
        """Replace a category's name (and description or parent, when given) (admins)"""
        return _update(category_id, data)

    @blp.doc(operationId="updateCategory")
    @blp.authenticated(Role.ADMIN)
    @blp.arguments(s.CategoryPatchSchema)
    @blp.response(200, s.CategorySchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY", description="Bad parent (or a cycle)")
    def patch(self, data: dict[str, Any], category_id: int) -> Any:
        """Change some of a category's fields (admins); the slug stays"""
        return _update(category_id, data)

    @blp.doc(operationId="deleteCategory")
    @blp.authenticated(Role.ADMIN)
    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT", description="It holds products or sub-categories")
    def delete(self, category_id: int) -> None:
        """Delete an empty category (admins)"""
        use_cases().delete_category.execute(current_principal(), category_id)


def _update(category_id: int, data: dict[str, Any]) -> Any:
    changes = CategoryChanges(**s.renamed(data))
    return use_cases().update_category.execute(current_principal(), category_id, changes)
