"""API permission shared by every endpoint: signed in, security code given, session current."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from .sessions import second_factor_done


class IsVerifiedUser(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(
            request.user and request.user.is_authenticated and second_factor_done(request._request)
        )
