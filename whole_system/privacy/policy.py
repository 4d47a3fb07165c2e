"""The one policy point. Every read of a woman's record starts here.

- `people_visible_to(user, purpose=…)` — every list, search, export and API starts from it.
- `get_person(user, id, purpose=…)` — one woman, or Http404 for both "does not exist" and
  "not yours to see", so a record's existence never leaks; the read is logged.
- `can(user, action, obj)` — every permission question, for views and templates alike.

- `view_of(user, person)` — which field groups (privacy.groups) of her record the user sees.

The rules: staff in a case-working role see a woman when their organisation is on her case
team (people.CaseTeamMembership, the rows privacy.sharing keeps). The organisation holding
her case sees her record; any other organisation sees only the field groups its current rows
carry: a share she consented to, a condition of a caution or order, a safeguarding share
without consent. A user who "breaks the glass" sees the emergency groups for a few hours.
Sensitive items (abuse and sex work disclosures, a confidential address) are seen only by the
organisation that recorded them, unless she agreed to a share that names their class. A
restricted record is left out of sharing, search, lists and exports. Unknown actions, unknown
users and missing rules are refused.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from whole_system.accounts.models import Membership, Organisation, User
from whole_system.people.models import CaseTeamMembership, Person, SearchName

from . import audit
from .groups import EMERGENCY, HOLDER, ConsentPurpose, FieldGroup
from .models import Channel, Consent, EmergencyAccess, Purpose

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

# Parts of a record a list shows, as written to the access log.
SEARCH_PARTS = (FieldGroup.IDENTITY,)
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


def _shown(view: View, part: str) -> bool:
    """A part named in a read is logged if the user sees it (parts that are not field groups,
    such as the access log, are logged as named)."""
    if part not in FieldGroup.values:
        return True
    return part in view.groups or part in view.sensitive


def _visible(user: Any, purpose: str, *, restricted: bool) -> QuerySet[Person]:
    organisation_id = _case_organisation_id(user)
    if organisation_id is None or not _known_purpose(purpose):
        return Person.objects.none()
    teams = CaseTeamMembership.objects.current().filter(
        person=OuterRef("pk"), organisation_id=organisation_id
    )
    emergency = EmergencyAccess.objects.filter(
        person=OuterRef("pk"),
        user=user,
        started_at__lte=timezone.now(),
        expires_at__gt=timezone.now(),
    )
    shared = Q(restricted_at__isnull=True) & (Exists(teams) | Exists(emergency))
    if not restricted:
        return Person.objects.filter(shared)
    # A restricted record stays open to the organisations holding her case, and to no one
    # else, when it is asked for by its id.
    held = Exists(teams.filter(basis=CaseTeamMembership.Basis.HOLDER))
    return Person.objects.filter(shared | held)


def people_visible_to(user: Any, *, purpose: str) -> QuerySet[Person]:
    """Every woman this user may see for this purpose; empty when none. Restricted records
    are left out: this is what every search, list, report and export starts from."""
    return _visible(user, purpose, restricted=False)


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
    what: Iterable[str] | None = None,
    channel: str = Channel.PAGE,
    select_related: Iterable[str] = (),
    prefetch_related: Iterable[str] = (),
) -> Person:
    """Fetch one woman for `user` to do `action`, and log the read.

    Http404 when she does not exist or is not visible to the user (the same answer, so
    existence never leaks); PermissionDenied when she is visible but the action is not allowed.
    `what` names the parts read; field groups the user does not see are left out, and None
    means every part the user sees (her record page).
    """
    queryset = _visible(user, purpose, restricted=True)
    try:
        person = (
            queryset.select_related(*select_related)
            .prefetch_related(*prefetch_related)
            .get(pk=person_id)
        )
    except (Person.DoesNotExist, ValidationError, ValueError, TypeError) as missing:
        # ValidationError/ValueError/TypeError: not a UUID; the same answer as for anyone else.
        raise Http404("No such record.") from missing
    view = view_of(user, person)
    if action != "person.view" and not can(user, action, person):
        raise PermissionDenied
    parts = sorted(view.groups) if what is None else [p for p in what if _shown(view, p)]
    audit.record_reads(
        user,
        [person.pk],
        action=action,
        purpose=purpose,
        what=parts,
        channel=channel,
        basis=view.basis,
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


@dataclass(frozen=True)
class View:
    """What one user sees of one woman's record, and on what basis."""

    # Field groups (privacy.groups.FieldGroup) of her record shown to the user.
    groups: frozenset[str] = frozenset()
    # Sensitive class -> the organisations whose items of that class the user sees.
    sensitive: dict[str, frozenset[Any]] = field(default_factory=dict)
    holder: bool = False
    # The bases the user's access rests on, as written to the access log.
    bases: tuple[str, ...] = ()

    @property
    def basis(self) -> str:
        return ",".join(self.bases)

    def __bool__(self) -> bool:
        return bool(self.groups)

    def shows(self, group: str) -> bool:
        return group in self.groups

    def shows_item(self, group: str, recorded_by_organisation_id: Any) -> bool:
        """A sensitive item (a disclosure, a confidential address) recorded by an organisation."""
        return recorded_by_organisation_id in self.sensitive.get(group, frozenset())


NOTHING = View()
ITEM_CLASSES = (FieldGroup.ABUSE, FieldGroup.SEX_WORK, FieldGroup.CONFIDENTIAL_ADDRESS)


def view_of(user: Any, person: Person) -> View:
    """Which parts of her record `user` sees now. Read from her current case team rows and the
    user's emergency access; kept on the instance for the request it lives in."""
    membership = _case_membership(user)
    if membership is None:
        return NOTHING
    cache = person.__dict__.setdefault(_CASE_TEAM_CACHE, {})
    key = (membership.organisation_id, user.pk)
    if key not in cache:
        cache[key] = _compute_view(user, membership, person)
    view: View = cache[key]
    return view


def _compute_view(user: Any, membership: Membership, person: Person) -> View:
    org = membership.organisation_id
    assert org is not None  # a case-working membership always has an organisation
    rows = list(CaseTeamMembership.objects.current().filter(person=person, organisation_id=org))
    holder = any(row.is_holder for row in rows)
    if person.restricted_at is not None and not holder:
        return NOTHING
    groups: set[str] = set()
    sensitive: dict[str, set[Any]] = {}
    bases: list[str] = []
    for row in rows:
        bases.append(row.basis)
        if row.is_holder:
            groups |= HOLDER
            for group in ITEM_CLASSES:
                sensitive.setdefault(group, set()).add(org)
            continue
        _carry(row.groups, row.shared_by_organisation_id, groups, sensitive)
    # The holding organisation already sees more than emergency access would show.
    if not holder and person.restricted_at is None and _in_emergency(user, person):
        groups |= EMERGENCY
        bases.append("emergency")
    if not groups:
        return NOTHING
    return View(
        groups=frozenset(groups),
        sensitive={group: frozenset(orgs) for group, orgs in sensitive.items()},
        holder=holder,
        bases=tuple(sorted(set(bases))),
    )


def _carry(
    row_groups: Iterable[str], shared_by: Any, groups: set[str], sensitive: dict[str, set[Any]]
) -> None:
    """Add what one case-team row carries: field groups, and the sharing organisation's items
    of each sensitive class it names."""
    for group in row_groups:
        if group in ITEM_CLASSES:
            sensitive.setdefault(group, set()).add(shared_by)
        else:
            groups.add(group)


def share_view(row_groups: Iterable[str], shared_by_organisation_id: Any, basis: str) -> View:
    """The view a share carrying `row_groups` gives its recipient: what a share's preview
    shows before it is made, built as view_of builds it from the row."""
    groups: set[str] = set()
    sensitive: dict[str, set[Any]] = {}
    _carry(row_groups, shared_by_organisation_id, groups, sensitive)
    if not groups:
        return NOTHING
    return View(
        groups=frozenset(groups),
        sensitive={group: frozenset(orgs) for group, orgs in sensitive.items()},
        bases=(basis,),
    )


def _in_emergency(user: Any, person: Person) -> bool:
    now = timezone.now()
    return EmergencyAccess.objects.filter(
        person=person, user=user, started_at__lte=now, expires_at__gt=now
    ).exists()


def _on_case_team(user: User, person: Person) -> bool:
    return bool(view_of(user, person))


def _holds_case(user: User, person: Person) -> bool:
    return view_of(user, person).holder


def _has_role(roles: frozenset[str]) -> Callable[[User, Any], bool]:
    def rule(user: User, obj: Any) -> bool:
        membership = _acting_membership(user)
        return membership is not None and membership.role in roles

    return rule


def _all(*rules: Callable[[User, Any], bool]) -> Callable[[User, Any], bool]:
    return lambda user, obj: all(rule(user, obj) for rule in rules)


def _any(*rules: Callable[[User, Any], bool]) -> Callable[[User, Any], bool]:
    return lambda user, obj: any(rule(user, obj) for rule in rules)


def _sees_confidential_address(user: User, person: Person) -> bool:
    """A confidential address (a refuge) is seen only by the organisation that recorded it,
    or one she agreed may see it."""
    address = getattr(person, "address", None)
    if address is None or not address.is_confidential:
        return view_of(user, person).shows(FieldGroup.ADDRESS)
    return view_of(user, person).shows_item(
        FieldGroup.CONFIDENTIAL_ADDRESS, address.recorded_by_organisation_id
    )


def _is(flag: str) -> Callable[[User, Any], bool]:
    def rule(user: User, obj: Any) -> bool:
        membership = _acting_membership(user)
        return membership is not None and bool(getattr(membership, flag))

    return rule


def _may_break_glass(user: User, person: Person) -> bool:
    """Anyone in a case-working role who does not already hold her case may open her record in
    an emergency, unless it is restricted."""
    return person.restricted_at is None and not view_of(user, person).holder


def _reviews_emergency(user: User, access: Any) -> bool:
    membership = _acting_membership(user)
    return (
        isinstance(access, EmergencyAccess)
        and membership is not None
        and membership.role in OVERSIGHT_ROLES
        and membership.organisation_id == access.organisation_id
        and access.user_id != user.pk
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


_holder = _person_rule(_holds_case)
_editor = _all(_has_role(EDIT_ROLES), _holder)

RULES: dict[str, Callable[[User, Any], bool]] = {
    "person.create": lambda user, obj: obj is None and _case_membership(user) is not None,
    "person.search": lambda user, obj: _case_membership(user) is not None,
    "person.view": _person_rule(_on_case_team),
    "person.edit": _editor,
    "person.view_access_log": _all(_has_role(OVERSIGHT_ROLES), _holder),
    "person.view_confidential_address": _person_rule(_sees_confidential_address),
    # Recording her decisions and sharing on them: staff of an organisation holding her case.
    "consent.manage": _editor,
    "share.manage": _editor,
    "condition.manage": _editor,
    "safeguarding.share": _all(_is("is_safeguarding_lead"), _has_role(CASE_ROLES), _holder),
    # A safeguarding share's page: its safeguarding and data protection leads and managers;
    # stopping one: its safeguarding or data protection lead.
    "safeguarding.view": _all(
        _holder,
        _any(
            _is("is_safeguarding_lead"), _is("is_data_protection_lead"), _has_role(OVERSIGHT_ROLES)
        ),
    ),
    "safeguarding.revoke": _all(
        _holder, _any(_is("is_safeguarding_lead"), _is("is_data_protection_lead"))
    ),
    "emergency.search": _has_role(CASE_ROLES - {Role.REFERRER}),
    "emergency.open": _all(_has_role(CASE_ROLES - {Role.REFERRER}), _person_rule(_may_break_glass)),
    "emergency.review": _reviews_emergency,
    "emergency.review_list": _has_role(OVERSIGHT_ROLES),
    # Her rights: the data protection lead of an organisation holding her case.
    "rights.manage": _all(_is("is_data_protection_lead"), _holder),
    "rights.list": _is("is_data_protection_lead"),
    "reporting.view_aggregates": lambda user, obj: _acting_membership(user) is not None,
    "organisation.manage_users": _organisation_admin,
}


def can(user: Any, action: str, obj: Any = None) -> bool:
    """May `user` do `action` to `obj`? Unknown actions are refused."""
    rule = RULES.get(action)
    if rule is None or _acting_membership(user) is None:
        return False
    return bool(rule(user, obj))


# At most this many women are offered to someone breaking the glass: exact matches only.
EMERGENCY_MATCHES = 5


def people_for_emergency(
    user: Any,
    *,
    given: str = "",
    family: str = "",
    date_of_birth: Any = None,
    identifier: str = "",
) -> QuerySet[Person]:
    """Women matching exact identifying details, for a user allowed to break the glass who
    does not hold their case: a full name with a date of birth, or an identifier. Restricted
    records are never offered. The caller logs what it shows (record_listed)."""
    membership = _case_membership(user)
    if membership is None or membership.role == Role.REFERRER:
        return Person.objects.none()
    people = Person.objects.filter(restricted_at__isnull=True)
    if identifier:
        value = identifier.strip().upper()
        match = (
            Q(pnc_number=value)
            | Q(nhs_number=value.replace(" ", ""))
            | Q(prison_number=value)
            | Q(probation_crn=value)
        )
    elif given.strip() and family.strip() and date_of_birth is not None:
        match = Q(
            given_name__iexact=given.strip(),
            family_name__iexact=family.strip(),
            date_of_birth=date_of_birth,
        )
    else:
        return Person.objects.none()
    return people.filter(match)[:EMERGENCY_MATCHES]


def people_counted_in_statistics(user: Any) -> QuerySet[Person]:
    """The women an aggregate report may count: her latest decision about statistics is
    "given" and not expired, and her record is not restricted. Only users allowed aggregates
    (reporting.view_aggregates) get any; a report shows counts, never a row."""
    if not can(user, "reporting.view_aggregates"):
        return Person.objects.none()
    latest = (
        Consent.objects.filter(person=OuterRef("pk"), purpose=ConsentPurpose.STATISTICS)
        .order_by("-recorded_at")
        .values("decision", "expires_on")[:1]
    )
    today = timezone.localdate()
    return (
        Person.objects.filter(restricted_at__isnull=True)
        .annotate(
            statistics_decision=Subquery(latest.values("decision")),
            statistics_expires=Subquery(latest.values("expires_on")),
        )
        .filter(statistics_decision=Consent.Decision.GIVEN)
        .filter(Q(statistics_expires__isnull=True) | Q(statistics_expires__gte=today))
    )
