"""What a signed-in session records about itself, and the timeouts that end it."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest
from django.utils import timezone
from django_otp import login as otp_login

from .models import User

SIGNED_IN_AT = "ws_signed_in_at"
LAST_SEEN_AT = "ws_last_seen_at"
TWO_FACTOR_WAIVED = "ws_two_factor_waived"


def start_session(request: HttpRequest, user: User) -> None:
    """Sign `user` in: a new session id, the security code marked as checked, timers started."""
    login(request, user, backend="whole_system.accounts.backends.PasswordAndCodeBackend")
    device = getattr(user, "otp_device", None)
    if device is not None:
        otp_login(request, device)
    else:
        request.session[TWO_FACTOR_WAIVED] = True
    now = timezone.now().timestamp()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now


def session_expired(request: HttpRequest) -> bool:
    now = timezone.now().timestamp()
    signed_in_at = request.session.get(SIGNED_IN_AT)
    last_seen_at = request.session.get(LAST_SEEN_AT)
    if signed_in_at is None or last_seen_at is None:
        return True
    return (
        now - last_seen_at > settings.SESSION_IDLE_TIMEOUT.total_seconds()
        or now - signed_in_at > settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
    )


def second_factor_done(request: HttpRequest) -> bool:
    user = request.user
    if getattr(user, "is_verified", lambda: False)():
        return True
    from .backends import two_factor_waived

    return bool(request.session.get(TWO_FACTOR_WAIVED)) and two_factor_waived(user)  # type: ignore[arg-type]
