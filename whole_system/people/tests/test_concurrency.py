"""Two people saving at once: row locks make one edit win and refuse the other, and a form
submitted twice at the same moment makes one record. PostgreSQL only (SQLite has no row
locks)."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import date

import pytest
from django.db import connection, connections, transaction

from whole_system.people import services
from whole_system.people.models import CaseTeamMembership, Person, SubmissionToken
from whole_system.privacy.models import AccessEvent

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def run_together(*calls):
    """Run each call in its own thread and connection, released at the same moment.

    Returns each call's result, or the exception it raised.
    """
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = call()
        except Exception as error:  # the outcome is what the test checks
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def test_an_edit_waits_for_one_in_progress_and_is_then_refused_as_stale(keyworker, manager, woman):
    """The first edit holds the row lock while the second arrives with the same version: the
    second must wait, then see the new version and be refused, not overwrite."""
    locked, second_started = threading.Event(), threading.Event()
    first_copy, second_copy = Person.objects.get(pk=woman.pk), Person.objects.get(pk=woman.pk)

    def first():
        with transaction.atomic():
            saved = services.update_person(
                first_copy, by=keyworker, data={"family_name": "Firstedit"}, version=1
            )
            locked.set()
            second_started.wait(timeout=10)
            time.sleep(0.3)  # let the second edit reach the lock; no timing is asserted
        return saved

    def second():
        locked.wait(timeout=10)
        second_started.set()
        return services.update_person(
            second_copy, by=manager, data={"family_name": "Secondedit"}, version=1
        )

    outcomes = run_together(first, second)
    assert isinstance(outcomes[0], Person), outcomes
    assert isinstance(outcomes[1], services.StaleRecord), outcomes
    woman.refresh_from_db()
    assert (woman.family_name, woman.version) == ("Firstedit", 2)
    assert AccessEvent.objects.filter(person=woman, action="person.update").count() == 1


def test_two_edits_from_the_same_version_one_wins_and_the_other_is_refused(
    keyworker, manager, woman
):
    def edit(by, family_name):
        person = Person.objects.get(pk=woman.pk)
        return lambda: services.update_person(
            person, by=by, data={"family_name": family_name}, version=1
        )

    outcomes = run_together(edit(keyworker, "Firstwins"), edit(manager, "Secondwins"))
    stale = [o for o in outcomes if isinstance(o, services.StaleRecord)]
    saved = [o for o in outcomes if isinstance(o, Person)]
    assert len(stale) == 1 and len(saved) == 1, outcomes
    woman.refresh_from_db()
    assert woman.version == 2
    assert woman.family_name == saved[0].family_name
    assert AccessEvent.objects.filter(person=woman, action="person.update").count() == 1


def test_two_section_edits_from_the_same_version_one_wins(keyworker, manager, woman):
    def edit(by, phone):
        person = Person.objects.get(pk=woman.pk)
        return lambda: services.update_contact(person, by=by, data={"phone": phone}, version=1)

    outcomes = run_together(edit(keyworker, "01632 960 001"), edit(manager, "01632 960 002"))
    assert sum(isinstance(o, services.StaleRecord) for o in outcomes) == 1, outcomes
    woman.refresh_from_db()
    assert woman.version == 2


def test_the_same_form_submitted_twice_at_once_makes_one_record(keyworker):
    token = uuid.uuid4()
    data = {
        "given_name": "Maeve",
        "family_name": "Racecondition",
        "date_of_birth": date(1990, 1, 2),
    }

    def create():
        return services.create_person(by=keyworker, data=data, submission=token)

    outcomes = run_together(create, create)
    assert all(isinstance(o, Person) for o in outcomes), outcomes
    assert outcomes[0].pk == outcomes[1].pk
    assert Person.objects.filter(family_name="Racecondition").count() == 1
    assert SubmissionToken.objects.get(token=token).person_id == outcomes[0].pk
    assert CaseTeamMembership.objects.filter(person_id=outcomes[0].pk).count() == 1
    assert AccessEvent.objects.filter(action="person.create").count() == 1
