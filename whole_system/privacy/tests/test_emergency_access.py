"""Emergency access ("break the glass"): someone whose organisation does not hold her case
finds her only with exact details and a reason, sees the emergency parts of her record for a
few hours, everything logged; a manager of their organisation reviews it, and a review that
finds it not justified ends it at once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from whole_system.accounts.models import Membership, User
from whole_system.core.testing.auth import sign_in
from whole_system.core.testing.factories import make_user
from whole_system.people import services as people_services
from whole_system.people.models import Dependant
from whole_system.privacy import sharing
from whole_system.privacy.models import AccessEvent, EmergencyAccess, Purpose

pytestmark = pytest.mark.django_db

Role = Membership.Role
SEARCH = reverse("privacy:emergency_search")
OPEN = reverse("privacy:emergency_open")
REVIEWS = reverse("privacy:emergency_reviews")
PHONE = "07700 900 982"
NHS = "9434765919"


@pytest.fixture
def police_client(police_officer):
    User.objects.filter(pk=police_officer.pk).update(full_name="Dana Testofficer")
    return sign_in(Client(), police_officer)


@pytest.fixture
def police_manager(police):
    return make_user(police, Role.SERVICE_MANAGER)


@pytest.fixture
def police_manager_client(police_manager):
    return sign_in(Client(), police_manager)


@pytest.fixture
def her(woman, keyworker):
    """The woman, with contact details, equality answers and a child on her record."""
    people_services.update_contact(
        woman, by=keyworker, data={"phone": PHONE, "may_phone": True}, version=woman.version
    )
    woman.refresh_from_db()
    people_services.update_equality(
        woman, by=keyworker, data={"ethnicity": "asian_bangladeshi"}, version=woman.version
    )
    woman.refresh_from_db()
    people_services.add_dependant(
        woman,
        by=keyworker,
        data={
            "first_name": "Zephyrine",
            "lives_with": Dependant.LivesWith.FAMILY,
            "social_services": Dependant.SocialServices.NONE,
        },
        version=woman.version,
    )
    woman.refresh_from_db()
    return woman


def _details(**overrides) -> dict:
    data = {
        "reason_category": EmergencyAccess.Reason.MISSING,
        "reason": "Synthetic: reported missing from custody suite, at risk.",
        "given_name": "Siobhán",
        "family_name": "Kelly",
        "date_of_birth_0": "3",
        "date_of_birth_1": "4",
        "date_of_birth_2": "1990",
        "identifier": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _record_url(person) -> str:
    return reverse("people:detail", kwargs={"person_id": person.pk})


def _review_url(access) -> str:
    return reverse("privacy:emergency_review", kwargs={"access_id": access.pk})


def _open(person, user) -> EmergencyAccess:
    return sharing.break_the_glass(
        person, by=user, reason_category=EmergencyAccess.Reason.RISK_TO_LIFE, reason="Synthetic"
    )


# Finding her: three doors


def test_anonymous_visitor_is_sent_to_sign_in(client):
    for response in (client.get(SEARCH), client.post(SEARCH, _details()), client.post(OPEN, {})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign_in"))


def test_analyst_is_forbidden(analyst_client, woman):
    assert analyst_client.get(SEARCH).status_code == 403
    assert analyst_client.post(SEARCH, _details()).status_code == 403
    assert analyst_client.post(OPEN, {**_details(), "person": woman.pk}).status_code == 403
    assert not EmergencyAccess.objects.exists()


def test_the_page_explains_breaking_the_glass(police_client, settings):
    settings.EMERGENCY_ACCESS_HOURS = 4

    response = police_client.get(SEARCH)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Emergency access to a record" in body
    assert "For 4 hours, you alone will see" in body
    assert "A manager at your organisation will review" in body


def test_reason_is_required_and_nothing_is_found_or_logged(police_client, woman):
    before = AccessEvent.objects.count()

    response = police_client.post(SEARCH, _details(reason_category=None, reason=" "))

    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "Select what kind of emergency it is" in body
    assert "Enter what the emergency is" in body
    assert "Kelly" not in body.split("<form", 1)[0]
    assert AccessEvent.objects.count() == before


def test_a_full_name_and_date_of_birth_or_an_identifier_is_required(police_client, woman):
    nothing = police_client.post(
        SEARCH,
        _details(
            given_name="",
            family_name="",
            date_of_birth_0="",
            date_of_birth_1="",
            date_of_birth_2="",
        ),
    )
    no_birth = police_client.post(
        SEARCH, _details(date_of_birth_0="", date_of_birth_1="", date_of_birth_2="")
    )
    bad_identifier = police_client.post(SEARCH, _details(identifier="not-an-id"))

    assert "Enter her full name and date of birth, or an identifier" in nothing.content.decode()
    assert "Enter her date of birth" in no_birth.content.decode()
    assert "in the correct format" in bad_identifier.content.decode()
    assert not AccessEvent.objects.filter(action="person.search_result").exists()


@pytest.mark.parametrize(
    "details",
    [
        {"given_name": "Siobhan"},  # spelt without the accent
        {"given_name": "Siobh"},  # part of a name
        {"family_name": "Kell"},
        {"date_of_birth_0": "4"},  # another date of birth
        {"identifier": "9434765927"},  # another valid NHS number
    ],
)
def test_she_is_not_found_without_exact_details(police_client, woman, details):
    response = police_client.post(SEARCH, _details(**details))

    assert response.status_code == 200
    body = response.content.decode()
    assert "No record matches these details exactly" in body
    assert "Kelly" not in body
    assert not AccessEvent.objects.filter(action="person.search_result").exists()


def test_exact_details_find_her_showing_only_name_and_date_of_birth_and_the_list_is_logged(
    police_client, police_officer, her
):
    response = police_client.post(SEARCH, _details(given_name="siobhán", family_name="KELLY"))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Siobhán Kelly" in body
    assert "3 April 1990" in body
    for hidden in (PHONE, NHS, "Zephyrine"):
        assert hidden not in body
    assert f'name="person" value="{her.pk}"' in body
    listed = AccessEvent.objects.get(actor=police_officer, action="person.search_result")
    assert listed.person_id == her.pk
    assert listed.purpose == Purpose.EMERGENCY


def test_an_identifier_finds_her(police_client, her):
    response = police_client.post(
        SEARCH,
        _details(
            given_name="",
            family_name="",
            date_of_birth_0="",
            date_of_birth_1="",
            date_of_birth_2="",
            identifier="943 476 5919",
        ),
    )

    assert f'name="person" value="{her.pk}"' in response.content.decode()


def test_a_restricted_record_is_never_offered(police_client, woman):
    type(woman).objects.filter(pk=woman.pk).update(restricted_at=timezone.now())

    response = police_client.post(SEARCH, _details())

    assert "No record matches these details exactly" in response.content.decode()


# Opening her record


def test_opening_her_record_shows_the_emergency_parts_only_and_logs_the_read(
    police_client, police_officer, her, police, settings
):
    settings.EMERGENCY_ACCESS_HOURS = 4

    response = police_client.post(OPEN, {**_details(), "person": her.pk})

    assert response.status_code == 302
    assert response["Location"] == _record_url(her)
    access = EmergencyAccess.objects.get()
    assert access.user == police_officer
    assert access.organisation == police
    assert access.reason_category == EmergencyAccess.Reason.MISSING
    assert access.reason.startswith("Synthetic: reported missing")
    assert timedelta(hours=3, minutes=59) < access.expires_at - access.started_at
    assert access.expires_at - access.started_at <= timedelta(hours=4)
    assert AccessEvent.objects.filter(
        actor=police_officer, kind="change", action="emergency.opened", person_id=her.pk
    ).exists()

    record = police_client.get(_record_url(her))

    assert record.status_code == 200
    body = record.content.decode()
    assert "You are seeing this record in an emergency" in body
    assert "Kelly" in body
    assert PHONE in body
    assert NHS in body
    # Not in the emergency groups: her equality answers and her children.
    assert "Zephyrine" not in body
    assert "Asian or Asian British" not in body
    read = AccessEvent.objects.get(actor=police_officer, kind="read", action="person.view")
    assert "emergency" in read.basis
    assert read.person_id == her.pk


def test_she_was_not_visible_before_the_glass_was_broken(police_client, her):
    assert police_client.get(_record_url(her)).status_code == 404


def test_a_woman_who_does_not_match_the_details_cannot_be_opened(police_client, woman, keyworker):
    from whole_system.core.testing.factories import make_person

    other = make_person(keyworker, given_name="Amara", family_name="Testwoman")

    response = police_client.post(OPEN, {**_details(), "person": other.pk})

    assert response.status_code == 404
    assert not EmergencyAccess.objects.exists()


def test_opening_needs_the_reason_too(police_client, woman):
    response = police_client.post(OPEN, {**_details(reason=""), "person": woman.pk})

    assert response.status_code == 200
    assert "Enter what the emergency is" in response.content.decode()
    assert not EmergencyAccess.objects.exists()


def test_her_own_organisation_is_sent_to_her_record_not_through_the_glass(keyworker_client, woman):
    results = keyworker_client.post(SEARCH, _details())

    assert "Your organisation already holds her case" in results.content.decode()
    assert keyworker_client.post(OPEN, {**_details(), "person": woman.pk}).status_code == 403
    assert not EmergencyAccess.objects.exists()


def test_access_ends_when_it_expires(police_client, police_officer, woman):
    access = _open(woman, police_officer)
    assert police_client.get(_record_url(woman)).status_code == 200

    EmergencyAccess.objects.filter(pk=access.pk).update(
        started_at=timezone.now() - timedelta(hours=5),
        expires_at=timezone.now() - timedelta(hours=1),
    )

    assert police_client.get(_record_url(woman)).status_code == 404


# The manager's review


def test_reviews_three_doors(client, police_client, police_manager_client, manager_client):
    anonymous = client.get(REVIEWS)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:sign_in"))
    assert police_client.get(REVIEWS).status_code == 403
    assert police_manager_client.get(REVIEWS).status_code == 200


def test_manager_sees_their_staffs_emergency_access_unreviewed_first_without_her_name(
    police_client, police_officer, police_manager, police_manager_client, manager_client, woman
):
    reviewed = _open(woman, police_officer)
    sharing.review_emergency_access(
        reviewed, by=police_manager, outcome=EmergencyAccess.Outcome.JUSTIFIED, notes="Fine"
    )
    waiting = _open(woman, police_officer)
    EmergencyAccess.objects.filter(pk=waiting.pk).update(
        started_at=timezone.now() - timedelta(hours=2)
    )

    response = police_manager_client.get(REVIEWS)

    body = response.content.decode()
    assert [a.pk for a in response.context["page"]] == [waiting.pk, reviewed.pk]
    assert "Dana Testofficer" in body
    assert "She is missing" not in body
    assert "Risk to her life or safety" in body
    assert "To review" in body
    assert "Justified" in body
    assert _review_url(waiting) in body
    for hers in ("Siobhán", "Kelly", "Shiv"):
        assert hers not in body
    # Another organisation's manager sees none of it.
    other = manager_client.get(REVIEWS)
    assert list(other.context["page"]) == []


def test_review_page_three_doors(
    client, police_officer, police_client, police_manager_client, manager_client, woman
):
    access = _open(woman, police_officer)

    anonymous = client.get(_review_url(access))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:sign_in"))
    assert manager_client.get(_review_url(access)).status_code == 404
    assert police_client.get(_review_url(access)).status_code == 403
    response = police_manager_client.get(_review_url(access))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Synthetic" in body
    assert "Dana Testofficer" in body
    assert "Kelly" not in body


def test_a_justified_review_leaves_the_access_to_run_its_course(
    police_officer, police_client, police_manager, police_manager_client, woman
):
    access = _open(woman, police_officer)

    response = police_manager_client.post(
        _review_url(access), {"outcome": "justified", "notes": "Checked with the custody sergeant."}
    )

    assert response.status_code == 302
    assert response["Location"] == REVIEWS
    access.refresh_from_db()
    assert access.outcome == EmergencyAccess.Outcome.JUSTIFIED
    assert access.reviewed_by == police_manager
    assert access.review_notes == "Checked with the custody sergeant."
    assert police_client.get(_record_url(woman)).status_code == 200


def test_a_not_justified_review_ends_the_access_at_once(
    police_officer, police_client, police_manager_client, woman
):
    access = _open(woman, police_officer)
    assert police_client.get(_record_url(woman)).status_code == 200

    police_manager_client.post(
        _review_url(access), {"outcome": "not_justified", "notes": "No emergency."}
    )

    access.refresh_from_db()
    assert access.outcome == EmergencyAccess.Outcome.NOT_JUSTIFIED
    assert access.expires_at <= timezone.now()
    assert police_client.get(_record_url(woman)).status_code == 404


def test_review_needs_an_outcome_and_notes(police_officer, police_manager_client, woman):
    access = _open(woman, police_officer)

    response = police_manager_client.post(_review_url(access), {"outcome": "", "notes": ""})

    body = response.content.decode()
    assert "Select whether the access was justified" in body
    assert "Enter your review" in body
    access.refresh_from_db()
    assert access.reviewed_at is None


def test_a_manager_cannot_review_their_own_emergency_access(
    police_manager, police_manager_client, woman
):
    access = _open(woman, police_manager)

    assert police_manager_client.get(_review_url(access)).status_code == 403
    response = police_manager_client.post(
        _review_url(access), {"outcome": "justified", "notes": "Self-approved"}
    )

    assert response.status_code == 403
    access.refresh_from_db()
    assert access.reviewed_at is None


def test_a_review_is_recorded_once(police_officer, police_manager, police_manager_client, woman):
    access = _open(woman, police_officer)
    sharing.review_emergency_access(
        access, by=police_manager, outcome=EmergencyAccess.Outcome.JUSTIFIED, notes="First"
    )

    page = police_manager_client.get(_review_url(access))
    again = police_manager_client.post(
        _review_url(access), {"outcome": "not_justified", "notes": "Second"}
    )

    assert "Record review" not in page.content.decode()
    assert "already been reviewed" in again.content.decode()
    access.refresh_from_db()
    assert access.outcome == EmergencyAccess.Outcome.JUSTIFIED


def test_date_of_birth_is_carried_to_the_open_step(police_client, woman):
    response = police_client.post(SEARCH, _details())

    body = response.content.decode()
    for name, value in (
        ("date_of_birth_0", "3"),
        ("date_of_birth_1", "4"),
        ("date_of_birth_2", "1990"),
    ):
        assert f'type="hidden" name="{name}" value="{value}"' in body
    assert date(1990, 4, 3) == woman.date_of_birth
