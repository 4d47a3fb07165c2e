"""Background work for the privacy app, run by the worker."""

from __future__ import annotations

from django_tasks import task

from .integrity import check_access_log_integrity


@task()
def check_access_log_integrity_task() -> bool:
    """Nightly: verify and extend the access log's hash chain."""
    return check_access_log_integrity().ok
