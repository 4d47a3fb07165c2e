"""The access and change log. Rows are only ever added: the application refuses to update or
delete them, the database refuses too (triggers in the migrations), and a nightly job checks a
hash chain over sealed rows so that a change made behind the application's back is found."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from whole_system.accounts.models import Membership, Organisation

from .groups import ConsentPurpose
from .labels import action_label, field_label


class AppendOnlyError(RuntimeError):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Log rows cannot be changed.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Log rows cannot be deleted.")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Log rows cannot be changed.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Log rows cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Log rows cannot be deleted.")


class Purpose(models.TextChoices):
    """Why personal data is read. Consent rules (next) are checked per purpose."""

    CASEWORK = "casework", _("Providing support")
    SAFEGUARDING = "safeguarding", _("Safeguarding")
    MANAGEMENT = "management", _("Management oversight")
    DUPLICATE_CHECK = "duplicate_check", _("Checking for an existing record")
    SUBJECT_ACCESS = "subject_access", _("Subject access request")
    EMERGENCY = "emergency", _("Emergency access")


class Channel(models.TextChoices):
    """Where the read or change happened."""

    PAGE = "page", _("Web page")
    API = "api", _("API")
    EXPORT = "export", _("Export")
    SYSTEM = "system", _("System")


class AccessEvent(AppendOnlyModel):
    class Kind(models.TextChoices):
        READ = "read", _("Viewed")
        CHANGE = "change", _("Changed")

    id = models.BigAutoField(primary_key=True)
    occurred_at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    # What was done, e.g. person.view, person.search_result, person.api, person.update.
    action = models.CharField(max_length=64)
    purpose = models.CharField(max_length=32, choices=Purpose.choices, blank=True)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.PAGE)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(max_length=32, blank=True)
    # No database constraint: the log outlives the record it speaks of (erasure, retention).
    person = models.ForeignKey(
        "people.Person", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    # Which parts of the record were read, or which fields were changed.
    fields = models.JSONField(default=list)
    # Old and new values, only for fields that are not sensitive (privacy.audit.LOGGED_VALUES).
    values = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    # For a read: the bases it rested on (holder, consent, condition, safeguarding, emergency).
    basis = models.CharField(max_length=64, blank=True)
    digest = models.CharField(max_length=64)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["person", "-occurred_at"], name="accessevent_person_idx")]

    def __str__(self) -> str:
        return f"{self.action} {self.occurred_at:%Y-%m-%d %H:%M}"

    @property
    def action_label(self) -> str:
        return action_label(self.action)

    @property
    def field_labels(self) -> list[str]:
        return [field_label(name) for name in self.fields]

    @property
    def role_label(self) -> str:
        """The role's name as people read it; the code is kept in the row."""
        return str(dict(Membership.Role.choices).get(self.role, self.role))


class AccessLogSeal(AppendOnlyModel):
    """A link in the hash chain: every event from first_event_id to last_event_id, in order."""

    sealed_at = models.DateTimeField(default=timezone.now)
    first_event_id = models.BigIntegerField()
    last_event_id = models.BigIntegerField(unique=True)
    event_count = models.PositiveIntegerField()
    previous_hash = models.CharField(max_length=64)
    chain_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["last_event_id"]

    def __str__(self) -> str:
        return f"Seal to event {self.last_event_id}"


class IntegrityCheck(AppendOnlyModel):
    """The result of one run of the access-log integrity check."""

    ran_at = models.DateTimeField(default=timezone.now)
    ok = models.BooleanField()
    events_checked = models.PositiveIntegerField(default=0)
    events_sealed = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list)

    class Meta:
        ordering = ["-ran_at"]

    def __str__(self) -> str:
        return f"Integrity check {self.ran_at:%Y-%m-%d %H:%M}"


# Sharing: the decisions she made and the bases named people justified. Kept by
# privacy.sharing; read through privacy.policy.


class Consent(models.Model):
    """One decision she made about one purpose (and, for a share, one recipient). A decision
    is never edited: a later decision is a new row, so the history is the rows in order."""

    class Decision(models.TextChoices):
        GIVEN = "given", _("Given")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Method(models.TextChoices):
        SPOKEN = "spoken", _("Spoken")
        WRITTEN = "written", _("Written")
        ONLINE = "online", _("Online")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("Purpose"), max_length=32, choices=ConsentPurpose.choices)
    # A share names an organisation or a kind of organisation; other purposes name neither.
    recipient_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recipient_type = models.CharField(max_length=24, choices=Organisation.Type.choices, blank=True)
    # Sensitive classes (privacy.groups.SENSITIVE) she agreed may go with this share.
    sensitive_classes = models.JSONField(default=list, blank=True)
    decision = models.CharField(_("Decision"), max_length=10, choices=Decision.choices)
    method = models.CharField(_("How she told us"), max_length=8, choices=Method.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    review_on = models.DateField(_("Review date"), null=True, blank=True)
    expires_on = models.DateField(_("Expiry date"), null=True, blank=True)
    notes = models.TextField(_("Notes"), max_length=2000, blank=True)

    class Meta:
        ordering = ["-recorded_at"]
        indexes = [models.Index(fields=["person", "purpose", "-recorded_at"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {self.get_decision_display()}"

    @property
    def recipient_key(self) -> tuple[str, str]:
        return (str(self.recipient_organisation_id or ""), self.recipient_type)

    @property
    def recipient_label(self) -> str:
        if self.recipient_organisation_id:
            return str(self.recipient_organisation)
        if self.recipient_type:
            return str(dict(Organisation.Type.choices)[self.recipient_type])
        return ""

    def in_force_on(self, day: date) -> bool:
        return self.decision == self.Decision.GIVEN and (
            self.expires_on is None or self.expires_on >= day
        )


class OrderCondition(models.Model):
    """A condition of a conditional caution or of an order to engage with support: the police
    or probation may learn whether she engaged, and nothing else, whatever else she consents
    to."""

    class Kind(models.TextChoices):
        CONDITIONAL_CAUTION = "conditional_caution", _("Conditional caution")
        COMMUNITY_ORDER = "community_order", _("Community order")
        SUSPENDED_SENTENCE = "suspended_sentence", _("Suspended sentence order")
        LICENCE = "licence", _("Licence or post-sentence supervision")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="order_conditions"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("Kind of order"), max_length=24, choices=Kind.choices)
    starts_on = models.DateField(_("Start date"))
    ends_on = models.DateField(_("End date"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.get_kind_display()


class SafeguardingShare(models.Model):
    """Named fields shared without her consent, by a designated lead, to keep someone safe:
    for a limited time, with a reason, and with the data protection lead told."""

    class Reason(models.TextChoices):
        RISK_TO_HER = "risk_to_her", _("Risk of serious harm to her")
        RISK_TO_CHILD = "risk_to_child", _("Risk of harm to a child")
        RISK_TO_OTHERS = "risk_to_others", _("Risk of serious harm to someone else")
        CRIME = "crime", _("Preventing or detecting a serious crime")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="safeguarding_shares"
    )
    from_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    to_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    reason_category = models.CharField(_("Reason"), max_length=16, choices=Reason.choices)
    reason = models.TextField(_("Why the share is needed"), max_length=2000)
    groups = models.JSONField(default=list)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    made_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    data_protection_lead_told_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-made_at"]

    def __str__(self) -> str:
        return f"Safeguarding share {self.pk}"

    def is_active(self, at: datetime) -> bool:
        return self.revoked_at is None and self.made_at <= at < self.expires_at


class EmergencyAccess(models.Model):
    """ "Break the glass": one user opens a record they could not otherwise see, for a short
    time, with a reason; a manager of their organisation reviews it afterwards."""

    class Reason(models.TextChoices):
        RISK_TO_LIFE = "risk_to_life", _("Risk to her life or safety")
        RISK_TO_OTHERS = "risk_to_others", _("Risk to someone else's life or safety")
        MISSING = "missing", _("She is missing")
        MEDICAL = "medical", _("Medical emergency")

    class Outcome(models.TextChoices):
        JUSTIFIED = "justified", _("Justified")
        NOT_JUSTIFIED = "not_justified", _("Not justified")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="emergency_accesses"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    reason_category = models.CharField(_("Reason"), max_length=16, choices=Reason.choices)
    reason = models.TextField(_("What the emergency is"), max_length=2000)
    started_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(_("Outcome"), max_length=16, choices=Outcome.choices, blank=True)
    review_notes = models.TextField(_("Review notes"), max_length=2000, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Emergency access {self.pk}"

    def is_active(self, at: datetime) -> bool:
        return self.started_at <= at < self.expires_at


class SubjectAccessRequest(models.Model):
    """Her request for a copy of everything held about her: due in one calendar month,
    extendable by two more when the request is complex."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        EXTENDED = "extended", _("Extended")
        COMPLETED = "completed", _("Completed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="subject_access_requests"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField(_("Date received"))
    due_on = models.DateField()
    extended_to = models.DateField(null=True, blank=True)
    extension_reason = models.TextField(_("Why more time is needed"), max_length=1000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    completed_on = models.DateField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_on"]

    def __str__(self) -> str:
        return f"Subject access request {self.pk}"

    @property
    def deadline(self) -> date:
        return self.extended_to or self.due_on


class RightsRequest(models.Model):
    """Her request to erase her record, or to restrict its use while something is resolved."""

    class Kind(models.TextChoices):
        ERASURE = "erasure", _("Erasure")
        RESTRICTION = "restriction", _("Restriction")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        AGREED = "agreed", _("Agreed")
        REFUSED = "refused", _("Refused")
        LIFTED = "lifted", _("Restriction lifted")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="rights_requests"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    received_on = models.DateField(_("Date received"))
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(_("Notes"), max_length=2000, blank=True)

    class Meta:
        ordering = ["-received_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} request {self.pk}"


class ErasureRecord(AppendOnlyModel):
    """The tombstone of an erased record: that it existed and why it went, nothing about her."""

    class Reason(models.TextChoices):
        RETENTION = "retention", _("Retention period ended")
        REQUEST = "request", _("Her erasure request")

    person_id = models.UUIDField(unique=True)
    erased_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=12, choices=Reason.choices)
    rule = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-erased_at"]

    def __str__(self) -> str:
        return f"Erased {self.erased_at:%Y-%m-%d}"
