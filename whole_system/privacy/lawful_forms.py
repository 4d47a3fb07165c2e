"""Forms for the lawful bases other than consent: a safeguarding share without her consent,
emergency access ("break the glass") and a manager's review of it. Each validates everything
before anything is saved; the services in privacy.sharing check the rules again."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from whole_system.accounts.models import Organisation
from whole_system.core.forms import GovForm, PastDateField
from whole_system.people.forms import name_field
from whole_system.people.identifiers import NORMALISERS

from .groups import SAFEGUARDING_NAMEABLE, FieldGroup
from .models import EmergencyAccess, SafeguardingShare

# Offered as checkboxes: identity always goes with a safeguarding share, so it is not a choice.
SHAREABLE = [
    (group.value, group.label)
    for group in FieldGroup
    if group in SAFEGUARDING_NAMEABLE and group != FieldGroup.IDENTITY
]


def recipient_choices(organisation: Organisation | None) -> list[tuple[Any, Any]]:
    """Active organisations other than the user's own, grouped by type. Commissioners see
    aggregates only, never a record, so they are not offered."""
    candidates = Organisation.objects.filter(is_active=True).exclude(
        type=Organisation.Type.COMMISSIONER
    )
    if organisation is not None:
        candidates = candidates.exclude(pk=organisation.pk)
    by_type: dict[str, list[tuple[str, str]]] = {}
    for org in candidates.order_by("name"):
        by_type.setdefault(org.type, []).append((str(org.pk), org.name))
    return [("", _("Choose an organisation"))] + [
        (label, by_type[code]) for code, label in Organisation.Type.choices if code in by_type
    ]


class SafeguardingShareForm(GovForm):
    """What to share without her consent, with whom, why and for how long."""

    recipient = forms.ChoiceField(
        label=_("Which organisation needs to know?"),
        error_messages={
            "required": _("Choose the organisation to share with"),
            "invalid_choice": _("Choose the organisation to share with"),
        },
    )
    reason_category = forms.ChoiceField(
        label=_("Why is the share needed?"),
        choices=SafeguardingShare.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select why the share is needed")},
    )
    reason = forms.CharField(
        label=_("Explain why you are sharing without her consent"),
        help_text=_(
            "Say what the risk is, why it cannot wait for her consent, and why this organisation "
            "needs to know. The data protection lead will read this."
        ),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Enter why the share is needed")},
    )
    groups = forms.MultipleChoiceField(
        label=_("What do they need to see?"),
        help_text=_(
            "Who she is (her names, date of birth and justice identifiers) is always shared, so "
            "they know who she is. Share only what they need to keep someone safe."
        ),
        choices=SHAREABLE,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select what they need to see")},
    )
    hours = forms.IntegerField(
        label=_("For how many hours?"),
        # A text input, as the GOV.UK Design System asks for numbers.
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter how many hours the share lasts"),
            "invalid": _("Hours must be a whole number, like 24"),
        },
    )
    submit_label = _("Continue")
    field_options = {"hours": {"size": 3}}

    def __init__(self, *args: Any, organisation: Organisation | None, **kwargs: Any) -> None:
        limit = settings.SAFEGUARDING_SHARE_HOURS
        kwargs.setdefault("initial", {}).setdefault("hours", limit)
        super().__init__(*args, **kwargs)
        recipient = self.fields["recipient"]
        assert isinstance(recipient, forms.ChoiceField)
        recipient.choices = recipient_choices(organisation)
        self._organisation = organisation
        hours = self.fields["hours"]
        hours.help_text = _("At most %(limit)s hours. Access ends by itself then.") % {
            "limit": limit
        }
        too_short = _("The share must last at least 1 hour")
        too_long = _("The share must last %(limit)s hours or fewer") % {"limit": limit}
        hours.validators = [
            MinValueValidator(1, message=too_short),
            MaxValueValidator(limit, message=too_long),
        ]

    def clean_recipient(self) -> Organisation:
        value = self.cleaned_data["recipient"]
        try:
            recipient = Organisation.objects.get(pk=uuid.UUID(value), is_active=True)
        except (ValueError, Organisation.DoesNotExist) as missing:
            raise forms.ValidationError(_("Choose the organisation to share with")) from missing
        if (
            self._organisation is not None and recipient.pk == self._organisation.pk
        ) or recipient.type == Organisation.Type.COMMISSIONER:
            raise forms.ValidationError(_("Choose the organisation to share with"))
        return recipient


class HiddenDateWidget(forms.MultiWidget):
    """A date input's day, month and year as hidden inputs, so a date can be carried, as it
    was typed, from one step of a form to the next."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__([forms.HiddenInput(), forms.HiddenInput(), forms.HiddenInput()], attrs)

    def decompress(self, value: Any) -> list[Any]:
        if value:
            return [value.day, value.month, value.year]
        return [None, None, None]


IDENTIFIER_FORMAT = _(
    "Enter a PNC number, NHS number, prison number or probation case reference in the "
    "correct format"
)
WHO_SHE_IS = _("Enter her full name and date of birth, or an identifier")


class EmergencySearchForm(GovForm):
    """Why the glass is broken, and exact details of who she is: a full name and date of
    birth, or an identifier. Nothing looser: this is not a search of every record."""

    reason_category = forms.ChoiceField(
        label=_("What kind of emergency is it?"),
        choices=EmergencyAccess.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select what kind of emergency it is")},
    )
    reason = forms.CharField(
        label=_("What is the emergency?"),
        help_text=_(
            "Say what is happening and why you need her record now. Your manager will read this."
        ),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Enter what the emergency is")},
    )
    given_name = name_field(_("Her given names"), required=False)
    family_name = name_field(_("Her family name"), required=False)
    date_of_birth = PastDateField(label=_("Her date of birth"), required=False)
    identifier = forms.CharField(
        label=_("Or an identifier"),
        help_text=_("A PNC number, NHS number, prison number or probation case reference"),
        max_length=20,
        required=False,
    )
    submit_label = _("Find her record")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The matches page carries these details on, hidden, to the step that opens her record.
        self.fields["date_of_birth"].hidden_widget = HiddenDateWidget

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        identifier = cleaned.get("identifier", "").strip()
        if identifier:
            cleaned["identifier"] = self._normalised(identifier)
            return cleaned
        if self.has_error("given_name") or self.has_error("family_name"):
            return cleaned
        if self.has_error("date_of_birth"):
            return cleaned
        given, family = cleaned.get("given_name", ""), cleaned.get("family_name", "")
        born = cleaned.get("date_of_birth")
        if not (given or family or born):
            self.add_error("given_name", WHO_SHE_IS)
            return cleaned
        if not given:
            self.add_error("given_name", _("Enter her given names"))
        if not family:
            self.add_error("family_name", _("Enter her family name"))
        if born is None:
            self.add_error("date_of_birth", _("Enter her date of birth"))
        return cleaned

    def _normalised(self, identifier: str) -> str:
        for normalise in NORMALISERS.values():
            try:
                return normalise(identifier)
            except ValueError:
                continue
        self.add_error("identifier", IDENTIFIER_FORMAT)
        return identifier

    def terms(self) -> dict[str, Any]:
        """The exact details, as privacy.policy.people_for_emergency takes them."""
        data = self.cleaned_data
        if data.get("identifier"):
            return {"identifier": data["identifier"]}
        return {
            "given": data["given_name"],
            "family": data["family_name"],
            "date_of_birth": data["date_of_birth"],
        }


class EmergencyOpenForm(EmergencySearchForm):
    """The same details again, with the woman chosen from the matches: no state is kept
    between the two steps."""

    person = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={"required": _("Choose whose record to open")},
    )


class EmergencyReviewForm(GovForm):
    outcome = forms.ChoiceField(
        label=_("Was the emergency access justified?"),
        choices=EmergencyAccess.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select whether the access was justified")},
    )
    notes = forms.CharField(
        label=_("Your review"),
        help_text=_("Say what you checked and why you decided this."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Enter your review")},
    )
    submit_label = _("Record review")
