"""The change log names every changed field, keeps values only for the harmless ones, and never
copies a name, date of birth, identifier or address into the log."""

from __future__ import annotations

import json
import uuid
from datetime import date

import pytest
from django.forms.models import model_to_dict

from whole_system.people import services
from whole_system.people.models import Person
from whole_system.privacy import audit
from whole_system.privacy.models import AccessEvent

pytestmark = pytest.mark.django_db

# What the fixture woman and the edits below contain; none of it may reach the log.
SENSITIVE = [
    "Siobh",
    "Kelly",
    "Shiv",
    "9434765919",
    "1990-04-03",
    "1990, 4, 3",
    "Morwenna",
    "Pendragon",
    "1985-07-14",
    "1 Test Refuge Road",
    "ZZ99 9ZZ",
    "07700 900123",
]


def _log_text(person_id) -> str:
    rows = [model_to_dict(e) for e in AccessEvent.objects.filter(person_id=person_id)]
    return json.dumps(rows, default=str)


def _changes(person_id, action: str) -> AccessEvent:
    return AccessEvent.objects.filter(person_id=person_id, action=action).latest("pk")


def test_record_change_names_every_field_but_keeps_only_logged_values(keyworker, woman):
    audit.record_change(
        keyworker,
        woman.pk,
        action="person.update",
        changes={
            "nhs_number": ("9434765919", "9999999999"),
            "family_name": ("Kelly", "Pendragon"),
            "interpreter_needed": (False, True),
            "first_language": ("", "Welsh"),
            "version": (1, 2),
        },
    )

    event = _changes(woman.pk, "person.update")
    assert event.kind == AccessEvent.Kind.CHANGE
    assert event.fields == sorted(
        ["nhs_number", "family_name", "interpreter_needed", "first_language", "version"]
    )
    assert event.values == {"version": [1, 2]}
    assert set(event.values) <= audit.LOGGED_VALUES


def test_record_change_turns_non_json_values_into_text(keyworker, woman):
    audit.record_change(
        keyworker,
        woman.pk,
        action="person.update",
        changes={"version": (None, uuid.UUID(int=7))},
    )

    assert _changes(woman.pk, "person.update").values == {"version": [None, str(uuid.UUID(int=7))]}


def test_creating_a_record_logs_field_names_and_no_personal_details(keyworker, woman):
    event = _changes(woman.pk, "person.create")

    assert event.actor == keyworker
    assert {"given_name", "family_name", "nhs_number", "date_of_birth"} <= set(event.fields)
    assert event.values == {}
    text = _log_text(woman.pk)
    for secret in SENSITIVE:
        assert secret not in text


def test_editing_her_details_never_writes_the_old_or_new_values_to_the_log(keyworker, woman):
    person = services.update_person(
        woman,
        by=keyworker,
        version=woman.version,
        data={
            "given_name": "Morwenna",
            "family_name": "Pendragon",
            "date_of_birth": date(1985, 7, 14),
            "interpreter_needed": True,
        },
    )
    services.update_contact(
        person,
        by=keyworker,
        version=person.version,
        data={"phone": "07700 900123", "may_text": True},
    )
    person = Person.objects.get(pk=woman.pk)
    services.update_address(
        person,
        by=keyworker,
        version=person.version,
        data={"line_1": "1 Test Refuge Road", "postcode": "ZZ99 9ZZ", "is_confidential": True},
    )

    update = _changes(woman.pk, "person.update")
    assert update.fields == ["date_of_birth", "family_name", "given_name", "interpreter_needed"]
    assert update.values == {}
    assert _changes(woman.pk, "person.contact").fields == ["may_text", "phone"]
    assert _changes(woman.pk, "person.address").values == {}
    text = _log_text(woman.pk)
    for secret in SENSITIVE:
        assert secret not in text


def test_change_without_a_user_is_logged_as_the_system(woman):
    audit.record_change(None, woman.pk, action="person.merge", changes={"version": (1, 2)})

    event = _changes(woman.pk, "person.merge")
    assert event.actor is None
    assert event.organisation is None
    assert event.role == ""


def test_every_event_carries_a_digest_of_its_own_content(keyworker, woman):
    event = _changes(woman.pk, "person.create")

    assert event.digest == audit.event_digest(event)
    event.action = "person.something_else"
    assert audit.event_digest(event) != event.digest
