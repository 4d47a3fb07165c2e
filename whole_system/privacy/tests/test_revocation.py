"""Revocation (issue 3): when a basis for seeing her record ends — she withdraws consent, a
safeguarding share is revoked or runs out, an order condition ends, an emergency access is
found not justified or runs out — or when the user, their membership or their organisation is
deactivated, the very next request from the same signed-in session is refused, where the one
just before it succeeded. Through her record page and through the API alike."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from whole_system.accounts.models import Membership, Organisation
from whole_system.core.testing.auth import sign_in
from whole_system.core.testing.factories import make_user
from whole_system.people.models import Person
from whole_system.privacy import sharing
from whole_system.privacy.models import Consent, EmergencyAccess, OrderCondition

pytestmark = pytest.mark.django_db

Role = Membership.Role
LONDON = ZoneInfo("Europe/London")
ENGAGEMENT = "engagement_probation"
# Requests in a walk through time are this far apart: well inside the 30-minute idle timeout,
# so the session stays signed in and only the basis can end.
HOP = timedelta(minutes=20)


def page(client: Client, person: Person):
    return client.get(reverse("people:detail", kwargs={"person_id": person.pk}))


def api(client: Client, person: Person):
    return client.get(reverse("api:person", args=[person.pk]))


@pytest.fixture(params=["page", "api"])
def door(request) -> Callable:
    """Her record page, or the API's record."""
    return {"page": page, "api": api}[request.param]


def assert_allowed(response) -> None:
    assert response.status_code == 200
    assert b"Kelly" in response.content


def assert_refused(response) -> None:
    assert response.status_code == 404
    assert b"Kelly" not in response.content


class Clock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment

    def walk(self, until: datetime, step: Callable[[], None]) -> None:
        """Move time on to `until`, calling `step` (a request) at each hop on the way."""
        while self.moment + HOP < until:
            self.moment += HOP
            step()
        self.moment = until


@pytest.fixture
def clock() -> Iterator[Clock]:
    """Time stands still until the test moves it: 8 p.m. on a June evening, UK time."""
    moment = datetime(2031, 6, 10, 20, 0, tzinfo=LONDON).astimezone(UTC)
    fake = Clock(moment)
    with mock.patch("django.utils.timezone.now", fake):
        yield fake


def signed_in(user) -> Client:
    return sign_in(Client(), user)


def consent(woman, keyworker, decision: str, **recipient) -> Consent:
    return sharing.record_consent(
        woman,
        by=keyworker,
        purpose=ENGAGEMENT,
        decision=decision,
        method=Consent.Method.SPOKEN,
        **recipient,
    )


@pytest.fixture
def shared_with_probation(keyworker, woman, probation):
    """She agreed the centre may tell this probation delivery unit whether she engages."""
    consent(woman, keyworker, Consent.Decision.GIVEN, recipient_organisation=probation)
    return sharing.share(woman, by=keyworker, purpose=ENGAGEMENT, recipient=probation)


@pytest.fixture
def probation_client(probation_officer):
    return signed_in(probation_officer)


@pytest.fixture
def police_client(police_officer):
    return signed_in(police_officer)


@pytest.fixture
def lead(centre):
    return make_user(centre, Role.KEYWORKER, safeguarding_lead=True)


@pytest.fixture
def police_manager(police):
    return make_user(police, Role.SERVICE_MANAGER)


# Her consent ---------------------------------------------------------------------------------


@pytest.mark.parametrize("decision", [Consent.Decision.WITHDRAWN, Consent.Decision.DECLINED])
def test_withdrawal_refuses_the_recipients_very_next_request(
    door, decision, keyworker, woman, probation, shared_with_probation, probation_client
):
    assert_allowed(door(probation_client, woman))

    consent(woman, keyworker, decision, recipient_organisation=probation)

    assert_refused(door(probation_client, woman))


def test_withdrawing_a_consent_for_a_kind_of_organisation_refuses_the_very_next_request(
    door, keyworker, woman, probation, probation_client
):
    consent(woman, keyworker, Consent.Decision.GIVEN, recipient_type=Organisation.Type.PROBATION)
    sharing.share(woman, by=keyworker, purpose=ENGAGEMENT, recipient=probation)
    assert_allowed(door(probation_client, woman))

    consent(
        woman, keyworker, Consent.Decision.WITHDRAWN, recipient_type=Organisation.Type.PROBATION
    )

    assert_refused(door(probation_client, woman))


def test_ending_a_share_refuses_the_recipients_very_next_request(
    door, keyworker, woman, shared_with_probation, probation_client
):
    assert_allowed(door(probation_client, woman))

    assert sharing.end_share(woman, by=keyworker, row_id=shared_with_probation.pk)

    assert_refused(door(probation_client, woman))


def test_a_share_stops_at_the_end_of_the_day_her_consent_expires(
    clock, door, keyworker, woman, probation, probation_officer
):
    today = timezone.localdate()
    sharing.record_consent(
        woman,
        by=keyworker,
        purpose=ENGAGEMENT,
        decision=Consent.Decision.GIVEN,
        method=Consent.Method.WRITTEN,
        recipient_organisation=probation,
        expires_on=today,
    )
    sharing.share(woman, by=keyworker, purpose=ENGAGEMENT, recipient=probation)
    client = signed_in(probation_officer)
    midnight = _midnight_after(today)

    clock.walk(midnight - timedelta(microseconds=1), lambda: assert_allowed(door(client, woman)))
    assert_allowed(door(client, woman))
    clock.moment = midnight

    assert_refused(door(client, woman))


# Deactivation --------------------------------------------------------------------------------


def _deactivate_user(user) -> None:
    type(user).objects.filter(pk=user.pk).update(is_active=False)


def _deactivate_membership(user) -> None:
    Membership.objects.filter(user=user).update(is_active=False)


def _deactivate_organisation(user) -> None:
    Organisation.objects.filter(pk=user.membership.organisation_id).update(is_active=False)


@pytest.fixture(params=["keyworker", "probation_officer"])
def member(request, shared_with_probation):
    """Someone who sees her: a keyworker at the centre holding her case, or a probation
    practitioner she agreed may know whether she engages."""
    return request.getfixturevalue(request.param)


def test_a_deactivated_user_is_signed_out_on_the_very_next_page_request(member, woman):
    client = signed_in(member)
    assert_allowed(page(client, woman))

    _deactivate_user(member)

    response = page(client, woman)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))
    assert b"Kelly" not in response.content
    # The next page asks her to sign in again too: the session no longer carries the user.
    assert page(client, woman).status_code == 302


def test_a_deactivated_user_is_refused_the_very_next_api_request(member, woman):
    client = signed_in(member)
    assert_allowed(api(client, woman))

    _deactivate_user(member)

    response = api(client, woman)
    assert response.status_code in (401, 403)
    assert b"Kelly" not in response.content


@pytest.mark.parametrize("deactivate", [_deactivate_membership, _deactivate_organisation])
def test_a_deactivated_membership_or_organisation_sees_nothing_on_the_very_next_request(
    door, member, woman, deactivate
):
    client = signed_in(member)
    assert_allowed(door(client, woman))

    deactivate(member)

    assert_refused(door(client, woman))


# Safeguarding shares -------------------------------------------------------------------------


def _safeguarding_share(woman, lead, police, hours: int):
    return sharing.share_for_safeguarding(
        woman,
        by=lead,
        recipient=police,
        reason_category="risk_to_her",
        reason="Synthetic reason for a test",
        groups=["engagement"],
        hours=hours,
    )


def test_revoking_a_safeguarding_share_refuses_the_very_next_request(
    door, woman, lead, police, police_client
):
    made = _safeguarding_share(woman, lead, police, hours=72)
    assert_allowed(door(police_client, woman))

    assert sharing.revoke_safeguarding_share(woman, by=lead, share_id=made.pk)

    assert_refused(door(police_client, woman))


def test_a_safeguarding_share_refuses_the_first_request_after_it_expires(
    clock, door, woman, lead, police, police_officer
):
    made = _safeguarding_share(woman, lead, police, hours=1)
    client = signed_in(police_officer)

    clock.walk(made.expires_at - timedelta(seconds=1), lambda: assert_allowed(door(client, woman)))
    assert_allowed(door(client, woman))
    clock.moment = made.expires_at

    assert_refused(door(client, woman))


# Order conditions ----------------------------------------------------------------------------


def _condition(woman, keyworker, police, ends_on: date) -> OrderCondition:
    return sharing.record_condition(
        woman,
        by=keyworker,
        organisation=police,
        kind=OrderCondition.Kind.CONDITIONAL_CAUTION,
        # Started already: a condition that starts later opens nothing until it starts.
        starts_on=min(ends_on - timedelta(days=30), timezone.localdate()),
        ends_on=ends_on,
    )


def test_ending_an_order_condition_refuses_the_very_next_request(
    door, keyworker, woman, police, police_client
):
    condition = _condition(woman, keyworker, police, timezone.localdate() + timedelta(days=60))
    assert_allowed(door(police_client, woman))

    assert sharing.end_condition(woman, by=keyworker, condition_id=condition.pk)

    assert_refused(door(police_client, woman))


def _midnight_after(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=LONDON)


def test_an_order_condition_refuses_the_first_request_after_its_end_date(
    clock, door, keyworker, woman, police, police_officer
):
    today = timezone.localdate()
    _condition(woman, keyworker, police, ends_on=today)
    client = signed_in(police_officer)
    midnight = _midnight_after(today)

    clock.walk(midnight - timedelta(microseconds=1), lambda: assert_allowed(door(client, woman)))
    assert_allowed(door(client, woman))
    clock.moment = midnight

    assert_refused(door(client, woman))


# Emergency access ----------------------------------------------------------------------------


def _break_the_glass(woman, police_officer) -> EmergencyAccess:
    return sharing.break_the_glass(
        woman, by=police_officer, reason_category="risk_to_life", reason="Synthetic emergency"
    )


def test_an_emergency_access_found_not_justified_refuses_the_very_next_request(
    door, woman, police_officer, police_client, police_manager
):
    access = _break_the_glass(woman, police_officer)
    assert_allowed(door(police_client, woman))

    sharing.review_emergency_access(
        access, by=police_manager, outcome=EmergencyAccess.Outcome.NOT_JUSTIFIED, notes=""
    )

    assert_refused(door(police_client, woman))


def test_an_emergency_access_found_justified_runs_to_its_end(
    door, woman, police_officer, police_client, police_manager
):
    access = _break_the_glass(woman, police_officer)

    sharing.review_emergency_access(
        access, by=police_manager, outcome=EmergencyAccess.Outcome.JUSTIFIED, notes=""
    )

    assert_allowed(door(police_client, woman))


def test_an_emergency_access_refuses_the_first_request_after_it_expires(
    clock, door, woman, police_officer
):
    access = _break_the_glass(woman, police_officer)
    client = signed_in(police_officer)

    clock.walk(
        access.expires_at - timedelta(seconds=1), lambda: assert_allowed(door(client, woman))
    )
    assert_allowed(door(client, woman))
    clock.moment = access.expires_at

    assert_refused(door(client, woman))


def test_restricting_her_record_refuses_the_recipients_very_next_request(
    door, woman, shared_with_probation, probation_client
):
    assert_allowed(door(probation_client, woman))

    Person.objects.filter(pk=woman.pk).update(restricted_at=timezone.now())

    assert_refused(door(probation_client, woman))
