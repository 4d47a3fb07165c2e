"""The one policy point: who sees which woman, for what, and the read logged every time."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from whole_system.accounts.models import Membership, Organisation
from whole_system.core.testing.factories import OrganisationFactory, add_to_case_team, make_user
from whole_system.people import services
from whole_system.people.models import CaseTeamMembership, Person
from whole_system.privacy import policy, sharing
from whole_system.privacy.groups import HOLDER
from whole_system.privacy.models import AccessEvent, Channel, Purpose

pytestmark = pytest.mark.django_db

Role = Membership.Role
CASEWORK = Purpose.CASEWORK


@pytest.fixture
def liaison(db):
    return OrganisationFactory(
        name="Test Liaison and Diversion", type=Organisation.Type.LIAISON_AND_DIVERSION
    )


@pytest.fixture
def referrer(liaison, woman):
    add_to_case_team(woman, liaison)
    return make_user(liaison, Role.REFERRER)


@pytest.fixture
def probation_on_team(probation_officer, probation, woman):
    add_to_case_team(woman, probation)
    return probation_officer


@pytest.fixture
def police_on_team(police_officer, police, woman):
    add_to_case_team(woman, police)
    return police_officer


@pytest.fixture
def analyst_on_team(analyst, commissioner, woman):
    """An analyst whose organisation is even on the team still sees no record."""
    add_to_case_team(woman, commissioner)
    return analyst


@pytest.fixture
def organisation_admin(centre):
    return make_user(centre, Role.ORGANISATION_ADMIN)


@pytest.fixture
def platform_admin(db):
    return make_user(None, Role.PLATFORM_ADMIN)


def _visible(user, purpose=CASEWORK) -> set:
    return set(policy.people_visible_to(user, purpose=purpose).values_list("pk", flat=True))


def _fresh(person: Person) -> Person:
    return Person.objects.get(pk=person.pk)


# people_visible_to ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["keyworker", "manager", "referrer", "probation_on_team", "police_on_team"]
)
def test_case_roles_on_the_case_team_see_the_woman(request, persona, woman):
    user = request.getfixturevalue(persona)

    assert _visible(user) == {woman.pk}


@pytest.mark.parametrize("purpose", list(Purpose.values))
def test_keyworker_sees_the_woman_for_every_known_purpose(keyworker, woman, purpose):
    assert _visible(keyworker, purpose) == {woman.pk}


def test_outsider_sees_nobody(outsider, woman):
    assert _visible(outsider) == set()


def test_probation_cannot_see_woman_not_on_case_team(probation_officer, woman):
    assert _visible(probation_officer) == set()


def test_organisation_sees_only_women_whose_team_it_is_on(keyworker, outsider, woman):
    theirs = services.create_person(
        by=outsider, data={"given_name": "Ffion", "family_name": "Rhys"}, submission=uuid.uuid4()
    )

    assert _visible(keyworker) == {woman.pk}
    assert _visible(outsider) == {theirs.pk}


def test_ended_case_team_membership_no_longer_shows_the_woman(probation_on_team, probation, woman):
    CaseTeamMembership.objects.filter(person=woman, organisation=probation).update(
        ended_at=timezone.now()
    )

    assert _visible(probation_on_team) == set()


@pytest.mark.parametrize("persona", ["analyst_on_team", "organisation_admin", "platform_admin"])
def test_roles_without_casework_see_nobody(request, persona, woman):
    user = request.getfixturevalue(persona)

    assert _visible(user) == set()


def test_inactive_user_sees_nobody(keyworker, woman):
    keyworker.is_active = False
    keyworker.save(update_fields=["is_active"])

    assert _visible(keyworker) == set()


def test_inactive_membership_sees_nobody(keyworker, woman):
    Membership.objects.filter(user=keyworker).update(is_active=False)
    keyworker.refresh_from_db()

    assert _visible(keyworker) == set()


def test_member_of_an_inactive_organisation_sees_nobody(keyworker, centre, woman):
    Organisation.objects.filter(pk=centre.pk).update(is_active=False)
    keyworker.refresh_from_db()

    assert _visible(keyworker) == set()


def test_user_without_a_membership_sees_nobody(keyworker, woman):
    Membership.objects.filter(user=keyworker).delete()
    keyworker.refresh_from_db()

    assert _visible(keyworker) == set()


def test_anonymous_and_missing_users_see_nobody(woman):
    assert _visible(AnonymousUser()) == set()
    assert _visible(None) == set()


def test_unknown_purpose_shows_nobody(keyworker, woman):
    assert _visible(keyworker, purpose="curiosity") == set()


# get_person ----------------------------------------------------------------------------------


def _not_found(user, person_id) -> Http404:
    with pytest.raises(Http404) as raised:
        policy.get_person(user, person_id, purpose=CASEWORK)
    return raised.value


@pytest.mark.parametrize(
    "person_id", [uuid.uuid4(), str(uuid.uuid4()), "not-a-uuid", "", None, 12345, ["x"]]
)
def test_get_person_with_a_missing_or_malformed_id_is_not_found(keyworker, woman, person_id):
    assert type(_not_found(keyworker, person_id)) is Http404


def test_other_organisations_woman_is_not_found_exactly_like_a_missing_one(outsider, woman):
    forbidden = _not_found(outsider, woman.pk)
    missing = _not_found(outsider, uuid.uuid4())

    assert type(forbidden) is type(missing) is Http404
    assert str(forbidden) == str(missing)


def test_failed_get_person_writes_no_access_event(outsider, woman):
    before = AccessEvent.objects.count()

    _not_found(outsider, woman.pk)
    _not_found(outsider, "not-a-uuid")

    assert AccessEvent.objects.count() == before


def test_referrer_who_may_see_her_may_not_edit(referrer, woman):
    before = AccessEvent.objects.count()

    with pytest.raises(PermissionDenied):
        policy.get_person(referrer, woman.pk, purpose=CASEWORK, action="person.edit")

    assert AccessEvent.objects.count() == before


def test_keyworker_may_not_open_the_access_log(keyworker, woman):
    with pytest.raises(PermissionDenied):
        policy.get_person(
            keyworker, woman.pk, purpose=Purpose.MANAGEMENT, action="person.view_access_log"
        )


def test_outsider_asking_to_edit_gets_not_found_not_forbidden(outsider, woman):
    with pytest.raises(Http404):
        policy.get_person(outsider, woman.pk, purpose=CASEWORK, action="person.edit")


def test_get_person_writes_exactly_one_access_event_with_who_what_and_why(
    probation_on_team, probation, woman
):
    before = set(AccessEvent.objects.values_list("pk", flat=True))

    person = policy.get_person(
        probation_on_team,
        str(woman.pk),
        purpose=Purpose.SAFEGUARDING,
        action="person.edit",
        what=["needs", "identity"],
        channel=Channel.API,
    )

    assert person == woman
    new = AccessEvent.objects.exclude(pk__in=before)
    assert new.count() == 1
    event = new.get()
    assert event.kind == AccessEvent.Kind.READ
    assert event.actor == probation_on_team
    assert event.organisation == probation
    assert event.role == Role.PROBATION_PRACTITIONER
    assert event.person_id == woman.pk
    assert event.action == "person.edit"
    assert event.purpose == Purpose.SAFEGUARDING
    assert event.channel == Channel.API
    assert event.fields == ["identity", "needs"]
    assert event.values == {}
    assert event.digest


def test_get_person_by_default_logs_a_page_view_of_the_whole_record(keyworker, centre, woman):
    before = AccessEvent.objects.count()

    policy.get_person(keyworker, woman.pk, purpose=CASEWORK)

    assert AccessEvent.objects.count() == before + 1
    event = AccessEvent.objects.latest("pk")
    assert (event.actor, event.organisation, event.action, event.purpose, event.channel) == (
        keyworker,
        centre,
        "person.view",
        CASEWORK,
        Channel.PAGE,
    )
    assert event.fields == sorted(HOLDER)


def test_each_read_is_logged_again(keyworker, woman):
    before = AccessEvent.objects.filter(action="person.view").count()

    policy.get_person(keyworker, woman.pk, purpose=CASEWORK)
    policy.get_person(keyworker, woman.pk, purpose=CASEWORK)

    assert AccessEvent.objects.filter(action="person.view").count() == before + 2


def test_record_listed_logs_one_search_result_event_per_woman(keyworker, woman):
    second = services.create_person(
        by=keyworker, data={"given_name": "Nia", "family_name": "Kelly"}, submission=uuid.uuid4()
    )

    policy.record_listed(keyworker, [woman, second], purpose=CASEWORK, channel=Channel.API)

    events = AccessEvent.objects.filter(action="person.search_result")
    assert {e.person_id for e in events} == {woman.pk, second.pk}
    assert all(e.fields == sorted(policy.SEARCH_PARTS) for e in events)
    assert all(e.channel == Channel.API and e.actor == keyworker for e in events)


def test_record_listed_with_no_results_logs_nothing(keyworker):
    before = AccessEvent.objects.count()

    policy.record_listed(keyworker, [], purpose=CASEWORK)

    assert AccessEvent.objects.count() == before


# can -----------------------------------------------------------------------------------------


@pytest.fixture
def confidential(keyworker, woman, probation):
    """Her refuge address, recorded by the centre; probation is on her team too."""
    add_to_case_team(woman, probation)
    services.update_address(
        woman,
        by=keyworker,
        version=woman.version,
        data={
            "line_1": "1 Test Refuge Road",
            "town": "Testtown",
            "postcode": "ZZ99 9ZZ",
            "is_confidential": True,
        },
    )
    return _fresh(woman)


def _open_address(keyworker, woman, probation) -> Person:
    add_to_case_team(woman, probation)
    services.update_address(
        woman,
        by=keyworker,
        version=woman.version,
        data={"line_1": "2 Test Street", "town": "Testtown", "is_confidential": False},
    )
    return _fresh(woman)


CAN_CASES = [
    # (action, persona, object, allowed)
    ("person.create", "keyworker", None, True),
    ("person.create", "probation_officer", None, True),
    ("person.create", "keyworker", "woman", False),
    ("person.create", "analyst", None, False),
    ("person.create", "organisation_admin", None, False),
    ("person.search", "keyworker", None, True),
    ("person.search", "referrer", None, True),
    ("person.search", "analyst", None, False),
    ("person.search", "platform_admin", None, False),
    ("person.view", "keyworker", "woman", True),
    ("person.view", "referrer", "woman", True),
    ("person.view", "outsider", "woman", False),
    ("person.view", "analyst_on_team", "woman", False),
    ("person.view", "keyworker", "centre", False),
    ("person.view", "keyworker", None, False),
    ("person.edit", "keyworker", "woman", True),
    ("person.edit", "manager", "woman", True),
    ("person.edit", "police_on_team", "woman", True),
    ("person.edit", "referrer", "woman", False),
    ("person.edit", "outsider", "woman", False),
    ("person.edit", "probation_officer", "woman", False),
    ("person.view_access_log", "manager", "woman", True),
    ("person.view_access_log", "keyworker", "woman", False),
    ("person.view_access_log", "outsider_manager", "woman", False),
    ("person.view_access_log", "manager", None, False),
    ("person.view_confidential_address", "keyworker", "woman", True),
    ("person.view_confidential_address", "outsider", "woman", False),
    ("person.view_confidential_address", "keyworker", "confidential", True),
    ("person.view_confidential_address", "manager", "confidential", True),
    ("person.view_confidential_address", "probation_officer", "confidential", False),
    ("person.view_confidential_address", "outsider", "confidential", False),
    ("person.view_confidential_address", "keyworker", None, False),
    ("reporting.view_aggregates", "analyst", None, True),
    ("reporting.view_aggregates", "keyworker", None, True),
    ("reporting.view_aggregates", "platform_admin", None, False),
    ("organisation.manage_users", "organisation_admin", "centre", True),
    ("organisation.manage_users", "organisation_admin", "other_centre", False),
    ("organisation.manage_users", "organisation_admin", None, False),
    ("organisation.manage_users", "manager", "centre", False),
    ("consent.manage", "keyworker", "woman", True),
    ("consent.manage", "referrer", "woman", False),
    ("consent.manage", "probation_officer", "woman", False),
    ("consent.manage", "outsider", "woman", False),
    ("share.manage", "manager", "woman", True),
    ("share.manage", "outsider", "woman", False),
    ("condition.manage", "keyworker", "woman", True),
    ("condition.manage", "analyst_on_team", "woman", False),
    ("safeguarding.share", "safeguarding_lead", "woman", True),
    ("safeguarding.share", "keyworker", "woman", False),
    ("safeguarding.share", "outsider_safeguarding_lead", "woman", False),
    ("safeguarding.view", "dp_lead", "woman", True),
    ("safeguarding.view", "manager", "woman", True),
    ("safeguarding.view", "keyworker", "woman", False),
    ("safeguarding.view", "outsider_dp_lead", "woman", False),
    ("safeguarding.revoke", "safeguarding_lead", "woman", True),
    ("safeguarding.revoke", "manager", "woman", False),
    ("emergency.search", "police_officer", None, True),
    ("emergency.search", "referrer", None, False),
    ("emergency.open", "police_officer", "woman", True),
    ("emergency.open", "keyworker", "woman", False),
    ("emergency.open", "analyst", "woman", False),
    ("emergency.open", "police_officer", "restricted", False),
    ("emergency.review", "outsider_manager", "emergency", True),
    ("emergency.review", "manager", "emergency", False),
    ("emergency.review", "outsider_manager", "woman", False),
    ("emergency.review", "self_reviewing_manager", "emergency_by_manager", False),
    ("emergency.review_list", "manager", None, True),
    ("emergency.review_list", "keyworker", None, False),
    ("rights.manage", "dp_lead", "woman", True),
    ("rights.manage", "manager", "woman", False),
    ("rights.manage", "outsider_dp_lead", "woman", False),
    ("rights.list", "dp_lead", None, True),
    ("rights.list", "manager", None, False),
]


@pytest.fixture
def safeguarding_lead(centre):
    return make_user(centre, Role.KEYWORKER, safeguarding_lead=True)


@pytest.fixture
def outsider_safeguarding_lead(other_centre, woman):
    return make_user(other_centre, Role.KEYWORKER, safeguarding_lead=True)


@pytest.fixture
def dp_lead(centre):
    return make_user(centre, Role.SERVICE_MANAGER, data_protection_lead=True)


@pytest.fixture
def outsider_dp_lead(other_centre, woman):
    return make_user(other_centre, Role.SERVICE_MANAGER, data_protection_lead=True)


@pytest.fixture
def restricted(woman):
    Person.objects.filter(pk=woman.pk).update(restricted_at=timezone.now())
    return Person.objects.get(pk=woman.pk)


@pytest.fixture
def emergency(outsider, woman):
    """The other centre's keyworker broke the glass on her record."""
    return sharing.break_the_glass(
        woman, by=outsider, reason_category="missing", reason="Reported missing tonight"
    )


@pytest.fixture
def self_reviewing_manager(outsider_manager):
    return outsider_manager


@pytest.fixture
def emergency_by_manager(outsider_manager, woman):
    return sharing.break_the_glass(
        woman, by=outsider_manager, reason_category="missing", reason="Reported missing"
    )


@pytest.fixture
def outsider_manager(other_centre):
    return make_user(other_centre, Role.SERVICE_MANAGER)


@pytest.mark.parametrize(("action", "persona", "obj", "allowed"), CAN_CASES)
def test_can(request, action, persona, obj, allowed):
    user = request.getfixturevalue(persona)
    target = request.getfixturevalue(obj) if obj else None
    if isinstance(target, Person):
        target = _fresh(target)

    assert policy.can(user, action, target) is allowed, (action, persona, obj)


def test_every_rule_is_tested_both_ways():
    allowed = {action for action, _, _, ok in CAN_CASES if ok}
    refused = {action for action, _, _, ok in CAN_CASES if not ok}

    assert allowed == refused == set(policy.RULES)


def test_anonymous_user_can_do_nothing(woman, centre):
    for action in policy.RULES:
        for obj in (None, woman, centre):
            assert policy.can(AnonymousUser(), action, obj) is False, action


def test_inactive_member_can_do_nothing(manager, woman, centre):
    Membership.objects.filter(user=manager).update(is_active=False)
    manager.refresh_from_db()

    for action in policy.RULES:
        for obj in (None, woman, centre):
            assert policy.can(manager, action, obj) is False, action


def test_unknown_action_is_refused(keyworker, woman):
    assert policy.can(keyworker, "person.delete", woman) is False
    assert policy.can(keyworker, "", None) is False


def test_open_address_is_seen_by_everyone_on_the_team_and_nobody_else(
    keyworker, woman, probation, probation_officer, outsider
):
    person = _open_address(keyworker, woman, probation)

    assert policy.can(keyworker, "person.view_confidential_address", person)
    assert policy.can(probation_officer, "person.view_confidential_address", person)
    assert not policy.can(outsider, "person.view_confidential_address", person)


def test_confidential_address_recorder_leaving_the_team_stops_them_seeing_it(
    keyworker, confidential, centre
):
    CaseTeamMembership.objects.filter(person=confidential, organisation=centre).update(
        ended_at=timezone.now()
    )

    assert not policy.can(keyworker, "person.view_confidential_address", _fresh(confidential))


# people_named: name search through the organisation's own name index ----------------------


def _named(user, name="kelly", purpose=CASEWORK) -> set:
    match = Q(family_folded__startswith=name) | Q(given_folded__startswith=name)
    return set(policy.people_named(user, match, purpose=purpose).values_list("pk", flat=True))


def test_people_named_finds_the_organisations_own_woman(keyworker, woman):
    assert _named(keyworker) == {woman.pk}


def test_people_named_never_finds_another_organisations_woman(outsider, woman):
    from whole_system.core.testing.factories import make_person

    theirs = make_person(outsider, given_name="Siobhán", family_name="Kelly")
    assert _named(outsider) == {theirs.pk}


def test_people_named_finds_nothing_for_roles_without_case_access(analyst, woman):
    assert _named(analyst) == set()


def test_people_named_finds_nothing_for_an_unknown_purpose(keyworker, woman):
    assert _named(keyworker, purpose="curiosity") == set()


def test_people_named_follows_the_case_team(probation_officer, probation, woman):
    assert _named(probation_officer) == set()
    add_to_case_team(woman, probation)
    assert _named(probation_officer) == {woman.pk}


# Statistics ---------------------------------------------------------------------------------


def _statistics(woman, keyworker, decision):
    sharing.record_consent(
        woman, by=keyworker, purpose="statistics", decision=decision, method="spoken"
    )


def test_a_woman_is_counted_in_statistics_only_while_she_agrees(analyst, keyworker, woman):
    assert not policy.people_counted_in_statistics(analyst).filter(pk=woman.pk).exists()
    _statistics(woman, keyworker, "given")
    assert policy.people_counted_in_statistics(analyst).filter(pk=woman.pk).exists()
    _statistics(woman, keyworker, "withdrawn")
    assert not policy.people_counted_in_statistics(analyst).filter(pk=woman.pk).exists()


def test_a_restricted_record_is_left_out_of_statistics(analyst, keyworker, woman):
    _statistics(woman, keyworker, "given")
    Person.objects.filter(pk=woman.pk).update(restricted_at=timezone.now())
    assert not policy.people_counted_in_statistics(analyst).exists()


def test_statistics_need_a_role_allowed_aggregates(platform_admin, keyworker, woman):
    _statistics(woman, keyworker, "given")
    assert not policy.people_counted_in_statistics(platform_admin).exists()
    assert not policy.people_counted_in_statistics(AnonymousUser()).exists()


# What another organisation sees -------------------------------------------------------------


def _share(woman, keyworker, recipient, purpose="engagement_probation", classes=()):
    sharing.record_consent(
        woman,
        by=keyworker,
        purpose=purpose,
        decision="given",
        method="spoken",
        recipient_organisation=recipient,
        sensitive_classes=classes,
    )
    sharing.share(woman, by=keyworker, purpose=purpose, recipient=recipient)
    return _fresh(woman)


def test_a_share_shows_the_recipient_only_its_groups(
    keyworker, woman, probation, probation_officer
):
    person = _share(woman, keyworker, probation)

    view = policy.view_of(probation_officer, person)

    assert view.groups == {"identity", "engagement"}
    assert not view.holder
    assert view.bases == ("consent",)
    assert view.sensitive == {}


def test_a_share_naming_a_sensitive_class_carries_the_sharers_items_only(
    keyworker, woman, centre, probation, probation_officer
):
    person = _share(woman, keyworker, probation, purpose="psr_needs", classes=["abuse"])

    view = policy.view_of(probation_officer, person)

    assert "abuse" not in view.groups
    assert view.shows_item("abuse", centre.pk)
    assert not view.shows_item("abuse", probation.pk)
    assert not view.shows_item("sex_work", centre.pk)


def test_a_restricted_record_shows_another_organisation_nothing_but_its_holder_everything(
    keyworker, woman, probation, probation_officer
):
    _share(woman, keyworker, probation)
    Person.objects.filter(pk=woman.pk).update(restricted_at=timezone.now())

    assert not policy.view_of(probation_officer, _fresh(woman))
    assert policy.view_of(keyworker, _fresh(woman)).holder
    assert not policy.people_visible_to(keyworker, purpose=CASEWORK).filter(pk=woman.pk)
    assert policy.get_person(keyworker, woman.pk, purpose=CASEWORK).pk == woman.pk
    with pytest.raises(Http404):
        policy.get_person(probation_officer, woman.pk, purpose=CASEWORK)


def test_emergency_access_shows_the_emergency_groups_to_that_user_alone(
    woman, police, police_officer
):
    sharing.break_the_glass(woman, by=police_officer, reason_category="missing", reason="Missing")
    colleague = make_user(police, Role.POLICE_OFFICER)

    view = policy.view_of(police_officer, _fresh(woman))

    assert view.bases == ("emergency",)
    assert "equality" not in view.groups and "contact" in view.groups
    assert not policy.view_of(colleague, _fresh(woman))


def test_emergency_search_needs_exact_details_and_a_role_that_may_break_the_glass(
    woman, police_officer, referrer, analyst
):
    dob = woman.date_of_birth

    assert list(
        policy.people_for_emergency(
            police_officer, given="siobhán", family="KELLY", date_of_birth=dob
        )
    ) == [woman]
    assert list(policy.people_for_emergency(police_officer, identifier="943 476 5919")) == [woman]
    assert not policy.people_for_emergency(police_officer, given="Siobhán", family="Kelly")
    assert not policy.people_for_emergency(
        police_officer, given="Siobh", family="Kelly", date_of_birth=dob
    )
    assert not policy.people_for_emergency(referrer, identifier="9434765919")
    assert not policy.people_for_emergency(analyst, identifier="9434765919")
    Person.objects.filter(pk=woman.pk).update(restricted_at=timezone.now())
    assert not policy.people_for_emergency(police_officer, identifier="9434765919")


def test_a_share_view_is_what_the_row_would_show(centre):
    view = policy.share_view(["identity", "engagement", "abuse"], centre.pk, "consent")

    assert view.groups == {"identity", "engagement"}
    assert view.shows_item("abuse", centre.pk) and not view.shows_item("sex_work", centre.pk)
    assert view.bases == ("consent",) and not view.holder
    assert not policy.share_view(["abuse"], centre.pk, "consent")
