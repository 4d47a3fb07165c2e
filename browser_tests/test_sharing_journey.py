"""A keyworker records a woman's consent, previews and makes a share, and withdraws it; the
probation practitioner sees only what the table allows and loses access on the next request.
Real Chromium; axe-core reports no WCAG 2.2 AA failure on any page the journey visits, and the
new privacy pages pass axe in English and Welsh."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse

from whole_system.accounts.models import Membership
from whole_system.core.testing.factories import make_person, make_user
from whole_system.people import services
from whole_system.privacy import rights, sharing

from .test_accessibility import axe_violations, describe

pytestmark = pytest.mark.browser
Role = Membership.Role


@pytest.fixture
def morwenna(keyworker):
    person = make_person(
        keyworker,
        given_name="Morwenna",
        family_name="Trelawny",
        date_of_birth=date(1979, 6, 21),
        nhs_number="9434765919",
    )
    services.add_disclosure(
        person,
        by=keyworker,
        data={"kind": "domestic_abuse", "narrative": "He read her messages every night."},
        version=person.version,
    )
    person.refresh_from_db()
    return person


def no_axe_failures(tab) -> None:
    violations = axe_violations(tab.page)
    assert violations == [], describe(violations)


def test_consent_preview_share_and_withdrawal_in_a_real_browser(
    open_tab, keyworker, probation_officer, morwenna
):
    tab = open_tab(keyworker)
    page = tab.page
    page.goto(reverse("people:detail", args=[morwenna.pk]))
    page.get_by_role("link", name="Consent and sharing").click()
    no_axe_failures(tab)

    # Her decision, with the explanation read to her.
    page.get_by_role("link", name="Record a decision").click()
    page.get_by_label("Telling probation whether she is engaging").check()
    page.locator("main form [type=submit]").click()
    assert page.get_by_text("Read this to her").is_visible()
    no_axe_failures(tab)
    page.get_by_label("She agrees").check()
    page.get_by_label("Spoken").check()
    page.get_by_label("Who would the information be shared with?").select_option(
        label="North London Probation Delivery Unit"
    )
    page.locator("main form [type=submit]").click()
    page.locator(".govuk-notification-banner--success").wait_for()

    # The preview shows exactly what probation will see: her name, not her NHS number or
    # what she disclosed.
    page.goto(reverse("privacy:share", args=[morwenna.pk]))
    page.locator("input[name=share]").first.check()
    page.locator("main form [type=submit]").click()
    preview = page.locator("main").inner_text()
    assert "Trelawny" in preview
    assert "9434765919" not in preview
    assert "read her messages" not in preview
    no_axe_failures(tab)
    page.get_by_role("button", name="Share with North London Probation Delivery Unit").click()
    page.locator(".govuk-notification-banner--success").wait_for()

    # Probation sees her name and engagement, nothing else.
    probation = open_tab(probation_officer)
    probation.page.goto(reverse("people:detail", args=[morwenna.pk]))
    seen = probation.page.locator("main").inner_text()
    assert "Morwenna Trelawny" in seen
    assert "Engaging with support" in seen
    assert "9434765919" not in seen and "read her messages" not in seen
    no_axe_failures(probation)

    # She withdraws; probation's very next request is refused.
    page.goto(reverse("privacy:consents", args=[morwenna.pk]))
    page.get_by_role("link", name="Withdraw").first.click()
    no_axe_failures(tab)
    page.get_by_label("Spoken").check()
    page.locator("main form [type=submit]").click()
    page.locator(".govuk-notification-banner--success").wait_for()
    response = probation.page.goto(reverse("people:detail", args=[morwenna.pk]))
    assert response.status == 404


@pytest.fixture
def lead(centre):
    """The centre's manager: its data protection lead and designated safeguarding lead."""
    return make_user(
        centre, Role.SERVICE_MANAGER, safeguarding_lead=True, data_protection_lead=True
    )


def consents_page(tab, person):
    tab.page.goto(reverse("privacy:consents", args=[person.pk]))


def decision_with_errors(tab, person):
    tab.page.goto(reverse("privacy:consent_record", args=[person.pk, "housing"]))
    tab.page.locator("main form [type=submit]").click()
    tab.page.locator(".govuk-error-summary").wait_for()


def consent_summary(tab, person):
    tab.page.goto(reverse("privacy:consent_summary", args=[person.pk]))


def safeguarding_form_with_errors(tab, person):
    tab.page.goto(reverse("privacy:safeguarding_share", args=[person.pk]))
    tab.page.locator("main form [type=submit]").first.click()
    tab.page.locator(".govuk-error-summary").wait_for()


def rights_page(tab, person):
    tab.page.goto(reverse("privacy:rights", args=[person.pk]))


def emergency_search(tab, _person):
    tab.page.goto(reverse("privacy:emergency_search"))


def emergency_reviews(tab, _person):
    tab.page.goto(reverse("privacy:emergency_reviews"))


PAGES = {
    "consents": consents_page,
    "decision-errors": decision_with_errors,
    "summary": consent_summary,
    "safeguarding-errors": safeguarding_form_with_errors,
    "rights": rights_page,
    "emergency-search": emergency_search,
    "emergency-reviews": emergency_reviews,
}


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("page_name", list(PAGES))
def test_privacy_page_has_no_accessibility_failures(
    open_tab, live_server, lead, keyworker, probation, morwenna, page_name, language
):
    sharing.record_consent(
        morwenna,
        by=keyworker,
        purpose="engagement_probation",
        decision="given",
        method="spoken",
        recipient_organisation=probation,
    )
    sharing.share(morwenna, by=keyworker, purpose="engagement_probation", recipient=probation)
    rights.open_subject_access_request(morwenna, by=lead, received_on=date.today())
    tab = open_tab(lead)
    tab.page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    PAGES[page_name](tab, morwenna)
    assert tab.page.locator("html").get_attribute("lang") == ("cy" if language == "cy" else "en-GB")
    no_axe_failures(tab)
    assert tab.console_errors == [] and tab.page_errors == []
