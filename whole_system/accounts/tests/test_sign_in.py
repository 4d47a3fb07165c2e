"""Signing in: password and security code checked together, one answer for every failure,
lockout after repeated failures, and the demo's waiver that applies to demo accounts only."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from whole_system.accounts.models import Membership
from whole_system.core.testing.auth import current_code
from whole_system.core.testing.factories import PASSWORD, make_user

SIGN_IN = reverse("accounts:sign_in")
HOME = reverse("core:home")
FAILED = "Enter a correct email address, password and security code"
UNKNOWN_EMAIL = "nobody-here@example.org"

PRODUCTION_HASHERS = list(settings.PASSWORD_HASHERS)

pytestmark = pytest.mark.django_db


def _device(user) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=True)


def _wrong_code(device: TOTPDevice) -> str:
    """A 6-digit code that is not the one the app shows now."""
    return "000000" if current_code(device) != "000000" else "111111"


def _post(client: Client, email: str, password: str, code: str = ""):
    return client.post(SIGN_IN, {"email": email, "password": password, "code": code})


def _error_summary(response) -> str:
    match = re.search(
        r'<div class="govuk-error-summary".*?</ul>', response.content.decode(), re.DOTALL
    )
    assert match, "the page has no error summary"
    return match.group(0)


def _without_csrf_and_email(response, email: str) -> str:
    body = response.content.decode()
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", body)
    return body.replace(email, "EMAIL")


def _signed_in(client: Client) -> bool:
    return client.get(HOME).status_code == 200


def test_sign_in_page_shows_email_password_and_code_fields(client):
    response = client.get(SIGN_IN)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Sign in to Whole System" in body
    assert 'name="email"' in body
    assert 'name="password"' in body
    assert 'name="code"' in body


def test_keyworker_signs_in_with_password_and_current_code_and_lands_on_home(client, keyworker):
    response = _post(client, keyworker.email, PASSWORD, current_code(_device(keyworker)))

    assert response.status_code == 302
    assert response["Location"] == HOME
    home = client.get(HOME)
    assert home.status_code == 200
    assert home.context["user"] == keyworker
    assert client.session[DEVICE_ID_SESSION_KEY] == _device(keyworker).persistent_id


def test_signing_in_gives_a_new_session_id(client, keyworker):
    client.get(SIGN_IN)
    client.session.save()
    before = client.session.session_key

    _post(client, keyworker.email, PASSWORD, current_code(_device(keyworker)))

    assert client.session.session_key != before
    assert _signed_in(client)


def test_email_address_is_not_case_sensitive_at_sign_in(client, keyworker):
    _post(client, keyworker.email.upper(), PASSWORD, current_code(_device(keyworker)))

    assert _signed_in(client)


def test_signed_in_user_visiting_sign_in_is_sent_home(keyworker_client):
    response = keyworker_client.get(SIGN_IN)

    assert response.status_code == 302
    assert response["Location"] == HOME


def test_wrong_code_wrong_password_and_unknown_email_get_the_same_answer(keyworker):
    wrong_code = _wrong_code(_device(keyworker))

    responses = {
        "wrong code": _post(Client(), keyworker.email, PASSWORD, wrong_code),
        "wrong password": _post(Client(), keyworker.email, "not-the-password-9", wrong_code),
        "unknown email": _post(Client(), UNKNOWN_EMAIL, PASSWORD, wrong_code),
    }

    for response in responses.values():
        assert response.status_code == 200
        assert FAILED in _error_summary(response)
    bodies = {
        name: _without_csrf_and_email(
            response, UNKNOWN_EMAIL if name == "unknown email" else keyworker.email
        )
        for name, response in responses.items()
    }
    assert bodies["wrong code"] == bodies["wrong password"] == bodies["unknown email"]


def test_keyworker_with_a_device_cannot_sign_in_without_a_code(client, keyworker):
    response = _post(client, keyworker.email, PASSWORD)

    assert FAILED in _error_summary(response)
    assert not _signed_in(client)


def test_inactive_user_cannot_sign_in_even_with_the_right_password_and_code(client, keyworker):
    keyworker.is_active = False
    keyworker.save(update_fields=["is_active"])

    response = _post(client, keyworker.email, PASSWORD, current_code(_device(keyworker)))

    assert FAILED in _error_summary(response)
    assert not _signed_in(client)


def test_sign_in_is_locked_after_five_failures_and_refuses_the_right_details(client, keyworker):
    assert settings.AXES_FAILURE_LIMIT == 5
    statuses = [_post(client, keyworker.email, "not-the-password-9").status_code for _ in range(5)]

    assert statuses == [200, 200, 200, 200, 429]
    locked = _post(client, keyworker.email, PASSWORD, current_code(_device(keyworker)))
    assert locked.status_code == 429
    assert "Sign in is locked for 15 minutes" in locked.content.decode()
    assert not _signed_in(client)


def test_unknown_email_is_locked_out_with_the_same_page_as_a_real_account(keyworker):
    real, unknown = Client(), Client()
    for _ in range(4):
        _post(real, keyworker.email, "not-the-password-9")
        _post(unknown, UNKNOWN_EMAIL, "not-the-password-9")

    real_locked = _post(real, keyworker.email, "not-the-password-9")
    unknown_locked = _post(unknown, UNKNOWN_EMAIL, "not-the-password-9")

    assert real_locked.status_code == unknown_locked.status_code == 429
    assert real_locked.content == unknown_locked.content


def test_passwords_are_stored_as_argon2_hashes(centre, settings):
    settings.PASSWORD_HASHERS = PRODUCTION_HASHERS
    assert PRODUCTION_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"

    user = make_user(centre)
    user.refresh_from_db()

    assert user.password.startswith("argon2")
    assert PASSWORD not in user.password
    assert user.check_password(PASSWORD)


# The demo waiver -----------------------------------------------------------------------------


@pytest.fixture
def demo_user(centre):
    return make_user(centre, Membership.Role.KEYWORKER, is_demo=True)


def test_with_the_waiver_a_demo_account_signs_in_without_a_code(client, settings, demo_user):
    settings.DEMO_WAIVE_TWO_FACTOR = True

    response = _post(client, demo_user.email, PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == HOME
    assert _signed_in(client)


def test_with_the_waiver_a_real_account_still_needs_its_code(client, settings, keyworker):
    settings.DEMO_WAIVE_TWO_FACTOR = True

    response = _post(client, keyworker.email, PASSWORD)

    assert FAILED in _error_summary(response)
    assert not _signed_in(client)


def test_without_the_waiver_a_demo_account_needs_its_code(client, settings, demo_user):
    settings.DEMO_WAIVE_TWO_FACTOR = False

    response = _post(client, demo_user.email, PASSWORD)

    assert FAILED in _error_summary(response)
    assert not _signed_in(client)
    _post(client, demo_user.email, PASSWORD, current_code(_device(demo_user)))
    assert _signed_in(client)


def test_sign_in_page_says_when_the_demo_waives_codes(client, settings):
    settings.DEMO_WAIVE_TWO_FACTOR = True
    assert (
        "demo accounts can sign in without a security code" in client.get(SIGN_IN).content.decode()
    )

    settings.DEMO_WAIVE_TWO_FACTOR = False
    assert "without a security code" not in client.get(SIGN_IN).content.decode()


def test_turning_the_waiver_off_signs_out_a_demo_session_that_gave_no_code(
    client, settings, demo_user
):
    settings.DEMO_WAIVE_TWO_FACTOR = True
    _post(client, demo_user.email, PASSWORD)
    assert _signed_in(client)

    settings.DEMO_WAIVE_TWO_FACTOR = False
    response = client.get(HOME)

    assert response.status_code == 302
    assert response["Location"] == SIGN_IN
    assert "_auth_user_id" not in client.session


def test_a_lockout_is_logged_without_the_email_address(client, keyworker, caplog):
    with caplog.at_level("INFO"):
        for _ in range(5):
            _post(client, keyworker.email, "not-the-password-9")

    assert "Sign-in locked out after repeated failures" in caplog.text
    assert keyworker.email not in caplog.text
    assert keyworker.email.split("@")[0] not in caplog.text


def test_a_lock_from_one_network_address_does_not_lock_the_account_everywhere(keyworker):
    attacker, colleague = Client(REMOTE_ADDR="203.0.113.9"), Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(5):
        _post(attacker, keyworker.email, "not-the-password-9")

    response = _post(colleague, keyworker.email, PASSWORD, current_code(_device(keyworker)))

    assert response.status_code == 302
    assert _signed_in(colleague)
