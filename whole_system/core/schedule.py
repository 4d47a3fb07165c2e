"""Jobs that run on a timetable, enqueued by the worker's scheduler."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import ScheduledRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DailyJob:
    name: str
    task: str  # dotted path to a django-tasks Task
    at: time  # local time, Europe/London

    def latest_slot(self, now: datetime) -> datetime:
        local = timezone.localtime(now)
        slot = timezone.make_aware(datetime.combine(local.date(), self.at))
        return slot if slot <= local else slot - timedelta(days=1)


SCHEDULE = [
    DailyJob(
        "access-log-integrity",
        "whole_system.privacy.tasks.check_access_log_integrity_task",
        time(2, 30),
    ),
    DailyJob("retention", "whole_system.privacy.tasks.enforce_retention_task", time(3, 0)),
]


def enqueue_due(now: datetime | None = None, schedule: list[DailyJob] = SCHEDULE) -> list[Any]:
    """Enqueue each job whose latest slot has not been enqueued yet. A worker that starts after
    a missed slot runs it at once."""
    now = now or timezone.now()
    enqueued = []
    for job in schedule:
        slot = job.latest_slot(now)
        # The slot and the task are written in one transaction: if enqueueing fails, the slot
        # is not marked taken and the next pass tries again.
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(job=job.name, slot=slot)
                enqueued.append(import_string(job.task).enqueue())
        except IntegrityError:
            continue
        logger.info("Enqueued %s for %s", job.name, slot.isoformat())
    return enqueued
