"""User administration (admins only)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from shop_web.api.base import Blueprint, current_principal, envelope, page_window, use_cases
from shop_web.schemas import users as s
from shop_web.schemas.common import paginated
from shopcore.domain.values import Role
from shopcore.ports.users import UserFilter
from shopcore.use_cases.users import AdminUserChanges

blp = Blueprint("users", __name__, url_prefix="/api/users", description="User administration.")


@blp.route("/")
class Users(MethodView):
    @blp.doc(operationId="listUsers")
    @blp.authenticated(Role.ADMIN)
    @blp.arguments(s.UserQuerySchema, location="query")
    @blp.response(200, paginated(s.UserSchema))
    def get(self, args: dict[str, Any]) -> Any:
        """List users, filtered by role, active flag or a search over email and names"""
        offset, limit = page_window(args)
        role = Role(args["role"]) if "role" in args else None
        filters = UserFilter(role=role, is_active=args.get("is_active"), search=args.get("search"))
        page = use_cases().list_users.execute(current_principal(), filters, offset, limit)
        return envelope(page.items, page.total, offset, limit)


@blp.route("/<int:user_id>/")
class UserDetail(MethodView):
    @blp.doc(operationId="getUser")
    @blp.authenticated(Role.ADMIN)
    @blp.response(200, s.UserSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, user_id: int) -> Any:
        """One user"""
        return use_cases().get_user.execute(current_principal(), user_id)

    @blp.doc(operationId="updateUser")
    @blp.authenticated(Role.ADMIN)
    @blp.arguments(s.AdminUserUpdateSchema)
    @blp.response(200, s.UserSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def patch(self, data: dict[str, Any], user_id: int) -> Any:
        """Change a user's role or active flag (deactivating signs them out everywhere)"""
        role = Role(data["role"]) if "role" in data else None
        changes = AdminUserChanges(role=role, is_active=data.get("is_active"))
        return use_cases().update_user.execute(current_principal(), user_id, changes)

    @blp.doc(operationId="deactivateUser")
    @blp.authenticated(Role.ADMIN)
    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY", description="The caller themselves")
    def delete(self, user_id: int) -> None:
        """Deactivate a user (never erased: their orders stay)"""
        use_cases().deactivate_user.execute(current_principal(), user_id)
