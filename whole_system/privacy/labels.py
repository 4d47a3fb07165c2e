"""What the access log's codes mean, in words a manager (and, later, the woman) can read."""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from whole_system.people.models import (
    Address,
    ContactDetails,
    Dependant,
    EqualityMonitoring,
    Person,
)

ACTIONS = {
    "person.view": _("Opened her record"),
    "person.search_result": _("Listed in search results"),
    "person.edit": _("Opened a form to change her record"),
    "person.view_access_log": _("Looked at who has viewed her record"),
    "person.create": _("Created her record"),
    "person.update": _("Changed her record"),
    "person.contact": _("Changed her contact details"),
    "person.address": _("Changed her address"),
    "person.equality": _("Changed her equality monitoring answers"),
    "person.name_added": _("Added a previous name or alias"),
    "person.name_removed": _("Removed a previous name or alias"),
    "person.dependant_added": _("Added a child or dependant"),
    "person.dependant_removed": _("Removed a child or dependant"),
    "person.case_team_added": _("Added an organisation to her case team"),
}

# Parts of the record a read names (privacy.policy.RECORD_PARTS and the like).
PARTS = {
    "identity": _("name and date of birth"),
    "identifiers": _("identifiers"),
    "contact": _("contact and safety"),
    "address": _("address"),
    "needs": _("language, access and pregnancy"),
    "dependants": _("children and dependants"),
    "equality": _("equality monitoring"),
    "access_log": _("who has viewed her record"),
    "names": _("other names"),
    "case_team": _("organisations working with her"),
}

# The models whose field names a change names (their _meta only), in the order looked in.
_RECORD_MODELS = (Person, ContactDetails, Address, EqualityMonitoring, Dependant)


def action_label(action: str) -> str:
    return str(ACTIONS.get(action, action))


def field_label(name: str) -> str:
    """A part of the record, or the label of one of its fields, by its code."""
    if name in PARTS:
        return str(PARTS[name])
    for model in _RECORD_MODELS:
        try:
            field = model._meta.get_field(name.removesuffix("_id"))
        except FieldDoesNotExist:
            continue
        return str(getattr(field, "verbose_name", name)).lower()
    return name
