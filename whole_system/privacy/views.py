"""Who has viewed or changed a woman's record: for managers of an organisation on her team."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from whole_system.core.http import AuthenticatedRequest

from . import policy
from .models import AccessEvent, Purpose


@require_GET
def access_log(request: AuthenticatedRequest, person_id: Any) -> HttpResponse:
    person = policy.get_person(
        request.user,
        person_id,
        purpose=Purpose.MANAGEMENT,
        action="person.view_access_log",
        what=["access_log"],
    )
    events = AccessEvent.objects.filter(person_id=person.pk).select_related("actor", "organisation")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "privacy/access_log.html",
        {"person": person, "page": page, "can_view_access_log": True},
    )
