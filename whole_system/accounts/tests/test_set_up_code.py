"""First sign-in: a user with no security-code device is sent to set one up before she is
signed in, and is signed in only once she confirms a code from it."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from whole_system.accounts.models import Membership
from whole_system.core.testing.auth import current_code
from whole_system.core.testing.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("accounts:sign_in")
SET_UP = reverse("accounts:set_up_code")
HOME = reverse("core:home")


@contextmanager
def seconds_later(seconds: float):
    """Move the clock on, e.g. past django-otp's one-second throttle after a wrong code."""
    real_now = timezone.now
    with mock.patch("django.utils.timezone.now", lambda: real_now() + timedelta(seconds=seconds)):
        yield


@pytest.fixture
def newcomer(centre):
    return make_user(centre, Membership.Role.KEYWORKER, with_device=False)


@pytest.fixture
def at_set_up(newcomer) -> Client:
    client = Client()
    response = client.post(SIGN_IN, {"email": newcomer.email, "password": PASSWORD, "code": ""})
    assert response.status_code == 302
    assert response["Location"] == SET_UP
    return client


def _unconfirmed(user) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=False)


def test_first_sign_in_without_a_device_goes_to_set_up_not_home(at_set_up):
    home = at_set_up.get(HOME)

    assert home.status_code == 302
    assert home["Location"].startswith(SIGN_IN)


def test_set_up_page_shows_a_qr_code_and_the_key(at_set_up, newcomer):
    response = at_set_up.get(SET_UP)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Set up your security code" in body
    assert "<svg" in body
    assert response.context["secret"] in body
    assert TOTPDevice.objects.filter(user=newcomer, confirmed=False).count() == 1


def test_set_up_page_without_a_password_first_goes_to_sign_in(client):
    response = client.get(SET_UP)

    assert response.status_code == 302
    assert response["Location"] == SIGN_IN


def test_wrong_code_at_set_up_is_refused_and_nothing_is_confirmed(at_set_up, newcomer):
    at_set_up.get(SET_UP)
    device = _unconfirmed(newcomer)
    wrong = "000000" if current_code(device) != "000000" else "111111"

    response = at_set_up.post(SET_UP, {"code": wrong})

    assert response.status_code == 200
    assert "The security code is not right" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=newcomer, confirmed=True).exists()
    assert at_set_up.get(HOME).status_code == 302


def test_correct_code_at_set_up_confirms_the_device_and_signs_in(at_set_up, newcomer):
    at_set_up.get(SET_UP)
    device = _unconfirmed(newcomer)
    at_set_up.post(SET_UP, {"code": "000000" if current_code(device) != "000000" else "111111"})

    with seconds_later(2):
        response = at_set_up.post(SET_UP, {"code": current_code(device)})

    assert response.status_code == 302
    assert response["Location"] == HOME
    device.refresh_from_db()
    assert device.confirmed
    assert at_set_up.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert at_set_up.get(HOME).status_code == 200


def test_after_set_up_the_next_sign_in_needs_the_code(at_set_up, newcomer):
    at_set_up.get(SET_UP)
    device = _unconfirmed(newcomer)
    at_set_up.post(SET_UP, {"code": current_code(device)})

    again = Client()
    response = again.post(SIGN_IN, {"email": newcomer.email, "password": PASSWORD, "code": ""})

    assert response.status_code == 200
    assert "Enter a correct email address, password and security code" in response.content.decode()


def test_set_up_link_expires_after_ten_minutes(at_set_up):
    with seconds_later(11 * 60):
        response = at_set_up.get(SET_UP)

    assert response.status_code == 302
    assert response["Location"] == SIGN_IN
