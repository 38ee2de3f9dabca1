"""Auth: register, log in, refresh, log out, own profile, password, avatar."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from shop_web.api.base import Blueprint, current_principal, use_cases
from shop_web.schemas import users as s
from shop_web.uploads import read_upload
from shopcore.use_cases.auth import ChangePasswordCommand, LogInCommand, RegisterCommand

blp = Blueprint("auth", __name__, url_prefix="/api/auth", description="Accounts and tokens.")


@blp.route("/register/")
class Register(MethodView):
    @blp.doc(operationId="registerUser")
    @blp.arguments(s.RegisterSchema)
    @blp.response(201, s.SessionSchema)
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data: dict[str, Any]) -> Any:
        """Create an account (customer or vendor) and sign in"""
        return use_cases().register_user.execute(RegisterCommand(**data))


@blp.route("/login/", endpoint="login")
class Login(MethodView):
    @blp.doc(operationId="logIn")
    @blp.arguments(s.LoginSchema)
    @blp.response(200, s.SessionSchema)
    @blp.alt_response(401, response="UNAUTHORIZED")
    @blp.alt_response(429, response="TOO_MANY_REQUESTS")
    def post(self, data: dict[str, Any]) -> Any:
        """Sign in with email and password"""
        return use_cases().log_in.execute(LogInCommand(**data))


@blp.route("/refresh/")
class Refresh(MethodView):
    @blp.doc(operationId="refreshTokens")
    @blp.arguments(s.RefreshSchema)
    @blp.response(200, s.TokenPairSchema)
    @blp.alt_response(401, response="UNAUTHORIZED")
    def post(self, data: dict[str, Any]) -> Any:
        """Trade a refresh token for a new pair (the old refresh token dies)"""
        return use_cases().refresh_session.execute(data["refresh"])


@blp.route("/logout/")
class Logout(MethodView):
    @blp.doc(operationId="logOut")
    @blp.authenticated()
    @blp.arguments(s.RefreshSchema)
    @blp.response(204)
    def post(self, data: dict[str, Any]) -> None:
        """End the login the refresh token belongs to"""
        use_cases().log_out.execute(current_principal(), data["refresh"])


@blp.route("/me/")
class Me(MethodView):
    @blp.doc(operationId="getOwnProfile")
    @blp.authenticated()
    @blp.response(200, s.UserSchema)
    def get(self) -> Any:
        """Own profile"""
        caller = current_principal()
        return use_cases().get_user.execute(caller, caller.user_id)

    @blp.doc(operationId="updateOwnProfile")
    @blp.authenticated()
    @blp.arguments(s.ProfileUpdateSchema)
    @blp.response(200, s.UserSchema)
    def patch(self, data: dict[str, Any]) -> Any:
        """Change own name, phone or address"""
        return use_cases().update_profile.execute(current_principal(), data)


@blp.route("/change-password/")
class ChangePassword(MethodView):
    @blp.doc(operationId="changePassword")
    @blp.authenticated()
    @blp.arguments(s.ChangePasswordSchema)
    @blp.response(204)
    def post(self, data: dict[str, Any]) -> None:
        """Change own password; every other login is signed out"""
        use_cases().change_password.execute(current_principal(), ChangePasswordCommand(**data))


@blp.route("/me/avatar/")
class Avatar(MethodView):
    @blp.doc(operationId="uploadAvatar")
    @blp.authenticated()
    @blp.arguments(s.AvatarSchema, location="files")
    @blp.response(200, s.UserSchema)
    @blp.alt_response(413, response="PAYLOAD_TOO_LARGE")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def put(self, files: dict[str, Any]) -> Any:
        """Upload a profile picture (JPEG, PNG or WebP)"""
        return use_cases().set_avatar.execute(current_principal(), read_upload(files["image"]))
