"""Reference data shared by every app: geography by ONS code and the women's prisons."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Area(models.Model):
    """A place an organisation serves: a local authority district, police force area or
    probation region. Districts belong to a police force area, which belongs to a region."""

    class Kind(models.TextChoices):
        LOCAL_AUTHORITY = "local_authority", _("Local authority")
        POLICE_FORCE_AREA = "police_force_area", _("Police force area")
        PROBATION_REGION = "probation_region", _("Probation region")

    # An ONS GSS code (E09000001, W06000015, E23000001); probation regions, which have no
    # GSS code, use their nDelius code (N07).
    code = models.CharField(max_length=9, unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=24, choices=Kind.choices, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_london_borough(self) -> bool:
        return self.code.startswith("E09")

    @property
    def is_welsh(self) -> bool:
        return self.code.startswith("W")


class Prison(models.Model):
    """A prison that holds women, by its NOMIS code."""

    nomis_code = models.CharField(max_length=3, unique=True)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ScheduledRun(models.Model):
    """One enqueued run of a scheduled job. The unique slot means that however many workers
    run the scheduler, each run is enqueued once."""

    job = models.CharField(max_length=100)
    slot = models.DateTimeField()
    enqueued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="scheduledrun_once")]

    def __str__(self) -> str:
        return f"{self.job} at {self.slot:%Y-%m-%d %H:%M}"
