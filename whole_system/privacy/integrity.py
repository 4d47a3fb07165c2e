"""Nightly integrity check of the access log.

Each event carries a keyed digest of its own content. The check verifies the digests, then
seals the events written since the last seal into a hash chain: each seal's hash covers every
event in its range and the previous seal's hash. A row changed, deleted or inserted behind
the application's back breaks a digest, a count or the chain, and the check says where.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Iterator
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .audit import event_digest
from .models import AccessEvent, AccessLogSeal, IntegrityCheck

logger = logging.getLogger(__name__)
GENESIS = "0" * 64
# Events younger than this may belong to transactions not yet committed; they wait a night.
SETTLE = timedelta(minutes=5)


def _chain(previous: str, events: Iterable[AccessEvent]) -> tuple[str, int, list[str]]:
    digest = previous
    count = 0
    problems = []
    for event in events:
        if event_digest(event) != event.digest:
            problems.append(f"event {event.pk}: content does not match its digest")
        digest = hashlib.sha256(f"{digest}:{event.pk}:{event.digest}".encode()).hexdigest()
        count += 1
    return digest, count, problems


def _events(first: int, last: int) -> Iterator[AccessEvent]:
    return AccessEvent.objects.filter(pk__gte=first, pk__lte=last).order_by("pk").iterator(2000)


def verify_seals() -> tuple[int, list[str]]:
    """Recompute every seal; return events checked and the problems found."""
    previous = GENESIS
    checked = 0
    problems: list[str] = []
    for seal in AccessLogSeal.objects.order_by("last_event_id"):
        if seal.previous_hash != previous:
            problems.append(f"seal {seal.pk}: does not follow the seal before it")
        digest, count, row_problems = _chain(
            seal.previous_hash, _events(seal.first_event_id, seal.last_event_id)
        )
        problems.extend(row_problems)
        if count != seal.event_count:
            problems.append(f"seal {seal.pk}: {seal.event_count} events sealed, {count} found")
        if digest != seal.chain_hash:
            problems.append(f"seal {seal.pk}: hash chain broken")
        previous = seal.chain_hash
        checked += count
    return checked, problems


@transaction.atomic
def seal_new_events() -> tuple[int, list[str]]:
    """Seal the settled events written since the last seal."""
    last = AccessLogSeal.objects.order_by("-last_event_id").first()
    after = last.last_event_id if last else 0
    previous = last.chain_hash if last else GENESIS
    cutoff = timezone.now() - SETTLE
    ids = AccessEvent.objects.filter(pk__gt=after, occurred_at__lt=cutoff).order_by("pk")
    last_id = ids.values_list("pk", flat=True).last()
    if last_id is None:
        return 0, []
    digest, count, problems = _chain(previous, _events(after + 1, last_id))
    AccessLogSeal.objects.create(
        first_event_id=after + 1,
        last_event_id=last_id,
        event_count=count,
        previous_hash=previous,
        chain_hash=digest,
    )
    return count, problems


def check_access_log_integrity() -> IntegrityCheck:
    """Verify what is sealed, seal what is new, record the result."""
    checked, problems = verify_seals()
    sealed, new_problems = seal_new_events()
    problems += new_problems
    result = IntegrityCheck.objects.create(
        ok=not problems, events_checked=checked, events_sealed=sealed, problems=problems[:100]
    )
    if problems:
        logger.error("Access log integrity check found %d problems", len(problems))
    else:
        logger.info("Access log integrity check: %d checked, %d sealed", checked, sealed)
    return result
