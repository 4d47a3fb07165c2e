"""Set-up shared by the consent and sharing page tests: her record filled in and her decisions
made through the services, so the tests exercise the same rules as production. Synthetic data
only."""

from __future__ import annotations

import html
from datetime import date

from whole_system.people import services as people_services
from whole_system.people.models import Disclosure, Need
from whole_system.privacy import sharing
from whole_system.privacy.groups import ConsentPurpose
from whole_system.privacy.models import Consent

PHONE = "07700 900 123"
NHS = "9434765919"
NARRATIVE = "Marker narrative 4f1c: synthetic account of abuse"
NEED_NOTES = "Marker need 8b2e: synthetic debt details"


def text(response) -> str:
    return html.unescape(response.content.decode())


def _version(person) -> int:
    person.refresh_from_db()
    return person.version


def fill_record(person, by) -> None:
    """A phone number, a need and an abuse disclosure, recorded by `by`'s organisation."""
    people_services.update_contact(
        person, by=by, version=_version(person), data={"phone": PHONE, "may_phone": True}
    )
    people_services.record_need(
        person,
        by=by,
        version=_version(person),
        data={"area": Need.Area.FINANCE, "level": Need.Level.HIGH, "notes": NEED_NOTES},
    )
    people_services.add_disclosure(
        person,
        by=by,
        version=_version(person),
        data={"kind": Disclosure.Kind.DOMESTIC_ABUSE, "narrative": NARRATIVE},
    )
    _version(person)


def agree(
    person,
    by,
    *,
    purpose=ConsentPurpose.ENGAGEMENT_PROBATION,
    recipient=None,
    recipient_type="",
    classes=(),
    expires_on: date | None = None,
    review_on: date | None = None,
) -> Consent:
    return sharing.record_consent(
        person,
        by=by,
        purpose=purpose,
        decision=Consent.Decision.GIVEN,
        method=Consent.Method.SPOKEN,
        recipient_organisation=recipient,
        recipient_type=recipient_type,
        sensitive_classes=classes,
        expires_on=expires_on,
        review_on=review_on,
    )


def date_fields(name: str, day: date | None) -> dict[str, str]:
    if day is None:
        return {f"{name}_0": "", f"{name}_1": "", f"{name}_2": ""}
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}
