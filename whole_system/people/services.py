"""Every change to a woman's record. Each function is one transaction, takes the acting user
as `by=`, writes the change log inside that transaction, and is the only writer of its rows."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from whole_system.accounts.models import Organisation, User
from whole_system.privacy import audit

from .models import (
    Address,
    CaseTeamMembership,
    ContactDetails,
    Dependant,
    Disclosure,
    EqualityMonitoring,
    Need,
    Person,
    PersonName,
    SearchName,
    SubmissionToken,
)
from .names import folded_name


class StaleRecord(Exception):
    """The record changed since the form was shown; nothing was saved."""


def _sync_primary_names(person: Person) -> None:
    """Keep the legal and preferred name rows that search reads in step with the record."""
    PersonName.objects.filter(
        person=person, kind__in=[PersonName.Kind.LEGAL, PersonName.Kind.PREFERRED]
    ).delete()
    rows = [
        PersonName(
            person=person,
            kind=PersonName.Kind.LEGAL,
            given_name=person.given_name,
            family_name=person.family_name,
            **folded_name(person.given_name, person.family_name),
        )
    ]
    if person.preferred_name:
        rows.append(
            PersonName(
                person=person,
                kind=PersonName.Kind.PREFERRED,
                given_name=person.preferred_name,
                family_name=person.family_name,
                **folded_name(person.preferred_name, person.family_name),
            )
        )
    PersonName.objects.bulk_create(rows)


def reindex_search(person: Person) -> None:
    """Rebuild her entries in the per-organisation name index (people.SearchName): each name,
    once for each organisation currently on her case team."""
    SearchName.objects.filter(person=person).delete()
    organisations = list(
        CaseTeamMembership.objects.current()
        .filter(person=person)
        .values_list("organisation_id", flat=True)
    )
    names = set(
        PersonName.objects.filter(person=person).values_list("given_folded", "family_folded")
    )
    SearchName.objects.bulk_create(
        SearchName(organisation_id=org, person=person, given_folded=given, family_folded=family)
        for org in organisations
        for given, family in sorted(names)
    )


@transaction.atomic
def create_person(*, by: User, data: Mapping[str, Any], submission: uuid.UUID) -> Person:
    """Create a woman's record and put the creator's organisation on her case team.

    `submission` is the form's one-time token: submitting the same form twice returns the
    record the first submit made instead of making a second one.
    """
    existing = SubmissionToken.objects.filter(token=submission).select_related("person").first()
    if existing is not None:
        return existing.person
    organisation_id = by.membership.organisation_id
    if organisation_id is None:
        raise ValueError("Only a member of an organisation can create a record.")
    now = timezone.now()
    try:
        with transaction.atomic():
            person = Person.objects.create(created_by=by, created_at=now, updated_at=now, **data)
            SubmissionToken.objects.create(token=submission, person=person)
    except IntegrityError:
        # A concurrent submit of the same form won the race: ours is undone with the
        # savepoint (the transaction stays usable), and theirs is returned.
        return SubmissionToken.objects.select_related("person").get(token=submission).person
    _sync_primary_names(person)
    CaseTeamMembership.objects.create(
        person=person, organisation_id=organisation_id, added_by=by, added_at=now
    )
    reindex_search(person)
    audit.record_change(
        by, person.pk, action="person.create", changes=dict.fromkeys(data, (None, ""))
    )
    return person


def _locked(person: Person, expected_version: int) -> Person:
    locked = Person.objects.select_for_update().get(pk=person.pk)
    if locked.version != expected_version:
        raise StaleRecord
    return locked


def _apply(obj: Any, data: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    changes = {}
    for name, value in data.items():
        old = getattr(obj, name)
        if old != value:
            changes[name] = (old, value)
            setattr(obj, name, value)
    return changes


def _bump(person: Person, *, fields: list[str]) -> None:
    person.version += 1
    person.updated_at = person.last_contact_at = timezone.now()
    person.save(update_fields=[*fields, "version", "updated_at", "last_contact_at"])


@transaction.atomic
def update_person(person: Person, *, by: User, data: Mapping[str, Any], version: int) -> Person:
    """Change fields held on the record itself (names, date of birth, identifiers, needs)."""
    person = _locked(person, version)
    changes = _apply(person, data)
    if not changes:
        return person
    _bump(person, fields=list(changes))
    if {"given_name", "family_name", "preferred_name"} & changes.keys():
        _sync_primary_names(person)
        reindex_search(person)
    audit.record_change(by, person.pk, action="person.update", changes=changes)
    return person


def _update_part(
    person: Person,
    model: type[models.Model],
    *,
    by: User,
    data: Mapping[str, Any],
    version: int,
    action: str,
    defaults: Mapping[str, Any] | None = None,
) -> Any:
    person = _locked(person, version)
    part, _ = model._default_manager.get_or_create(person=person, defaults=dict(defaults or {}))
    changes = _apply(part, data)
    if changes:
        part.save()
        _bump(person, fields=[])
        audit.record_change(by, person.pk, action=action, changes=changes)
    return part


@transaction.atomic
def update_contact(person: Person, *, by: User, data: Mapping[str, Any], version: int) -> Any:
    """Change her contact details and what contact is safe."""
    return _update_part(
        person, ContactDetails, by=by, data=data, version=version, action="person.contact"
    )


@transaction.atomic
def update_address(person: Person, *, by: User, data: Mapping[str, Any], version: int) -> Any:
    """Change her address; the organisation that records it owns a confidential address."""
    data = {**data, "recorded_by_organisation_id": by.membership.organisation_id}
    return _update_part(person, Address, by=by, data=data, version=version, action="person.address")


@transaction.atomic
def update_equality(person: Person, *, by: User, data: Mapping[str, Any], version: int) -> Any:
    """Change her equality monitoring answers."""
    return _update_part(
        person, EqualityMonitoring, by=by, data=data, version=version, action="person.equality"
    )


@transaction.atomic
def add_other_name(
    person: Person, *, by: User, kind: str, given_name: str, family_name: str, version: int
) -> PersonName:
    """Add a previous name or an alias, which search then finds."""
    person = _locked(person, version)
    name = PersonName.objects.create(
        person=person,
        kind=kind,
        given_name=given_name,
        family_name=family_name,
        **folded_name(given_name, family_name),
    )
    reindex_search(person)
    _bump(person, fields=[])
    audit.record_change(
        by,
        person.pk,
        action="person.name_added",
        changes={"names": (None, kind)},
    )
    return name


@transaction.atomic
def remove_other_name(person: Person, *, by: User, name_id: int, version: int) -> None:
    """Remove a previous name or alias (legal and preferred names are changed on the record)."""
    person = _locked(person, version)
    deleted, _ = PersonName.objects.filter(
        person=person, pk=name_id, kind__in=[PersonName.Kind.PREVIOUS, PersonName.Kind.ALIAS]
    ).delete()
    if deleted:
        reindex_search(person)
        _bump(person, fields=[])
        audit.record_change(
            by, person.pk, action="person.name_removed", changes={"names": ("", None)}
        )


@transaction.atomic
def add_dependant(person: Person, *, by: User, data: Mapping[str, Any], version: int) -> Dependant:
    """Record a child or other dependant."""
    person = _locked(person, version)
    dependant = Dependant.objects.create(person=person, **data)
    _bump(person, fields=[])
    audit.record_change(
        by, person.pk, action="person.dependant_added", changes=dict.fromkeys(data, (None, ""))
    )
    return dependant


@transaction.atomic
def remove_dependant(person: Person, *, by: User, dependant_id: Any, version: int) -> None:
    """Remove a dependant recorded in error."""
    person = _locked(person, version)
    deleted, _ = Dependant.objects.filter(person=person, pk=dependant_id).delete()
    if deleted:
        _bump(person, fields=[])
        audit.record_change(
            by, person.pk, action="person.dependant_removed", changes={"dependants": ("", None)}
        )


@transaction.atomic
def record_need(person: Person, *, by: User, data: Mapping[str, Any], version: int) -> Need:
    """Record a need area with her (or change its level and notes); one row per area."""
    person = _locked(person, version)
    need, _created = Need.objects.update_or_create(
        person=person,
        area=data["area"],
        defaults={
            "level": data["level"],
            "notes": data.get("notes", ""),
            "recorded_by_organisation_id": by.membership.organisation_id,
            "recorded_at": timezone.now(),
        },
    )
    _bump(person, fields=[])
    audit.record_change(
        by, person.pk, action="person.need_added", changes=dict.fromkeys(data, (None, ""))
    )
    return need


@transaction.atomic
def remove_need(person: Person, *, by: User, need_id: Any, version: int) -> None:
    person = _locked(person, version)
    deleted, _ = Need.objects.filter(person=person, pk=need_id).delete()
    if deleted:
        _bump(person, fields=[])
        audit.record_change(
            by, person.pk, action="person.need_removed", changes={"need": ("", None)}
        )


@transaction.atomic
def add_disclosure(
    person: Person, *, by: User, data: Mapping[str, Any], version: int
) -> Disclosure:
    """Record a disclosure; it belongs to the recording organisation (privacy.policy)."""
    organisation_id = by.membership.organisation_id
    if organisation_id is None:
        raise ValueError("Only a member of an organisation can record a disclosure.")
    person = _locked(person, version)
    disclosure = Disclosure.objects.create(
        person=person,
        kind=data["kind"],
        narrative=data["narrative"],
        recorded_by_organisation_id=organisation_id,
        recorded_by=by,
    )
    _bump(person, fields=[])
    audit.record_change(
        by,
        person.pk,
        action="person.disclosure_added",
        changes={"kind": (None, ""), "narrative": (None, "")},
    )
    return disclosure


@transaction.atomic
def add_to_case_team(person: Person, *, organisation: Organisation, by: User | None) -> bool:
    """Put an organisation on her case team, so its staff can find and see her. False if it
    was already there."""
    if CaseTeamMembership.objects.current().filter(person=person, organisation=organisation):
        return False
    CaseTeamMembership.objects.create(
        person=person, organisation=organisation, added_by=by, added_at=timezone.now()
    )
    reindex_search(person)
    audit.record_change(
        by, person.pk, action="person.case_team_added", changes={"case_team": (None, "")}
    )
    return True
