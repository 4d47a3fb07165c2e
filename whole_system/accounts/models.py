"""Organisations, their teams, and the people who use Whole System with a role in one of them."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from whole_system.core.models import Area


class Organisation(models.Model):
    class Type(models.TextChoices):
        POLICE = "police", _("Police force")
        LIAISON_AND_DIVERSION = "liaison_diversion", _("Liaison and diversion service")
        COURT = "court", _("Court")
        PROBATION = "probation", _("Probation delivery unit")
        PRISON = "prison", _("Prison")
        LOCAL_AUTHORITY = "local_authority", _("Local authority")
        HEALTH = "health", _("Health service")
        WOMENS_SERVICE = "womens_service", _("Women's centre or specialist service")
        HOUSING = "housing", _("Housing provider")
        COMMISSIONER = "commissioner", _("Commissioner")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200, unique=True)
    type = models.CharField(max_length=24, choices=Type.choices)
    areas = models.ManyToManyField(Area, related_name="organisations", blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Someone who signs in. What they may see follows from their membership, never the user."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    # Demo accounts only exist in the synthetic demo world; the demo may waive two-factor
    # for them and only them.
    is_demo = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    # Set by the sign-in backend for the attempt in hand; never stored.
    otp_device: Any = None
    needs_enrolment: bool = False

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def membership_or_none(self) -> Membership | None:
        try:
            return self.membership
        except Membership.DoesNotExist:
            return None

    @property
    def organisation_id(self) -> uuid.UUID | None:
        """The organisation the user belongs to, or None (a platform administrator)."""
        membership = self.membership_or_none
        return membership.organisation_id if membership is not None else None


class Membership(models.Model):
    """A user's place in one organisation, with the one role they act in."""

    class Role(models.TextChoices):
        KEYWORKER = "keyworker", _("Keyworker")
        SERVICE_MANAGER = "service_manager", _("Service manager")
        REFERRER = "referrer", _("Referrer")
        PROBATION_PRACTITIONER = "probation_practitioner", _("Probation practitioner")
        POLICE_OFFICER = "police_officer", _("Police officer")
        ANALYST = "analyst", _("Analyst")
        ORGANISATION_ADMIN = "organisation_admin", _("Organisation administrator")
        PLATFORM_ADMIN = "platform_admin", _("Platform administrator")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="membership")
    # Only a platform administrator belongs to no organisation.
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL)
    role = models.CharField(max_length=32, choices=Role.choices)
    # Designations an organisation gives some of its staff, on top of their role.
    # A designated safeguarding lead may share without consent to keep someone safe.
    is_safeguarding_lead = models.BooleanField(_("Designated safeguarding lead"), default=False)
    # The data protection lead handles subject access, erasure and restriction requests and is
    # told of every safeguarding share made without consent.
    is_data_protection_lead = models.BooleanField(_("Data protection lead"), default=False)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | Q(role="platform_admin"),
                name="membership_needs_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"
