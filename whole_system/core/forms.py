"""The one way forms are rendered: GOV.UK Design System markup through crispy-forms-gds.

A form subclasses GovForm (or GovModelForm) and gets a layout made from its fields: the right
GOV.UK component for each widget, the error summary, and one submit button.
"""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Any, ClassVar

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Submit
from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

MAX_TEXT = _("%(label)s must be %(limit_value)d characters or fewer")


_OPTIONAL = re.compile(r"\s*\([^()]*\)\s*$")


def subject(label: Any) -> str:
    """A field's label as the subject of an error message: "Date of birth (optional)" is
    "Date of birth" in "Date of birth must be a real date", in any language."""
    return _OPTIONAL.sub("", str(label))


def label_message(message: Any, label: Any, *, lower: bool = False) -> Any:
    """`message % {"label": label}`, worked out when it is shown, not when the field is made.

    Fields are made once, at import, before any language is active: formatting then would fix
    the message in English for every reader.
    """

    def render() -> str:
        text = subject(label)
        return str(message) % {"label": text.lower() if lower else text}

    return lazy(render, str)()


def _component(name: str, field: forms.Field, options: dict[str, Any]) -> Field:
    widget = field.widget
    if isinstance(widget, forms.RadioSelect):
        return Field.radios(name, legend_size="s", **options)
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return Field.checkboxes(name, legend_size="s", **options)
    if isinstance(widget, forms.CheckboxInput):
        return Field.checkbox(name, **options)
    if isinstance(widget, forms.Select):
        return Field.select(name, **options)
    if isinstance(widget, forms.Textarea):
        return Field.textarea(name, **options)
    if isinstance(widget, forms.MultiWidget):
        return Field(name, **options)
    size = options.pop("size", None)
    return Field.text(name, field_width=size, **options)


class GovFormMixin:
    submit_label: ClassVar[Any] = _("Save")
    field_options: ClassVar[dict[str, dict[str, Any]]] = {}
    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():
            max_length = getattr(field, "max_length", None)
            if max_length:
                field.error_messages["max_length"] = MAX_TEXT % {
                    "label": subject(field.label),
                    "limit_value": max_length,
                }
        self.helper = FormHelper()
        self.helper.form_tag = False
        # The page's <form> carries the CSRF token (includes/form_page.html).
        self.helper.disable_csrf = True
        # Hidden fields (a form's version and one-time token) are left out of the layout, so
        # render them here, or every submit fails on a field the user cannot see.
        self.helper.render_hidden_fields = True
        self.helper.layout = Layout(
            *[
                _component(name, field, dict(self.field_options.get(name, {})))
                for name, field in self.fields.items()
                if not field.widget.is_hidden
            ],
            Submit("submit", self.submit_label),
        )


class GovForm(GovFormMixin, forms.Form):
    pass


class GovModelForm(GovFormMixin, forms.ModelForm):
    pass


class OnceOnlyMixin(forms.Form):
    """A one-time token in the form, so a double-clicked submit makes one record, not two."""

    submission = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


class VersionMixin(forms.Form):
    """The record version the form was drawn from, so a stale edit is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def person_data(self) -> dict[str, Any]:
        """What the form changes on her record: every answer but the version."""
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class PastDateField(DateInputField):
    """A GOV.UK date input for a date that has happened: real, not in the future, after 1900."""

    def __init__(self, *, label: Any, **kwargs: Any) -> None:
        super().__init__(label=label, require_all_fields=False, **kwargs)
        self.error_messages["required"] = label_message(_("Enter %(label)s"), label, lower=True)
        self.error_messages["incomplete"] = label_message(
            _("%(label)s must include a day, month and year"), label
        )
        messages = [_("Enter the day"), _("Enter the month"), _("Enter the year")]
        for sub, message in zip(self.fields, messages, strict=True):
            sub.error_messages["incomplete"] = message
            sub.validators = [RegexValidator(r"^[0-9]{1,4}$", message)]
            sub.max_length = 4

    def compress(self, data_list: Any) -> date | None:
        day, month, year = data_list
        if not (day and month and year):
            return None
        try:
            value = date(day=int(day), month=int(month), year=int(year))
        except ValueError as error:
            raise forms.ValidationError(
                _("%(label)s must be a real date") % {"label": subject(self.label)}, code="invalid"
            ) from error
        if value > timezone.localdate():
            raise forms.ValidationError(
                _("%(label)s must be in the past") % {"label": subject(self.label)}, code="future"
            )
        if value.year < 1900:
            raise forms.ValidationError(
                _("%(label)s must be after 1900") % {"label": subject(self.label)}, code="too_early"
            )
        return value


class FutureDateField(PastDateField):
    """A date input for a date still to come (a due date)."""

    def compress(self, data_list: Any) -> date | None:
        day, month, year = data_list
        if not (day and month and year):
            return None
        try:
            return date(day=int(day), month=int(month), year=int(year))
        except ValueError as error:
            raise forms.ValidationError(
                _("%(label)s must be a real date") % {"label": subject(self.label)}, code="invalid"
            ) from error
