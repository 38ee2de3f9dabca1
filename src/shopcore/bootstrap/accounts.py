"""Sign-up, sign-in, tokens, profiles and user administration."""

from __future__ import annotations

from shopcore.bootstrap.wiring import Wiring
from shopcore.use_cases import auth, users


class AccountUseCases(Wiring):
    """Sign-up, sign-in, tokens, profiles and user administration."""

    @property
    def register_user(self) -> auth.RegisterUser:
        return auth.RegisterUser(uow=self._uow(), hasher=self.hasher, minter=self.minter)

    @property
    def log_in(self) -> auth.LogIn:
        return auth.LogIn(uow=self._uow(), hasher=self.hasher, minter=self.minter)

    @property
    def refresh_session(self) -> auth.RefreshSession:
        return auth.RefreshSession(uow=self._uow(), minter=self.minter)

    @property
    def log_out(self) -> auth.LogOut:
        return auth.LogOut(uow=self._uow(), minter=self.minter)

    @property
    def authenticate(self) -> auth.Authenticate:
        return auth.Authenticate(uow=self._uow(read_only=True), minter=self.minter)

    @property
    def change_password(self) -> auth.ChangePassword:
        return auth.ChangePassword(uow=self._uow(), hasher=self.hasher, clock=self.clock)

    @property
    def create_admin(self) -> users.CreateAdmin:
        return users.CreateAdmin(uow=self._uow(), hasher=self.hasher, clock=self.clock)

    @property
    def get_user(self) -> users.GetUser:
        return users.GetUser(uow=self._uow(read_only=True))

    @property
    def update_profile(self) -> users.UpdateProfile:
        return users.UpdateProfile(uow=self._uow())

    @property
    def set_avatar(self) -> users.SetAvatar:
        return users.SetAvatar(uow=self._uow(), images=self.images, storage=self.storage)

    @property
    def list_users(self) -> users.ListUsers:
        return users.ListUsers(uow=self._uow(read_only=True))

    @property
    def update_user(self) -> users.UpdateUser:
        return users.UpdateUser(uow=self._uow(), clock=self.clock)

    @property
    def deactivate_user(self) -> users.DeactivateUser:
        return users.DeactivateUser(uow=self._uow(), clock=self.clock)
