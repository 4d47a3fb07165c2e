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
    "person.engagement": _("Changed whether she is engaging"),
    "person.need_added": _("Recorded a need"),
    "person.need_removed": _("Removed a need"),
    "person.disclosure_added": _("Recorded a disclosure"),
    "consent.recorded": _("Recorded her decision about consent"),
    "share.made": _("Shared her information with an organisation"),
    "share.ended": _("Stopped sharing with an organisation"),
    "condition.recorded": _("Recorded a condition of a caution or order"),
    "condition.ended": _("Ended a condition of a caution or order"),
    "safeguarding.shared": _("Shared without consent to keep someone safe"),
    "safeguarding.revoked": _("Stopped a safeguarding share"),
    "emergency.opened": _("Opened her record in an emergency"),
    "emergency.reviewed": _("Reviewed emergency access to her record"),
    "rights.manage": _("Handled her data protection rights"),
    "rights.sar_opened": _("Recorded her subject access request"),
    "rights.sar_extended": _("Extended her subject access request"),
    "rights.sar_completed": _("Completed her subject access request"),
    "rights.erasure_requested": _("Recorded her erasure request"),
    "rights.restriction_requested": _("Recorded her restriction request"),
    "rights.restriction_agreed": _("Restricted her record"),
    "rights.restriction_lifted": _("Lifted the restriction on her record"),
    "rights.erasure_agreed": _("Agreed to erase her record"),
    "rights.erasure_refused": _("Refused her erasure request"),
    "rights.restriction_refused": _("Refused her restriction request"),
    "retention.erased": _("Erased her record"),
    "consent.manage": _("Looked at her consent and sharing"),
    "share.manage": _("Prepared a share of her information"),
    "condition.manage": _("Recorded a condition of a caution or order"),
    "safeguarding.share": _("Prepared a share without consent"),
    "safeguarding.view": _("Looked at a share made without consent"),
    "safeguarding.revoke": _("Stopped a share made without consent"),
}

# Parts of the record a read names: the field groups (privacy.groups.FieldGroup) and the
# like. Older rows may name "identifiers" and "needs".
PARTS = {
    "identity": _("name, date of birth and identifiers"),
    "identifiers": _("identifiers"),
    "engagement": _("whether she is engaging"),
    "needs_summary": _("summary of needs"),
    "plan_progress": _("support plan progress"),
    "accommodation": _("accommodation need"),
    "health": _("health needs"),
    "abuse": _("disclosures about abuse"),
    "sex_work": _("disclosures about sex work"),
    "confidential_address": _("confidential address"),
    "immigration": _("immigration status"),
    "consent": _("consent decisions"),
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
