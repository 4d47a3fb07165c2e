"""Sign in with a password and a security code, set up a code, sign out, reset a password."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import services
from .forms import ConfirmCodeForm, GovPasswordResetForm, GovSetPasswordForm, SignInForm
from .models import User
from .sessions import start_session

logger = logging.getLogger(__name__)
PENDING_USER = "ws_pending_enrolment"
PENDING_SECONDS = 10 * 60


@login_not_required
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = SignInForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.user
        if user.needs_enrolment:
            request.session.cycle_key()
            request.session[PENDING_USER] = [str(user.pk), timezone.now().timestamp()]
            return redirect("accounts:set_up_code")
        start_session(request, user)
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/sign_in.html", {"form": form})


def _pending_user(request: HttpRequest) -> User | None:
    pending = request.session.get(PENDING_USER)
    if not pending or timezone.now().timestamp() - pending[1] > PENDING_SECONDS:
        return None
    return User.objects.filter(pk=pending[0], is_active=True).first()


@login_not_required
@require_http_methods(["GET", "POST"])
def set_up_code(request: HttpRequest) -> HttpResponse:
    """First sign-in: scan a QR code into an authenticator app and confirm one code."""
    user = _pending_user(request)
    if user is None:
        return redirect("accounts:sign_in")
    device = services.unconfirmed_device(user)
    form = ConfirmCodeForm(device, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.confirm_device(device, by=user)
        del request.session[PENDING_USER]
        user.otp_device = device
        start_session(request, user)
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(
        request,
        "accounts/set_up_code.html",
        {"form": form, "qr_svg": services.qr_code_svg(device), "secret": services.secret(device)},
    )


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("accounts:sign_in")


@login_not_required
def locked_out(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> Any:
    """django-axes lockout: the same page whether or not the account exists."""
    logger.warning("Sign-in locked out after repeated failures")
    return render(request, "accounts/locked_out.html", status=429)


@method_decorator(login_not_required, name="dispatch")
class PasswordReset(auth_views.PasswordResetView):
    form_class = GovPasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


@method_decorator(login_not_required, name="dispatch")
class PasswordResetSent(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    form_class = GovSetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


@method_decorator(login_not_required, name="dispatch")
class PasswordResetComplete(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
