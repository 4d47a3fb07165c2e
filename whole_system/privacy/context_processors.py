"""Permission booleans for the layout, from the one policy point."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from . import policy


def permissions(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_can_search": policy.can(user, "person.search"),
        "nav_can_create": policy.can(user, "person.create"),
        "nav_can_break_glass": policy.can(user, "emergency.search"),
        "nav_can_review_emergencies": policy.can(user, "emergency.review_list"),
        "nav_can_handle_rights": policy.can(user, "rights.list"),
    }
