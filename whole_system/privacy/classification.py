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


ORD, SPC, CRIM, LOC, NP = (
    Kind.ORDINARY,
    Kind.SPECIAL,
    Kind.CRIMINAL,
    Kind.LOCATION,
    Kind.NOT_PERSONAL,
)
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
    "core.Area": _fields(REFERENCE, id=NP, code=NP, name=NP, kind=NP, parent=NP),
    "core.Prison": _fields(REFERENCE, id=NP, nomis_code=NP, name=NP),
    "core.ScheduledRun": _fields(OPERATIONAL, id=NP, job=NP, slot=NP, enqueued_at=NP),
    "accounts.Organisation": _fields(
        REFERENCE, id=NP, name=NP, type=NP, is_active=NP, created_at=NP, areas=NP
    ),
    "accounts.Team": _fields(REFERENCE, id=NP, organisation=NP, name=NP),
    # Staff: kept while the account exists.
    "accounts.User": _fields(
        ACCOUNT,
        password=ORD,
        last_login=ORD,
        is_superuser=ORD,
        id=ORD,
        email=ORD,
        full_name=ORD,
        is_active=ORD,
        is_staff=ORD,
        is_demo=ORD,
        date_joined=ORD,
        groups=ORD,
        user_permissions=ORD,
    ),
    "accounts.Membership": _fields(
        ACCOUNT,
        id=ORD,
        user=ORD,
        organisation=ORD,
        team=ORD,
        role=ORD,
        is_safeguarding_lead=ORD,
        is_data_protection_lead=ORD,
        is_active=ORD,
        created_at=ORD,
    ),
    # Her record: erased with it, RETENTION_YEARS_AFTER_LAST_CONTACT after her last contact.
    "people.Person": _fields(
        RECORD,
        id=(ORD, G.IDENTITY),
        given_name=(ORD, G.IDENTITY),
        family_name=(ORD, G.IDENTITY),
        preferred_name=(ORD, G.IDENTITY),
        date_of_birth=(ORD, G.IDENTITY),
        pnc_number=(CRIM, G.IDENTITY),
        prison_number=(CRIM, G.IDENTITY),
        probation_crn=(CRIM, G.IDENTITY),
        nhs_number=(SPC, G.HEALTH),
        first_language=(ORD, G.NEEDS_SUMMARY),
        interpreter_needed=(ORD, G.NEEDS_SUMMARY),
        accessibility_needs=(SPC, G.NEEDS_SUMMARY),
        pregnancy=(SPC, G.HEALTH),
        due_date=(SPC, G.HEALTH),
        engagement_status=(CRIM, G.ENGAGEMENT),
        engagement_updated_at=(CRIM, G.ENGAGEMENT),
        last_contact_at=(ORD, G.CASE_TEAM),
        restricted_at=(ORD, G.CASE_TEAM),
        version=(NP, G.IDENTITY),
        created_at=(ORD, G.CASE_TEAM),
        updated_at=(ORD, G.IDENTITY),
        created_by=(ORD, G.CASE_TEAM),
    ),
    "people.PersonName": _fields(
        RECORD,
        id=(ORD, G.IDENTITY),
        person=(ORD, G.IDENTITY),
        kind=(ORD, G.IDENTITY),
        given_name=(ORD, G.IDENTITY),
        family_name=(ORD, G.IDENTITY),
        given_folded=(ORD, G.IDENTITY),
        family_folded=(ORD, G.IDENTITY),
        full_folded=(ORD, G.IDENTITY),
    ),
    "people.ContactDetails": _fields(
        RECORD,
        id=(ORD, G.CONTACT),
        person=(ORD, G.CONTACT),
        phone=(LOC, G.CONTACT),
        email=(LOC, G.CONTACT),
        may_phone=(ORD, G.CONTACT),
        may_text=(ORD, G.CONTACT),
        may_leave_voicemail=(ORD, G.CONTACT),
        may_write=(ORD, G.CONTACT),
        may_email=(ORD, G.CONTACT),
        safe_times=(ORD, G.CONTACT),
        safe_word=(LOC, G.CONTACT),
    ),
    # Address lines are location-restricted; the group depends on is_confidential (ADDRESS or
    # CONFIDENTIAL_ADDRESS), as privacy.policy decides per item.
    "people.Address": _fields(
        RECORD,
        id=(ORD, G.ADDRESS),
        person=(ORD, G.ADDRESS),
        line_1=(LOC, G.ADDRESS),
        line_2=(LOC, G.ADDRESS),
        town=(LOC, G.ADDRESS),
        postcode=(LOC, G.ADDRESS),
        area=(ORD, G.ADDRESS),
        is_confidential=(LOC, G.ADDRESS),
        recorded_by_organisation=(ORD, G.ADDRESS),
    ),
    "people.Dependant": _fields(
        RECORD,
        id=(ORD, G.DEPENDANTS),
        person=(ORD, G.DEPENDANTS),
        first_name=(ORD, G.DEPENDANTS),
        date_of_birth=(ORD, G.DEPENDANTS),
        lives_with=(LOC, G.DEPENDANTS),
        social_services=(SPC, G.DEPENDANTS),
    ),
    "people.EqualityMonitoring": _fields(
        RECORD,
        id=(ORD, G.EQUALITY),
        person=(ORD, G.EQUALITY),
        ethnicity=(SPC, G.EQUALITY),
        religion=(SPC, G.EQUALITY),
        disability=(SPC, G.EQUALITY),
        sexual_orientation=(SPC, G.EQUALITY),
        gender_same_as_sex_at_birth=(SPC, G.EQUALITY),
        nationality=(ORD, G.EQUALITY),
        immigration_status=(SPC, G.IMMIGRATION),
        care_experienced=(ORD, G.EQUALITY),
    ),
    "people.CaseTeamMembership": _fields(
        RECORD,
        id=(ORD, G.CASE_TEAM),
        person=(ORD, G.CASE_TEAM),
        organisation=(ORD, G.CASE_TEAM),
        basis=(CRIM, G.CASE_TEAM),
        purpose=(ORD, G.CASE_TEAM),
        groups=(ORD, G.CASE_TEAM),
        shared_by_organisation=(ORD, G.CASE_TEAM),
        source_id=(ORD, G.CASE_TEAM),
        added_at=(ORD, G.CASE_TEAM),
        added_by=(ORD, G.CASE_TEAM),
        ends_at=(ORD, G.CASE_TEAM),
        ended_at=(ORD, G.CASE_TEAM),
    ),
    # A need's group depends on its area (people.views.NEED_GROUPS).
    "people.Need": _fields(
        RECORD,
        id=(ORD, G.NEEDS_SUMMARY),
        person=(ORD, G.NEEDS_SUMMARY),
        area=(SPC, G.NEEDS_SUMMARY),
        level=(SPC, G.NEEDS_SUMMARY),
        notes=(SPC, G.NEEDS_SUMMARY),
        recorded_by_organisation=(ORD, G.NEEDS_SUMMARY),
        recorded_at=(ORD, G.NEEDS_SUMMARY),
    ),
    "people.Disclosure": _fields(
        RECORD,
        id=(SPC, G.ABUSE),
        person=(SPC, G.ABUSE),
        kind=(SPC, G.ABUSE),
        narrative=(SPC, G.ABUSE),
        recorded_by_organisation=(ORD, G.ABUSE),
        recorded_by=(ORD, G.ABUSE),
        recorded_at=(ORD, G.ABUSE),
    ),
    "people.SearchName": _fields(
        RECORD,
        id=(ORD, G.IDENTITY),
        organisation=(ORD, G.IDENTITY),
        person=(ORD, G.IDENTITY),
        given_folded=(ORD, G.IDENTITY),
        family_folded=(ORD, G.IDENTITY),
    ),
    "people.SubmissionToken": _fields(RECORD, token=NP, person=ORD, created_at=NP),
    # The log names a record by its id and what was done; it holds nothing else about her, so
    # it is kept after the record is erased, as a tombstone (privacy.audit.LOGGED_VALUES).
    "privacy.AccessEvent": _fields(
        LOG,
        id=NP,
        occurred_at=ORD,
        kind=NP,
        action=NP,
        purpose=NP,
        channel=NP,
        actor=ORD,
        organisation=NP,
        role=NP,
        person=ORD,
        fields=NP,
        values=ORD,
        request_id=NP,
        basis=NP,
        digest=NP,
    ),
    "privacy.AccessLogSeal": _fields(
        LOG,
        id=NP,
        sealed_at=NP,
        first_event_id=NP,
        last_event_id=NP,
        event_count=NP,
        previous_hash=NP,
        chain_hash=NP,
    ),
    "privacy.IntegrityCheck": _fields(
        OPERATIONAL,
        id=NP,
        ran_at=NP,
        ok=NP,
        events_checked=NP,
        events_sealed=NP,
        problems=NP,
    ),
    "privacy.Consent": _fields(
        RECORD,
        id=ORD,
        person=ORD,
        purpose=ORD,
        recipient_organisation=ORD,
        recipient_type=ORD,
        sensitive_classes=SPC,
        decision=ORD,
        method=ORD,
        recorded_by=ORD,
        recorded_by_organisation=ORD,
        recorded_at=ORD,
        review_on=ORD,
        expires_on=ORD,
        notes=ORD,
    ),
    "privacy.OrderCondition": _fields(
        RECORD,
        id=CRIM,
        person=CRIM,
        organisation=CRIM,
        kind=CRIM,
        starts_on=CRIM,
        ends_on=CRIM,
        recorded_by=ORD,
        recorded_at=ORD,
        ended_at=CRIM,
    ),
    "privacy.SafeguardingShare": _fields(
        RECORD,
        id=ORD,
        person=ORD,
        from_organisation=ORD,
        to_organisation=ORD,
        reason_category=SPC,
        reason=SPC,
        groups=ORD,
        made_by=ORD,
        made_at=ORD,
        expires_at=ORD,
        revoked_at=ORD,
        data_protection_lead_told_at=ORD,
    ),
    "privacy.EmergencyAccess": _fields(
        RECORD,
        id=ORD,
        person=ORD,
        user=ORD,
        organisation=ORD,
        reason_category=SPC,
        reason=SPC,
        started_at=ORD,
        expires_at=ORD,
        reviewed_by=ORD,
        reviewed_at=ORD,
        outcome=ORD,
        review_notes=ORD,
    ),
    "privacy.SubjectAccessRequest": _fields(
        RECORD,
        id=ORD,
        person=ORD,
        organisation=ORD,
        received_on=ORD,
        due_on=ORD,
        extended_to=ORD,
        extension_reason=ORD,
        status=ORD,
        completed_on=ORD,
        handled_by=ORD,
    ),
    "privacy.RightsRequest": _fields(
        RECORD,
        id=ORD,
        person=ORD,
        organisation=ORD,
        kind=ORD,
        received_on=ORD,
        status=ORD,
        decided_by=ORD,
        decided_at=ORD,
        notes=ORD,
    ),
    # The tombstone of an erased record: its id, when and why. Nothing about her.
    "privacy.ErasureRecord": _fields(LOG, id=NP, person_id=NP, erased_at=NP, reason=NP, rule=NP),
}

# The fields of her record (people.Person) in each field group: what the API sends.
PERSON_FIELD_GROUPS: dict[str, str] = {
    name: field.group
    for name, field in CLASSIFICATION["people.Person"].items()
    if field.group is not None
}
