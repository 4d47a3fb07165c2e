"""Ask the policy point from a template: `{% can "consent.manage" person as may_record %}`."""

from __future__ import annotations

from typing import Any

from django import template

from whole_system.privacy import policy

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context: Any, action: str, obj: Any = None) -> bool:
    request = context.get("request")
    return request is not None and policy.can(request.user, action, obj)
