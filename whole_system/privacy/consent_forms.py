"""Forms for her consent decisions, shares made on them, conditions of cautions and orders, and
whether she is engaging. Each validates everything before anything is saved; the services in
privacy.sharing check the rules again."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from crispy_forms_gds.layout import Layout
from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from whole_system.accounts.models import Organisation
from whole_system.core.forms import FutureDateField, GovForm, label_message
from whole_system.people.models import Person

from .groups import CONDITION_HOLDERS, SENSITIVE, ConsentPurpose, FieldGroup, PurposeRule
from .models import Consent, OrderCondition

OrgType = Organisation.Type

# Offered as checkboxes, in the order of the field groups.
SENSITIVE_CHOICES = [(group.value, group.label) for group in FieldGroup if group in SENSITIVE]

# A recipient is one select: a named organisation, or any organisation of a type.
ORGANISATION_PREFIX = "org:"
TYPE_PREFIX = "type:"


def _method_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("How did she tell you?"),
        choices=Consent.Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how she told you")},
    )


def _notes_field() -> forms.CharField:
    return forms.CharField(
        label=_("Notes (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Anything she said about her decision that the next worker should know"),
    )


def _grouped_organisations(
    types: list[str], *, exclude: Organisation | None, any_of_type: bool
) -> list[tuple[Any, Any]]:
    """Active organisations of `types`, one option group per type; `any_of_type` adds "Any
    <type>" at the top of each group."""
    candidates = Organisation.objects.filter(is_active=True, type__in=types).order_by("name")
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    by_type: dict[str, list[tuple[str, str]]] = {kind: [] for kind in types}
    for organisation in candidates:
        by_type[organisation.type].append(
            (f"{ORGANISATION_PREFIX}{organisation.pk}", organisation.name)
        )
    groups: list[tuple[Any, Any]] = [("", gettext("Choose an organisation"))]
    for code, label in OrgType.choices:
        if code not in by_type:
            continue
        options = list(by_type[code])
        if any_of_type:
            options.insert(
                0, (f"{TYPE_PREFIX}{code}", gettext("Any %(kind)s") % {"kind": str(label).lower()})
            )
        if options:
            groups.append((label, options))
    return groups


class PurposeForm(GovForm):
    """The first step of recording a decision: what it is about."""

    purpose = forms.ChoiceField(
        label=_("What is she deciding about?"),
        choices=ConsentPurpose.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select what she is deciding about")},
    )
    submit_label = _("Continue")


class ConsentForm(GovForm):
    """Her decision about one purpose: given or declined (a withdrawal is its own page)."""

    decision = forms.ChoiceField(
        label=_("What did she decide?"),
        choices=[
            (Consent.Decision.GIVEN, _("She agrees")),
            (Consent.Decision.DECLINED, _("She does not agree")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select what she decided")},
    )
    method = _method_field()
    recipient = forms.ChoiceField(
        label=_("Who would the information be shared with?"),
        help_text=_(
            "Choose a named organisation, or any organisation of that kind if she agrees to that"
        ),
        error_messages={
            "required": _("Choose who the information would be shared with"),
            "invalid_choice": _("Choose who the information would be shared with"),
        },
    )
    sensitive_classes = forms.MultipleChoiceField(
        label=_("Sensitive information she agrees may go with it (optional)"),
        help_text=_(
            "Tick only what she has said, in her own words, may be shared. Leave these unticked "
            "if she has not. Only what your organisation recorded goes with the share."
        ),
        choices=SENSITIVE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose only from the sensitive information listed")},
    )
    review_on = FutureDateField(
        label=_("Review date (optional)"),
        required=False,
        help_text=_("When to check her decision with her again. For example, 27 3 2027"),
    )
    expires_on = FutureDateField(
        label=_("Expiry date (optional)"),
        required=False,
        help_text=_(
            "When her agreement ends, if she has said. After this date nothing is shared on it."
        ),
    )
    notes = _notes_field()
    submit_label = _("Record her decision")

    def __init__(
        self,
        *args: Any,
        rule: PurposeRule,
        organisation: Organisation | None,
        **kwargs: Any,
    ) -> None:
        self.rule = rule
        super().__init__(*args, **kwargs)
        if rule.is_share:
            recipient = self.fields["recipient"]
            assert isinstance(recipient, forms.ChoiceField)
            recipient.choices = _grouped_organisations(
                sorted(rule.recipients), exclude=organisation, any_of_type=True
            )
        else:
            # Not a share: no recipient, and nothing sensitive to name.
            removed = {"recipient", "sensitive_classes"}
            for name in removed:
                del self.fields[name]
            self.helper.layout = Layout(
                *[
                    item
                    for item in self.helper.layout.fields
                    if not set(getattr(item, "fields", ())) & removed
                ]
            )

    def clean_review_on(self) -> date | None:
        value: date | None = self.cleaned_data.get("review_on")
        if value is not None and value <= timezone.localdate():
            raise forms.ValidationError(_("The review date must be in the future"))
        return value

    def clean_expires_on(self) -> date | None:
        value: date | None = self.cleaned_data.get("expires_on")
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError(_("The expiry date must be today or in the future"))
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        review, expires = cleaned.get("review_on"), cleaned.get("expires_on")
        if review and expires and review > expires:
            self.add_error("review_on", _("The review date must be on or before the expiry date"))
        cleaned["recipient_organisation"], cleaned["recipient_type"] = None, ""
        choice = cleaned.get("recipient") or ""
        if choice.startswith(TYPE_PREFIX):
            cleaned["recipient_type"] = choice.removeprefix(TYPE_PREFIX)
        elif choice.startswith(ORGANISATION_PREFIX):
            cleaned["recipient_organisation"] = Organisation.objects.filter(
                pk=choice.removeprefix(ORGANISATION_PREFIX), is_active=True
            ).first()
        if cleaned.get("decision") != Consent.Decision.GIVEN:
            # Sensitive information goes only with an agreement.
            cleaned["sensitive_classes"] = []
        return cleaned

    def decision_data(self) -> dict[str, Any]:
        """The keyword arguments of sharing.record_consent this form gives."""
        data = self.cleaned_data
        return {
            "decision": data["decision"],
            "method": data["method"],
            "recipient_organisation": data.get("recipient_organisation"),
            "recipient_type": data.get("recipient_type", ""),
            "sensitive_classes": data.get("sensitive_classes") or [],
            "review_on": data.get("review_on"),
            "expires_on": data.get("expires_on"),
            "notes": data.get("notes", ""),
        }


class WithdrawForm(GovForm):
    method = _method_field()
    notes = _notes_field()
    submit_label = _("Withdraw her consent")


class ShareForm(GovForm):
    """Which share to make: one of the purposes and recipients she has agreed to now."""

    share = forms.ChoiceField(
        label=_("What do you want to share, and with whom?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select what to share"),
            "invalid_choice": _("Select what to share"),
        },
    )
    submit_label = _("Continue to the preview")

    def __init__(self, *args: Any, options: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        share = self.fields["share"]
        assert isinstance(share, forms.ChoiceField)
        share.choices = options


class ConfirmShareForm(forms.Form):
    """The preview's confirmation: what was previewed, checked again when it is posted."""

    purpose = forms.ChoiceField(choices=ConsentPurpose.choices, widget=forms.HiddenInput)
    recipient = forms.UUIDField(widget=forms.HiddenInput)


class ConditionForm(GovForm):
    organisation = forms.ChoiceField(
        label=_("Which police force or probation service set the condition?"),
        error_messages={
            "required": _("Choose the police force or probation service"),
            "invalid_choice": _("Choose the police force or probation service"),
        },
    )
    kind = forms.ChoiceField(
        label=_("What kind of caution or order is it?"),
        choices=OrderCondition.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the kind of caution or order")},
    )
    starts_on = FutureDateField(label=_("Start date"), help_text=_("For example, 27 3 2026"))
    ends_on = FutureDateField(label=_("End date"), help_text=_("For example, 27 3 2027"))
    submit_label = _("Record the condition")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation = self.fields["organisation"]
        assert isinstance(organisation, forms.ChoiceField)
        organisation.choices = _grouped_organisations(
            sorted(CONDITION_HOLDERS), exclude=None, any_of_type=False
        )
        for name in ("starts_on", "ends_on"):
            field = self.fields[name]
            field.error_messages["required"] = label_message(
                _("Enter the %(label)s"), field.label, lower=True
            )

    def clean_organisation(self) -> Organisation:
        choice = self.cleaned_data["organisation"]
        organisation = Organisation.objects.filter(
            pk=uuid.UUID(choice.removeprefix(ORGANISATION_PREFIX)),
            is_active=True,
            type__in=CONDITION_HOLDERS,
        ).first()
        if organisation is None:
            raise forms.ValidationError(_("Choose the police force or probation service"))
        return organisation

    def clean_ends_on(self) -> date | None:
        value: date | None = self.cleaned_data.get("ends_on")
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError(_("The end date must be today or in the future"))
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end date must be the same as or after the start date"))
        return cleaned


class EngagementForm(GovForm):
    status = forms.ChoiceField(
        label=_("Is she engaging with support?"),
        choices=Person.Engagement.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select whether she is engaging")},
    )
