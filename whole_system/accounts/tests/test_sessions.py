"""Sessions end after 30 minutes idle or 12 hours in all, on sign-out, and whenever the
security code was not given."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from whole_system.accounts.sessions import LAST_SEEN_AT, SIGNED_IN_AT

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("accounts:sign_in")
SIGN_OUT = reverse("accounts:sign_out")
HOME = reverse("core:home")


def _at(moment):
    return mock.patch("django.utils.timezone.now", lambda: moment)


def _signed_out(response, client: Client) -> bool:
    return (
        response.status_code == 302
        and response["Location"] == SIGN_IN
        and "_auth_user_id" not in client.session
    )


def test_activity_within_thirty_minutes_keeps_the_session(keyworker_client):
    with _at(timezone.now() + timedelta(minutes=29)):
        response = keyworker_client.get(HOME)

    assert response.status_code == 200


def test_thirty_minutes_idle_signs_the_user_out(keyworker_client):
    with _at(timezone.now() + timedelta(minutes=31)):
        response = keyworker_client.get(HOME)

    assert _signed_out(response, keyworker_client)
    assert keyworker_client.get(HOME).status_code == 302
    page = keyworker_client.get(SIGN_IN)
    assert "You were signed out to keep information safe" in page.content.decode()


def test_each_request_restarts_the_idle_clock(keyworker_client):
    start = timezone.now()
    with _at(start + timedelta(minutes=25)):
        assert keyworker_client.get(HOME).status_code == 200
    with _at(start + timedelta(minutes=50)):
        assert keyworker_client.get(HOME).status_code == 200


def test_twelve_hours_after_sign_in_the_session_ends_however_active(keyworker_client):
    now = timezone.now().timestamp()
    session = keyworker_client.session
    session[SIGNED_IN_AT] = now - timedelta(hours=12, minutes=1).total_seconds()
    session[LAST_SEEN_AT] = now - 60
    session.save()

    response = keyworker_client.get(HOME)

    assert _signed_out(response, keyworker_client)


def test_just_under_twelve_hours_after_sign_in_the_session_continues(keyworker_client):
    now = timezone.now().timestamp()
    session = keyworker_client.session
    session[SIGNED_IN_AT] = now - timedelta(hours=11, minutes=59).total_seconds()
    session[LAST_SEEN_AT] = now - 60
    session.save()

    assert keyworker_client.get(HOME).status_code == 200


def test_a_session_without_its_timestamps_is_ended(keyworker_client):
    session = keyworker_client.session
    del session[SIGNED_IN_AT]
    session.save()

    response = keyworker_client.get(HOME)

    assert _signed_out(response, keyworker_client)


def test_sign_out_is_post_only(keyworker_client):
    response = keyworker_client.get(SIGN_OUT)

    assert response.status_code == 405
    assert keyworker_client.get(HOME).status_code == 200


def test_sign_out_ends_the_session(keyworker_client):
    response = keyworker_client.post(SIGN_OUT)

    assert response.status_code == 302
    assert response["Location"] == SIGN_IN
    assert "_auth_user_id" not in keyworker_client.session
    assert keyworker_client.get(HOME).status_code == 302
    assert "You have signed out" in keyworker_client.get(SIGN_IN).content.decode()


def test_session_signed_in_without_a_security_code_is_signed_out(keyworker):
    """A session that has a user but no verified device (e.g. created by a bug or an old
    code path) is ended by the middleware, not let through."""
    client = Client()
    client.force_login(keyworker, backend="whole_system.accounts.backends.PasswordAndCodeBackend")
    session = client.session
    now = timezone.now().timestamp()
    session[SIGNED_IN_AT] = now
    session[LAST_SEEN_AT] = now
    session.save()

    response = client.get(HOME)

    assert _signed_out(response, client)
