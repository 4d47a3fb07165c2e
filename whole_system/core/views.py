"""Home, language switch and health check."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.decorators.http import require_GET

from whole_system.privacy import policy


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    visible = policy.people_visible_to(request.user, purpose="casework")
    return render(
        request,
        "core/home.html",
        {
            "can_search": policy.can(request.user, "person.search"),
            "can_create": policy.can(request.user, "person.create"),
            "caseload_count": visible.count(),
        },
    )


@login_not_required
@require_GET
def switch_language(request: HttpRequest, code: str) -> HttpResponse:
    """A plain link switches language (GOV.UK pattern), so it works without JavaScript."""
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if code in dict(settings.LANGUAGES) and check_for_language(code):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=60 * 60 * 24 * 365,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite="Lax",
        )
    return response


@login_not_required
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """An expired or missing form token: a plain explanation, nothing saved."""
    return render(request, "403_csrf.html", status=403)
