"""Accounts: people who use the service, and their security codes."""

from __future__ import annotations

import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Membership, Organisation, Team, User


def unconfirmed_device(user: User) -> TOTPDevice:
    """The device a user is setting up; made on first use, kept until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


@transaction.atomic
def confirm_device(device: TOTPDevice, *, by: User) -> None:
    """Make this the user's one security-code device."""
    TOTPDevice.objects.filter(user=by).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])


def secret(device: TOTPDevice) -> str:
    """The key in the base32 form authenticator apps accept when typed in."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def qr_code_svg(device: TOTPDevice) -> str:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


@transaction.atomic
def create_member(
    *,
    email: str,
    full_name: str,
    organisation: Organisation | None,
    role: str,
    password: str | None = None,
    team: Team | None = None,
    is_demo: bool = False,
) -> User:
    """Create a user with their membership of one organisation."""
    user = User.objects.create_user(email, password, full_name=full_name, is_demo=is_demo)
    Membership.objects.create(user=user, organisation=organisation, role=role, team=team)
    return user
