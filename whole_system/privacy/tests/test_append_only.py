"""Log rows are only ever added: the application refuses to change or delete them, and so does
the database, whoever asks."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from whole_system.privacy.integrity import check_access_log_integrity
from whole_system.privacy.models import AccessEvent, AccessLogSeal, AppendOnlyError, IntegrityCheck

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(woman) -> AccessEvent:
    return AccessEvent.objects.filter(person_id=woman.pk).latest("pk")


def test_saving_an_existing_event_again_is_refused(event):
    event.action = "person.nothing_to_see"

    with pytest.raises(AppendOnlyError):
        event.save()

    assert AccessEvent.objects.get(pk=event.pk).action == "person.create"


def test_deleting_an_event_is_refused(event):
    with pytest.raises(AppendOnlyError):
        event.delete()

    assert AccessEvent.objects.filter(pk=event.pk).exists()


def test_queryset_update_delete_and_bulk_update_are_refused(event):
    events = AccessEvent.objects.filter(pk=event.pk)

    with pytest.raises(AppendOnlyError):
        events.update(action="person.nothing_to_see")
    with pytest.raises(AppendOnlyError):
        events.delete()
    event.action = "person.nothing_to_see"
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.bulk_update([event], ["action"])

    assert AccessEvent.objects.get(pk=event.pk).action == "person.create"


def test_seals_and_check_results_are_append_only_too(woman):
    check = check_access_log_integrity()

    with pytest.raises(AppendOnlyError):
        check.save()
    with pytest.raises(AppendOnlyError):
        IntegrityCheck.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AccessLogSeal.objects.all().update(chain_hash="0" * 64)


def _raw(sql: str, params=()) -> None:
    # A savepoint, so the refused statement does not spoil the test's transaction (PostgreSQL).
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.parametrize("table", ["privacy_accessevent", "privacy_integritycheck"])
def test_database_refuses_raw_update_and_delete(woman, table):
    check_access_log_integrity()  # at least one row in each table

    with pytest.raises(DatabaseError):
        _raw(f"UPDATE {table} SET id = id")
    with pytest.raises(DatabaseError):
        _raw(f"DELETE FROM {table}")

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        assert cursor.fetchone()[0] > 0


def test_database_refuses_raw_update_of_an_access_event(event):
    with pytest.raises(DatabaseError):
        _raw(
            "UPDATE privacy_accessevent SET action = %s WHERE id = %s",
            ["person.nothing_to_see", event.pk],
        )
    with pytest.raises(DatabaseError):
        _raw("DELETE FROM privacy_accessevent WHERE id = %s", [event.pk])

    assert AccessEvent.objects.get(pk=event.pk).action == "person.create"


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_postgresql_refuses_truncating_the_log(event):
    with pytest.raises(DatabaseError):
        _raw("TRUNCATE privacy_accessevent")

    assert AccessEvent.objects.filter(pk=event.pk).exists()
