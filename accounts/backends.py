"""Password sign-in with the mobile number as well as the username (after axes' backend)."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from accounts.codes import normalise_phone
from accounts.services.accounts import user_for_phone
from case_core.errors import DomainError


class PhoneOrUsernameBackend(ModelBackend):
    """Finds the one active account with this mobile number; the password decides."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not isinstance(username, str) or password is None or not username[-1:].isdigit():
            return None
        try:
            phone = normalise_phone(username)
        except DomainError:
            return None
        user = user_for_phone(phone)
        if user is not None and user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
