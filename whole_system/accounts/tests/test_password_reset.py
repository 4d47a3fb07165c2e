"""Password reset: the same answer whether or not the address has an account, a link that
works once, and the old password refused afterwards (the security code is still needed)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from whole_system.core.testing.auth import current_code
from whole_system.core.testing.factories import PASSWORD

pytestmark = pytest.mark.django_db

RESET = reverse("accounts:password_reset")
SENT = reverse("accounts:password_reset_done")
SIGN_IN = reverse("accounts:sign_in")
HOME = reverse("core:home")
NEW_PASSWORD = "quiet-lantern-orchard-41"


def _reset_link(message) -> str:
    match = re.search(r"https?://testserver(/password-reset/[^/\s]+/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def _sign_in(client: Client, user, password: str):
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return client.post(
        SIGN_IN, {"email": user.email, "password": password, "code": current_code(device)}
    )


def test_reset_page_asks_for_an_email_address(client):
    response = client.get(RESET)

    assert response.status_code == 200
    assert 'name="email"' in response.content.decode()


def test_reset_for_a_known_address_sends_one_email_to_it(client, keyworker):
    response = client.post(RESET, {"email": keyworker.email})

    assert response.status_code == 302
    assert response["Location"] == SENT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [keyworker.email]
    assert _reset_link(mail.outbox[0])


def test_reset_for_an_unknown_address_sends_nothing_and_looks_the_same(keyworker):
    known = Client().post(RESET, {"email": keyworker.email}, follow=True)
    sent_before = len(mail.outbox)
    unknown = Client().post(RESET, {"email": "nobody-here@example.org"}, follow=True)

    assert len(mail.outbox) == sent_before == 1
    assert known.redirect_chain == unknown.redirect_chain == [(SENT, 302)]
    assert known.status_code == unknown.status_code == 200
    assert known.content == unknown.content


def test_reset_link_sets_a_new_password_and_the_old_one_stops_working(client, keyworker):
    client.post(RESET, {"email": keyworker.email})
    form_page = client.get(_reset_link(mail.outbox[0]), follow=True)
    assert form_page.status_code == 200
    assert "Choose a new password" in form_page.content.decode()

    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert done.status_code == 302
    assert done["Location"] == reverse("accounts:password_reset_complete")
    keyworker.refresh_from_db()
    assert keyworker.check_password(NEW_PASSWORD)
    old = _sign_in(Client(), keyworker, PASSWORD)
    assert old.status_code == 200
    assert "Enter a correct email address, password and security code" in old.content.decode()
    new_client = Client()
    new = _sign_in(new_client, keyworker, NEW_PASSWORD)
    assert new.status_code == 302
    assert new_client.get(HOME).status_code == 200


def test_reset_link_works_only_once(client, keyworker):
    client.post(RESET, {"email": keyworker.email})
    link = _reset_link(mail.outbox[0])
    form_page = client.get(link, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    again = Client().get(link, follow=True)

    assert "This link has expired" in again.content.decode()
    assert 'name="new_password1"' not in again.content.decode()


def test_resetting_the_password_ends_sessions_signed_in_with_the_old_one(
    client, keyworker, keyworker_client
):
    assert keyworker_client.get(HOME).status_code == 200
    client.post(RESET, {"email": keyworker.email})
    form_page = client.get(_reset_link(mail.outbox[0]), follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    response = keyworker_client.get(HOME)

    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN)
