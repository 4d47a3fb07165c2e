"""Ends sessions that are idle for 30 minutes or older than 12 hours, and any session whose
user has not given a security code (the demo waiver aside)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from .sessions import LAST_SEEN_AT, second_factor_done, session_expired


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _api_refusal() -> JsonResponse:
    return JsonResponse({"detail": "Authentication credentials were not provided."}, status=401)


class SessionPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            if session_expired(request):
                logout(request)
                if _is_api(request):
                    return _api_refusal()
                messages.info(
                    request,
                    _("You were signed out to keep information safe. Sign in again to continue."),
                )
                return redirect("accounts:sign_in")
            if not second_factor_done(request):
                logout(request)
                return _api_refusal() if _is_api(request) else redirect("accounts:sign_in")
            request.session[LAST_SEEN_AT] = timezone.now().timestamp()
        return self.get_response(request)
