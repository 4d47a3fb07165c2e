"""Every field of every model, classified: what kind of data it is, how long it is kept, and,
for her record, which field group (privacy.groups.FieldGroup) it is shared in.

A new field is a decision: test_classification fails until it is classified here. The API
reads FIELD_GROUPS to send another organisation only the fields its view covers, and the
retention job (privacy.retention) applies the retention rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from .groups import FieldGroup as G


class Kind(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary personal data")
    SPECIAL = "special", _("Special category data")
    CRIMINAL = "criminal", _("Criminal offence data")
    LOCATION = "location", _("Location-restricted data")
    NOT_PERSONAL = "not_personal", _("Not personal data")


@dataclass(frozen=True)
class Field:
    kind: str
    retention: str
    group: str | None = None


O, S, C, L, N = Kind.ORDINARY, Kind.SPECIAL, Kind.CRIMINAL, Kind.LOCATION, Kind.NOT_PERSONAL
# Retention rules (privacy.retention.RULES says what each means).
RECORD, LOG, ACCOUNT, REFERENCE, OPERATIONAL = (
    "record",
    "access_log",
    "account",
    "reference",
    "operational",
)


def _fields(retention: str, **fields: tuple[str, ...] | str) -> dict[str, Field]:
    """name=(kind, group) or name=kind, all with one retention rule."""
    out = {}
    for name, spec in fields.items():
        kind, group = (spec, None) if isinstance(spec, str) else (spec[0], spec[1])
        out[name] = Field(kind, retention, group)
    return out


CLASSIFICATION: dict[str, dict[str, Field]] = {
    # Reference data and the platform's own bookkeeping.
    "core.Area": _fields(REFERENCE, id=N, code=N, name=N, kind=N, parent=N),
    "core.Prison": _fields(REFERENCE, id=N, nomis_code=N, name=N),
    "core.ScheduledRun": _fields(OPERATIONAL, id=N, job=N, slot=N, enqueued_at=N),
    "accounts.Organisation": _fields(
        REFERENCE, id=N, name=N, type=N, is_active=N, created_at=N, areas=N
    ),
    "accounts.Team": _fields(REFERENCE, id=N, organisation=N, name=N),
    # Staff: kept while the account exists.
    "accounts.User": _fields(
        ACCOUNT,
        password=O,
        last_login=O,
        is_superuser=O,
        id=O,
        email=O,
        full_name=O,
        is_active=O,
        is_staff=O,
        is_demo=O,
        date_joined=O,
        groups=O,
        user_permissions=O,
    ),
    "accounts.Membership": _fields(
        ACCOUNT,
        id=O,
        user=O,
        organisation=O,
        team=O,
        role=O,
        is_safeguarding_lead=O,
        is_data_protection_lead=O,
        is_active=O,
        created_at=O,
    ),
    # Her record: erased with it, RETENTION_YEARS_AFTER_LAST_CONTACT after her last contact.
    "people.Person": _fields(
        RECORD,
        id=(O, G.IDENTITY),
        given_name=(O, G.IDENTITY),
        family_name=(O, G.IDENTITY),
        preferred_name=(O, G.IDENTITY),
        date_of_birth=(O, G.IDENTITY),
        pnc_number=(C, G.IDENTITY),
        prison_number=(C, G.IDENTITY),
        probation_crn=(C, G.IDENTITY),
        nhs_number=(S, G.HEALTH),
        first_language=(O, G.NEEDS_SUMMARY),
        interpreter_needed=(O, G.NEEDS_SUMMARY),
        accessibility_needs=(S, G.NEEDS_SUMMARY),
        pregnancy=(S, G.HEALTH),
        due_date=(S, G.HEALTH),
        engagement_status=(C, G.ENGAGEMENT),
        engagement_updated_at=(C, G.ENGAGEMENT),
        last_contact_at=(O, G.CASE_TEAM),
        restricted_at=(O, G.CASE_TEAM),
        version=(N, G.IDENTITY),
        created_at=(O, G.CASE_TEAM),
        updated_at=(O, G.IDENTITY),
        created_by=(O, G.CASE_TEAM),
    ),
    "people.PersonName": _fields(
        RECORD,
        id=(O, G.IDENTITY),
        person=(O, G.IDENTITY),
        kind=(O, G.IDENTITY),
        given_name=(O, G.IDENTITY),
        family_name=(O, G.IDENTITY),
        given_folded=(O, G.IDENTITY),
        family_folded=(O, G.IDENTITY),
        full_folded=(O, G.IDENTITY),
    ),
    "people.ContactDetails": _fields(
        RECORD,
        id=(O, G.CONTACT),
        person=(O, G.CONTACT),
        phone=(L, G.CONTACT),
        email=(L, G.CONTACT),
        may_phone=(O, G.CONTACT),
        may_text=(O, G.CONTACT),
        may_leave_voicemail=(O, G.CONTACT),
        may_write=(O, G.CONTACT),
        may_email=(O, G.CONTACT),
        safe_times=(O, G.CONTACT),
        safe_word=(L, G.CONTACT),
    ),
    # Address lines are location-restricted; the group depends on is_confidential (ADDRESS or
    # CONFIDENTIAL_ADDRESS), as privacy.policy decides per item.
    "people.Address": _fields(
        RECORD,
        id=(O, G.ADDRESS),
        person=(O, G.ADDRESS),
        line_1=(L, G.ADDRESS),
        line_2=(L, G.ADDRESS),
        town=(L, G.ADDRESS),
        postcode=(L, G.ADDRESS),
        area=(O, G.ADDRESS),
        is_confidential=(L, G.ADDRESS),
        recorded_by_organisation=(O, G.ADDRESS),
    ),
    "people.Dependant": _fields(
        RECORD,
        id=(O, G.DEPENDANTS),
        person=(O, G.DEPENDANTS),
        first_name=(O, G.DEPENDANTS),
        date_of_birth=(O, G.DEPENDANTS),
        lives_with=(L, G.DEPENDANTS),
        social_services=(S, G.DEPENDANTS),
    ),
    "people.EqualityMonitoring": _fields(
        RECORD,
        id=(O, G.EQUALITY),
        person=(O, G.EQUALITY),
        ethnicity=(S, G.EQUALITY),
        religion=(S, G.EQUALITY),
        disability=(S, G.EQUALITY),
        sexual_orientation=(S, G.EQUALITY),
        gender_same_as_sex_at_birth=(S, G.EQUALITY),
        nationality=(O, G.EQUALITY),
        immigration_status=(S, G.IMMIGRATION),
        care_experienced=(O, G.EQUALITY),
    ),
    "people.CaseTeamMembership": _fields(
        RECORD,
        id=(O, G.CASE_TEAM),
        person=(O, G.CASE_TEAM),
        organisation=(O, G.CASE_TEAM),
        basis=(C, G.CASE_TEAM),
        purpose=(O, G.CASE_TEAM),
        groups=(O, G.CASE_TEAM),
        shared_by_organisation=(O, G.CASE_TEAM),
        source_id=(O, G.CASE_TEAM),
        added_at=(O, G.CASE_TEAM),
        added_by=(O, G.CASE_TEAM),
        ends_at=(O, G.CASE_TEAM),
        ended_at=(O, G.CASE_TEAM),
    ),
    # A need's group depends on its area (people.views.NEED_GROUPS).
    "people.Need": _fields(
        RECORD,
        id=(O, G.NEEDS_SUMMARY),
        person=(O, G.NEEDS_SUMMARY),
        area=(S, G.NEEDS_SUMMARY),
        level=(S, G.NEEDS_SUMMARY),
        notes=(S, G.NEEDS_SUMMARY),
        recorded_by_organisation=(O, G.NEEDS_SUMMARY),
        recorded_at=(O, G.NEEDS_SUMMARY),
    ),
    "people.Disclosure": _fields(
        RECORD,
        id=(S, G.ABUSE),
        person=(S, G.ABUSE),
        kind=(S, G.ABUSE),
        narrative=(S, G.ABUSE),
        recorded_by_organisation=(O, G.ABUSE),
        recorded_by=(O, G.ABUSE),
        recorded_at=(O, G.ABUSE),
    ),
    "people.SearchName": _fields(
        RECORD,
        id=(O, G.IDENTITY),
        organisation=(O, G.IDENTITY),
        person=(O, G.IDENTITY),
        given_folded=(O, G.IDENTITY),
        family_folded=(O, G.IDENTITY),
    ),
    "people.SubmissionToken": _fields(RECORD, token=N, person=O, created_at=N),
    # The log names a record by its id and what was done; it holds nothing else about her, so
    # it is kept after the record is erased, as a tombstone (privacy.audit.LOGGED_VALUES).
    "privacy.AccessEvent": _fields(
        LOG,
        id=N,
        occurred_at=O,
        kind=N,
        action=N,
        purpose=N,
        channel=N,
        actor=O,
        organisation=N,
        role=N,
        person=O,
        fields=N,
        values=O,
        request_id=N,
        basis=N,
        digest=N,
    ),
    "privacy.AccessLogSeal": _fields(
        LOG,
        id=N,
        sealed_at=N,
        first_event_id=N,
        last_event_id=N,
        event_count=N,
        previous_hash=N,
        chain_hash=N,
    ),
    "privacy.IntegrityCheck": _fields(
        OPERATIONAL, id=N, ran_at=N, ok=N, events_checked=N, events_sealed=N, problems=N
    ),
    "privacy.Consent": _fields(
        RECORD,
        id=O,
        person=O,
        purpose=O,
        recipient_organisation=O,
        recipient_type=O,
        sensitive_classes=S,
        decision=O,
        method=O,
        recorded_by=O,
        recorded_by_organisation=O,
        recorded_at=O,
        review_on=O,
        expires_on=O,
        notes=O,
    ),
    "privacy.OrderCondition": _fields(
        RECORD,
        id=C,
        person=C,
        organisation=C,
        kind=C,
        starts_on=C,
        ends_on=C,
        recorded_by=O,
        recorded_at=O,
        ended_at=C,
    ),
    "privacy.SafeguardingShare": _fields(
        RECORD,
        id=O,
        person=O,
        from_organisation=O,
        to_organisation=O,
        reason_category=S,
        reason=S,
        groups=O,
        made_by=O,
        made_at=O,
        expires_at=O,
        revoked_at=O,
        data_protection_lead_told_at=O,
    ),
    "privacy.EmergencyAccess": _fields(
        RECORD,
        id=O,
        person=O,
        user=O,
        organisation=O,
        reason_category=S,
        reason=S,
        started_at=O,
        expires_at=O,
        reviewed_by=O,
        reviewed_at=O,
        outcome=O,
        review_notes=O,
    ),
    "privacy.SubjectAccessRequest": _fields(
        RECORD,
        id=O,
        person=O,
        organisation=O,
        received_on=O,
        due_on=O,
        extended_to=O,
        extension_reason=O,
        status=O,
        completed_on=O,
        handled_by=O,
    ),
    "privacy.RightsRequest": _fields(
        RECORD,
        id=O,
        person=O,
        organisation=O,
        kind=O,
        received_on=O,
        status=O,
        decided_by=O,
        decided_at=O,
        notes=O,
    ),
    # The tombstone of an erased record: its id, when and why. Nothing about her.
    "privacy.ErasureRecord": _fields(LOG, id=N, person_id=N, erased_at=N, reason=N, rule=N),
}

# The fields of her record (people.Person) in each field group: what the API sends.
PERSON_FIELD_GROUPS: dict[str, str] = {
    name: field.group
    for name, field in CLASSIFICATION["people.Person"].items()
    if field.group is not None
}
