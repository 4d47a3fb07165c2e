"""Every crossing of an organisation's boundary: her consent decisions, the shares made on
them, conditions of cautions and orders, safeguarding shares without consent and emergency
access. Each function is one transaction, takes the acting user as `by=`, keeps her case team
(people.CaseTeamMembership, which the policy reads) in step, and logs the change.

A woman passed in here has already been fetched through the policy point; permission checks
(`policy.can`) are the caller's, as for people.services.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from whole_system.accounts.models import Organisation, User
from whole_system.people.models import CaseTeamMembership, Person
from whole_system.people.services import reindex_search

from . import audit
from .groups import (
    CONDITION,
    CONDITION_HOLDERS,
    PURPOSES,
    SAFEGUARDING_NAMEABLE,
    SENSITIVE,
    FieldGroup,
    carried,
)
from .models import Consent, EmergencyAccess, OrderCondition, SafeguardingShare

Basis = CaseTeamMembership.Basis


class SharingError(ValueError):
    """The share or decision asked for is not allowed; the message says why, for the user."""


def _organisation_of(user: User) -> Organisation:
    organisation = user.membership.organisation
    if organisation is None:
        raise SharingError(_("Only a member of an organisation can do this."))
    return organisation


def end_of(day: date) -> datetime:
    """The moment a date-bounded consent or order stops: midnight after the day, UK time."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


# Her decisions


def current_consents(person: Person) -> list[Consent]:
    """Her latest decision for each purpose and recipient, newest first."""
    seen: set[tuple[str, tuple[str, str]]] = set()
    latest = []
    for consent in person.consents.select_related("recipient_organisation", "recorded_by"):
        key = (consent.purpose, consent.recipient_key)
        if key not in seen:
            seen.add(key)
            latest.append(consent)
    return latest


def consent_in_force(person: Person, purpose: str, recipient: Organisation | None = None) -> bool:
    """Has she agreed to `purpose` (with this recipient, for a share), and not withdrawn it?"""
    return _consent_for(person, purpose, recipient) is not None


def _consent_for(person: Person, purpose: str, recipient: Organisation | None) -> Consent | None:
    """Her decision in force for `purpose` (and `recipient`): a decision naming the
    organisation wins over one about its kind, whatever their order."""
    today = timezone.localdate()
    latest = [c for c in current_consents(person) if c.purpose == purpose]
    if recipient is None:
        decided = [c for c in latest if not PURPOSES[purpose].is_share]
    else:
        named = [c for c in latest if c.recipient_organisation_id == recipient.pk]
        decided = named or [
            c
            for c in latest
            if not c.recipient_organisation_id and c.recipient_type == recipient.type
        ]
    return next((c for c in decided if c.in_force_on(today)), None)


@transaction.atomic
def record_consent(
    person: Person,
    *,
    by: User,
    purpose: str,
    decision: str,
    method: str,
    recipient_organisation: Organisation | None = None,
    recipient_type: str = "",
    sensitive_classes: Iterable[str] = (),
    review_on: date | None = None,
    expires_on: date | None = None,
    notes: str = "",
) -> Consent:
    """Record her decision. A decision that is not "given" ends every share made on an
    earlier "given" for the same purpose and recipient, in this transaction, so the recipient
    loses access on its very next request."""
    rule = PURPOSES.get(purpose)
    if rule is None:
        raise SharingError(_("Choose what she is deciding about."))
    classes = sorted(set(sensitive_classes))
    if rule.is_share:
        if recipient_organisation is None and not recipient_type:
            raise SharingError(_("Choose who the information would be shared with."))
        kind = recipient_organisation.type if recipient_organisation else recipient_type
        if kind not in rule.recipients:
            raise SharingError(_("This information cannot be shared with that organisation."))
        if not set(classes) <= SENSITIVE:
            raise SharingError(_("Choose only from the sensitive information listed."))
    elif recipient_organisation is not None or recipient_type or classes:
        raise SharingError(_("This decision is not about sharing with another organisation."))
    if expires_on is not None and expires_on < timezone.localdate():
        raise SharingError(_("The expiry date must be today or in the future."))
    organisation = _organisation_of(by)
    consent = Consent.objects.create(
        person=person,
        purpose=purpose,
        recipient_organisation=recipient_organisation,
        recipient_type="" if recipient_organisation else recipient_type,
        sensitive_classes=classes,
        decision=decision,
        method=method,
        recorded_by=by,
        recorded_by_organisation=organisation,
        review_on=review_on,
        expires_on=expires_on,
        notes=notes,
    )
    # Any new decision ends the shares made on the earlier one: a withdrawal or a decline
    # stops them; a new "given" may carry different terms, and the worker shares again on it.
    _end_consent_shares(person, consent)
    audit.record_change(
        by,
        person.pk,
        action="consent.recorded",
        changes={"consent": (None, f"{purpose}:{decision}")},
    )
    return consent


def _end_consent_shares(person: Person, consent: Consent) -> int:
    rows = CaseTeamMembership.objects.filter(
        person=person, basis=Basis.CONSENT, purpose=consent.purpose, ended_at__isnull=True
    )
    if consent.recipient_organisation_id:
        rows = rows.filter(organisation_id=consent.recipient_organisation_id)
    else:
        # A decision about a kind of organisation covers each of that kind, except those she
        # decided about by name.
        named = Consent.objects.filter(
            person=person, purpose=consent.purpose, recipient_organisation__isnull=False
        ).values("recipient_organisation_id")
        rows = rows.filter(organisation__type=consent.recipient_type).exclude(
            organisation_id__in=named
        )
    ended = rows.update(ended_at=timezone.now())
    if ended:
        reindex_search(person)
    return ended


def preview_groups(person: Person, purpose: str, recipient: Organisation) -> frozenset[str]:
    """Exactly the field groups `recipient` would see from a share for `purpose` on her
    current consent: empty when there is no consent in force for it."""
    consent = _consent_for(person, purpose, recipient)
    if consent is None:
        return frozenset()
    return carried(purpose, recipient.type, frozenset(consent.sensitive_classes))


@transaction.atomic
def share(person: Person, *, by: User, purpose: str, recipient: Organisation) -> CaseTeamMembership:
    """Share with `recipient` what her consent for `purpose` allows: it joins her case team,
    carrying those field groups, until the consent expires or is withdrawn."""
    if purpose not in PURPOSES or not PURPOSES[purpose].is_share:
        raise SharingError(_("Choose what to share."))
    consent = _consent_for(person, purpose, recipient)
    if consent is None:
        raise SharingError(_("She has not agreed to share this with that organisation."))
    if not recipient.is_active:
        raise SharingError(_("That organisation no longer uses Whole System."))
    organisation = _organisation_of(by)
    if recipient.pk == organisation.pk:
        raise SharingError(_("Your organisation already holds her case."))
    groups = carried(purpose, recipient.type, frozenset(consent.sensitive_classes))
    if not groups:
        raise SharingError(_("Nothing in her record may be shared with that organisation."))
    CaseTeamMembership.objects.filter(
        person=person,
        organisation=recipient,
        basis=Basis.CONSENT,
        purpose=purpose,
        ended_at__isnull=True,
    ).update(ended_at=timezone.now())
    row = CaseTeamMembership.objects.create(
        person=person,
        organisation=recipient,
        basis=Basis.CONSENT,
        purpose=purpose,
        groups=sorted(groups),
        shared_by_organisation=organisation,
        source_id=consent.pk,
        added_by=by,
        added_at=timezone.now(),
        ends_at=end_of(consent.expires_on) if consent.expires_on else None,
    )
    reindex_search(person)
    audit.record_change(by, person.pk, action="share.made", changes={"case_team": (None, purpose)})
    return row


@transaction.atomic
def end_share(person: Person, *, by: User, row_id: Any) -> bool:
    """Stop a share she consented to (its row on her case team ends now). Conditions and
    safeguarding shares end through their own records (end_condition,
    revoke_safeguarding_share), and the holding organisation's row is not ended here."""
    ended = CaseTeamMembership.objects.filter(
        person=person, pk=row_id, basis=Basis.CONSENT, ended_at__isnull=True
    ).update(ended_at=timezone.now())
    if ended:
        reindex_search(person)
        audit.record_change(by, person.pk, action="share.ended", changes={"case_team": ("", None)})
    return bool(ended)


# Conditions of cautions and orders


@transaction.atomic
def record_condition(
    person: Person,
    *,
    by: User,
    organisation: Organisation,
    kind: str,
    starts_on: date,
    ends_on: date,
) -> OrderCondition:
    """A caution or order requires her to engage: `organisation` (police or probation) learns
    whether she engaged, and nothing else, from `starts_on` to `ends_on`."""
    if organisation.type not in CONDITION_HOLDERS:
        raise SharingError(
            _("Choose the police force or probation service that set the condition.")
        )
    if ends_on < starts_on:
        raise SharingError(_("The end date must be the same as or after the start date."))
    condition = OrderCondition.objects.create(
        person=person,
        organisation=organisation,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        recorded_by=by,
    )
    CaseTeamMembership.objects.filter(
        person=person, organisation=organisation, basis=Basis.CONDITION, ended_at__isnull=True
    ).update(ended_at=timezone.now())
    CaseTeamMembership.objects.create(
        person=person,
        organisation=organisation,
        basis=Basis.CONDITION,
        groups=sorted(CONDITION),
        shared_by_organisation=_organisation_of(by),
        source_id=condition.pk,
        added_by=by,
        # A condition that starts later opens her record to them only from its start.
        added_at=max(start_of(starts_on), timezone.now()),
        ends_at=end_of(ends_on),
    )
    reindex_search(person)
    audit.record_change(
        by, person.pk, action="condition.recorded", changes={"case_team": (None, kind)}
    )
    return condition


@transaction.atomic
def end_condition(person: Person, *, by: User, condition_id: Any) -> bool:
    now = timezone.now()
    ended = OrderCondition.objects.filter(
        person=person, pk=condition_id, ended_at__isnull=True
    ).update(ended_at=now)
    if ended:
        CaseTeamMembership.objects.filter(
            person=person, basis=Basis.CONDITION, source_id=condition_id, ended_at__isnull=True
        ).update(ended_at=now)
        reindex_search(person)
        audit.record_change(
            by, person.pk, action="condition.ended", changes={"case_team": ("", None)}
        )
    return bool(ended)


# Safeguarding without consent


@transaction.atomic
def share_for_safeguarding(
    person: Person,
    *,
    by: User,
    recipient: Organisation,
    reason_category: str,
    reason: str,
    groups: Iterable[str],
    hours: int | None = None,
) -> SafeguardingShare:
    """Share named field groups without her consent, to keep someone safe. Identity always
    goes (the recipient must know who she is); sensitive classes never do. The organisation's
    data protection lead is told by the worker."""
    limit = settings.SAFEGUARDING_SHARE_HOURS
    hours = limit if hours is None else hours
    if not 1 <= hours <= limit:
        raise SharingError(
            _("A safeguarding share lasts between 1 and %(limit)s hours.") % {"limit": limit}
        )
    named = set(groups)
    if not named or not named <= SAFEGUARDING_NAMEABLE:
        raise SharingError(_("Choose what to share from the information listed."))
    if not reason.strip():
        raise SharingError(_("Enter why the share is needed."))
    organisation = _organisation_of(by)
    if recipient.pk == organisation.pk:
        raise SharingError(_("Your organisation already holds her case."))
    now = timezone.now()
    shared = sorted(named | {FieldGroup.IDENTITY})
    safeguarding = SafeguardingShare.objects.create(
        person=person,
        from_organisation=organisation,
        to_organisation=recipient,
        reason_category=reason_category,
        reason=reason.strip(),
        groups=shared,
        made_by=by,
        made_at=now,
        expires_at=now + timedelta(hours=hours),
    )
    CaseTeamMembership.objects.filter(
        person=person, organisation=recipient, basis=Basis.SAFEGUARDING, ended_at__isnull=True
    ).update(ended_at=now)
    CaseTeamMembership.objects.create(
        person=person,
        organisation=recipient,
        basis=Basis.SAFEGUARDING,
        groups=shared,
        shared_by_organisation=organisation,
        source_id=safeguarding.pk,
        added_by=by,
        added_at=now,
        ends_at=safeguarding.expires_at,
    )
    reindex_search(person)
    audit.record_change(
        by,
        person.pk,
        action="safeguarding.shared",
        changes={"case_team": (None, reason_category)},
    )
    from .tasks import tell_data_protection_leads

    transaction.on_commit(lambda: tell_data_protection_leads.enqueue(str(safeguarding.pk)))
    return safeguarding


@transaction.atomic
def revoke_safeguarding_share(person: Person, *, by: User, share_id: Any) -> bool:
    now = timezone.now()
    revoked = SafeguardingShare.objects.filter(
        person=person, pk=share_id, revoked_at__isnull=True
    ).update(revoked_at=now)
    if revoked:
        CaseTeamMembership.objects.filter(
            person=person, basis=Basis.SAFEGUARDING, source_id=share_id, ended_at__isnull=True
        ).update(ended_at=now)
        reindex_search(person)
        audit.record_change(
            by, person.pk, action="safeguarding.revoked", changes={"case_team": ("", None)}
        )
    return bool(revoked)


# Emergency access


@transaction.atomic
def break_the_glass(
    person: Person, *, by: User, reason_category: str, reason: str
) -> EmergencyAccess:
    """Open her record to `by` alone, for EMERGENCY_ACCESS_HOURS; a manager reviews it."""
    if not reason.strip():
        raise SharingError(_("Enter what the emergency is."))
    now = timezone.now()
    access = EmergencyAccess.objects.create(
        person=person,
        user=by,
        organisation=_organisation_of(by),
        reason_category=reason_category,
        reason=reason.strip(),
        started_at=now,
        expires_at=now + timedelta(hours=settings.EMERGENCY_ACCESS_HOURS),
    )
    audit.record_change(
        by, person.pk, action="emergency.opened", changes={"emergency": (None, reason_category)}
    )
    return access


@transaction.atomic
def review_emergency_access(
    access: EmergencyAccess, *, by: User, outcome: str, notes: str
) -> EmergencyAccess:
    if access.reviewed_at is not None:
        raise SharingError(_("This emergency access has already been reviewed."))
    if outcome not in EmergencyAccess.Outcome.values:
        raise SharingError(_("Select whether the access was justified."))
    access.reviewed_by = by
    access.reviewed_at = timezone.now()
    access.outcome = outcome
    access.review_notes = notes
    if outcome == EmergencyAccess.Outcome.NOT_JUSTIFIED and access.expires_at > access.reviewed_at:
        # An access found not justified stops at once.
        access.expires_at = access.reviewed_at
    access.save()
    audit.record_change(
        by, access.person_id, action="emergency.reviewed", changes={"emergency": ("", outcome)}
    )
    return access


# Engagement


@transaction.atomic
def set_engagement(person: Person, *, by: User, status: str) -> Person:
    """Whether she is engaging: what a condition of a caution or order lets police and
    probation learn."""
    if status not in Person.Engagement.values:
        raise SharingError(_("Select whether she is engaging."))
    locked = Person.objects.select_for_update().get(pk=person.pk)
    if locked.engagement_status != status:
        old = locked.engagement_status
        now = timezone.now()
        Person.objects.filter(pk=person.pk).update(
            engagement_status=status,
            engagement_updated_at=now,
            last_contact_at=now,
            updated_at=now,
            version=locked.version + 1,
        )
        audit.record_change(
            by, person.pk, action="person.engagement", changes={"engagement_status": (old, status)}
        )
    locked.refresh_from_db()
    return locked


def current_case_team(person: Person) -> list[CaseTeamMembership]:
    """Her case team now, holders first, for her record and her consent summary."""
    rows = list(
        CaseTeamMembership.objects.current()
        .filter(person=person)
        .select_related("organisation", "shared_by_organisation")
    )
    return sorted(rows, key=lambda r: (not r.is_holder, r.organisation.name, r.basis, r.purpose))


def active_safeguarding_shares(person: Person) -> list[SafeguardingShare]:
    now = timezone.now()
    return list(
        SafeguardingShare.objects.filter(
            Q(revoked_at__isnull=True), person=person, made_at__lte=now, expires_at__gt=now
        ).select_related("to_organisation", "made_by")
    )


def emergency_access_of(user: User, person: Person) -> EmergencyAccess | None:
    """The user's emergency access to her record in force now, if any."""
    now = timezone.now()
    return (
        EmergencyAccess.objects.filter(
            person=person, user=user, started_at__lte=now, expires_at__gt=now
        )
        .order_by("-expires_at")
        .first()
    )
