"""Retention: a record past its retention date is erased by the nightly job, with its history,
so that a dump of the whole database no longer holds anything about her; a tombstone and the
access log, which hold nothing about her, stay."""

from __future__ import annotations

import os
import subprocess
import uuid
from datetime import datetime, time, timedelta

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from whole_system.accounts.models import Membership
from whole_system.core.schedule import SCHEDULE
from whole_system.core.testing.factories import make_person, make_user
from whole_system.people.models import (
    Address,
    CaseTeamMembership,
    Dependant,
    Disclosure,
    Need,
    Person,
    PersonName,
    SearchName,
)
from whole_system.privacy import audit, retention, rights, sharing
from whole_system.privacy.groups import ConsentPurpose, FieldGroup
from whole_system.privacy.models import (
    AccessEvent,
    Consent,
    ErasureRecord,
    SafeguardingShare,
    SubjectAccessRequest,
)
from whole_system.privacy.tasks import enforce_retention_task

Role = Membership.Role
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _age(person: Person, *, years: float) -> None:
    """Her last contact was this long ago."""
    Person.objects.filter(pk=person.pk).update(
        last_contact_at=timezone.now() - timedelta(days=365.25 * years)
    )


def dump_database() -> str:
    """The whole database as SQL text, as a backup would hold it: SQLite's iterdump, or
    pg_dump against the test database."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        return "\n".join(connection.connection.iterdump())
    if connection.vendor == "postgresql":
        options = connection.settings_dict
        env = {**os.environ, "PGPASSWORD": str(options.get("PASSWORD") or "")}
        command = ["pg_dump", "--data-only", "--no-owner", "--dbname", options["NAME"]]
        for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
            if options.get(key):
                command += [flag, str(options[key])]
        return subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    pytest.skip(f"No dump for {connection.vendor}")


# The schedule ----------------------------------------------------------------------------------


def test_the_schedule_names_each_retention_rule():
    assert set(retention.RULES) == {"record", "access_log", "account", "reference", "operational"}
    assert str(retention.RULES["record"]).startswith(
        f"{django_settings.RETENTION_YEARS_AFTER_LAST_CONTACT} years after her last contact"
    )


def test_the_record_rule_reads_the_configured_years(settings):
    settings.RETENTION_YEARS_AFTER_LAST_CONTACT = 1

    assert str(retention.RULES["record"]).startswith("1 year after her last contact")


def test_retention_runs_nightly_at_three():
    job = next(j for j in SCHEDULE if j.name == "retention")

    assert job.task == "whole_system.privacy.tasks.enforce_retention_task"
    assert job.at == time(3, 0)


def test_the_cutoff_handles_29_february():
    moment = datetime(2028, 2, 29, 12, 0, tzinfo=timezone.get_current_timezone())

    assert retention.years_before(moment, 6).date().isoformat() == "2022-02-28"


# The job ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_only_records_past_their_retention_date_are_erased(keyworker, settings):
    settings.RETENTION_YEARS_AFTER_LAST_CONTACT = 6
    old = make_person(keyworker, family_name="Old")
    recent = make_person(keyworker, family_name="Recent")
    _age(old, years=6.1)
    _age(recent, years=5.9)

    erased = retention.enforce()

    assert erased == 1
    assert not Person.objects.filter(pk=old.pk).exists()
    assert Person.objects.filter(pk=recent.pk).exists()
    tombstone = ErasureRecord.objects.get(person_id=old.pk)
    assert (tombstone.reason, tombstone.rule) == (ErasureRecord.Reason.RETENTION, "record")


@pytest.mark.django_db
def test_moving_the_clock_past_the_retention_date_erases_the_record(keyworker):
    person = make_person(keyworker)
    years = django_settings.RETENTION_YEARS_AFTER_LAST_CONTACT

    assert retention.enforce(now=timezone.now() + timedelta(days=365 * years - 2)) == 0
    assert retention.enforce(now=timezone.now() + timedelta(days=366 * years + 2)) == 1
    assert not Person.objects.filter(pk=person.pk).exists()


@pytest.mark.django_db
def test_an_open_subject_access_request_holds_her_record(woman, centre):
    lead = make_user(centre, Role.SERVICE_MANAGER, data_protection_lead=True)
    sar = rights.open_subject_access_request(woman, by=lead, received_on=timezone.localdate())
    _age(woman, years=10)

    assert retention.enforce() == 0
    assert Person.objects.filter(pk=woman.pk).exists()

    rights.complete(sar, by=lead)
    assert retention.enforce() == 1
    assert not Person.objects.filter(pk=woman.pk).exists()


@pytest.mark.django_db
def test_a_restricted_record_is_held(woman, centre):
    lead = make_user(centre, Role.SERVICE_MANAGER, data_protection_lead=True)
    request = rights.open_rights_request(
        woman, by=lead, kind="restriction", received_on=timezone.localdate()
    )
    rights.agree_restriction(woman, request, by=lead)
    _age(woman, years=10)

    assert retention.enforce() == 0
    assert Person.objects.filter(pk=woman.pk).exists()


@pytest.mark.django_db
def test_expired_sessions_are_cleared(client, keyworker):
    session = client.session
    session["ws_searches"] = {"token": "a search for someone"}
    session.save()
    live = session.session_key
    Session.objects.create(
        session_key="expired" + uuid.uuid4().hex,
        session_data="x",
        expire_date=timezone.now() - timedelta(minutes=1),
    )

    retention.enforce()

    assert list(Session.objects.values_list("session_key", flat=True)) == [live]


@pytest.mark.django_db
def test_the_nightly_task_runs_the_job(settings, keyworker):
    settings.TASKS = IMMEDIATE
    _age(make_person(keyworker), years=50)

    result = enforce_retention_task.enqueue()

    assert result.status == "SUCCESSFUL"
    assert result.return_value == 1


@pytest.mark.django_db
def test_every_row_hanging_off_her_record_goes_with_it(woman, keyworker, centre, probation):
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
    Dependant.objects.create(
        person=woman, first_name="Cai", lives_with="her", social_services="none"
    )

    retention.erase(woman, reason=ErasureRecord.Reason.RETENTION, rule="record")

    for model in (PersonName, SearchName, CaseTeamMembership, Dependant, Consent):
        assert not model.objects.filter(person_id=woman.pk).exists(), model.__name__
    # Every foreign key to her record cascades, except the log's, which has no constraint.
    references = [
        f
        for f in Person._meta.get_fields(include_hidden=True)
        if f.is_relation and f.auto_created and not f.concrete
    ]
    assert len(references) >= 15
    keeps = {
        (f.related_model.__name__, f.on_delete.__name__)
        for f in references
        if f.on_delete.__name__ != "CASCADE"
    }
    assert keeps == {("AccessEvent", "DO_NOTHING")}


@pytest.mark.django_db
def test_the_log_left_behind_holds_no_values_about_her(woman, keyworker):
    sharing.set_engagement(woman, by=keyworker, status=Person.Engagement.ENGAGING)
    person_id = woman.pk

    retention.erase(woman, reason=ErasureRecord.Reason.RETENTION)

    events = AccessEvent.objects.filter(person_id=person_id)
    assert events.exists()
    for event in events:
        assert set(event.values) <= audit.LOGGED_VALUES
    # What the log may copy: a version number, and whether she needs an interpreter.
    assert {"interpreter_needed", "version"} >= audit.LOGGED_VALUES


# The dump --------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_after_the_job_a_full_database_dump_holds_none_of_her_markers(centre, police, probation):
    keyworker = make_user(centre, Role.KEYWORKER)
    lead = make_user(centre, Role.KEYWORKER, safeguarding_lead=True)
    mark = uuid.uuid4().hex[:10].upper()
    markers = {
        "given": f"Givenmark{mark}",
        "family": f"Familymark{mark}",
        "alias": f"Aliasmark{mark}",
        "address": f"Refugemark{mark}",
        "disclosure": f"Disclosuremark{mark}",
        "consent": f"Consentmark{mark}",
        "safeguarding": f"Safeguardmark{mark}",
        "child": f"Childmark{mark}",
        "need": f"Needmark{mark}",
    }
    person = make_person(keyworker, given_name=markers["given"], family_name=markers["family"])
    PersonName.objects.create(person=person, kind="alias", given_name=markers["alias"])
    Address.objects.create(
        person=person,
        line_1=markers["address"],
        is_confidential=True,
        recorded_by_organisation=centre,
    )
    Disclosure.objects.create(
        person=person,
        kind="domestic_abuse",
        narrative=markers["disclosure"],
        recorded_by_organisation=centre,
    )
    Need.objects.create(person=person, area="finance", level="some", notes=markers["need"])
    Dependant.objects.create(
        person=person, first_name=markers["child"], lives_with="her", social_services="none"
    )
    sharing.record_consent(
        person,
        by=keyworker,
        purpose=ConsentPurpose.ENGAGEMENT_PROBATION,
        decision="given",
        method="spoken",
        recipient_organisation=probation,
        notes=markers["consent"],
    )
    sharing.share(
        person, by=keyworker, purpose=ConsentPurpose.ENGAGEMENT_PROBATION, recipient=probation
    )
    sharing.share_for_safeguarding(
        person,
        by=lead,
        recipient=police,
        reason_category=SafeguardingShare.Reason.RISK_TO_HER,
        reason=markers["safeguarding"],
        groups=[FieldGroup.CONTACT],
    )
    survivor = make_person(keyworker, given_name="Survivormark", family_name=mark)
    _age(person, years=django_settings.RETENTION_YEARS_AFTER_LAST_CONTACT + 1)
    events = AccessEvent.objects.filter(person_id=person.pk).count()

    before = dump_database()
    # The dump is real: what is not encrypted is there in plain text before the job runs,
    # and what is encrypted never is.
    for key in ("given", "family", "alias", "consent", "safeguarding", "child", "need"):
        assert markers[key] in before, key
    assert markers["address"] not in before and markers["disclosure"] not in before

    assert retention.enforce() == 1

    after = dump_database()
    found = [key for key, marker in markers.items() if marker in after]
    assert found == []
    assert "Survivormark" in after
    assert ErasureRecord.objects.filter(person_id=person.pk).exists()
    assert AccessEvent.objects.filter(person_id=person.pk).count() == events + 1
    assert Person.objects.filter(pk=survivor.pk).exists()
    assert not SubjectAccessRequest.objects.filter(person_id=person.pk).exists()
