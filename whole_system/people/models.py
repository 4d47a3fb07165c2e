"""The woman's record: one record for one woman, whoever she meets in the justice system.

Nothing here is read by views directly: every read starts in whole_system.privacy.policy.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from whole_system.accounts.models import Organisation
from whole_system.core.models import Area
from whole_system.privacy.encryption import EncryptedTextField

from . import choices


class Person(models.Model):
    # Who she is: the fields the identity form edits and the API returns in a summary.
    IDENTITY_FIELDS = (
        "given_name",
        "family_name",
        "preferred_name",
        "date_of_birth",
        "pnc_number",
        "prison_number",
        "probation_crn",
        "nhs_number",
    )

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Legal name; her preferred name is what staff call her.
    given_name = models.CharField(_("Given names"), max_length=100)
    family_name = models.CharField(_("Family name"), max_length=100)
    preferred_name = models.CharField(_("Preferred name"), max_length=100, blank=True)
    date_of_birth = models.DateField(_("Date of birth"), null=True, blank=True, db_index=True)

    pnc_number = models.CharField(_("PNC number"), max_length=13, blank=True, db_index=True)
    prison_number = models.CharField(_("Prison number"), max_length=7, blank=True, db_index=True)
    probation_crn = models.CharField(
        _("Probation case reference"), max_length=7, blank=True, db_index=True
    )
    nhs_number = models.CharField(_("NHS number"), max_length=10, blank=True, db_index=True)

    first_language = models.CharField(_("First language"), max_length=60, blank=True)
    interpreter_needed = models.BooleanField(_("Needs an interpreter"), default=False)
    accessibility_needs = models.TextField(_("Accessibility needs"), max_length=2000, blank=True)
    pregnancy = models.CharField(
        _("Pregnancy"), max_length=20, choices=choices.Pregnancy.choices, blank=True
    )
    due_date = models.DateField(_("Due date"), null=True, blank=True)

    class Engagement(models.TextChoices):
        AWAITING = "awaiting", _("Not yet started")
        ENGAGING = "engaging", _("Engaging")
        NOT_ENGAGING = "not_engaging", _("Not engaging")
        ENDED = "ended", _("Support ended")

    # What police and probation may learn under a condition of a caution or an order.
    engagement_status = models.CharField(
        _("Engagement"), max_length=16, choices=Engagement.choices, default=Engagement.AWAITING
    )
    engagement_updated_at = models.DateTimeField(null=True, blank=True)
    # Retention runs from her last contact with any service (privacy.retention).
    last_contact_at = models.DateTimeField(default=timezone.now, db_index=True)
    # A restricted record (her request, while it is considered) is left out of sharing,
    # search, reports and exports; only the organisations holding her case can open it.
    restricted_at = models.DateTimeField(null=True, blank=True)

    # Bumped on every change: an edit made from an out-of-date page is refused, not merged.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name = _("woman")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return f"{self.preferred_name or self.given_name} {self.family_name}"

    @property
    def legal_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth is None:
            return None
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


class PersonName(models.Model):
    """Every name she is or was known by, folded for search. Kept by people.services."""

    class Kind(models.TextChoices):
        LEGAL = "legal", _("Legal name")
        PREFERRED = "preferred", _("Preferred name")
        PREVIOUS = "previous", _("Previous name")
        ALIAS = "alias", _("Alias")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="names")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    given_name = models.CharField(_("Given names"), max_length=100, blank=True)
    family_name = models.CharField(_("Family name"), max_length=100, blank=True)
    # Folded forms (people.names.fold) used by search.
    # db_index gives a plain index on SQLite and, on PostgreSQL, a varchar_pattern_ops index
    # too, so prefix search (LIKE 'smi%') is an index range scan on both. A trigram index on
    # full_folded, for spelling-tolerant search, is created by a PostgreSQL-only migration.
    given_folded = models.CharField(max_length=100, blank=True, db_index=True)
    family_folded = models.CharField(max_length=100, blank=True, db_index=True)
    full_folded = models.CharField(max_length=201, blank=True)

    class Meta:
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


class ContactDetails(models.Model):
    """How to reach her, and how it is safe to. Every reminder obeys these preferences."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="contact")
    phone = models.CharField(_("Phone number"), max_length=30, blank=True)
    email = models.EmailField(_("Email address"), max_length=254, blank=True)
    may_phone = models.BooleanField(_("Safe to phone"), default=False)
    may_text = models.BooleanField(_("Safe to text"), default=False)
    may_leave_voicemail = models.BooleanField(_("Safe to leave a voicemail"), default=False)
    may_write = models.BooleanField(_("Safe to write"), default=False)
    may_email = models.BooleanField(_("Safe to email"), default=False)
    safe_times = models.CharField(_("Safe times to contact"), max_length=200, blank=True)
    safe_word = models.CharField(_("Safe word"), max_length=60, blank=True)

    def __str__(self) -> str:
        return f"Contact details {self.pk}"

    def safe_methods(self) -> list[str]:
        """The ways it is safe to contact her, as labels, in a fixed order."""
        names = ["may_phone", "may_text", "may_leave_voicemail", "may_write", "may_email"]
        fields = [self._meta.get_field(n) for n in names if getattr(self, n)]
        return [str(getattr(field, "verbose_name", field.name)) for field in fields]


class Address(models.Model):
    """Her current address. A confidential address (a refuge) is shown only to the
    organisation that recorded it. The lines are encrypted in the application
    (privacy.encryption), so a database dump never holds them in plain text."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="address")
    line_1 = EncryptedTextField(_("Address line 1"), max_length=200, blank=True)
    line_2 = EncryptedTextField(_("Address line 2"), max_length=200, blank=True)
    town = EncryptedTextField(_("Town or city"), max_length=100, blank=True)
    postcode = EncryptedTextField(_("Postcode"), max_length=10, blank=True)
    area = models.ForeignKey(
        Area,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": Area.Kind.LOCAL_AUTHORITY},
        verbose_name=_("Local authority"),
    )
    is_confidential = models.BooleanField(_("Confidential address"), default=False)
    recorded_by_organisation = models.ForeignKey(
        Organisation, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Address {self.pk}"

    @property
    def lines(self) -> str:
        return "\n".join(p for p in (self.line_1, self.line_2, self.town, self.postcode) if p)


class Dependant(models.Model):
    class LivesWith(models.TextChoices):
        HER = "her", _("With her")
        OTHER_PARENT = "other_parent", _("With their other parent")
        FAMILY = "family", _("With family or friends")
        CARE = "care", _("In local authority care")
        ADOPTED = "adopted", _("Adopted")
        INDEPENDENT = "independent", _("Independently")
        OTHER = "other", _("Somewhere else")
        PREFER_NOT_TO_SAY = choices.PREFER_NOT_TO_SAY, _("Prefer not to say")

    class SocialServices(models.TextChoices):
        NONE = "none", _("None")
        CHILD_IN_NEED = "child_in_need", _("Child in need plan")
        CHILD_PROTECTION = "child_protection", _("Child protection plan")
        LOOKED_AFTER = "looked_after", _("Looked after child")
        UNKNOWN = "unknown", _("Not known")
        PREFER_NOT_TO_SAY = choices.PREFER_NOT_TO_SAY, _("Prefer not to say")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="dependants")
    first_name = models.CharField(_("First name"), max_length=100, blank=True)
    date_of_birth = models.DateField(_("Date of birth"), null=True, blank=True)
    lives_with = models.CharField(_("Where they live"), max_length=20, choices=LivesWith.choices)
    social_services = models.CharField(
        _("Social services involvement"), max_length=20, choices=SocialServices.choices
    )

    class Meta:
        ordering = ["date_of_birth", "id"]

    def __str__(self) -> str:
        return self.first_name or str(self.pk)


class EqualityMonitoring(models.Model):
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="equality")
    ethnicity = models.CharField(
        _("Ethnic group"), max_length=32, choices=choices.Ethnicity.choices, blank=True
    )
    religion = models.CharField(
        _("Religion"), max_length=20, choices=choices.Religion.choices, blank=True
    )
    disability = models.CharField(
        _("Disability"), max_length=20, choices=choices.YesNoPreferNot.choices, blank=True
    )
    sexual_orientation = models.CharField(
        _("Sexual orientation"),
        max_length=20,
        choices=choices.SexualOrientation.choices,
        blank=True,
    )
    gender_same_as_sex_at_birth = models.CharField(
        _("Gender identity the same as sex registered at birth"),
        max_length=20,
        choices=choices.YesNoPreferNot.choices,
        blank=True,
    )
    nationality = models.CharField(
        _("Nationality"), max_length=20, choices=choices.Nationality.choices, blank=True
    )
    immigration_status = models.CharField(
        _("Immigration status"),
        max_length=20,
        choices=choices.ImmigrationStatus.choices,
        blank=True,
    )
    care_experienced = models.CharField(
        _("Care experienced"), max_length=20, choices=choices.YesNoPreferNot.choices, blank=True
    )

    def __str__(self) -> str:
        return f"Equality monitoring {self.pk}"


class CaseTeamQuerySet(models.QuerySet["CaseTeamMembership"]):
    def current(self) -> CaseTeamQuerySet:
        """Memberships in force now: started, not ended, and not past a planned end."""
        now = timezone.now()
        return self.filter(ended_at__isnull=True, added_at__lte=now).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=now)
        )


class CaseTeamMembership(models.Model):
    """An organisation working with her, and on what basis. The policy reads these rows and
    nothing else to decide what an organisation sees: the organisation holding her case sees
    her record; any other sees the field groups its row carries, until the row ends.

    Rows are kept by privacy.sharing (and people.services for the holding organisation)."""

    class Basis(models.TextChoices):
        HOLDER = "holder", _("Holds her case")
        CONSENT = "consent", _("She agreed to share")
        CONDITION = "condition", _("Condition of a caution or order")
        SAFEGUARDING = "safeguarding", _("Safeguarding share without consent")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="case_team")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="case_memberships"
    )
    basis = models.CharField(max_length=16, choices=Basis.choices, default=Basis.HOLDER)
    # The consent purpose, for a share she agreed to; blank otherwise.
    purpose = models.CharField(max_length=32, blank=True)
    # The field groups (privacy.groups.FieldGroup) this row lets the organisation see. Empty
    # for the organisation holding her case, which sees her record.
    groups = models.JSONField(default=list, blank=True)
    # For a share: the organisation holding her case that made it, whose sensitive items
    # (if the consent names their class) go with it.
    shared_by_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The consent, condition or safeguarding share this row comes from.
    source_id = models.UUIDField(null=True, blank=True)
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When it is due to end (a consent's expiry, the end of an order, a safeguarding share's
    # time limit); ended_at is when it did end early (consent withdrawn, share revoked).
    ends_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = CaseTeamQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation", "basis", "purpose"],
                condition=Q(ended_at__isnull=True),
                name="caseteam_one_open_per_basis",
            )
        ]
        indexes = [
            models.Index(
                fields=["organisation", "person"],
                condition=Q(ended_at__isnull=True),
                name="caseteam_current_org_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} on case team"

    @property
    def is_holder(self) -> bool:
        return self.basis == self.Basis.HOLDER

    @property
    def last_day(self) -> date | None:
        """The last day it is in force (it ends at the midnight after), for people to read."""
        if self.ends_at is None:
            return None
        return timezone.localtime(self.ends_at - timedelta(microseconds=1)).date()


class Need(models.Model):
    """A need area (../shared/DESIGN.md) identified with her, and by which organisation."""

    class Area(models.TextChoices):
        ACCOMMODATION = "accommodation", _("Accommodation")
        EDUCATION = "education", _("Education, training and employment")
        FINANCE = "finance", _("Finance, benefits and debt")
        PHYSICAL_HEALTH = "physical_health", _("Physical health")
        MENTAL_HEALTH = "mental_health", _("Mental health")
        NEURODIVERSITY = "neurodiversity", _("Learning disability, neurodiversity and brain injury")
        DRUGS = "drugs", _("Drugs")
        ALCOHOL = "alcohol", _("Alcohol")
        CHILDREN = "children", _("Children and family")
        RELATIONSHIPS = "relationships", _("Relationships")
        DOMESTIC_ABUSE = "domestic_abuse", _("Domestic abuse")
        SEXUAL_VIOLENCE = "sexual_violence", _("Sexual violence")
        EXPLOITATION = "exploitation", _("Exploitation, gangs and trafficking or modern slavery")
        SEX_WORK = "sex_work", _("Sex work")
        IMMIGRATION = "immigration", _("Immigration and no recourse to public funds")
        THINKING = "thinking", _("Thinking and behaviour")
        WELLBEING = "wellbeing", _("Wellbeing and confidence")

    class Level(models.TextChoices):
        SOME = "some", _("Some need")
        HIGH = "high", _("High need")
        URGENT = "urgent", _("Urgent")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="need_areas")
    area = models.CharField(_("Need area"), max_length=20, choices=Area.choices)
    level = models.CharField(_("Level of need"), max_length=8, choices=Level.choices)
    notes = models.TextField(_("Notes"), max_length=2000, blank=True)
    recorded_by_organisation = models.ForeignKey(
        Organisation, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["area", "recorded_at"]
        constraints = [models.UniqueConstraint(fields=["person", "area"], name="need_one_per_area")]

    def __str__(self) -> str:
        return self.get_area_display()


class Disclosure(models.Model):
    """Something she has told one organisation about abuse, exploitation or sex work. It stays
    with that organisation unless she agrees to a share that names its class; the narrative is
    encrypted in the application."""

    class Kind(models.TextChoices):
        DOMESTIC_ABUSE = "domestic_abuse", _("Domestic abuse")
        SEXUAL_VIOLENCE = "sexual_violence", _("Sexual violence")
        EXPLOITATION = "exploitation", _("Exploitation or trafficking")
        SEX_WORK = "sex_work", _("Sex work")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="disclosures")
    kind = models.CharField(_("What it is about"), max_length=20, choices=Kind.choices)
    narrative = EncryptedTextField(_("What she said"), max_length=5000)
    recorded_by_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return self.get_kind_display()


class SearchName(models.Model):
    """Each of her names, once for each organisation on her case team.

    Finding a woman then reads only the names on the searcher's organisation's caseload, so it
    costs the same however many women the whole service holds. Kept by people.services with
    the names and the case team; it only proposes candidates, which the policy then filters.
    The (organisation, name) indexes are made by the migration: varchar_pattern_ops on
    PostgreSQL, so that prefix search is an index range scan in any collation.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    given_folded = models.CharField(max_length=100)
    family_folded = models.CharField(max_length=100)

    def __str__(self) -> str:
        return f"{self.given_folded} {self.family_folded}"


class SubmissionToken(models.Model):
    """A form's one-time token: a second submit of the same form finds the first result."""

    token = models.UUIDField(primary_key=True)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return str(self.token)
