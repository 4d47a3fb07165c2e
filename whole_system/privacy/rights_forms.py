"""Forms for her rights requests (privacy.rights_views). Each validates everything before the
service is called."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from whole_system.core.forms import GovForm, PastDateField

from .models import RightsRequest


def _received_on() -> PastDateField:
    return PastDateField(
        label=_("Date she made the request"),
        help_text=_(
            "The day it reached any part of your organisation, by any means. For example, 27 3 2026"
        ),
    )


class SubjectAccessRequestForm(GovForm):
    received_on = _received_on()
    submit_label = _("Record the request")


class ExtendForm(GovForm):
    reason = forms.CharField(
        label=_("Why more time is needed"),
        help_text=_(
            "She will be told this. For example, the request is complex or one of several."
        ),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Enter why more time is needed")},
    )
    submit_label = _("Extend by two months")


class CompleteForm(GovForm):
    sent = forms.BooleanField(
        label=_("I have sent her the copy of her information"),
        error_messages={"required": _("Confirm that you have sent her the copy")},
    )
    submit_label = _("Mark as completed")


class RightsRequestForm(GovForm):
    kind = forms.ChoiceField(
        label=_("What is she asking for?"),
        choices=[
            (RightsRequest.Kind.ERASURE, _("To erase her record")),
            (RightsRequest.Kind.RESTRICTION, _("To restrict the use of her record")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select what she is asking for")},
    )
    received_on = _received_on()
    notes = forms.CharField(
        label=_("Notes (optional)"),
        help_text=_("What she asked for and why, in her words if she agrees."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    submit_label = _("Record the request")


class ConfirmForm(GovForm):
    """A decision that needs only a button."""

    submit_label = _("Confirm")


class AgreeErasureForm(GovForm):
    confirm = forms.BooleanField(
        label=_(
            "I understand that her whole record will be deleted, for every organisation, and "
            "cannot be brought back"
        ),
        error_messages={"required": _("Confirm that you understand her record will be deleted")},
    )
    submit_label = _("Erase her record")


class RefuseForm(GovForm):
    notes = forms.CharField(
        label=_("Why the request is refused"),
        help_text=_(
            "She will be told this, and that she can complain to the Information Commissioner."
        ),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Enter why the request is refused")},
    )
    submit_label = _("Refuse the request")
