"""Her rights over her record: subject access (with its deadline), erasure and restriction.

Each function is one transaction, takes the acting user as `by=` and logs the change without
any personal value. A woman passed in here has already been fetched through the policy point;
whether the user may act (`policy.can(user, "rights.manage", person)`) is the caller's check,
as for the other services.

Deadlines (UK GDPR article 12(3)): a request is answered within one calendar month of the day
it was received; a subject access request may be extended once, by two further months, when
it is complex or one of many, and she must be told so within the first month.
"""

from __future__ import annotations

import calendar
import uuid
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from whole_system.accounts.models import User
from whole_system.people.models import Person

from . import audit, retention
from .models import ErasureRecord, RightsRequest, SubjectAccessRequest

SAR = SubjectAccessRequest
OPEN_SAR = (SAR.Status.OPEN, SAR.Status.EXTENDED)
Kind = RightsRequest.Kind
Status = RightsRequest.Status


class RightsError(ValueError):
    """The step asked for is not allowed; the message says why, for the user."""


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later (or earlier), or the last day of that month
    when it is shorter: 31 January + 1 month is 28 February (29 in a leap year)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def reference(request: SubjectAccessRequest | RightsRequest) -> str:
    """A short reference to quote in letters and on the list: no name, no date of birth."""
    return str(request.pk).split("-")[0].upper()


def rights_request_deadline(request: RightsRequest) -> date:
    """An erasure or restriction request is answered within one calendar month too."""
    return add_months(request.received_on, 1)


def is_overdue(deadline: date, today: date | None = None) -> bool:
    return deadline < (today or timezone.localdate())


def _organisation_id(by: User) -> uuid.UUID:
    membership = by.membership_or_none
    if membership is None or membership.organisation_id is None:
        raise RightsError(_("Only a member of an organisation can do this."))
    return membership.organisation_id


def _check_received_on(received_on: date) -> None:
    if received_on > timezone.localdate():
        raise RightsError(_("The date she made the request must be today or in the past"))


# Subject access


@transaction.atomic
def open_subject_access_request(
    person: Person, *, by: User, received_on: date
) -> SubjectAccessRequest:
    """Record her request for a copy of everything held about her, due one calendar month
    after the day it was received. The same request entered twice (a double submit) is
    returned, not made again; while one is open, another is part of it."""
    _check_received_on(received_on)
    organisation_id = _organisation_id(by)
    existing = (
        SAR.objects.select_for_update()
        .filter(person=person, organisation_id=organisation_id, status__in=OPEN_SAR)
        .first()
    )
    if existing is not None:
        if existing.received_on == received_on:
            return existing
        raise RightsError(
            _("She already has an open subject access request. Answer that one first.")
        )
    request = SAR.objects.create(
        person=person,
        organisation_id=organisation_id,
        received_on=received_on,
        due_on=add_months(received_on, 1),
        handled_by=by,
    )
    audit.record_change(
        by,
        person.pk,
        action="rights.sar_opened",
        changes={"subject_access_request": (None, SAR.Status.OPEN)},
    )
    return request


@transaction.atomic
def extend(request: SubjectAccessRequest, *, by: User, reason: str) -> SubjectAccessRequest:
    """Give a complex request two more calendar months, once, with the reason she will be
    told. Only before the first deadline has passed."""
    locked = SAR.objects.select_for_update().get(pk=request.pk)
    if locked.status == SAR.Status.COMPLETED:
        raise RightsError(_("This request has already been completed."))
    if locked.extended_to is not None:
        raise RightsError(
            _("This request has already been extended. It can only be extended once.")
        )
    if not reason.strip():
        raise RightsError(_("Enter why more time is needed"))
    if is_overdue(locked.due_on):
        raise RightsError(
            _(
                "The first deadline has passed. An extension must be made, and she must be "
                "told about it, within one month of her request."
            )
        )
    # Two months from the first deadline: never later than three months from receipt.
    locked.extended_to = add_months(locked.due_on, 2)
    locked.extension_reason = reason.strip()
    locked.status = SAR.Status.EXTENDED
    locked.handled_by = by
    locked.save(update_fields=["extended_to", "extension_reason", "status", "handled_by"])
    audit.record_change(
        by,
        locked.person_id,
        action="rights.sar_extended",
        changes={"subject_access_request": (SAR.Status.OPEN, SAR.Status.EXTENDED)},
    )
    return locked


@transaction.atomic
def complete(request: SubjectAccessRequest, *, by: User) -> SubjectAccessRequest:
    """Mark the request answered today: the copy has been sent to her."""
    locked = SAR.objects.select_for_update().get(pk=request.pk)
    if locked.status == SAR.Status.COMPLETED:
        raise RightsError(_("This request has already been completed."))
    old = locked.status
    locked.status = SAR.Status.COMPLETED
    locked.completed_on = timezone.localdate()
    locked.handled_by = by
    locked.save(update_fields=["status", "completed_on", "handled_by"])
    audit.record_change(
        by,
        locked.person_id,
        action="rights.sar_completed",
        changes={"subject_access_request": (old, SAR.Status.COMPLETED)},
    )
    return locked


# Erasure and restriction


@transaction.atomic
def open_rights_request(
    person: Person, *, by: User, kind: str, received_on: date, notes: str = ""
) -> RightsRequest:
    """Record her request to erase her record, or to restrict its use."""
    if kind not in Kind.values:
        raise RightsError(_("Select what she is asking for"))
    _check_received_on(received_on)
    organisation_id = _organisation_id(by)
    existing = (
        RightsRequest.objects.select_for_update()
        .filter(person=person, organisation_id=organisation_id, kind=kind, status=Status.OPEN)
        .first()
    )
    if existing is not None:
        if existing.received_on == received_on:
            return existing
        raise RightsError(_("She already has an open request of this kind. Decide that one first."))
    if kind == Kind.RESTRICTION and person.restricted_at is not None:
        raise RightsError(_("Her record is already restricted."))
    request = RightsRequest.objects.create(
        person=person,
        organisation_id=organisation_id,
        kind=kind,
        received_on=received_on,
        notes=notes.strip(),
    )
    audit.record_change(
        by, person.pk, action=f"rights.{kind}_requested", changes={"rights_request": (None, kind)}
    )
    return request


def _decide(
    person: Person, request: RightsRequest, *, by: User, kind: str | None, status: str
) -> RightsRequest:
    """Lock the request, check it is hers and of the kind expected, and record the decision
    (the caller saves it)."""
    if request.person_id != person.pk:
        raise ValueError("The request is not about this woman.")
    locked = RightsRequest.objects.select_for_update().get(pk=request.pk)
    if kind is not None and locked.kind != kind:
        raise RightsError(_("This is not that kind of request."))
    if locked.status != status:
        raise RightsError(_("This request has already been decided."))
    locked.decided_by = by
    locked.decided_at = timezone.now()
    return locked


@transaction.atomic
def agree_restriction(person: Person, request: RightsRequest, *, by: User) -> RightsRequest:
    """Restrict her record: from the next request on it is left out of sharing, search, lists,
    reports and exports; only the organisations holding her case can open it, by its id."""
    locked = _decide(person, request, by=by, kind=Kind.RESTRICTION, status=Status.OPEN)
    locked.status = Status.AGREED
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    if person.restricted_at is None:
        person.restricted_at = timezone.now()
        person.save(update_fields=["restricted_at"])
    audit.record_change(
        by,
        person.pk,
        action="rights.restriction_agreed",
        changes={"restricted_at": (None, "restricted")},
    )
    return locked


@transaction.atomic
def lift_restriction(person: Person, request: RightsRequest, *, by: User) -> RightsRequest:
    """End a restriction (she must be told before it is lifted). Her record stays restricted
    while another organisation's agreed restriction is still in force."""
    locked = _decide(person, request, by=by, kind=Kind.RESTRICTION, status=Status.AGREED)
    locked.status = Status.LIFTED
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    still_restricted = (
        RightsRequest.objects.filter(person=person, kind=Kind.RESTRICTION, status=Status.AGREED)
        .exclude(pk=locked.pk)
        .exists()
    )
    if not still_restricted and person.restricted_at is not None:
        person.restricted_at = None
        person.save(update_fields=["restricted_at"])
    audit.record_change(
        by,
        person.pk,
        action="rights.restriction_lifted",
        changes={"restricted_at": ("restricted", None)},
    )
    return locked


@transaction.atomic
def agree_erasure(person: Person, request: RightsRequest, *, by: User) -> ErasureRecord:
    """Erase her whole record, as she asked. What stays is a tombstone that says a record was
    erased at her request, and the access log, which holds nothing about her."""
    locked = _decide(person, request, by=by, kind=Kind.ERASURE, status=Status.OPEN)
    audit.record_change(
        by, person.pk, action="rights.erasure_agreed", changes={"rights_request": (None, "agreed")}
    )
    # The request itself goes with her record.
    return retention.erase(
        person, reason=ErasureRecord.Reason.REQUEST, rule=f"request {reference(locked)}", by=by
    )


@transaction.atomic
def refuse(request: RightsRequest, *, by: User, notes: str) -> RightsRequest:
    """Refuse an erasure or restriction request, with the reasons she will be given."""
    if not notes.strip():
        raise RightsError(_("Enter why the request is refused"))
    locked = RightsRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != Status.OPEN:
        raise RightsError(_("This request has already been decided."))
    locked.status = Status.REFUSED
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.notes = "\n\n".join(part for part in (locked.notes, notes.strip()) if part)
    locked.save(update_fields=["status", "decided_by", "decided_at", "notes"])
    audit.record_change(
        by,
        locked.person_id,
        action=f"rights.{locked.kind}_refused",
        changes={"rights_request": (Status.OPEN, Status.REFUSED)},
    )
    return locked
