"""Signing a test client in as a real sign-in would: session timers and verified device."""

from __future__ import annotations

from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from whole_system.accounts.models import User
from whole_system.accounts.sessions import LAST_SEEN_AT, SIGNED_IN_AT


def current_code(device: TOTPDevice) -> str:
    return str(totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)).zfill(
        device.digits
    )


def sign_in(client: Client, user: User) -> Client:
    """Sign `client` in as `user`, with their security code marked as checked."""
    client.force_login(user, backend="whole_system.accounts.backends.PasswordAndCodeBackend")
    session = client.session
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    now = timezone.now().timestamp()
    session[SIGNED_IN_AT] = now
    session[LAST_SEEN_AT] = now
    session.save()
    return client
