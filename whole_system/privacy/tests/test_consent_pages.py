"""The consent and sharing pages through their doors: not signed in, signed in but not allowed
(another centre, an analyst, a referrer, a probation officer on or off her case team), and the
keyworker who is allowed; and what recording a decision asks for and refuses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from whole_system.accounts.models import Membership
from whole_system.core.testing.auth import sign_in
from whole_system.core.testing.factories import make_user
from whole_system.people.models import CaseTeamMembership
from whole_system.privacy import sharing
from whole_system.privacy.consent_views import YOUR_GROUPS, YOUR_PURPOSES
from whole_system.privacy.groups import PURPOSES, ConsentPurpose, FieldGroup
from whole_system.privacy.models import AccessEvent, Consent, OrderCondition

from .consent_helpers import agree, date_fields, text

Role = Membership.Role
ENGAGEMENT = ConsentPurpose.ENGAGEMENT_PROBATION


@pytest.fixture
def referrer(centre):
    """On her case team (the centre holds it) but in a role that may not edit."""
    return make_user(centre, Role.REFERRER)


@pytest.fixture
def consent(keyworker, woman, probation):
    return agree(woman, keyworker, recipient=probation)


@pytest.fixture
def condition(keyworker, woman, police):
    today = timezone.localdate()
    return sharing.record_condition(
        woman,
        by=keyworker,
        organisation=police,
        kind=OrderCondition.Kind.CONDITIONAL_CAUTION,
        starts_on=today,
        ends_on=today + timedelta(days=90),
    )


@pytest.fixture
def shared(keyworker, woman, consent, probation):
    """Probation on her case team through a share she agreed to."""
    return sharing.share(woman, by=keyworker, purpose=ENGAGEMENT, recipient=probation)


def get_pages(person, consent) -> list[str]:
    pk = person.pk
    return [
        reverse("privacy:consents", args=[pk]),
        reverse("privacy:consent_purpose", args=[pk]),
        reverse("privacy:consent_record", args=[pk, ENGAGEMENT]),
        reverse("privacy:consent_record", args=[pk, ConsentPurpose.CONTACT_PHONE]),
        reverse("privacy:consent_withdraw", args=[pk, consent.pk]),
        reverse("privacy:consent_summary", args=[pk]),
        reverse("privacy:consent_summary_language", args=[pk, "en"]),
        reverse("privacy:consent_summary_language", args=[pk, "cy"]),
        reverse("privacy:share", args=[pk]),
        reverse("privacy:condition_record", args=[pk]),
        reverse("privacy:engagement", args=[pk]),
    ]


def post_pages(person, consent, condition, row) -> list[str]:
    pk = person.pk
    return [
        reverse("privacy:consent_purpose", args=[pk]),
        reverse("privacy:consent_record", args=[pk, ENGAGEMENT]),
        reverse("privacy:consent_withdraw", args=[pk, consent.pk]),
        reverse("privacy:share", args=[pk]),
        reverse("privacy:share_confirm", args=[pk]),
        reverse("privacy:share_end", args=[pk, row.pk]),
        reverse("privacy:condition_record", args=[pk]),
        reverse("privacy:condition_end", args=[pk, condition.pk]),
        reverse("privacy:engagement", args=[pk]),
    ]


def reads_by(user):
    return AccessEvent.objects.filter(actor=user, kind=AccessEvent.Kind.READ)


# Not signed in --------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_sign_in_from_every_page(client, woman, consent):
    for url in get_pages(woman, consent):
        response = client.get(url)
        assert response.status_code == 302, url
        assert reverse("accounts:sign_in") in response["Location"], url
        assert "Kelly" not in text(response)


def test_anonymous_post_changes_nothing(client, woman, consent, condition, shared):
    before = Consent.objects.count(), CaseTeamMembership.objects.filter(ended_at=None).count()
    for url in post_pages(woman, consent, condition, shared):
        response = client.post(url, {"decision": "declined", "method": "spoken"})
        assert response.status_code == 302, url
        assert reverse("accounts:sign_in") in response["Location"], url
    after = Consent.objects.count(), CaseTeamMembership.objects.filter(ended_at=None).count()
    assert after == before


# Signed in, not allowed -----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["outsider", "analyst"])
def test_someone_off_her_case_team_is_told_not_found_everywhere(
    request, persona, woman, consent, condition, shared
):
    user = request.getfixturevalue(persona)
    client = sign_in(Client(), user)
    before = Consent.objects.count(), CaseTeamMembership.objects.filter(ended_at=None).count()

    for url in get_pages(woman, consent):
        assert client.get(url).status_code == 404, url
    for url in post_pages(woman, consent, condition, shared):
        response = client.post(url, {"decision": "declined", "method": "spoken"})
        assert response.status_code == 404, url

    after = Consent.objects.count(), CaseTeamMembership.objects.filter(ended_at=None).count()
    assert after == before
    assert not reads_by(user).exists()


def test_a_probation_officer_without_a_share_is_told_not_found(
    probation_officer, woman, consent, condition
):
    client = sign_in(Client(), probation_officer)
    row = sharing.current_case_team(woman)[0]

    for url in get_pages(woman, consent):
        assert client.get(url).status_code == 404, url
    for url in post_pages(woman, consent, condition, row):
        assert client.post(url, {"status": "engaging"}).status_code == 404, url


@pytest.mark.parametrize("persona", ["referrer", "probation_officer"])
def test_someone_who_sees_her_but_does_not_hold_her_case_is_refused(
    request, persona, woman, consent, condition, shared
):
    """A referrer at the centre, and probation seeing her through the share: both see her
    record; neither may record her decisions or share it on."""
    client = sign_in(Client(), request.getfixturevalue(persona))
    assert client.get(reverse("people:detail", args=[woman.pk])).status_code == 200
    before = Consent.objects.count(), CaseTeamMembership.objects.filter(ended_at=None).count()

    for url in get_pages(woman, consent):
        assert client.get(url).status_code == 403, url
    for url in post_pages(woman, consent, condition, shared):
        response = client.post(url, {"decision": "declined", "method": "spoken"})
        assert response.status_code == 403, url

    after = Consent.objects.count(), CaseTeamMembership.objects.filter(ended_at=None).count()
    assert after == before
    woman.refresh_from_db()
    assert woman.engagement_status == woman.Engagement.AWAITING


# Allowed --------------------------------------------------------------------------------------


def test_keyworker_opens_every_page_and_each_read_is_logged(
    keyworker, keyworker_client, woman, consent
):
    for url in get_pages(woman, consent):
        before = reads_by(keyworker).count()
        response = keyworker_client.get(url)
        assert response.status_code == 200, url
        assert reads_by(keyworker).count() == before + 1, url


def test_the_consents_page_shows_her_decisions_history_and_case_team(
    keyworker, keyworker_client, woman, probation, condition
):
    yesterday = timezone.localdate() - timedelta(days=1)
    agree(woman, keyworker, recipient=probation, review_on=yesterday)
    sharing.share(woman, by=keyworker, purpose=ENGAGEMENT, recipient=probation)
    sharing.record_consent(
        woman,
        by=keyworker,
        purpose=ConsentPurpose.CONTACT_TEXT,
        decision=Consent.Decision.GIVEN,
        method=Consent.Method.WRITTEN,
    )
    sharing.record_consent(
        woman,
        by=keyworker,
        purpose=ConsentPurpose.CONTACT_TEXT,
        decision=Consent.Decision.DECLINED,
        method=Consent.Method.SPOKEN,
    )

    page = text(keyworker_client.get(reverse("privacy:consents", args=[woman.pk])))

    assert "Telling probation whether she is engaging" in page
    assert "Review overdue" in page
    assert "Declined" in page
    # The history keeps the earlier decision; "her decisions now" shows the latest only.
    now, history = page.split('class="govuk-details"', 1)
    assert "Written" not in now.split("Organisations working with her now")[0]
    assert "Written" in history
    # Her case team: the holder, the share and the condition, with what each sees.
    assert "Riverside Women's Centre" in page
    assert "She agreed to share" in page
    assert "Condition of a caution or order" in page
    assert str(FieldGroup.ENGAGEMENT.label) in page
    assert page.count("Stop sharing") == 2
    for label in [
        "Record a decision she has made",
        "Share her information with an organisation",
        "Record a condition of a caution or order",
        "Print her consent summary",
    ]:
        assert label in page


def test_choosing_a_purpose_leads_to_its_decision_page(keyworker_client, woman):
    url = reverse("privacy:consent_purpose", args=[woman.pk])

    assert "Select what she is deciding about" in text(keyworker_client.post(url, {}))
    response = keyworker_client.post(url, {"purpose": ConsentPurpose.HOUSING})

    assert response["Location"] == reverse(
        "privacy:consent_record", args=[woman.pk, ConsentPurpose.HOUSING]
    )


@pytest.mark.parametrize("purpose", list(ConsentPurpose))
def test_each_decision_page_shows_the_explanation_to_read_to_her(keyworker_client, woman, purpose):
    page = text(keyworker_client.get(reverse("privacy:consent_record", args=[woman.pk, purpose])))

    assert "Read this to her" in page
    assert str(PURPOSES[purpose].explanation) in page
    # Only a share asks who with, and which sensitive information may go.
    assert ('name="recipient"' in page) is PURPOSES[purpose].is_share
    assert ('name="sensitive_classes"' in page) is PURPOSES[purpose].is_share


def test_an_unknown_purpose_goes_back_to_the_choice(keyworker_client, woman):
    response = keyworker_client.get(reverse("privacy:consent_record", args=[woman.pk, "identity"]))

    assert response["Location"] == reverse("privacy:consent_purpose", args=[woman.pk])


def decision(**fields):
    return {
        "decision": "given",
        "method": "spoken",
        "notes": "",
        **date_fields("review_on", None),
        **date_fields("expires_on", None),
        **fields,
    }


def test_a_decision_with_missing_answers_shows_errors_and_saves_nothing(keyworker_client, woman):
    url = reverse("privacy:consent_record", args=[woman.pk, ENGAGEMENT])

    response = keyworker_client.post(url, decision(decision="", method="", recipient=""))

    assert response.status_code == 200
    page = text(response)
    assert "govuk-error-summary" in page
    assert "Select what she decided" in page
    assert "Select how she told you" in page
    assert "Choose who the information would be shared with" in page
    assert "<title>Error:" in page
    assert not Consent.objects.filter(person=woman).exists()


@pytest.mark.parametrize(
    ("field", "day", "message"),
    [
        ("expires_on", -1, "The expiry date must be today or in the future"),
        ("review_on", -30, "The review date must be in the future"),
    ],
)
def test_a_date_in_the_past_is_refused(keyworker_client, woman, probation, field, day, message):
    url = reverse("privacy:consent_record", args=[woman.pk, ENGAGEMENT])
    past = timezone.localdate() + timedelta(days=day)

    response = keyworker_client.post(
        url, decision(recipient=f"org:{probation.pk}", **date_fields(field, past))
    )

    assert message in text(response)
    assert not Consent.objects.filter(person=woman).exists()


def test_a_date_that_is_not_real_is_refused(keyworker_client, woman):
    url = reverse("privacy:consent_record", args=[woman.pk, ConsentPurpose.STATISTICS])

    response = keyworker_client.post(
        url,
        decision(expires_on_0="31", expires_on_1="2", expires_on_2="2030"),
    )

    assert "Expiry date must be a real date" in text(response)
    assert not Consent.objects.filter(person=woman).exists()


def test_a_share_decision_is_recorded_with_its_terms(keyworker, keyworker_client, woman):
    url = reverse("privacy:consent_record", args=[woman.pk, ConsentPurpose.PSR_NEEDS])
    expires = timezone.localdate() + timedelta(days=60)

    response = keyworker_client.post(
        url,
        decision(
            recipient="type:court",
            sensitive_classes=[FieldGroup.ABUSE],
            notes="Agreed after talking it through",
            **date_fields("expires_on", expires),
        ),
    )

    assert response["Location"] == reverse("privacy:consents", args=[woman.pk])
    consent = Consent.objects.get(person=woman)
    assert consent.recipient_type == "court"
    assert consent.recipient_organisation is None
    assert consent.sensitive_classes == [FieldGroup.ABUSE]
    assert consent.expires_on == expires
    assert consent.recorded_by == keyworker
    assert "Her decision has been recorded" in text(keyworker_client.get(response["Location"]))


def test_a_decline_names_no_sensitive_information(keyworker_client, woman, probation):
    url = reverse("privacy:consent_record", args=[woman.pk, ENGAGEMENT])

    keyworker_client.post(
        url,
        decision(
            decision="declined",
            recipient=f"org:{probation.pk}",
            sensitive_classes=[FieldGroup.ABUSE],
        ),
    )

    consent = Consent.objects.get(person=woman)
    assert consent.decision == Consent.Decision.DECLINED
    assert consent.sensitive_classes == []


def test_a_recipient_of_the_wrong_kind_cannot_be_chosen(keyworker_client, woman, police):
    url = reverse("privacy:consent_record", args=[woman.pk, ENGAGEMENT])

    response = keyworker_client.post(url, decision(recipient=f"org:{police.pk}"))

    assert "Choose who the information would be shared with" in text(response)
    assert not Consent.objects.filter(person=woman).exists()


def test_submitting_the_same_decision_twice_records_it_once(keyworker_client, woman, probation):
    url = reverse("privacy:consent_record", args=[woman.pk, ENGAGEMENT])
    data = decision(recipient=f"org:{probation.pk}")

    first = keyworker_client.post(url, data)
    second = keyworker_client.post(url, data)

    assert first.status_code == second.status_code == 302
    assert Consent.objects.filter(person=woman).count() == 1


def test_withdrawing_needs_how_she_said_it(keyworker_client, woman, consent):
    url = reverse("privacy:consent_withdraw", args=[woman.pk, consent.pk])

    response = keyworker_client.post(url, {"notes": ""})

    assert "Select how she told you" in text(response)
    assert sharing.current_consents(woman)[0].decision == Consent.Decision.GIVEN


def test_a_decision_that_has_changed_cannot_be_withdrawn_again(
    keyworker, keyworker_client, woman, consent, probation
):
    url = reverse("privacy:consent_withdraw", args=[woman.pk, consent.pk])
    keyworker_client.post(url, {"method": "spoken", "notes": ""})

    response = keyworker_client.get(url)

    assert response["Location"] == reverse("privacy:consents", args=[woman.pk])
    assert "That agreement has already changed" in text(keyworker_client.get(response["Location"]))
    assert Consent.objects.filter(person=woman).count() == 2


def test_withdrawing_a_contact_consent_says_what_stops(keyworker, keyworker_client, woman):
    consent = sharing.record_consent(
        woman,
        by=keyworker,
        purpose=ConsentPurpose.CONTACT_PHONE,
        decision=Consent.Decision.GIVEN,
        method=Consent.Method.SPOKEN,
    )

    page = text(
        keyworker_client.get(reverse("privacy:consent_withdraw", args=[woman.pk, consent.pk]))
    )

    assert "she does not agree to: contacting her by phone" in page


def test_the_share_page_says_when_there_is_nothing_she_has_agreed_to(
    keyworker, keyworker_client, woman, probation
):
    sharing.record_consent(
        woman,
        by=keyworker,
        purpose=ENGAGEMENT,
        decision=Consent.Decision.DECLINED,
        method=Consent.Method.SPOKEN,
        recipient_organisation=probation,
    )

    page = text(keyworker_client.get(reverse("privacy:share", args=[woman.pk])))

    assert "She has not agreed to share her information" in page
    assert reverse("privacy:consent_purpose", args=[woman.pk]) in page
    assert probation.name not in page


def test_an_expired_consent_is_not_offered_for_sharing(
    keyworker, keyworker_client, woman, probation, consent
):
    # Her agreement to share with probation is in force; one that expired yesterday is not.
    sharing.record_consent(
        woman,
        by=keyworker,
        purpose=ConsentPurpose.PSR_NEEDS,
        decision=Consent.Decision.GIVEN,
        method=Consent.Method.SPOKEN,
        recipient_organisation=probation,
        expires_on=timezone.localdate(),
    )
    Consent.objects.filter(purpose=ConsentPurpose.PSR_NEEDS).update(
        expires_on=timezone.localdate() - timedelta(days=1)
    )

    page = text(keyworker_client.get(reverse("privacy:share", args=[woman.pk])))

    assert "Telling probation whether she is engaging" in page
    assert "pre-sentence report" not in page


def test_a_condition_must_end_after_it_starts(keyworker_client, woman, probation):
    today = timezone.localdate()

    response = keyworker_client.post(
        reverse("privacy:condition_record", args=[woman.pk]),
        {
            "organisation": f"org:{probation.pk}",
            "kind": OrderCondition.Kind.COMMUNITY_ORDER,
            **date_fields("starts_on", today + timedelta(days=10)),
            **date_fields("ends_on", today + timedelta(days=5)),
        },
    )

    assert "The end date must be the same as or after the start date" in text(response)
    assert not OrderCondition.objects.exists()


def test_a_condition_is_set_only_by_police_or_probation(keyworker_client, woman, other_centre):
    today = timezone.localdate()

    response = keyworker_client.post(
        reverse("privacy:condition_record", args=[woman.pk]),
        {
            "organisation": f"org:{other_centre.pk}",
            "kind": OrderCondition.Kind.COMMUNITY_ORDER,
            **date_fields("starts_on", today),
            **date_fields("ends_on", today + timedelta(days=5)),
        },
    )

    assert "Choose the police force or probation service" in text(response)
    assert not OrderCondition.objects.exists()


def test_the_condition_page_says_what_the_organisation_learns(keyworker_client, woman):
    page = text(keyworker_client.get(reverse("privacy:condition_record", args=[woman.pk])))

    assert "learns whether she is engaging – and nothing else" in page


def test_engagement_must_be_chosen(keyworker_client, woman):
    response = keyworker_client.post(reverse("privacy:engagement", args=[woman.pk]), {})

    assert "Select whether she is engaging" in text(response)
    woman.refresh_from_db()
    assert woman.engagement_status == woman.Engagement.AWAITING


def test_the_summary_in_an_unknown_language_goes_to_the_summary(keyworker_client, woman):
    response = keyworker_client.get(
        reverse("privacy:consent_summary_language", args=[woman.pk, "fr"])
    )

    assert response["Location"] == reverse("privacy:consent_summary", args=[woman.pk])


def test_the_summary_offers_the_other_language_and_a_way_to_print(keyworker_client, woman):
    english = text(keyworker_client.get(reverse("privacy:consent_summary", args=[woman.pk])))
    welsh = text(
        keyworker_client.get(reverse("privacy:consent_summary_language", args=[woman.pk, "cy"]))
    )

    assert reverse("privacy:consent_summary_language", args=[woman.pk, "cy"]) in english
    assert reverse("privacy:consent_summary_language", args=[woman.pk, "en"]) in welsh
    assert "consent-summary-print.css" in english
    assert "use your browser's Print option" in english


def test_her_summary_speaks_to_her_about_every_group_and_purpose():
    assert set(YOUR_GROUPS) == set(FieldGroup)
    assert set(YOUR_PURPOSES) == set(ConsentPurpose)
