"""The nightly integrity check seals settled log rows into a hash chain and finds any row
changed or removed behind the application's back."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.utils import timezone

from whole_system.core.testing.factories import make_person
from whole_system.privacy import policy
from whole_system.privacy.integrity import SETTLE, check_access_log_integrity
from whole_system.privacy.models import AccessEvent, AccessLogSeal, IntegrityCheck, Purpose

pytestmark = pytest.mark.django_db


@contextmanager
def minutes_ago(minutes: int):
    """Write log rows as if it were `minutes` ago (rows cannot be back-dated afterwards)."""
    moment = timezone.now() - timedelta(minutes=minutes)
    with mock.patch("django.utils.timezone.now", lambda: moment):
        yield


@pytest.fixture
def earlier_woman(keyworker):
    with minutes_ago(10):
        return make_person(keyworker, given_name="Carys", family_name="Testperson")


@pytest.fixture
def settled(keyworker, earlier_woman) -> list[int]:
    """Her record created and read three times, logged long enough ago to be sealed."""
    with minutes_ago(10):
        for _ in range(3):
            policy.get_person(keyworker, earlier_woman.pk, purpose=Purpose.CASEWORK)
    events = list(AccessEvent.objects.order_by("pk").values_list("pk", flat=True))
    assert len(events) == 4
    return events


def _tamper(sql: str, params: list) -> None:
    """Change the log the way someone with database access could: with the triggers off."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER privacy_accessevent_no_update")
            cursor.execute("DROP TRIGGER privacy_accessevent_no_delete")
        else:
            # ALTER TABLE refuses while the test's deferred foreign-key checks are pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "ALTER TABLE privacy_accessevent DISABLE TRIGGER privacy_accessevent_append_only"
            )
        cursor.execute(sql, params)


def test_first_check_seals_settled_events_and_leaves_new_ones(settled, keyworker, earlier_woman):
    policy.get_person(keyworker, earlier_woman.pk, purpose=Purpose.CASEWORK)  # logged just now
    fresh = AccessEvent.objects.latest("pk")
    assert fresh.occurred_at > timezone.now() - SETTLE

    result = check_access_log_integrity()

    assert result.ok
    assert result.problems == []
    assert result.events_checked == 0
    assert result.events_sealed == 4
    seal = AccessLogSeal.objects.get()
    assert (seal.first_event_id, seal.last_event_id, seal.event_count) == (1, settled[-1], 4)
    assert seal.last_event_id < fresh.pk
    assert IntegrityCheck.objects.get() == result


def test_second_check_verifies_what_was_sealed(settled):
    check_access_log_integrity()

    second = check_access_log_integrity()

    assert second.ok
    assert second.events_checked == 4
    assert second.events_sealed == 0
    assert AccessLogSeal.objects.count() == 1


def test_events_settled_since_the_last_seal_get_a_seal_chained_to_it(
    settled, keyworker, earlier_woman
):
    check_access_log_integrity()
    with minutes_ago(6):
        policy.get_person(keyworker, earlier_woman.pk, purpose=Purpose.CASEWORK)

    result = check_access_log_integrity()

    assert result.ok
    first, second = AccessLogSeal.objects.order_by("last_event_id")
    assert second.previous_hash == first.chain_hash
    assert second.first_event_id == first.last_event_id + 1
    assert check_access_log_integrity().ok


def test_nothing_settled_means_nothing_sealed(woman):
    # The fixture's woman and her creation event are written just now.
    result = check_access_log_integrity()

    assert result.ok
    assert result.events_sealed == 0
    assert not AccessLogSeal.objects.exists()


def test_changed_event_is_found_and_named(settled):
    check_access_log_integrity()
    target = settled[1]

    _tamper("UPDATE privacy_accessevent SET purpose = %s WHERE id = %s", ["safeguarding", target])
    result = check_access_log_integrity()

    assert not result.ok
    assert f"event {target}: content does not match its digest" in result.problems


def test_event_changed_before_it_was_sealed_is_found_at_sealing(settled):
    target = settled[0]

    _tamper("UPDATE privacy_accessevent SET action = %s WHERE id = %s", ["person.x", target])
    result = check_access_log_integrity()

    assert not result.ok
    assert f"event {target}: content does not match its digest" in result.problems


def test_deleted_event_breaks_the_count_and_the_chain(settled):
    check_access_log_integrity()
    seal = AccessLogSeal.objects.get()

    _tamper("DELETE FROM privacy_accessevent WHERE id = %s", [settled[1]])
    result = check_access_log_integrity()

    assert not result.ok
    assert f"seal {seal.pk}: 4 events sealed, 3 found" in result.problems
    assert f"seal {seal.pk}: hash chain broken" in result.problems


def test_a_failed_check_is_itself_recorded(settled):
    check_access_log_integrity()
    _tamper("UPDATE privacy_accessevent SET role = %s WHERE id = %s", ["analyst", settled[2]])

    check_access_log_integrity()

    latest = IntegrityCheck.objects.order_by("-pk").first()
    assert latest is not None and not latest.ok
    assert latest.problems
