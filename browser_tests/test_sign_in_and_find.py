"""A keyworker signs in through the real sign-in page, finds a woman and opens her record."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation
from django.utils.translation import gettext

from whole_system.core.testing.auth import current_code
from whole_system.core.testing.factories import PASSWORD, make_person

pytestmark = pytest.mark.browser


def welsh(text: str) -> str:
    """The Welsh catalogue's translation of `text`; it must really be translated."""
    with translation.override("cy"):
        translated = gettext(text)
    assert translated != text, f"{text!r} has no Welsh translation"
    return translated


def sign_in_and_find(page, keyworker, t) -> None:
    """Sign in by typing, search by part of her name, open her from the results."""
    page.get_by_label(t("Email address")).fill(keyworker.email)
    page.get_by_label(t("Password")).fill(PASSWORD)
    page.get_by_label(t("Security code")).fill(current_code(keyworker.totpdevice_set.get()))
    page.get_by_role("button", name=t("Sign in"), exact=True).click()
    page.get_by_role("link", name=t("Find a woman")).first.click()
    page.get_by_label(t("Name, date of birth or identifier")).fill("prydd")
    page.get_by_role("button", name=t("Search")).click()
    page.get_by_role("link", name="Angharad Prydderch").click()


@pytest.fixture
def angharad(keyworker):
    return make_person(
        keyworker, given_name="Angharad", family_name="Prydderch", date_of_birth=date(1988, 11, 2)
    )


def test_keyworker_signs_in_finds_a_woman_and_sees_her_record(open_tab, keyworker, angharad):
    page = open_tab().page
    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in to Whole System"

    sign_in_and_find(page, keyworker, str)

    assert page.get_by_role("heading", level=1).inner_text() == "Angharad Prydderch"
    assert page.get_by_role("heading", name="Name, date of birth and identifiers").is_visible()
    assert page.get_by_text("2 November 1988").is_visible()
    # Each "Change" link says what it changes, acronyms intact, for screen reader users.
    assert page.get_by_role("link", name="Change NHS number").count() == 1
    # The identity bar shows who is signed in, in which role, for which organisation.
    identity = page.get_by_test_id("identity")
    assert identity.is_visible()
    assert identity.inner_text().splitlines()[-1] == (
        "Test User, Keyworker, Riverside Women's Centre"
    )
    assert identity.bounding_box()["height"] > 10


def test_keyworker_does_the_same_in_welsh(open_tab, keyworker, angharad):
    page = open_tab().page
    page.goto("/")
    page.get_by_role("link", name="Cymraeg").click()

    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.get_by_role("heading", level=1).inner_text() == welsh("Sign in to Whole System")

    sign_in_and_find(page, keyworker, welsh)

    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.get_by_role("heading", level=1).inner_text() == "Angharad Prydderch"
    assert page.get_by_role(
        "heading", name=welsh("Name, date of birth and identifiers")
    ).is_visible()
    assert page.get_by_text(welsh("Date of birth"), exact=True).first.is_visible()
    assert page.get_by_role("link", name=f"{welsh('Change')} {welsh('NHS number')}").count() == 1
    assert page.get_by_test_id("identity").inner_text().splitlines()[-1] == (
        f"Test User, {welsh('Keyworker')}, Riverside Women's Centre"
    )
