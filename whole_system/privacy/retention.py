"""How long what is held is kept, and removing a woman's record when that time ends or when
she asks for it to be erased.

The schedule (RULES) is what the field classification names for each field. Her record is
kept for settings.RETENTION_YEARS_AFTER_LAST_CONTACT years (WS_RETENTION_YEARS, six by
default) after her last contact with any service; a nightly job (tasks.enforce_retention_task)
then erases it with everything hanging off it. The access log stays: its rows name the record
only by a random id and keep no values about her (privacy.audit.LOGGED_VALUES), and a tombstone
(ErasureRecord) says that a record was erased, when and why.

A record is held past its date while she has a subject access request open (she is owed a
copy of it) or while its use is restricted (a restriction may be her way of asking for it to
be kept, for example for a legal claim).
"""

from __future__ import annotations

import logging
from datetime import datetime
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from whole_system.accounts.models import User
from whole_system.people.models import Person

from . import audit
from .models import Channel, ErasureRecord, SubjectAccessRequest

logger = logging.getLogger(__name__)


def _record_rule() -> str:
    years = settings.RETENTION_YEARS_AFTER_LAST_CONTACT
    return ngettext(
        "%(years)d year after her last contact with any service, then erased",
        "%(years)d years after her last contact with any service, then erased",
        years,
    ) % {"years": years}


# The retention schedule, by rule name. Every field of her record (people.*, and the consent,
# sharing and rights rows about her in this app) follows "record".
RULES = {
    "record": lazy(_record_rule, str)(),
    "access_log": _(
        "Kept: it says who read or changed a record and when, and holds nothing about her"
    ),
    "account": _(
        "Staff accounts: while active; a closed account is kept, unused, because the access "
        "log names who did what"
    ),
    "reference": _("Reference data, such as areas and organisations: kept while in use"),
    "operational": _(
        "The platform's own bookkeeping, such as scheduled runs and integrity checks: kept; "
        "it holds nothing about her"
    ),
}


def years_before(moment: datetime, years: int) -> datetime:
    """The same moment `years` years earlier; 29 February becomes 28 February."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def retention_cutoff(now: datetime | None = None) -> datetime:
    """A record whose last contact was before this moment has passed its retention date."""
    return years_before(now or timezone.now(), settings.RETENTION_YEARS_AFTER_LAST_CONTACT)


@transaction.atomic
def erase(person: Person, *, reason: str, rule: str = "", by: User | None = None) -> ErasureRecord:
    """Delete her record and everything hanging off it: names, contact details, address,
    dependants, equality answers, needs, disclosures, case team, name index, form tokens,
    consents, conditions, safeguarding shares, emergency accesses and her requests (each has
    a foreign key to her record that cascades). Then write the tombstone."""
    person_id = person.pk
    audit.record_change(
        by,
        person_id,
        action="retention.erased",
        changes={"record": ("", None)},
        channel=Channel.PAGE if by is not None else Channel.SYSTEM,
    )
    person.delete()
    return ErasureRecord.objects.create(person_id=person_id, reason=reason, rule=rule)


def expired(now: datetime | None = None) -> QuerySet[Person]:
    """Women whose retention date has passed, except those held: a subject access request is
    open, or the use of her record is restricted. The nightly job alone reads this, and
    reads nothing from these records but their ids before erasing them."""
    held = SubjectAccessRequest.objects.filter(
        person=OuterRef("pk"),
        status__in=[SubjectAccessRequest.Status.OPEN, SubjectAccessRequest.Status.EXTENDED],
    )
    return (
        Person.objects.filter(last_contact_at__lt=retention_cutoff(now), restricted_at__isnull=True)
        .exclude(Exists(held))
        .only("pk")
    )


def clear_expired_sessions() -> None:
    """Expired sessions may still hold what someone searched for (people.views)."""
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()


def enforce(now: datetime | None = None) -> int:
    """Erase every record past its retention date, one transaction each, and clear expired
    sessions. Returns how many records were erased."""
    erased = 0
    for person_id in list(expired(now).values_list("pk", flat=True)):
        with transaction.atomic():
            # Asked again, row locked, inside the erasing transaction: she may have been in
            # contact, or made a request, since the list was read.
            person = expired(now).select_for_update().filter(pk=person_id).first()
            if person is None:
                continue
            erase(person, reason=ErasureRecord.Reason.RETENTION, rule="record")
            erased += 1
    clear_expired_sessions()
    logger.info("Retention: erased %d records past their retention date", erased)
    return erased
