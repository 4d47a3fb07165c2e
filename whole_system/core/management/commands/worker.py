"""The background worker: a scheduler that enqueues timetabled jobs, and django-tasks'
database worker that runs every enqueued task."""

from __future__ import annotations

import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from whole_system.core.schedule import enqueue_due


class Command(BaseCommand):
    help = "Run the background worker (scheduler and task runner)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--schedule-interval", type=float, default=30.0)

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()

        def schedule() -> None:
            while not stop.is_set():
                close_old_connections()
                try:
                    enqueue_due()
                except Exception:  # the scheduler must outlive a passing database error
                    self.stderr.write("scheduler: could not enqueue due jobs; will retry")
                stop.wait(options["schedule_interval"])

        thread = threading.Thread(target=schedule, name="scheduler", daemon=True)
        thread.start()
        try:
            call_command("db_worker", interval=1.0, reload=False)
        finally:
            stop.set()
            thread.join(timeout=5)
