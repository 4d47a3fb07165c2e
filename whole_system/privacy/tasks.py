"""Background work for the privacy app, run by the worker."""

from __future__ import annotations

from django_tasks import task

from .integrity import check_access_log_integrity


@task()
def check_access_log_integrity_task() -> bool:
    """Nightly: verify and extend the access log's hash chain."""
    return check_access_log_integrity().ok


@task()
def tell_data_protection_leads(share_id: str) -> int:
    """Tell the data protection leads of the organisation that made a safeguarding share
    without consent. The e-mail names no one: it links to the share, behind sign-in."""
    from .notifications import tell_leads_of_safeguarding_share

    return tell_leads_of_safeguarding_share(share_id)


@task()
def enforce_retention_task() -> int:
    """Nightly: erase every record past its retention date (privacy.retention) and clear
    expired sessions. Returns how many records were erased."""
    from .retention import enforce

    return enforce()
