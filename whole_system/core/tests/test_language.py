"""The English/Welsh switch: a plain link that sets a cookie and goes back only to this site."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("accounts:sign_in")


def _switch(client, code: str, next_url: str | None = None):
    query = {"next": next_url} if next_url is not None else {}
    return client.get(reverse("core:language", kwargs={"code": code}), query)


def _html_lang(response) -> str:
    match = re.search(r'<html lang="([^"]+)"', response.content.decode())
    assert match
    return match.group(1)


def test_switching_to_welsh_sets_the_cookie_and_goes_back(client):
    response = _switch(client, "cy", SIGN_IN)

    assert response.status_code == 302
    assert response["Location"] == SIGN_IN
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "cy"
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_pages_render_in_welsh_after_switching(client):
    assert _html_lang(client.get(SIGN_IN)) == "en-GB"

    _switch(client, "cy", SIGN_IN)
    response = client.get(SIGN_IN)

    assert _html_lang(response) == "cy"
    assert response["Content-Language"] == "cy"


def test_switching_back_to_english(client):
    _switch(client, "cy", SIGN_IN)
    _switch(client, "en", SIGN_IN)

    assert _html_lang(client.get(SIGN_IN)) == "en-GB"


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "http://evil.example",
        "javascript:alert(1)",
        "https:///evil.example",
    ],
)
def test_switch_never_sends_the_user_to_another_site(client, next_url):
    response = _switch(client, "cy", next_url)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "cy"


def test_switch_without_next_goes_home(client):
    assert _switch(client, "cy")["Location"] == "/"


def test_switch_keeps_a_local_path_with_its_query(client):
    response = _switch(client, "cy", "/people/?q=Kelly")

    assert response["Location"] == "/people/?q=Kelly"


def test_unknown_language_sets_no_cookie(client):
    response = _switch(client, "fr", SIGN_IN)

    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_language_switch_is_get_only(client):
    response = client.post(reverse("core:language", kwargs={"code": "cy"}))

    assert response.status_code == 405
