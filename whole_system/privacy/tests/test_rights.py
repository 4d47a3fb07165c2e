"""Her rights: deadlines for subject access, erasure and restriction requests, the pages the
data protection lead handles them on, and what a restriction and an erasure do."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from whole_system.accounts.models import Membership
from whole_system.core.testing.auth import sign_in
from whole_system.core.testing.factories import add_to_case_team, make_person, make_user
from whole_system.people.models import Person
from whole_system.privacy import policy, rights, sharing
from whole_system.privacy.groups import ConsentPurpose
from whole_system.privacy.models import (
    AccessEvent,
    ErasureRecord,
    Purpose,
    RightsRequest,
    SubjectAccessRequest,
)
from whole_system.privacy.rights import RightsError, add_months

pytestmark = pytest.mark.django_db

Role = Membership.Role
SAR = SubjectAccessRequest
TODAY = timezone.localdate


@pytest.fixture
def dp_lead(centre):
    """The centre's data protection lead: handles her rights requests."""
    return make_user(centre, Role.SERVICE_MANAGER, data_protection_lead=True)


@pytest.fixture
def dp_client(dp_lead):
    return sign_in(Client(), dp_lead)


@pytest.fixture
def other_dp_lead(other_centre):
    return make_user(other_centre, Role.SERVICE_MANAGER, data_protection_lead=True)


def _sar(woman, dp_lead, received_on=None) -> SubjectAccessRequest:
    return rights.open_subject_access_request(woman, by=dp_lead, received_on=received_on or TODAY())


def _request(woman, dp_lead, kind, received_on=None) -> RightsRequest:
    return rights.open_rights_request(
        woman, by=dp_lead, kind=kind, received_on=received_on or TODAY(), notes=""
    )


def _date(prefix: str, day: date) -> dict[str, str]:
    return {
        f"{prefix}_0": str(day.day),
        f"{prefix}_1": str(day.month),
        f"{prefix}_2": str(day.year),
    }


# Calendar months -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 3, 15), 1, date(2026, 4, 15)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # a leap year
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 12, 31), 1, date(2027, 1, 31)),
        (date(2026, 11, 30), 2, date(2027, 1, 30)),
        (date(2026, 12, 31), 2, date(2027, 2, 28)),
        (date(2027, 12, 29), 2, date(2028, 2, 29)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
    ],
)
def test_add_months_keeps_the_day_or_clamps_to_the_end_of_a_short_month(day, months, expected):
    assert add_months(day, months) == expected


def test_a_subject_access_request_is_due_one_calendar_month_after_it_was_received(woman, dp_lead):
    sar = _sar(woman, dp_lead, received_on=date(2024, 1, 31))

    assert sar.due_on == date(2024, 2, 29)
    assert sar.deadline == date(2024, 2, 29)
    assert sar.status == SAR.Status.OPEN


def test_a_request_received_on_31_january_in_a_common_year_is_due_28_february(woman, dp_lead):
    assert _sar(woman, dp_lead, received_on=date(2025, 1, 31)).due_on == date(2025, 2, 28)


# Subject access services -----------------------------------------------------------------------


def test_extending_gives_two_more_calendar_months_once(woman, dp_lead):
    sar = _sar(woman, dp_lead)

    extended = rights.extend(sar, by=dp_lead, reason="Several years of records to review")

    assert extended.extended_to == add_months(sar.due_on, 2)
    assert extended.deadline == extended.extended_to
    assert extended.status == SAR.Status.EXTENDED
    with pytest.raises(RightsError, match="only be extended once"):
        rights.extend(extended, by=dp_lead, reason="Again")
    assert SAR.objects.get(pk=sar.pk).extended_to == extended.extended_to


def test_an_extension_needs_a_reason(woman, dp_lead):
    sar = _sar(woman, dp_lead)

    with pytest.raises(RightsError, match="Enter why"):
        rights.extend(sar, by=dp_lead, reason="   ")

    assert SAR.objects.get(pk=sar.pk).extended_to is None


def test_an_extension_after_the_first_deadline_is_refused(woman, dp_lead):
    sar = _sar(woman, dp_lead, received_on=TODAY() - timedelta(days=45))

    with pytest.raises(RightsError, match="first deadline has passed"):
        rights.extend(sar, by=dp_lead, reason="Too late")


def test_completing_a_request_records_the_day_and_cannot_be_done_twice(woman, dp_lead):
    sar = rights.complete(_sar(woman, dp_lead), by=dp_lead)

    assert sar.status == SAR.Status.COMPLETED
    assert sar.completed_on == TODAY()
    with pytest.raises(RightsError):
        rights.complete(sar, by=dp_lead)
    with pytest.raises(RightsError):
        rights.extend(sar, by=dp_lead, reason="Late")


def test_a_future_received_date_is_refused(woman, dp_lead):
    with pytest.raises(RightsError):
        _sar(woman, dp_lead, received_on=TODAY() + timedelta(days=1))

    assert not SAR.objects.exists()


def test_the_same_request_entered_twice_is_one_request(woman, dp_lead):
    first = _sar(woman, dp_lead)

    assert _sar(woman, dp_lead) == first
    with pytest.raises(RightsError, match="already has an open"):
        _sar(woman, dp_lead, received_on=TODAY() - timedelta(days=1))
    assert SAR.objects.count() == 1


def test_each_step_is_logged_without_personal_values(woman, dp_lead):
    sar = _sar(woman, dp_lead)
    rights.extend(sar, by=dp_lead, reason="Her ex-partner Marcus is named throughout")
    rights.complete(sar, by=dp_lead)

    events = AccessEvent.objects.filter(person_id=woman.pk, action__startswith="rights.")

    assert [e.action for e in events.order_by("id")] == [
        "rights.sar_opened",
        "rights.sar_extended",
        "rights.sar_completed",
    ]
    assert all(e.values == {} and e.actor_id == dp_lead.pk for e in events)
    assert "Marcus" not in str(list(events.values()))


# Restriction -----------------------------------------------------------------------------------


def _share_with_probation(woman, keyworker, probation) -> None:
    sharing.record_consent(
        woman,
        by=keyworker,
        purpose=ConsentPurpose.ENGAGEMENT_PROBATION,
        decision="given",
        method="spoken",
        recipient_organisation=probation,
    )
    sharing.share(
        woman, by=keyworker, purpose=ConsentPurpose.ENGAGEMENT_PROBATION, recipient=probation
    )


def test_a_restriction_hides_her_from_search_and_from_organisations_she_shared_with(
    woman, keyworker, dp_lead, probation, probation_officer
):
    _share_with_probation(woman, keyworker, probation)
    assert policy.get_person(probation_officer, woman.pk, purpose=Purpose.CASEWORK) == woman
    request = _request(woman, dp_lead, RightsRequest.Kind.RESTRICTION)

    rights.agree_restriction(woman, request, by=dp_lead)

    casework = Purpose.CASEWORK
    assert woman not in policy.people_visible_to(keyworker, purpose=casework)
    assert woman not in policy.people_visible_to(probation_officer, purpose=casework)
    with pytest.raises(Http404):
        policy.get_person(probation_officer, woman.pk, purpose=casework)
    # The organisation holding her case can still open her record by its id.
    assert policy.get_person(keyworker, woman.pk, purpose=casework) == woman
    assert RightsRequest.objects.get(pk=request.pk).status == RightsRequest.Status.AGREED


def test_lifting_a_restriction_gives_access_back(
    woman, keyworker, dp_lead, probation, probation_officer
):
    _share_with_probation(woman, keyworker, probation)
    request = _request(woman, dp_lead, RightsRequest.Kind.RESTRICTION)
    rights.agree_restriction(woman, request, by=dp_lead)

    rights.lift_restriction(woman, request, by=dp_lead)

    assert Person.objects.get(pk=woman.pk).restricted_at is None
    assert policy.get_person(probation_officer, woman.pk, purpose=Purpose.CASEWORK) == woman
    assert woman in policy.people_visible_to(keyworker, purpose=Purpose.CASEWORK)


def test_lifting_one_restriction_leaves_another_organisations_in_force(
    woman, keyworker, dp_lead, other_centre
):
    other_lead = make_user(other_centre, Role.SERVICE_MANAGER, data_protection_lead=True)
    add_to_case_team(woman, other_centre)
    ours = _request(woman, dp_lead, RightsRequest.Kind.RESTRICTION)
    theirs = RightsRequest.objects.create(
        person=woman, organisation=other_centre, kind="restriction", received_on=TODAY()
    )
    rights.agree_restriction(woman, ours, by=dp_lead)
    rights.agree_restriction(woman, theirs, by=other_lead)

    rights.lift_restriction(woman, ours, by=dp_lead)

    assert Person.objects.get(pk=woman.pk).restricted_at is not None


def test_a_restriction_request_for_a_restricted_record_is_refused(woman, dp_lead):
    rights.agree_restriction(
        woman, _request(woman, dp_lead, RightsRequest.Kind.RESTRICTION), by=dp_lead
    )

    with pytest.raises(RightsError, match="already restricted"):
        _request(woman, dp_lead, RightsRequest.Kind.RESTRICTION, TODAY() - timedelta(days=2))


def test_a_decided_request_cannot_be_decided_again(woman, dp_lead):
    request = _request(woman, dp_lead, RightsRequest.Kind.RESTRICTION)
    rights.refuse(request, by=dp_lead, notes="Her record is accurate")

    with pytest.raises(RightsError, match="already been decided"):
        rights.agree_restriction(woman, request, by=dp_lead)
    assert Person.objects.get(pk=woman.pk).restricted_at is None


def test_a_refusal_needs_reasons(woman, dp_lead):
    request = _request(woman, dp_lead, RightsRequest.Kind.ERASURE)

    with pytest.raises(RightsError, match="Enter why"):
        rights.refuse(request, by=dp_lead, notes="")

    assert RightsRequest.objects.get(pk=request.pk).status == RightsRequest.Status.OPEN


# Erasure ---------------------------------------------------------------------------------------


def test_agreeing_to_erasure_deletes_her_record_and_leaves_a_tombstone_and_the_log(
    woman, keyworker, dp_lead
):
    person_id = woman.pk
    events_before = AccessEvent.objects.filter(person_id=person_id).count()
    request = _request(woman, dp_lead, RightsRequest.Kind.ERASURE)

    tombstone = rights.agree_erasure(woman, request, by=dp_lead)

    assert not Person.objects.filter(pk=person_id).exists()
    assert not RightsRequest.objects.filter(pk=request.pk).exists()
    assert tombstone.person_id == person_id
    assert tombstone.reason == ErasureRecord.Reason.REQUEST
    assert rights.reference(request) in tombstone.rule
    actions = set(AccessEvent.objects.filter(person_id=person_id).values_list("action", flat=True))
    assert {"person.create", "rights.erasure_agreed", "retention.erased"} <= actions
    assert AccessEvent.objects.filter(person_id=person_id).count() > events_before
    with pytest.raises(Http404):
        policy.get_person(keyworker, person_id, purpose=Purpose.CASEWORK)


def test_an_erasure_request_cannot_be_agreed_as_a_restriction(woman, dp_lead):
    request = _request(woman, dp_lead, RightsRequest.Kind.ERASURE)

    with pytest.raises(RightsError):
        rights.agree_restriction(woman, request, by=dp_lead)


# Pages: three doors ----------------------------------------------------------------------------


def _page_urls(woman, dp_lead) -> list[str]:
    sar = _sar(woman, dp_lead)
    erasure = _request(woman, dp_lead, RightsRequest.Kind.ERASURE)
    restriction = _request(woman, dp_lead, RightsRequest.Kind.RESTRICTION)
    person = {"person_id": woman.pk}
    return [
        reverse("privacy:rights", kwargs=person),
        reverse("privacy:sar_open", kwargs=person),
        reverse("privacy:sar_extend", kwargs={**person, "request_id": sar.pk}),
        reverse("privacy:sar_complete", kwargs={**person, "request_id": sar.pk}),
        reverse("privacy:rights_request_open", kwargs=person),
        reverse("privacy:rights_request_agree", kwargs={**person, "request_id": erasure.pk}),
        reverse("privacy:rights_request_agree", kwargs={**person, "request_id": restriction.pk}),
        reverse("privacy:rights_request_refuse", kwargs={**person, "request_id": erasure.pk}),
        reverse("privacy:rights_request_lift", kwargs={**person, "request_id": restriction.pk}),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client, woman, dp_lead):
    for url in [*_page_urls(woman, dp_lead), reverse("privacy:rights_list")]:
        response = client.get(url)

        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:sign_in")), url


def test_staff_off_her_team_are_told_not_found_even_as_their_data_protection_lead(
    outsider_client, other_dp_lead, woman, dp_lead
):
    clients = [outsider_client, sign_in(Client(), other_dp_lead)]
    urls = _page_urls(woman, dp_lead)
    before = AccessEvent.objects.count()

    for url in urls:
        for client in clients:
            assert client.get(url).status_code == 404, url
            # Her rights page only answers GET: the forms post.
            assert client.post(url, {}).status_code in (404, 405), url

    assert AccessEvent.objects.count() == before
    assert SAR.objects.count() == 1


def test_staff_on_her_team_who_are_not_the_data_protection_lead_are_forbidden(
    keyworker_client, manager_client, woman, dp_lead
):
    for url in _page_urls(woman, dp_lead):
        for client in (keyworker_client, manager_client):
            assert client.get(url).status_code == 403, url
            assert client.post(url, {}).status_code in (403, 405), url

    assert Person.objects.get(pk=woman.pk).restricted_at is None


def test_the_data_protection_lead_sees_each_page(dp_client, woman, dp_lead):
    for url in _page_urls(woman, dp_lead):
        assert dp_client.get(url).status_code == 200, url


def test_a_request_of_another_organisation_is_not_found(dp_client, woman, other_centre):
    theirs = SAR.objects.create(
        person=woman,
        organisation=other_centre,
        received_on=TODAY(),
        due_on=add_months(TODAY(), 1),
    )
    url = reverse("privacy:sar_extend", kwargs={"person_id": woman.pk, "request_id": theirs.pk})

    assert dp_client.get(url).status_code == 404


# Pages: what the lead does ---------------------------------------------------------------------


def test_her_rights_page_lists_her_requests_with_deadlines_and_logs_the_read(
    dp_client, dp_lead, woman
):
    old = _sar(woman, dp_lead, received_on=TODAY() - timedelta(days=40))
    rights.complete(old, by=dp_lead)
    overdue = SAR.objects.create(
        person=woman,
        organisation=dp_lead.membership.organisation,
        received_on=TODAY() - timedelta(days=35),
        due_on=TODAY() - timedelta(days=4),
    )

    response = dp_client.get(reverse("privacy:rights", kwargs={"person_id": woman.pk}))

    body = response.content.decode()
    assert "Shiv Kelly" in body
    assert rights.reference(overdue) in body and rights.reference(old) in body
    assert body.count("Overdue") == 1
    assert "Completed" in body
    event = AccessEvent.objects.filter(actor=dp_lead, action="rights.manage").latest("id")
    assert event.purpose == Purpose.MANAGEMENT
    assert event.fields == ["identity"]


def test_the_lead_records_a_subject_access_request_and_is_told_the_deadline(
    dp_client, dp_lead, woman
):
    received = TODAY() - timedelta(days=3)
    url = reverse("privacy:sar_open", kwargs={"person_id": woman.pk})

    response = dp_client.post(url, _date("received_on", received), follow=True)

    sar = SAR.objects.get(person=woman)
    assert sar.received_on == received
    assert sar.due_on == add_months(received, 1)
    assert sar.handled_by == dp_lead
    assert response.redirect_chain[-1][0] == reverse(
        "privacy:rights", kwargs={"person_id": woman.pk}
    )
    assert f"Subject access request {rights.reference(sar)} recorded" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Enter date she made the request"),
        ({"received_on_0": "31", "received_on_1": "2", "received_on_2": "2026"}, "real date"),
        ("future", "must be in the past"),
    ],
)
def test_a_bad_received_date_is_explained_and_nothing_is_saved(dp_client, woman, data, message):
    if data == "future":
        data = _date("received_on", TODAY() + timedelta(days=3))
    url = reverse("privacy:sar_open", kwargs={"person_id": woman.pk})

    response = dp_client.post(url, data)

    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert message in response.content.decode()
    assert not SAR.objects.exists()


def test_the_lead_extends_a_request_with_a_reason(dp_client, dp_lead, woman):
    sar = _sar(woman, dp_lead)
    url = reverse("privacy:sar_extend", kwargs={"person_id": woman.pk, "request_id": sar.pk})

    empty = dp_client.post(url, {"reason": ""})
    dp_client.post(url, {"reason": "It covers five years of notes"})
    again = dp_client.post(url, {"reason": "More"})

    assert "Enter why more time is needed" in empty.content.decode()
    sar.refresh_from_db()
    assert sar.extended_to == add_months(sar.due_on, 2)
    assert sar.extension_reason == "It covers five years of notes"
    assert "only be extended once" in again.content.decode()


def test_the_lead_marks_a_request_completed_after_confirming(dp_client, dp_lead, woman):
    sar = _sar(woman, dp_lead)
    url = reverse("privacy:sar_complete", kwargs={"person_id": woman.pk, "request_id": sar.pk})

    unconfirmed = dp_client.post(url, {})
    dp_client.post(url, {"sent": "on"})

    assert "Confirm that you have sent her the copy" in unconfirmed.content.decode()
    sar.refresh_from_db()
    assert sar.status == SAR.Status.COMPLETED


def test_the_lead_records_and_agrees_a_restriction(
    dp_client, dp_lead, woman, keyworker, probation, probation_officer
):
    _share_with_probation(woman, keyworker, probation)
    url = reverse("privacy:rights_request_open", kwargs={"person_id": woman.pk})
    dp_client.post(
        url,
        {"kind": "restriction", "notes": "She says her date of birth is wrong"}
        | _date("received_on", TODAY()),
    )
    request = RightsRequest.objects.get(person=woman)
    agree = reverse(
        "privacy:rights_request_agree", kwargs={"person_id": woman.pk, "request_id": request.pk}
    )

    response = dp_client.post(agree, {}, follow=True)

    assert "Her record is restricted" in response.content.decode()
    assert "Her record has been restricted since" in response.content.decode()
    assert Person.objects.get(pk=woman.pk).restricted_at is not None
    probation_client = sign_in(Client(), probation_officer)
    assert probation_client.get(reverse("people:detail", args=[woman.pk])).status_code == 404


def test_the_lead_must_confirm_before_erasing_and_is_warned_of_other_holders(
    dp_client, dp_lead, woman, other_centre
):
    add_to_case_team(woman, other_centre)
    request = _request(woman, dp_lead, RightsRequest.Kind.ERASURE)
    url = reverse(
        "privacy:rights_request_agree", kwargs={"person_id": woman.pk, "request_id": request.pk}
    )

    page = dp_client.get(url).content.decode()
    unconfirmed = dp_client.post(url, {})
    assert Person.objects.filter(pk=woman.pk).exists()
    response = dp_client.post(url, {"confirm": "on"})

    assert "Hillside Women" in page
    assert "Confirm that you understand" in unconfirmed.content.decode()
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:rights_list")
    assert not Person.objects.filter(pk=woman.pk).exists()
    assert ErasureRecord.objects.filter(person_id=woman.pk).exists()


def test_the_lead_refuses_a_request_with_reasons(dp_client, dp_lead, woman):
    request = _request(woman, dp_lead, RightsRequest.Kind.ERASURE)
    url = reverse(
        "privacy:rights_request_refuse", kwargs={"person_id": woman.pk, "request_id": request.pk}
    )

    empty = dp_client.post(url, {"notes": ""})
    dp_client.post(url, {"notes": "We must keep it while her order runs"})

    assert "Enter why the request is refused" in empty.content.decode()
    request.refresh_from_db()
    assert request.status == RightsRequest.Status.REFUSED
    assert "while her order runs" in request.notes


def test_the_lead_lifts_a_restriction(dp_client, dp_lead, woman):
    request = _request(woman, dp_lead, RightsRequest.Kind.RESTRICTION)
    rights.agree_restriction(woman, request, by=dp_lead)
    url = reverse(
        "privacy:rights_request_lift", kwargs={"person_id": woman.pk, "request_id": request.pk}
    )

    dp_client.post(url, {})

    assert Person.objects.get(pk=woman.pk).restricted_at is None
    assert RightsRequest.objects.get(pk=request.pk).status == RightsRequest.Status.LIFTED


# The lead's list -------------------------------------------------------------------------------


def test_the_list_is_for_data_protection_leads_only(
    keyworker_client, manager_client, analyst_client
):
    url = reverse("privacy:rights_list")

    for client in (keyworker_client, manager_client, analyst_client):
        assert client.get(url).status_code == 403


def test_the_list_shows_open_requests_by_deadline_overdue_first_without_names(
    dp_client, dp_lead, woman, keyworker, other_centre
):
    second = make_person(keyworker, given_name="Morwenna", family_name="Trelawny")
    late = SAR.objects.create(
        person=woman,
        organisation=dp_lead.membership.organisation,
        received_on=TODAY() - timedelta(days=40),
        due_on=TODAY() - timedelta(days=9),
    )
    erasure = _request(second, dp_lead, RightsRequest.Kind.ERASURE)
    done = rights.complete(_sar(second, dp_lead), by=dp_lead)
    elsewhere = SAR.objects.create(
        person=woman, organisation=other_centre, received_on=TODAY(), due_on=TODAY()
    )
    before = AccessEvent.objects.filter(kind="read").count()

    response = dp_client.get(reverse("privacy:rights_list"))

    body = response.content.decode()
    assert body.index(rights.reference(late)) < body.index(rights.reference(erasure))
    assert "Overdue" in body
    assert rights.reference(done) not in body
    assert rights.reference(elsewhere) not in body
    for name in ("Kelly", "Shiv", "Siobh", "Morwenna", "Trelawny"):
        assert name not in body
    assert reverse("privacy:rights", kwargs={"person_id": woman.pk}) in body
    assert AccessEvent.objects.filter(kind="read").count() == before


def test_get_person_refuses_rights_to_a_lead_of_an_organisation_that_only_receives_shares(
    woman, keyworker, probation
):
    probation_lead = make_user(probation, Role.PROBATION_PRACTITIONER, data_protection_lead=True)
    _share_with_probation(woman, keyworker, probation)

    with pytest.raises(PermissionDenied):
        policy.get_person(
            probation_lead, woman.pk, purpose=Purpose.MANAGEMENT, action="rights.manage"
        )


def test_the_list_costs_the_same_number_of_queries_however_many_requests(
    dp_client, dp_lead, keyworker
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert dp_client.get(reverse("privacy:rights_list")).status_code == 200
        return len(captured)

    _sar(make_person(keyworker), dp_lead)
    one = queries()
    for _ in range(4):
        person = make_person(keyworker)
        _sar(person, dp_lead)
        _request(person, dp_lead, RightsRequest.Kind.ERASURE)

    assert queries() == one
