"""The one policy point. Every read of a woman's record starts here.

- `people_visible_to(user, purpose=…)` — every list, search, export and API starts from it.
- `get_person(user, id, purpose=…)` — one woman, or Http404 for both "does not exist" and
  "not yours to see", so a record's existence never leaks; the read is logged.
- `can(user, action, obj)` — every permission question, for views and templates alike.

The rule for now: staff in a case-working role see a woman when their organisation is on her
case team. Consent per purpose and recipient (the next rule) slots into `_may_see`. Unknown
actions, unknown users and missing rules are refused.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from whole_system.accounts.models import Membership, Organisation, User
from whole_system.people.models import CaseTeamMembership, Person, SearchName

from . import audit
from .models import Channel, Purpose

Role = Membership.Role

# Roles that work with women's records. Analysts see aggregates only; administrators run
# accounts and the platform, not cases.
CASE_ROLES = frozenset(
    {
        Role.KEYWORKER,
        Role.SERVICE_MANAGER,
        Role.REFERRER,
        Role.PROBATION_PRACTITIONER,
        Role.POLICE_OFFICER,
    }
)
EDIT_ROLES = CASE_ROLES - {Role.REFERRER}
OVERSIGHT_ROLES = frozenset({Role.SERVICE_MANAGER})

# Parts of the record a page or endpoint reads, as written to the access log.
RECORD_PARTS = ("identity", "identifiers", "contact", "address", "needs", "dependants", "equality")
SEARCH_PARTS = ("identity", "identifiers")
# Where a Person instance keeps, for the request it lives in, which organisations' case-team
# membership has been checked.
_CASE_TEAM_CACHE = "_policy_case_team"


def _acting_membership(user: Any) -> Membership | None:
    """The active membership a signed-in, active user acts through, or None."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    membership = user.membership_or_none
    if membership is None or not membership.is_active:
        return None
    if membership.organisation_id is None or not membership.organisation.is_active:
        return None
    return membership


def _case_membership(user: Any) -> Membership | None:
    membership = _acting_membership(user)
    if membership is None or membership.role not in CASE_ROLES:
        return None
    return membership


def _case_organisation_id(user: Any) -> uuid.UUID | None:
    """The organisation a case-working user acts for, or None."""
    membership = _case_membership(user)
    return membership.organisation_id if membership is not None else None


def _known_purpose(purpose: str) -> bool:
    return purpose in Purpose.values


def people_visible_to(user: Any, *, purpose: str) -> QuerySet[Person]:
    """Every woman this user may see for this purpose; empty when none."""
    organisation_id = _case_organisation_id(user)
    if organisation_id is None or not _known_purpose(purpose):
        return Person.objects.none()
    on_team = CaseTeamMembership.objects.current().filter(
        person=OuterRef("pk"), organisation_id=organisation_id
    )
    return Person.objects.filter(Exists(on_team))


# A name search proposes at most this many women before the policy filters and sorts them;
# more means the search needs narrowing, and the page says so.
NAME_CANDIDATES = 1000


def people_named(user: Any, names: Q, *, purpose: str) -> QuerySet[Person]:
    """Women visible to `user` for `purpose` with a name matching `names` (a Q over
    given_folded and family_folded).

    Names are looked up in the organisation's own name index (people.SearchName), so the
    search reads only that caseload's names however many women the service holds; the
    candidates are then filtered by people_visible_to, which stays the rule.
    """
    organisation_id = _case_organisation_id(user)
    if organisation_id is None or not _known_purpose(purpose):
        return Person.objects.none()
    candidates = list(
        SearchName.objects.filter(names, organisation_id=organisation_id)
        .values_list("person_id", flat=True)
        .distinct()[:NAME_CANDIDATES]
    )
    return people_visible_to(user, purpose=purpose).filter(pk__in=candidates)


def get_person(
    user: User,
    person_id: Any,
    *,
    purpose: str,
    action: str = "person.view",
    what: Iterable[str] = RECORD_PARTS,
    channel: str = Channel.PAGE,
    select_related: Iterable[str] = (),
    prefetch_related: Iterable[str] = (),
) -> Person:
    """Fetch one woman for `user` to do `action`, and log the read.

    Http404 when she does not exist or is not visible to the user (the same answer, so
    existence never leaks); PermissionDenied when she is visible but the action is not allowed.
    """
    queryset = people_visible_to(user, purpose=purpose)
    try:
        person = (
            queryset.select_related(*select_related)
            .prefetch_related(*prefetch_related)
            .get(pk=person_id)
        )
    except (Person.DoesNotExist, ValidationError, ValueError, TypeError) as missing:
        # ValidationError/ValueError/TypeError: not a UUID; the same answer as for anyone else.
        raise Http404("No such record.") from missing
    # people_visible_to has just shown the user's organisation is on her case team (so the
    # user has a case-working membership).
    person.__dict__.setdefault(_CASE_TEAM_CACHE, {})[_case_organisation_id(user)] = True
    if action != "person.view" and not can(user, action, person):
        raise PermissionDenied
    audit.record_reads(
        user, [person.pk], action=action, purpose=purpose, what=what, channel=channel
    )
    return person


def record_listed(
    user: User,
    people: Iterable[Person],
    *,
    purpose: str,
    channel: str = Channel.PAGE,
) -> None:
    """Log that these women appeared in a list shown to `user` (search results, API lists)."""
    audit.record_reads(
        user,
        [p.pk for p in people],
        action="person.search_result",
        purpose=purpose,
        what=SEARCH_PARTS,
        channel=channel,
    )


def _on_case_team(user: User, person: Person) -> bool:
    organisation_id = _case_organisation_id(user)
    if organisation_id is None:
        return False
    # Several rules ask this of the same woman in one request (may edit? may see the address?
    # may see the log?); the answer is kept on the instance, which lives for that request.
    cache = person.__dict__.setdefault(_CASE_TEAM_CACHE, {})
    if organisation_id not in cache:
        cache[organisation_id] = (
            CaseTeamMembership.objects.current()
            .filter(person=person, organisation_id=organisation_id)
            .exists()
        )
    return bool(cache[organisation_id])


def _has_role(roles: frozenset[str]) -> Callable[[User, Any], bool]:
    def rule(user: User, obj: Any) -> bool:
        membership = _acting_membership(user)
        return membership is not None and membership.role in roles

    return rule


def _all(*rules: Callable[[User, Any], bool]) -> Callable[[User, Any], bool]:
    return lambda user, obj: all(rule(user, obj) for rule in rules)


def _recorded_confidential_address(user: User, person: Person) -> bool:
    """A confidential address (a refuge) is seen only by the organisation that recorded it."""
    address = getattr(person, "address", None)
    if address is None or not address.is_confidential:
        return _on_case_team(user, person)
    membership = _case_membership(user)
    return (
        membership is not None
        and address.recorded_by_organisation_id == membership.organisation_id
        and _on_case_team(user, person)
    )


def _person_rule(rule: Callable[[User, Person], bool]) -> Callable[[User, Any], bool]:
    return lambda user, obj: isinstance(obj, Person) and rule(user, obj)


def _organisation_admin(user: User, organisation: Any) -> bool:
    membership = _acting_membership(user)
    return (
        isinstance(organisation, Organisation)
        and membership is not None
        and membership.role == Role.ORGANISATION_ADMIN
        and membership.organisation_id == organisation.pk
    )


RULES: dict[str, Callable[[User, Any], bool]] = {
    "person.create": lambda user, obj: obj is None and _case_membership(user) is not None,
    "person.search": lambda user, obj: _case_membership(user) is not None,
    "person.view": _person_rule(_on_case_team),
    "person.edit": _person_rule(_all(_has_role(EDIT_ROLES), _on_case_team)),
    "person.view_access_log": _person_rule(_all(_has_role(OVERSIGHT_ROLES), _on_case_team)),
    "person.view_confidential_address": _person_rule(_recorded_confidential_address),
    "reporting.view_aggregates": lambda user, obj: _acting_membership(user) is not None,
    "organisation.manage_users": _organisation_admin,
}


def can(user: Any, action: str, obj: Any = None) -> bool:
    """May `user` do `action` to `obj`? Unknown actions are refused."""
    rule = RULES.get(action)
    if rule is None or _acting_membership(user) is None:
        return False
    return bool(rule(user, obj))
