"""The whole journey a keyworker makes with a woman: record her consent, preview exactly what
the recipient will see, share, withdraw — and the recipient loses access on its very next
request, on the pages and the API alike."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from whole_system.accounts.models import Membership
from whole_system.core.testing.auth import sign_in
from whole_system.core.testing.factories import OrganisationFactory, add_to_case_team, make_user
from whole_system.people import services as people_services
from whole_system.people.models import CaseTeamMembership
from whole_system.privacy import sharing
from whole_system.privacy.groups import ConsentPurpose, FieldGroup
from whole_system.privacy.models import Consent, OrderCondition

from .consent_helpers import (
    NARRATIVE,
    NEED_NOTES,
    NHS,
    PHONE,
    agree,
    date_fields,
    fill_record,
    text,
)

ENGAGEMENT = ConsentPurpose.ENGAGEMENT_PROBATION
PSR = ConsentPurpose.PSR_NEEDS


@pytest.fixture
def officer_client(probation_officer):
    return sign_in(Client(), probation_officer)


@pytest.fixture
def record(keyworker, woman):
    fill_record(woman, keyworker)
    return woman


def preview_html(response) -> str:
    page = text(response)
    match = re.search(r'data-testid="preview">(.*?)<form method="post"', page, re.S)
    assert match, "no preview on the page"
    return match.group(1)


def decide(client, person, purpose, **fields):
    data = {
        "decision": "given",
        "method": "spoken",
        "notes": "",
        **date_fields("review_on", None),
        **date_fields("expires_on", None),
        **fields,
    }
    return client.post(reverse("privacy:consent_record", args=[person.pk, purpose]), data)


def preview(client, person, purpose, organisation):
    return client.post(
        reverse("privacy:share", args=[person.pk]), {"share": f"{purpose}:{organisation.pk}"}
    )


def confirm(client, person, purpose, organisation):
    return client.post(
        reverse("privacy:share_confirm", args=[person.pk]),
        {"purpose": purpose, "recipient": organisation.pk},
    )


def record_page(client, person):
    return client.get(reverse("people:detail", args=[person.pk]))


def api_record(client, person):
    return client.get(reverse("api:person", args=[person.pk]))


def test_consent_preview_share_and_withdrawal_from_start_to_finish(
    keyworker_client, officer_client, record, probation
):
    woman = record

    # She agrees, and the keyworker records it.
    response = decide(keyworker_client, woman, ENGAGEMENT, recipient=f"org:{probation.pk}")
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:consents", args=[woman.pk])
    page = text(keyworker_client.get(response["Location"]))
    assert "Her decision has been recorded" in page
    assert "Telling probation whether she is engaging" in page
    assert probation.name in page

    # The preview shows identity and engagement, and nothing else.
    response = preview(keyworker_client, woman, ENGAGEMENT, probation)
    assert response.status_code == 200
    page = text(response)
    assert f"Before you share: this is exactly what {probation.name} will see" in page
    shown = preview_html(response)
    assert "Siobhán Kelly" in shown
    assert "Engaging with support" in shown
    for secret in (PHONE, NHS, NARRATIVE, NEED_NOTES, "Finance, benefits and debt"):
        assert secret not in page
    # A preview shares nothing.
    assert record_page(officer_client, woman).status_code == 404

    # Share.
    response = confirm(keyworker_client, woman, ENGAGEMENT, probation)
    assert response.status_code == 302
    assert f"Shared with {probation.name}" in text(keyworker_client.get(response["Location"]))

    response = record_page(officer_client, woman)
    assert response.status_code == 200
    page = text(response)
    assert "Kelly" in page
    assert "Engaging with support" in page
    assert "Not yet started" in page
    for secret in (PHONE, NHS, NARRATIVE, NEED_NOTES, "Finance, benefits and debt"):
        assert secret not in page
    assert api_record(officer_client, woman).status_code == 200

    # She withdraws: the confirmation page says what stops.
    consent = sharing.current_consents(woman)[0]
    withdraw_url = reverse("privacy:consent_withdraw", args=[woman.pk, consent.pk])
    page = text(keyworker_client.get(withdraw_url))
    assert "lose access to her record at once" in page
    assert probation.name in page
    response = keyworker_client.post(withdraw_url, {"method": "written", "notes": ""})
    assert response.status_code == 302
    assert "Her consent has been withdrawn" in text(keyworker_client.get(response["Location"]))
    assert sharing.current_consents(woman)[0].decision == Consent.Decision.WITHDRAWN

    # The very next request from probation is refused, on the page and in the API.
    assert record_page(officer_client, woman).status_code == 404
    assert api_record(officer_client, woman).status_code == 404


@pytest.mark.parametrize(
    ("classes", "carried"),
    [([FieldGroup.ABUSE], True), ([], False)],
    ids=["consent-names-abuse", "consent-without-abuse"],
)
def test_a_disclosure_goes_only_with_a_consent_that_names_abuse(
    keyworker, keyworker_client, officer_client, record, probation, classes, carried
):
    agree(record, keyworker, purpose=PSR, recipient=probation, classes=classes)

    assert (NARRATIVE in text(preview(keyworker_client, record, PSR, probation))) is carried
    confirm(keyworker_client, record, PSR, probation)

    response = record_page(officer_client, record)
    assert response.status_code == 200
    # The needs summary goes with a pre-sentence report; the detail of a need does not.
    assert "Finance, benefits and debt" in text(response)
    assert NEED_NOTES not in text(response)
    assert (NARRATIVE in text(response)) is carried


def test_another_centres_disclosure_does_not_go_with_this_centres_share(
    keyworker, keyworker_client, officer_client, record, probation, other_centre
):
    """A consent naming a class carries the sharing centre's items of it, not another's."""
    add_to_case_team(record, other_centre)
    other_worker = make_user(other_centre, Membership.Role.KEYWORKER)
    record.refresh_from_db()
    people_services.add_disclosure(
        record,
        by=other_worker,
        version=record.version,
        data={"kind": "sex_work", "narrative": "Marker other 77d0"},
    )
    agree(record, keyworker, purpose=PSR, recipient=probation, classes=[FieldGroup.SEX_WORK])

    assert "Marker other 77d0" not in text(preview(keyworker_client, record, PSR, probation))
    confirm(keyworker_client, record, PSR, probation)
    assert "Marker other 77d0" not in text(record_page(officer_client, record))


def test_a_garbled_choice_shows_an_error_and_shares_nothing(
    keyworker, keyworker_client, record, probation
):
    agree(record, keyworker, recipient=probation)
    for choice in ["engagement_probation:not-an-id", "nonsense", f"identity:{probation.pk}"]:
        response = keyworker_client.post(
            reverse("privacy:share", args=[record.pk]), {"share": choice}
        )
        assert response.status_code == 200
        assert "govuk-error-summary" in text(response)
    assert not CaseTeamMembership.objects.filter(organisation=probation).exists()


def test_a_share_cannot_be_confirmed_without_her_consent(
    keyworker, keyworker_client, officer_client, record, probation, police
):
    agree(record, keyworker, recipient=probation)

    # A confirmation posted for an organisation she did not agree to shares nothing.
    response = confirm(keyworker_client, record, ENGAGEMENT, police)
    assert response["Location"] == reverse("privacy:share", args=[record.pk])
    assert "She has not agreed to that share now" in text(
        keyworker_client.get(response["Location"])
    )
    assert not CaseTeamMembership.objects.filter(organisation=police).exists()

    # Nor does a preview confirmed after she withdrew.
    sharing.record_consent(
        record,
        by=keyworker,
        purpose=ENGAGEMENT,
        decision=Consent.Decision.WITHDRAWN,
        method=Consent.Method.SPOKEN,
        recipient_organisation=probation,
    )
    confirm(keyworker_client, record, ENGAGEMENT, probation)
    assert record_page(officer_client, record).status_code == 404


def test_a_consent_for_any_probation_service_lets_the_worker_share_with_each(
    keyworker, keyworker_client, record, probation
):
    other_pdu = OrganisationFactory(name="South Probation Delivery Unit", type="probation")
    agree(record, keyworker, recipient_type="probation")

    page = text(keyworker_client.get(reverse("privacy:share", args=[record.pk])))
    assert probation.name in page
    assert other_pdu.name in page


def test_stop_sharing_ends_the_recipients_access_at_once(
    keyworker, keyworker_client, officer_client, record, probation
):
    agree(record, keyworker, recipient=probation)
    row = sharing.share(record, by=keyworker, purpose=ENGAGEMENT, recipient=probation)
    assert record_page(officer_client, record).status_code == 200

    response = keyworker_client.post(reverse("privacy:share_end", args=[record.pk, row.pk]))

    assert response.status_code == 302
    assert "Sharing stopped" in text(keyworker_client.get(response["Location"]))
    assert record_page(officer_client, record).status_code == 404
    # Her consent stands: the worker may share again.
    assert sharing.consent_in_force(record, ENGAGEMENT, probation)


def test_stop_sharing_does_not_end_the_holding_organisations_row(
    keyworker, keyworker_client, record
):
    holder = sharing.current_case_team(record)[0]

    response = keyworker_client.post(reverse("privacy:share_end", args=[record.pk, holder.pk]))

    assert "That share has already ended" in text(keyworker_client.get(response["Location"]))
    assert record_page(keyworker_client, record).status_code == 200


def test_a_condition_lets_probation_learn_engagement_and_nothing_else_until_it_ends(
    keyworker_client, officer_client, record, probation
):
    today = timezone.localdate()
    response = keyworker_client.post(
        reverse("privacy:condition_record", args=[record.pk]),
        {
            "organisation": f"org:{probation.pk}",
            "kind": OrderCondition.Kind.COMMUNITY_ORDER,
            **date_fields("starts_on", today - timedelta(days=30)),
            **date_fields("ends_on", today + timedelta(days=300)),
        },
    )
    assert response.status_code == 302
    assert "Condition recorded" in text(keyworker_client.get(response["Location"]))

    # The keyworker updates her engagement; probation sees that and nothing more.
    response = keyworker_client.post(
        reverse("privacy:engagement", args=[record.pk]), {"status": "engaging"}
    )
    assert response["Location"] == reverse("people:detail", args=[record.pk])
    page = text(record_page(officer_client, record))
    assert "Engaging" in page
    for secret in (PHONE, NHS, NARRATIVE, "Finance, benefits and debt"):
        assert secret not in page

    condition = OrderCondition.objects.get(person=record)
    response = keyworker_client.post(
        reverse("privacy:condition_end", args=[record.pk, condition.pk])
    )
    assert response.status_code == 302
    assert record_page(officer_client, record).status_code == 404


def test_recording_the_same_condition_twice_records_it_once(keyworker_client, record, probation):
    today = timezone.localdate()
    data = {
        "organisation": f"org:{probation.pk}",
        "kind": OrderCondition.Kind.CONDITIONAL_CAUTION,
        **date_fields("starts_on", today),
        **date_fields("ends_on", today + timedelta(days=90)),
    }
    url = reverse("privacy:condition_record", args=[record.pk])

    keyworker_client.post(url, data)
    keyworker_client.post(url, data)

    assert OrderCondition.objects.filter(person=record).count() == 1


def test_her_summary_lists_the_share_while_it_lasts_in_english_and_welsh(
    keyworker, keyworker_client, record, probation
):
    agree(record, keyworker, recipient=probation, expires_on=date.today() + timedelta(days=90))
    sharing.share(record, by=keyworker, purpose=ENGAGEMENT, recipient=probation)
    english = reverse("privacy:consent_summary", args=[record.pk])
    welsh = reverse("privacy:consent_summary_language", args=[record.pk, "cy"])

    response = keyworker_client.get(english)
    assert response.status_code == 200
    page = text(response)
    assert "Who can see your information" in page
    assert probation.name in page
    assert "Whether you are coming to your support" in page
    assert "You agreed on" in page
    assert welsh in page
    response = keyworker_client.get(welsh)
    assert response.status_code == 200
    assert response["Content-Language"] == "cy"
    assert '<html lang="cy"' in response.content.decode()
    assert probation.name in text(response)

    consent = sharing.current_consents(record)[0]
    keyworker_client.post(
        reverse("privacy:consent_withdraw", args=[record.pk, consent.pk]),
        {"method": "spoken", "notes": ""},
    )

    assert probation.name not in text(keyworker_client.get(english))
    assert probation.name not in text(keyworker_client.get(welsh))


def test_her_summary_tells_her_what_she_decided_about_contact(keyworker, keyworker_client, record):
    sharing.record_consent(
        record,
        by=keyworker,
        purpose=ConsentPurpose.CONTACT_TEXT,
        decision=Consent.Decision.DECLINED,
        method=Consent.Method.SPOKEN,
    )

    page = text(keyworker_client.get(reverse("privacy:consent_summary", args=[record.pk])))

    assert "Sending you text messages" in page
    assert "You said no on" in page
    assert "If you change your mind" in page
