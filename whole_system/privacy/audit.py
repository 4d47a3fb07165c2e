"""Writes the access and change log. Called by the policy on every read and by services on
every change, inside the same transaction as the read or change it records."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.utils import timezone

from whole_system.accounts.models import User
from whole_system.core.middleware import current_request_id

from .models import AccessEvent, Channel

# Field changes whose old and new values may be kept in the log. Everything else (names,
# dates, identifiers, contact details, addresses, equality answers) is named but not copied.
# Nothing about her is kept in the log itself, so erasing her record (privacy.retention) leaves
# rows that say only that a record, now gone, was read or changed.
LOGGED_VALUES = frozenset({"version"})


def _key() -> bytes:
    return str(settings.AUDIT_LOG_KEY).encode()


def event_digest(event: AccessEvent) -> str:
    """A keyed digest of one row's content, so a row edited in the database is detectable."""
    content = [
        event.occurred_at.isoformat(),
        event.kind,
        event.action,
        event.purpose,
        event.channel,
        str(event.actor_id),
        str(event.organisation_id),
        event.role,
        str(event.person_id),
        event.fields,
        event.values,
        event.request_id,
    ]
    if event.basis:
        # Rows written before the basis was logged keep their original digest.
        content.append(event.basis)
    payload = json.dumps(content, sort_keys=True, default=str)
    return hmac.new(_key(), payload.encode(), hashlib.sha256).hexdigest()


def _event(user: User | None, person_id: Any, **kwargs: Any) -> AccessEvent:
    membership = user.membership_or_none if user is not None else None
    event = AccessEvent(
        occurred_at=timezone.now(),
        actor=user,
        organisation_id=membership.organisation_id if membership else None,
        role=membership.role if membership else "",
        person_id=person_id,
        request_id=current_request_id(),
        **kwargs,
    )
    event.digest = event_digest(event)
    return event


def record_reads(
    user: User,
    person_ids: Iterable[Any],
    *,
    action: str,
    purpose: str,
    what: Iterable[str],
    channel: str = Channel.PAGE,
    basis: str = "",
) -> None:
    """Log that `user` read these women's records (one row each, one INSERT)."""
    parts = sorted(what)
    events = [
        _event(
            user,
            pid,
            kind=AccessEvent.Kind.READ,
            action=action,
            purpose=purpose,
            fields=parts,
            channel=channel,
            basis=basis,
        )
        for pid in person_ids
    ]
    if events:
        AccessEvent.objects.bulk_create(events)


def record_change(
    user: User | None,
    person_id: Any,
    *,
    action: str,
    changes: Mapping[str, tuple[Any, Any]],
    channel: str = Channel.PAGE,
) -> None:
    """Log a change: every field named, values only for those in LOGGED_VALUES."""
    values = {
        name: [_plain(old), _plain(new)]
        for name, (old, new) in changes.items()
        if name in LOGGED_VALUES
    }
    _event(
        user,
        person_id,
        kind=AccessEvent.Kind.CHANGE,
        action=action,
        fields=sorted(changes),
        values=values,
        channel=channel,
    ).save()


def _plain(value: Any) -> Any:
    return value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
