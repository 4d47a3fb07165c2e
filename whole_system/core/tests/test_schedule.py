"""The scheduler enqueues each timetabled job once per slot, however often it runs; the
nightly job checks the access log."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django_tasks_db.models import DBTaskResult

from whole_system.core.models import ScheduledRun
from whole_system.core.schedule import SCHEDULE, DailyJob, enqueue_due
from whole_system.privacy.models import IntegrityCheck

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
INTEGRITY = "access-log-integrity"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The integrity job alone: other nightly jobs are tested with their own areas.
ONLY_INTEGRITY = [job for job in SCHEDULE if job.name == INTEGRITY]


def _london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def test_integrity_check_is_scheduled_nightly():
    job = next(j for j in SCHEDULE if j.name == INTEGRITY)

    assert job.task == "whole_system.privacy.tasks.check_access_log_integrity_task"
    assert job.at == time(2, 30)


def test_enqueue_due_enqueues_the_integrity_job_once_per_slot():
    now = _london(2026, 11, 23, 9, 0)

    first = enqueue_due(now, ONLY_INTEGRITY)
    second = enqueue_due(now + timedelta(minutes=1), ONLY_INTEGRITY)

    assert len(first) == 1
    assert second == []
    run = ScheduledRun.objects.get(job=INTEGRITY)
    assert run.slot == _london(2026, 11, 23, 2, 30)
    assert DBTaskResult.objects.count() == 1


def test_before_tonights_slot_the_scheduler_catches_up_last_nights():
    enqueue_due(_london(2026, 11, 23, 1, 0))

    assert ScheduledRun.objects.get(job=INTEGRITY).slot == _london(2026, 11, 22, 2, 30)


def test_next_nights_slot_is_enqueued_again():
    enqueue_due(_london(2026, 11, 23, 3, 0), ONLY_INTEGRITY)
    enqueue_due(_london(2026, 11, 24, 3, 0), ONLY_INTEGRITY)

    assert list(ScheduledRun.objects.order_by("slot").values_list("slot", flat=True)) == [
        _london(2026, 11, 23, 2, 30),
        _london(2026, 11, 24, 2, 30),
    ]


def test_slot_is_in_london_time_across_the_clock_change():
    job = DailyJob(INTEGRITY, "unused", time(2, 30))

    summer = job.latest_slot(_london(2026, 7, 1, 12, 0))
    winter = job.latest_slot(_london(2026, 12, 1, 12, 0))

    assert summer.astimezone(ZoneInfo("UTC")).hour == 1
    assert winter.astimezone(ZoneInfo("UTC")).hour == 2


def test_the_scheduled_task_runs_the_integrity_check(settings, woman):
    settings.TASKS = IMMEDIATE

    results = enqueue_due(_london(2026, 11, 23, 9, 0), ONLY_INTEGRITY)

    assert [r.status for r in results] == ["SUCCESSFUL"]
    assert results[0].return_value is True
    check = IntegrityCheck.objects.get()
    assert check.ok
