"""The access and change log. Rows are only ever added: the application refuses to update or
delete them, the database refuses too (triggers in the migrations), and a nightly job checks a
hash chain over sealed rows so that a change made behind the application's back is found."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from whole_system.accounts.models import Membership, Organisation

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
