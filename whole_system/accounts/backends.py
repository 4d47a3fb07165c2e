"""Sign-in checks the password and the security code together, as one attempt.

One attempt means django-axes counts a wrong code like a wrong password, and the answer for an
unknown email address, a wrong password and a wrong code is the same.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def two_factor_waived(user: User) -> bool:
    return bool(settings.DEMO_WAIVE_TWO_FACTOR and user.is_demo)


class PasswordAndCodeBackend(ModelBackend):
    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        otp_token: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        user = super().authenticate(request, username=(username or "").lower(), password=password)
        if user is None:
            return None
        user.otp_device = None
        user.needs_enrolment = False
        if two_factor_waived(user):
            return user
        device = confirmed_device(user)
        if device is None:
            # First sign-in: the password was right; the view sends her to set up a code.
            user.needs_enrolment = True
            return user
        if otp_token and device.verify_token(otp_token.strip().replace(" ", "")):
            user.otp_device = device
            return user
        return None
