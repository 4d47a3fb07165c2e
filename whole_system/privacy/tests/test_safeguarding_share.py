"""A safeguarding share without her consent: only a designated lead makes one, with a reason,
for named parts of her record and a limited time; the data protection lead is told by an
e-mail that names no one; the recipient sees only what was named, and loses it on expiry or
revocation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from whole_system.accounts.models import Membership
from whole_system.core.testing.auth import sign_in
from whole_system.core.testing.factories import make_user
from whole_system.people import services as people_services
from whole_system.people.models import CaseTeamMembership
from whole_system.privacy import sharing
from whole_system.privacy.models import AccessEvent, Purpose, SafeguardingShare

pytestmark = pytest.mark.django_db

Role = Membership.Role
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PHONE = "07700 900 982"
NHS = "9434765919"


@pytest.fixture
def lead(centre):
    """The centre's designated safeguarding lead."""
    return make_user(centre, Role.KEYWORKER, safeguarding_lead=True)


@pytest.fixture
def dp_lead(centre):
    """The centre's data protection lead."""
    return make_user(centre, Role.KEYWORKER, data_protection_lead=True)


@pytest.fixture
def lead_client(lead):
    return sign_in(Client(), lead)


@pytest.fixture
def police_client(police_officer):
    return sign_in(Client(), police_officer)


@pytest.fixture
def her(woman, keyworker):
    """The woman, with a phone number on her record."""
    people_services.update_contact(
        woman, by=keyworker, data={"phone": PHONE, "may_phone": True}, version=woman.version
    )
    woman.refresh_from_db()
    return woman


def _share_url(person) -> str:
    return reverse("privacy:safeguarding_share", kwargs={"person_id": person.pk})


def _detail_url(share) -> str:
    return reverse("privacy:safeguarding_detail", kwargs={"share_id": share.pk})


def _revoke_url(share) -> str:
    return reverse(
        "privacy:safeguarding_revoke", kwargs={"person_id": share.person_id, "share_id": share.pk}
    )


def _record_url(person) -> str:
    return reverse("people:detail", kwargs={"person_id": person.pk})


def _form(recipient, **overrides) -> dict:
    data = {
        "recipient": str(recipient.pk),
        "reason_category": SafeguardingShare.Reason.RISK_TO_HER,
        "reason": "Synthetic: she told us she is in danger tonight.",
        "groups": ["engagement"],
        "hours": "24",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _share(person, lead, recipient, *, hours=24, groups=("engagement",)) -> SafeguardingShare:
    return sharing.share_for_safeguarding(
        person,
        by=lead,
        recipient=recipient,
        reason_category=SafeguardingShare.Reason.RISK_TO_HER,
        reason="Synthetic reason",
        groups=groups,
        hours=hours,
    )


# The share form: three doors


def test_anonymous_visitor_is_sent_to_sign_in(client, woman):
    response = client.get(_share_url(woman))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))


def test_outsider_gets_not_found_and_nothing_is_logged(outsider_client, woman):
    before = AccessEvent.objects.count()

    assert outsider_client.get(_share_url(woman)).status_code == 404
    assert outsider_client.post(_share_url(woman), {}).status_code == 404
    assert AccessEvent.objects.count() == before


def test_keyworker_who_is_not_the_designated_lead_is_forbidden(keyworker_client, woman, police):
    assert keyworker_client.get(_share_url(woman)).status_code == 403

    response = keyworker_client.post(_share_url(woman), {**_form(police), "step": "confirm"})

    assert response.status_code == 403
    assert not SafeguardingShare.objects.exists()


def test_lead_sees_the_form_with_other_organisations_but_not_commissioners(
    lead_client, woman, centre, police, probation, commissioner
):
    response = lead_client.get(_share_url(woman))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Share without her consent to keep someone safe" in body
    assert police.name in body
    assert probation.name in body
    assert f'value="{police.pk}"' in body
    assert f'value="{centre.pk}"' not in body
    assert commissioner.name not in body
    assert 'label="Police force"' in body
    # Sensitive classes are never offered; identity always goes.
    assert 'value="abuse"' not in body
    assert 'value="immigration"' not in body
    assert 'value="identity"' not in body
    assert "is always shared" in body
    assert 'value="72"' in body


# Bad input


def test_reason_and_groups_are_required_and_nothing_is_saved(lead_client, woman, police):
    response = lead_client.post(
        _share_url(woman),
        {**_form(police, reason_category=None, reason="  ", groups=None), "step": "confirm"},
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "Select why the share is needed" in body
    assert "Enter why the share is needed" in body
    assert "Select what they need to see" in body
    assert not SafeguardingShare.objects.exists()
    assert not CaseTeamMembership.objects.filter(organisation=police).exists()


def test_a_share_cannot_last_longer_than_the_limit(lead_client, woman, police, settings):
    settings.SAFEGUARDING_SHARE_HOURS = 72

    response = lead_client.post(_share_url(woman), {**_form(police, hours="73"), "step": "confirm"})

    assert "The share must last 72 hours or fewer" in response.content.decode()
    assert not SafeguardingShare.objects.exists()


def test_a_commissioner_or_her_own_organisation_cannot_be_chosen(
    lead_client, woman, commissioner, centre
):
    for recipient in (commissioner, centre):
        response = lead_client.post(_share_url(woman), {**_form(recipient), "step": "confirm"})

        assert "Choose the organisation to share with" in response.content.decode()
    assert not SafeguardingShare.objects.exists()


def test_a_sensitive_class_cannot_be_named(lead_client, woman, police):
    response = lead_client.post(
        _share_url(woman), {**_form(police, groups=["abuse"]), "step": "confirm"}
    )

    assert "govuk-error-summary" in response.content.decode()
    assert not SafeguardingShare.objects.exists()


# Preview, then confirm


def test_lead_previews_exactly_what_the_recipient_will_see_before_anything_is_saved(
    lead_client, her, police
):
    response = lead_client.post(_share_url(her), _form(police, groups=["engagement", "contact"]))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Check what Test Police Custody will see" in body
    view = response.context["view"]
    assert view.groups == {"identity", "engagement", "contact"}
    assert "Whether she is engaging with support" in body
    assert "How to contact her safely" in body
    assert "Who she is: names, date of birth and justice identifiers" in body
    assert "Her health needs and NHS number" not in body
    # Her record as they will see it: her phone number goes with contact, her NHS number does
    # not go at all.
    preview = body[body.index('data-testid="share-preview"') :]
    assert PHONE in preview
    assert "Kelly" in preview
    assert NHS not in body
    # The confirmation posts the same answers again; nothing is kept in between.
    assert 'name="step" value="confirm"' in body
    assert 'type="hidden" name="reason"' in body
    assert not SafeguardingShare.objects.exists()


def test_change_goes_back_to_the_form_with_the_answers_kept(lead_client, woman, police):
    response = lead_client.post(_share_url(woman), {**_form(police), "step": "change"})

    assert response.status_code == 200
    assert "Share without her consent to keep someone safe" in response.content.decode()
    assert response.context["form"]["reason"].value().startswith("Synthetic")
    assert not SafeguardingShare.objects.exists()


def test_confirming_makes_the_share_and_tells_the_data_protection_lead_without_naming_her(
    lead, lead_client, dp_lead, her, police, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE

    with django_capture_on_commit_callbacks(execute=True):
        response = lead_client.post(_share_url(her), {**_form(police), "step": "confirm"})

    assert response.status_code == 302
    assert response["Location"] == _record_url(her)
    share = SafeguardingShare.objects.get()
    assert share.made_by == lead
    assert share.to_organisation == police
    assert share.groups == ["engagement", "identity"]
    assert timedelta(hours=23) < share.expires_at - share.made_at <= timedelta(hours=24)
    assert share.reason == "Synthetic: she told us she is in danger tonight."
    # The e-mail: to the data protection lead, with a link, and nothing about her.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [dp_lead.email]
    text = message.subject + message.body
    assert reverse("privacy:safeguarding_detail", args=[share.pk]) in text
    for detail in ("Siobhán", "Kelly", "Shiv", "1990", "03/04", "3 April", NHS, PHONE):
        assert detail not in text
    share.refresh_from_db()
    assert share.data_protection_lead_told_at is not None


def test_recipient_sees_only_the_named_groups(lead, her, police, police_officer, police_client):
    _share(her, lead, police, groups=["engagement"])

    response = police_client.get(_record_url(her))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Kelly" in body
    assert PHONE not in body
    assert NHS not in body
    read = AccessEvent.objects.filter(actor=police_officer, action="person.view").get()
    assert "safeguarding" in read.basis


def test_recipient_saw_nothing_before_the_share(her, police_client):
    assert police_client.get(_record_url(her)).status_code == 404


def test_recipient_loses_access_when_the_share_expires(lead, her, police, police_client):
    share = _share(her, lead, police, hours=1)
    assert police_client.get(_record_url(her)).status_code == 200

    past = timezone.now() - timedelta(hours=2)
    SafeguardingShare.objects.filter(pk=share.pk).update(
        made_at=past, expires_at=past + timedelta(hours=1)
    )
    CaseTeamMembership.objects.filter(source_id=share.pk).update(
        added_at=past, ends_at=past + timedelta(hours=1)
    )

    assert police_client.get(_record_url(her)).status_code == 404


# Revoking


def test_lead_revokes_the_share_and_the_recipient_loses_access_at_once(
    lead, lead_client, her, police, police_client
):
    share = _share(her, lead, police)
    assert police_client.get(_record_url(her)).status_code == 200

    response = lead_client.post(_revoke_url(share))

    assert response.status_code == 302
    assert response["Location"] == _detail_url(share)
    share.refresh_from_db()
    assert share.revoked_at is not None
    assert police_client.get(_record_url(her)).status_code == 404


def test_data_protection_lead_may_revoke_too(lead, dp_lead, woman, police):
    share = _share(woman, lead, police)

    response = sign_in(Client(), dp_lead).post(_revoke_url(share))

    assert response.status_code == 302
    share.refresh_from_db()
    assert share.revoked_at is not None


def test_revoke_three_doors(
    client, lead, keyworker_client, manager_client, outsider_client, woman, police
):
    share = _share(woman, lead, police)

    anonymous = client.post(_revoke_url(share))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:sign_in"))
    assert outsider_client.post(_revoke_url(share)).status_code == 404
    assert keyworker_client.post(_revoke_url(share)).status_code == 403
    assert manager_client.post(_revoke_url(share)).status_code == 403
    assert keyworker_client.get(_revoke_url(share)).status_code == 405
    share.refresh_from_db()
    assert share.revoked_at is None


def test_a_share_of_another_woman_cannot_be_revoked_through_her_record(
    lead, lead_client, woman, keyworker, police
):
    from whole_system.core.testing.factories import make_person

    other = make_person(keyworker, given_name="Amara", family_name="Testwoman")
    share = _share(other, lead, police)
    url = reverse(
        "privacy:safeguarding_revoke", kwargs={"person_id": woman.pk, "share_id": share.pk}
    )

    assert lead_client.post(url).status_code == 404
    share.refresh_from_db()
    assert share.revoked_at is None


# The share itself: the link in the data protection lead's e-mail


def test_share_page_anonymous_visitor_is_sent_to_sign_in(client, lead, woman, police):
    share = _share(woman, lead, police)

    response = client.get(_detail_url(share))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))


def test_share_page_is_not_found_for_anyone_outside_the_sharing_leads_and_managers(
    lead, woman, police, police_officer, keyworker_client, outsider, other_centre
):
    share = _share(woman, lead, police)
    before = AccessEvent.objects.count()
    other_dp_lead = make_user(other_centre, Role.SERVICE_MANAGER, data_protection_lead=True)

    for client in (
        keyworker_client,
        sign_in(Client(), police_officer),
        sign_in(Client(), outsider),
        sign_in(Client(), other_dp_lead),
    ):
        assert client.get(_detail_url(share)).status_code == 404
    assert AccessEvent.objects.count() == before


def test_data_protection_lead_sees_the_share_and_the_read_is_logged(lead, dp_lead, woman, police):
    share = _share(woman, lead, police, groups=["engagement", "contact"])

    response = sign_in(Client(), dp_lead).get(_detail_url(share))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Safeguarding share without consent" in body
    assert police.name in body
    assert "Risk of serious harm to her" in body
    assert "Synthetic reason" in body
    assert "How to contact her safely" in body
    assert "Revoke the share" in body
    event = AccessEvent.objects.filter(actor=dp_lead, kind="read").get()
    assert event.purpose == Purpose.SAFEGUARDING
    assert event.person_id == woman.pk


def test_manager_sees_the_share_but_cannot_revoke_it(lead, manager_client, woman, police):
    share = _share(woman, lead, police)

    response = manager_client.get(_detail_url(share))

    assert response.status_code == 200
    assert "Revoke the share" not in response.content.decode()


def test_share_page_says_when_the_share_was_revoked(lead, lead_client, woman, police):
    share = _share(woman, lead, police)
    sharing.revoke_safeguarding_share(woman, by=lead, share_id=share.pk)

    response = lead_client.get(_detail_url(share))

    body = response.content.decode()
    assert "Revoked" in body
    assert "Revoke the share" not in body
