"""Her copy of everything held about her (a subject access request), as one JSON-serialisable
dict: the JSON download is this dict; the PDF renders it (privacy/rights/sar_export.html).

The copy is made by the data protection lead of an organisation holding her case, who
answers for that organisation. It includes her whole record, who it was shared with and on
what basis, and the access log. What she told another organisation about abuse, exploitation
or sex work is that organisation's to release, and the narrower rule keeps even its existence
from this one (her record page does not show it either): the copy names instead every other
organisation holding her case, for her to ask. A confidential address another organisation
recorded is named as such, with who holds it, as her record page does.

Anything that names, or may name, other people — her children, and every free-text field (a
note can name a partner or another woman) — is marked "review_before_release" with the reason,
so the lead checks it before the copy goes to her. The woman passed in has been fetched
through the policy point (policy.get_person with action "rights.manage"), which logged the read.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from whole_system.accounts.models import Membership, Organisation
from whole_system.people.models import CaseTeamMembership, Need, Person

from .groups import ConsentPurpose, FieldGroup
from .models import AccessEvent, SubjectAccessRequest

# Why an item is marked for review before release, by what it holds.
OTHER_PEOPLE = "other_people"
FREE_TEXT = "free_text"
SAFETY = "safety"


def _why(reason: str) -> str:
    return {
        OTHER_PEOPLE: _("This names other people (her children or dependants)."),
        FREE_TEXT: _(
            "Written notes may name other people, such as a partner, family or other women."
        ),
        SAFETY: _(
            "This includes her safe word and safe contact times: check the copy reaches her safely."
        ),
    }[reason]


def _review(item: dict[str, Any], reason: str) -> dict[str, Any]:
    item["review_before_release"] = True
    item["why"] = _why(reason)
    return item


# Need areas whose details belong to a sensitive class: another organisation's stay with it.
NEED_CLASS: dict[str, str] = {
    Need.Area.DOMESTIC_ABUSE: FieldGroup.ABUSE,
    Need.Area.SEXUAL_VIOLENCE: FieldGroup.ABUSE,
    Need.Area.EXPLOITATION: FieldGroup.ABUSE,
    Need.Area.SEX_WORK: FieldGroup.SEX_WORK,
}
BASES = {**dict(CaseTeamMembership.Basis.choices), "emergency": gettext_lazy("Emergency access")}


def _moment(value: datetime) -> str:
    # UK time to the minute: readable by her and by a machine.
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return _moment(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return getattr(value, "name", None) or str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _field(obj: models.Model, name: str, *, label: Any = None) -> dict[str, Any]:
    """One field of a row: its code, its label as people read it and its value (a choice's
    label, an organisation's name, dates as YYYY-MM-DD)."""
    model_field = obj._meta.get_field(name)
    value = getattr(obj, name)
    if getattr(model_field, "choices", None) and value not in (None, ""):
        value = getattr(obj, f"get_{name}_display")()
    text = str(label or getattr(model_field, "verbose_name", name))
    return {"name": name, "label": text[:1].upper() + text[1:], "value": _plain(value)}


def _value(name: str, label: Any, value: Any) -> dict[str, Any]:
    return {"name": name, "label": str(label), "value": _plain(value)}


def _item(*fields: dict[str, Any]) -> dict[str, Any]:
    return {"fields": list(fields)}


def _group_labels(groups: Iterable[str]) -> list[str]:
    labels = dict(FieldGroup.choices)
    return [str(labels.get(group, group)) for group in groups]


def _organisation_name(organisation: Organisation | None) -> str:
    return organisation.name if organisation is not None else _("An organisation")


def _address_held_elsewhere(held_by: Organisation | None) -> dict[str, Any]:
    """A confidential address another organisation holds: that it exists (her record page
    says so too) and who to ask, nothing more."""
    name = _organisation_name(held_by)
    return {
        "withheld": True,
        "fields": [
            _value("class", _("What it is"), FieldGroup.CONFIDENTIAL_ADDRESS.label),
            _value("held_by", _("Held by"), name),
            _value(
                "note",
                _("How to get it"),
                _("Held by %(organisation)s: ask them for it.") % {"organisation": name},
            ),
        ],
    }


def _section(title: str, items: list[dict[str, Any]], **review: Any) -> dict[str, Any]:
    section: dict[str, Any] = {"title": title, "review_before_release": False, "items": items}
    if review.get("reason"):
        _review(section, review["reason"])
    return section


RECORD_FIELDS = (
    *Person.IDENTITY_FIELDS,
    "first_language",
    "interpreter_needed",
    "accessibility_needs",
    "pregnancy",
    "due_date",
    "engagement_status",
    "engagement_updated_at",
    "last_contact_at",
    "restricted_at",
    "created_at",
    "updated_at",
)
CONTACT_FIELDS = (
    "phone",
    "email",
    "may_phone",
    "may_text",
    "may_leave_voicemail",
    "may_write",
    "may_email",
    "safe_times",
    "safe_word",
)
EQUALITY_FIELDS = (
    "ethnicity",
    "religion",
    "disability",
    "sexual_orientation",
    "gender_same_as_sex_at_birth",
    "nationality",
    "immigration_status",
    "care_experienced",
)


def _one_to_one(person: Person, name: str) -> Any:
    # A missing one-to-one row raises RelatedObjectDoesNotExist, an AttributeError.
    return getattr(person, name, None)


def _record(person: Person) -> dict[str, Any]:
    record = _item(_value("id", _("Record number"), str(person.pk)))
    record["fields"] += [_field(person, name) for name in RECORD_FIELDS]
    return _section(_("Her record"), [record])


def _names(person: Person) -> dict[str, Any]:
    items = [
        _item(_field(n, "kind", label=_("Kind")), _field(n, "given_name"), _field(n, "family_name"))
        for n in person.names.all()
    ]
    return _section(_("Names she is or was known by"), items)


def _contact(person: Person) -> dict[str, Any]:
    contact = _one_to_one(person, "contact")
    items = [_item(*(_field(contact, name) for name in CONTACT_FIELDS))] if contact else []
    return _section(_("Contact and safety"), items, reason=SAFETY if contact else None)


def _address(person: Person, organisation: Organisation) -> dict[str, Any]:
    address = _one_to_one(person, "address")
    if address is None:
        items = []
    elif address.is_confidential and address.recorded_by_organisation_id != organisation.pk:
        items = [_address_held_elsewhere(address.recorded_by_organisation)]
    else:
        items = [
            _item(
                *(_field(address, n) for n in ("line_1", "line_2", "town", "postcode", "area")),
                _field(address, "is_confidential"),
                _field(address, "recorded_by_organisation", label=_("Recorded by")),
            )
        ]
    return _section(_("Address"), items)


def _needs(person: Person, organisation: Organisation) -> dict[str, Any]:
    items = []
    for need in person.need_areas.select_related("recorded_by_organisation"):
        if need.area in NEED_CLASS and need.recorded_by_organisation_id != organisation.pk:
            continue  # another organisation's, in a sensitive area: see other_organisations
        item = _item(
            _field(need, "area"),
            _field(need, "level"),
            _field(need, "notes"),
            _field(need, "recorded_by_organisation", label=_("Recorded by")),
            _field(need, "recorded_at", label=_("Recorded on")),
        )
        items.append(_review(item, FREE_TEXT) if need.notes else item)
    return _section(_("Needs"), items)


def _disclosures(person: Person, organisation: Organisation) -> dict[str, Any]:
    items = []
    for disclosure in person.disclosures.select_related("recorded_by_organisation"):
        if disclosure.recorded_by_organisation_id != organisation.pk:
            continue  # another organisation's: see other_organisations
        item = _item(
            _field(disclosure, "kind"),
            _field(disclosure, "narrative"),
            _field(disclosure, "recorded_by_organisation", label=_("Recorded by")),
            _field(disclosure, "recorded_at", label=_("Recorded on")),
        )
        items.append(_review(item, FREE_TEXT))
    return _section(_("What she has disclosed about abuse, exploitation or sex work"), items)


def _other_organisations(person: Person, organisation: Organisation) -> dict[str, Any]:
    """Every other organisation that holds or held her case, or recorded something about her:
    what they hold is theirs to give her."""
    organisations: dict[Any, Organisation] = {}
    holders = person.case_team.filter(basis=CaseTeamMembership.Basis.HOLDER)
    for row in holders.select_related("organisation").order_by("added_at"):
        organisations.setdefault(row.organisation_id, row.organisation)
    for disclosure in person.disclosures.select_related("recorded_by_organisation"):
        organisations.setdefault(
            disclosure.recorded_by_organisation_id, disclosure.recorded_by_organisation
        )
    organisations.pop(organisation.pk, None)
    items = [
        _item(
            _value("organisation", _("Organisation"), other),
            _value(
                "note",
                _("What they hold"),
                _(
                    "%(organisation)s also works with her and may hold information that is "
                    "theirs to give: she can ask them for it."
                )
                % {"organisation": other.name},
            ),
        )
        for other in sorted(organisations.values(), key=lambda o: o.name)
    ]
    return _section(_("Other organisations she can ask"), items)


def _dependants(person: Person) -> dict[str, Any]:
    items = [
        _item(
            *(
                _field(d, n)
                for n in ("first_name", "date_of_birth", "lives_with", "social_services")
            )
        )
        for d in person.dependants.all()
    ]
    return _section(
        _("Children and other dependants"), items, reason=OTHER_PEOPLE if items else None
    )


def _equality(person: Person) -> dict[str, Any]:
    equality = _one_to_one(person, "equality")
    items = [_item(*(_field(equality, n) for n in EQUALITY_FIELDS))] if equality else []
    return _section(_("Equality monitoring"), items)


def _consents(person: Person) -> dict[str, Any]:
    items = []
    rows = person.consents.select_related("recipient_organisation", "recorded_by_organisation")
    for consent in rows.order_by("recorded_at", "id"):
        item = _item(
            _field(consent, "purpose"),
            _value("recipient", _("Shared with"), consent.recipient_label),
            _value(
                "sensitive_classes",
                _("Sensitive information included"),
                _group_labels(consent.sensitive_classes),
            ),
            _field(consent, "decision"),
            _field(consent, "method"),
            _field(consent, "recorded_by_organisation", label=_("Recorded by")),
            _field(consent, "recorded_at", label=_("Recorded on")),
            _field(consent, "review_on"),
            _field(consent, "expires_on"),
            _field(consent, "notes"),
        )
        items.append(_review(item, FREE_TEXT) if consent.notes else item)
    return _section(_("Her consent decisions, oldest first"), items)


def _case_team(person: Person) -> dict[str, Any]:
    now = timezone.now()
    purposes = dict(ConsentPurpose.choices)
    items = []
    rows = person.case_team.select_related("organisation", "shared_by_organisation")
    for row in rows.order_by("added_at", "id"):
        current = (
            row.ended_at is None
            and row.added_at <= now
            and (row.ends_at is None or row.ends_at > now)
        )
        items.append(
            _item(
                _value("organisation", _("Organisation"), row.organisation),
                _value("basis", _("On what basis"), row.get_basis_display()),
                _value("purpose", _("For what purpose"), purposes.get(row.purpose, row.purpose)),
                _value(
                    "groups",
                    _("What they may see"),
                    _group_labels(row.groups) if row.groups else [_("Her whole record")],
                ),
                _value("shared_by", _("Shared by"), row.shared_by_organisation),
                _value("started", _("From"), row.added_at),
                _value("ends", _("Due to end"), row.ends_at),
                _value("ended", _("Ended"), row.ended_at),
                _value("current", _("Current"), current),
            )
        )
    return _section(_("Who her record was shared with, and on what basis"), items)


def _conditions(person: Person) -> dict[str, Any]:
    items = [
        _item(
            _field(c, "kind"),
            _value("organisation", _("Organisation"), c.organisation),
            _field(c, "starts_on"),
            _field(c, "ends_on"),
            _value("ended", _("Ended early"), c.ended_at),
        )
        for c in person.order_conditions.select_related("organisation")
    ]
    return _section(_("Conditions of a caution or order"), items)


def _safeguarding(person: Person) -> dict[str, Any]:
    items = []
    rows = person.safeguarding_shares.select_related("from_organisation", "to_organisation")
    for share in rows.order_by("made_at"):
        item = _item(
            _value("from", _("Shared by"), share.from_organisation),
            _value("to", _("Shared with"), share.to_organisation),
            _field(share, "reason_category"),
            _field(share, "reason"),
            _value("groups", _("What was shared"), _group_labels(share.groups)),
            _value("made", _("When"), share.made_at),
            _value("expires", _("Until"), share.expires_at),
            _value("revoked", _("Stopped early"), share.revoked_at),
        )
        items.append(_review(item, FREE_TEXT))
    return _section(_("Safeguarding shares made without her consent"), items)


def _role_label(role: str) -> str:
    return str(dict(Membership.Role.choices).get(role, role))


def _emergencies(person: Person) -> dict[str, Any]:
    items = []
    rows = person.emergency_accesses.select_related("organisation", "user__membership")
    for access in rows.order_by("started_at"):
        membership = access.user.membership_or_none
        item = _item(
            _value("organisation", _("Organisation"), access.organisation),
            _value("role", _("Role"), _role_label(membership.role) if membership else ""),
            _field(access, "reason_category"),
            _field(access, "reason"),
            _value("started", _("When"), access.started_at),
            _value("expires", _("Until"), access.expires_at),
            _field(access, "outcome", label=_("Review outcome")),
            _value("reviewed", _("Reviewed on"), access.reviewed_at),
            _field(access, "review_notes"),
        )
        items.append(_review(item, FREE_TEXT))
    return _section(_("Emergency access to her record"), items)


def _access_log(person: Person) -> dict[str, Any]:
    events = AccessEvent.objects.filter(person_id=person.pk).select_related("organisation")
    items = [
        _item(
            _value("when", _("When"), event.occurred_at),
            _value("kind", _("Viewed or changed"), event.get_kind_display()),
            _value("organisation", _("Organisation"), event.organisation),
            _value("role", _("Role"), event.role_label if event.role else ""),
            _value("action", _("What they did"), event.action_label),
            _value("parts", _("Parts of her record"), event.field_labels),
            _value("purpose", _("Why"), event.get_purpose_display() if event.purpose else ""),
            _value("channel", _("How"), event.get_channel_display()),
            _value(
                "basis",
                _("On what basis"),
                [str(BASES.get(b, b)) for b in event.basis.split(",") if b],
            ),
        )
        for event in events.order_by("occurred_at", "id")
    ]
    return _section(_("Who has viewed or changed her record"), items)


def build_export(
    person: Person,
    *,
    for_organisation: Organisation,
    request: SubjectAccessRequest | None = None,
    generated_at: datetime | None = None,
) -> dict[str, Any]:
    """Everything held about her, for her subject access request, as `for_organisation`
    (which holds her case) answers it. JSON-serialisable: strings, numbers, booleans, lists
    and dicts only."""
    generated_at = generated_at or timezone.now()
    sections = {
        "record": _record(person),
        "names": _names(person),
        "contact": _contact(person),
        "address": _address(person, for_organisation),
        "needs": _needs(person, for_organisation),
        "disclosures": _disclosures(person, for_organisation),
        "dependants": _dependants(person),
        "equality": _equality(person),
        "consents": _consents(person),
        "case_team": _case_team(person),
        "order_conditions": _conditions(person),
        "safeguarding_shares": _safeguarding(person),
        "emergency_accesses": _emergencies(person),
        "access_log": _access_log(person),
        "other_organisations": _other_organisations(person, for_organisation),
    }
    to_review = sum(
        1
        if section["review_before_release"]
        else sum(1 for item in section["items"] if item.get("review_before_release"))
        for section in sections.values()
    )
    return {
        "metadata": {
            "title": _("Everything Whole System holds about her"),
            "generated_at": _moment(generated_at),
            "generated_by": for_organisation.name,
            "request_id": str(request.pk) if request else None,
            "received_on": _plain(request.received_on) if request else None,
            "deadline": _plain(request.deadline) if request else None,
            "times": _("Dates are year-month-day; times are UK time."),
            "items_to_review": to_review,
        },
        "sections": sections,
    }


def _text(value: Any) -> str:
    """A field's value as the printed copy shows it."""
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _printed(section: dict[str, Any]) -> dict[str, Any]:
    items = [
        {**item, "fields": [{**f, "text": _text(f["value"])} for f in item["fields"]]}
        for item in section["items"]
    ]
    return {**section, "items": items}


def render_html(export: dict[str, Any]) -> str:
    """Her copy as a print-friendly page, in the active language, for the PDF."""
    return render_to_string(
        "privacy/rights/sar_export.html",
        {
            "metadata": export["metadata"],
            "sections": [_printed(section) for section in export["sections"].values()],
        },
    )


def render_pdf(export: dict[str, Any]) -> bytes:
    """Her copy as a PDF. The page fetches nothing: its styles are inline and its font (DejaVu
    Sans, which has every Welsh letter) comes from the system."""
    from weasyprint import HTML  # a heavy import, needed only here

    pdf = HTML(string=render_html(export), base_url=str(Path(__file__).parent)).write_pdf()
    assert pdf is not None  # write_pdf returns bytes when given no target
    return pdf
