"""The identity bar: who is signed in, for which organisation, in which role."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def identity(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    membership = user.membership_or_none if user is not None and user.is_authenticated else None
    return {
        "acting_membership": membership,
        "demo_mode": settings.DEMO_MODE,
        "demo_waives_two_factor": settings.DEMO_WAIVE_TWO_FACTOR,
    }
