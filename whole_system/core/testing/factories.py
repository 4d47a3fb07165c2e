"""Factories named by state. People are made through the services, so tests exercise the same
rules as production."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from whole_system.accounts.models import Membership, Organisation, User
from whole_system.accounts.services import create_member
from whole_system.people import services as people_services
from whole_system.people.models import Person

PASSWORD = "correct-horse-battery-staple-7"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Test organisation {n}")
    type = Organisation.Type.WOMENS_SERVICE


def make_user(
    organisation: Organisation | None,
    role: str = Membership.Role.KEYWORKER,
    *,
    email: str | None = None,
    with_device: bool = True,
    is_demo: bool = False,
    safeguarding_lead: bool = False,
    data_protection_lead: bool = False,
) -> User:
    """A member of `organisation` with a confirmed security-code device; optionally its
    designated safeguarding lead or data protection lead."""
    user = create_member(
        email=email or f"user-{uuid.uuid4().hex[:10]}@example.org",
        full_name="Test User",
        organisation=organisation,
        role=role,
        password=PASSWORD,
        is_demo=is_demo,
    )
    if safeguarding_lead or data_protection_lead:
        membership = user.membership
        membership.is_safeguarding_lead = safeguarding_lead
        membership.is_data_protection_lead = data_protection_lead
        membership.save()
    if with_device:
        TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return user


def make_person(by: User, **data: Any) -> Person:
    """A woman created by `by` (so `by`'s organisation is on her case team)."""
    fields = {"given_name": "Jane", "family_name": "Testperson", "date_of_birth": date(1990, 4, 3)}
    fields.update(data)
    return people_services.create_person(by=by, data=fields, submission=uuid.uuid4())


def add_to_case_team(person: Person, organisation: Organisation) -> None:
    """Make `organisation` one that holds her case (sees her whole record)."""
    people_services.add_to_case_team(person, organisation=organisation, by=None)
