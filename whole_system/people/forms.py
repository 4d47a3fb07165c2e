"""Forms for the woman's record. Each validates everything before anything is saved."""

from __future__ import annotations

import unicodedata
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from whole_system.core.forms import (
    FutureDateField,
    GovForm,
    GovFormMixin,
    OnceOnlyMixin,
    PastDateField,
    VersionMixin,
    label_message,
)
from whole_system.core.models import Area

from . import choices
from .identifiers import NORMALISERS
from .models import (
    Address,
    ContactDetails,
    Dependant,
    Disclosure,
    EqualityMonitoring,
    Need,
    PersonName,
)

_NAME_PUNCTUATION = set(" -'’.")


def without_blank(choices: Any) -> list[tuple[Any, Any]]:
    """A model field's choices without Django's "---------" blank, for radios."""
    return [choice for choice in choices if choice[0] != ""]


def validate_name(value: str) -> None:
    """Letters of any script, with spaces, hyphens, apostrophes and full stops."""
    for char in value:
        if char in _NAME_PUNCTUATION or unicodedata.category(char)[0] in {"L", "M"}:
            continue
        raise forms.ValidationError(
            _("Names must only include letters, spaces, hyphens and apostrophes"),
            code="name_characters",
        )


def name_field(label: Any, *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=100,
        required=required,
        validators=[validate_name],
        error_messages={"required": label_message(_("Enter %(label)s"), label, lower=True)},
    )


class SearchForm(GovForm):
    q = forms.CharField(
        label=_("Name, date of birth or identifier"),
        max_length=200,
        help_text=_(
            "For example, Siobhán Kelly, 03/04/1990, a PNC number, prison number, "
            "probation case reference or NHS number"
        ),
        error_messages={"required": _("Enter a name, date of birth or identifier")},
    )
    submit_label = _("Search")


class IdentityFields(forms.Form):
    """Legal and preferred names, date of birth and identifiers: shared by create and edit."""

    given_name = name_field(_("Given names"))
    family_name = name_field(_("Family name"))
    preferred_name = name_field(_("Preferred name (optional)"), required=False)
    date_of_birth = PastDateField(label=_("Date of birth"), required=False)
    pnc_number = forms.CharField(label=_("PNC number (optional)"), required=False, max_length=20)
    prison_number = forms.CharField(
        label=_("Prison number (optional)"), required=False, max_length=20
    )
    probation_crn = forms.CharField(
        label=_("Probation case reference (optional)"), required=False, max_length=20
    )
    nhs_number = forms.CharField(label=_("NHS number (optional)"), required=False, max_length=20)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, normalise in NORMALISERS.items():
            value = cleaned.get(name)
            if value:
                try:
                    cleaned[name] = normalise(value)
                except ValueError as error:
                    self.add_error(name, str(error))
        return cleaned


class CreatePersonForm(GovFormMixin, OnceOnlyMixin, IdentityFields):
    submit_label = _("Create record")

    def person_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "submission"}


class IdentityForm(GovFormMixin, VersionMixin, IdentityFields):
    """Change names, date of birth and identifiers."""


class NeedsForm(GovFormMixin, VersionMixin, forms.Form):
    first_language = forms.CharField(label=_("First language"), required=False, max_length=60)
    interpreter_needed = forms.TypedChoiceField(
        label=_("Does she need an interpreter?"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("Yes")), ("no", _("No"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select yes if she needs an interpreter")},
    )
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example, step-free access, large print, British Sign Language"),
    )
    pregnancy = forms.ChoiceField(
        label=_("Is she pregnant or has she given birth in the last 12 months?"),
        choices=[("", _("Not asked")), *choices.Pregnancy.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    due_date = FutureDateField(label=_("Due date (optional)"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("due_date") and cleaned.get("pregnancy") != choices.Pregnancy.PREGNANT:
            self.add_error("due_date", _("Only give a due date if she is pregnant"))
        return cleaned


class ContactForm(GovFormMixin, VersionMixin, forms.ModelForm):
    class Meta:
        model = ContactDetails
        fields = [
            "phone",
            "email",
            "may_phone",
            "may_text",
            "may_leave_voicemail",
            "may_write",
            "may_email",
            "safe_times",
            "safe_word",
        ]
        help_texts = {
            "safe_times": _("For example, weekday mornings only"),
            "safe_word": _("A word she can use to say it is not safe to talk"),
        }

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not all(c.isdigit() or c in " +()-" for c in phone):
            raise forms.ValidationError(
                _("Enter a phone number, like 01632 960 001 or 07700 900 982")
            )
        return phone


class AddressForm(GovFormMixin, VersionMixin, forms.ModelForm):
    area = forms.ModelChoiceField(
        label=_("Local authority (optional)"),
        required=False,
        queryset=Area.objects.filter(kind=Area.Kind.LOCAL_AUTHORITY).order_by("name"),
    )

    class Meta:
        model = Address
        fields = ["line_1", "line_2", "town", "postcode", "area", "is_confidential"]
        labels = {"is_confidential": _("This is a confidential address, for example a refuge")}

    def clean_postcode(self) -> str:
        postcode = " ".join(self.cleaned_data["postcode"].upper().split())
        compact = postcode.replace(" ", "")
        if compact and not (
            5 <= len(compact) <= 7
            and compact[-3].isdigit()
            and compact[-2:].isalpha()
            and compact[0].isalpha()
        ):
            raise forms.ValidationError(_("Enter a real postcode, like SW1A 2AA"))
        return f"{compact[:-3]} {compact[-3:]}" if compact else ""


class EqualityForm(GovFormMixin, VersionMixin, forms.ModelForm):
    class Meta:
        model = EqualityMonitoring
        fields = [
            "ethnicity",
            "religion",
            "disability",
            "sexual_orientation",
            "gender_same_as_sex_at_birth",
            "nationality",
            "immigration_status",
            "care_experienced",
        ]
        widgets = {name: forms.RadioSelect for name in fields if name != "ethnicity"}
        labels = {
            "disability": _("Does she consider herself to have a disability?"),
            "gender_same_as_sex_at_birth": _(
                "Is the gender she identifies with the same as her sex registered at birth?"
            ),
            "care_experienced": _("Has she been in care?"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ChoiceField):
                field.choices = without_blank(field.choices)
                field.required = False

    def person_data(self) -> dict[str, Any]:
        return {k: v or "" for k, v in self.cleaned_data.items() if k != "version"}


class OtherNameForm(GovFormMixin, VersionMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Type of name"),
        widget=forms.RadioSelect,
        choices=[
            (PersonName.Kind.PREVIOUS, _("Previous name")),
            (PersonName.Kind.ALIAS, _("Alias")),
        ],
        error_messages={"required": _("Select the type of name")},
    )
    given_name = name_field(_("Given names"))
    family_name = name_field(_("Family name"))
    submit_label = _("Add name")


class DependantForm(GovFormMixin, VersionMixin, forms.ModelForm):
    date_of_birth = PastDateField(label=_("Date of birth (optional)"), required=False)
    first_name = name_field(_("First name (optional)"), required=False)
    submit_label = _("Add dependant")

    class Meta:
        model = Dependant
        fields = ["first_name", "date_of_birth", "lives_with", "social_services"]
        widgets = {"lives_with": forms.RadioSelect, "social_services": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("lives_with", "social_services"):
            field = self.fields[name]
            field.choices = without_blank(field.choices)  # type: ignore[attr-defined]
            field.error_messages["required"] = _("Select an answer")


class NeedForm(GovFormMixin, VersionMixin, forms.ModelForm):
    submit_label = _("Record need")

    class Meta:
        model = Need
        fields = ["area", "level", "notes"]
        widgets = {"level": forms.RadioSelect, "notes": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "notes": _(
                "In her words where you can. A summary shared with other organisations shows "
                "the area and level only."
            )
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].error_messages["required"] = _("Select the need area")
        self.fields["level"].choices = without_blank(self.fields["level"].choices)  # type: ignore[attr-defined]
        self.fields["level"].error_messages["required"] = _("Select the level of need")
        self.fields["notes"].error_messages["max_length"] = _(
            "Notes must be 2,000 characters or fewer"
        )


class DisclosureForm(GovFormMixin, VersionMixin, forms.ModelForm):
    submit_label = _("Record disclosure")

    class Meta:
        model = Disclosure
        fields = ["kind", "narrative"]
        widgets = {"kind": forms.RadioSelect, "narrative": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "narrative": _(
                "This stays with your organisation. It is shared only if she agrees to a share "
                "that names it."
            )
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = without_blank(self.fields["kind"].choices)  # type: ignore[attr-defined]
        self.fields["kind"].error_messages["required"] = _("Select what it is about")
        self.fields["narrative"].error_messages.update(
            required=_("Enter what she said"),
            max_length=_("What she said must be 5,000 characters or fewer"),
        )


class ConfirmForm(GovFormMixin, VersionMixin, forms.Form):
    """A version-checked confirmation (removing a name or dependant)."""

    submit_label = _("Remove")
