"""Request types for views that only run for a signed-in user (LoginRequiredMiddleware)."""

from __future__ import annotations

from django.http import HttpRequest

from whole_system.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    user: User
