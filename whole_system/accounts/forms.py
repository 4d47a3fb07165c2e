"""Sign-in, security code set-up and password reset forms."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Fixed
from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from whole_system.core.forms import GovForm

# One message for an unknown email address, a wrong password and a wrong code.
SIGN_IN_FAILED = _("Enter a correct email address, password and security code")


class SignInForm(GovForm):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.org"),
        },
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=256,
        widget=forms.PasswordInput,
        error_messages={"required": _("Enter your password")},
    )
    code = forms.CharField(
        label=_("Security code"),
        required=False,
        max_length=12,
        help_text=_(
            "The 6-digit code from your authenticator app. Leave it blank the first "
            "time you sign in."
        ),
    )
    submit_label = _("Sign in")
    field_options = {
        "email": {"autocomplete": "username", "spellcheck": "false"},
        "password": {"autocomplete": "current-password"},
        "code": {"autocomplete": "one-time-code", "inputmode": "numeric", "size": Fixed.TEN},
    }

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.request = request
        self.user: Any = None
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        self.user = authenticate(
            self.request,
            username=cleaned["email"].lower(),
            password=cleaned["password"],
            otp_token=cleaned.get("code", ""),
        )
        if self.user is None or not self.user.is_active:
            raise forms.ValidationError(SIGN_IN_FAILED)
        return cleaned


class ConfirmCodeForm(GovForm):
    code = forms.CharField(
        label=_("Security code"),
        max_length=12,
        help_text=_("Enter the 6-digit code your authenticator app shows for Whole System."),
        error_messages={"required": _("Enter the security code")},
    )
    submit_label = _("Confirm and sign in")
    field_options = {
        "code": {"autocomplete": "one-time-code", "inputmode": "numeric", "size": Fixed.TEN}
    }

    def __init__(self, device: Any, *args: Any, **kwargs: Any) -> None:
        self.device = device
        super().__init__(*args, **kwargs)

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip().replace(" ", "")
        if not self.device.verify_token(code):
            raise forms.ValidationError(
                _("The security code is not right – check your app and enter the newest code")
            )
        return code


class GovPasswordResetForm(GovForm, PasswordResetForm):
    submit_label = _("Send reset link")
    field_options = {"email": {"autocomplete": "email"}}


class GovSetPasswordForm(GovForm, SetPasswordForm):
    submit_label = _("Change password")
    field_options = {
        "new_password1": {"autocomplete": "new-password"},
        "new_password2": {"autocomplete": "new-password"},
    }
