"""The consent state machine (issue 3): grant, decline and withdraw consent, share, end a
share, record and end an order condition, share for safeguarding and revoke it, break the
glass and review it, restrict her record and move the clock — in any order — and after every
step each agency sees a field group if and only if a current basis covers it.

The expected view comes from a model this test keeps itself, written from the policy table
(privacy.groups) and the rules in issue 3, never from privacy.policy. The services are called
as a view would call them, after asking `policy.can`.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from whole_system.accounts.models import Membership, Organisation
from whole_system.core.testing.factories import (
    OrganisationFactory,
    add_to_case_team,
    make_person,
    make_user,
)
from whole_system.people.models import CaseTeamMembership, Person
from whole_system.privacy import policy, sharing
from whole_system.privacy.groups import (
    CONDITION,
    EMERGENCY,
    HOLDER,
    PURPOSES,
    SAFEGUARDING_NAMEABLE,
    SENSITIVE,
    FieldGroup,
    carried,
)
from whole_system.privacy.models import Consent, EmergencyAccess, OrderCondition, Purpose
from whole_system.privacy.sharing import SharingError

Role = Membership.Role
OrgType = Organisation.Type
G = FieldGroup
GIVEN, DECLINED, WITHDRAWN = (
    Consent.Decision.GIVEN,
    Consent.Decision.DECLINED,
    Consent.Decision.WITHDRAWN,
)

LONDON = ZoneInfo("Europe/London")
# Two days before the clocks go forward, late in the evening: the first steps cross midnight
# (when date-bounded consents and orders end) and a daylight saving change.
START = datetime(2031, 3, 28, 22, 30, tzinfo=LONDON).astimezone(UTC)
TICK = timedelta(microseconds=1)

# Items of these classes are recorded by one organisation and shown per recording
# organisation (View.sensitive); immigration status is a field group like any other.
ITEM_CLASSES = frozenset({G.ABUSE, G.SEX_WORK, G.CONFIDENTIAL_ADDRESS})
SHARE_PURPOSES = sorted(code for code, purpose in PURPOSES.items() if purpose.is_share)
SAFEGUARDING_HOURS = django_settings.SAFEGUARDING_SHARE_HOURS
EMERGENCY_HOURS = django_settings.EMERGENCY_ACCESS_HOURS

# The issue asks for at least 10,000 steps in CI; the test counts the steps it actually ran.
EXAMPLES = int(os.environ.get("WS_STATE_MACHINE_EXAMPLES", "280"))
STEPS_PER_EXAMPLE = 50
MIN_STEPS = 10_000
# Every agency's view, and whether she is in its lists, is checked this often (and each
# agency whose view should have changed, after every step).
FULL_CHECK_EVERY = 25
EXECUTED = {"steps": 0, "examples": 0}

SETTINGS = settings(
    max_examples=EXAMPLES,
    stateful_step_count=STEPS_PER_EXAMPLE,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)


class Clock:
    """Stands in for django.utils.timezone.now: time moves only when the machine moves it."""

    def __init__(self) -> None:
        self.moment = START

    def __call__(self) -> datetime:
        return self.moment

    def today(self) -> date:
        return self.moment.astimezone(LONDON).date()


CLOCK = Clock()


def end_of_day(day: date) -> datetime:
    """Midnight after `day` in the UK: when a consent's expiry date or an order's end date
    has passed."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=LONDON).astimezone(UTC)


# The world: organisations and their staff, made once per test run


@dataclass
class World:
    centre: Organisation
    other_centre: Organisation
    probation: Organisation
    probation_b: Organisation
    police: Organisation
    court: Organisation
    local_authority: Organisation
    health: Organisation
    # Who records her decisions and shares, per organisation that may hold her case.
    workers: dict[Any, Any]
    leads: dict[Any, Any]
    managers: dict[Any, Any]
    # Everyone whose view of her is checked after every step: (label, user).
    viewers: list[tuple[str, Any]]

    @property
    def named_recipients(self) -> list[Organisation]:
        return [self.probation, self.probation_b, self.police, self.court, self.local_authority]

    @property
    def organisations(self) -> list[Organisation]:
        return [
            self.centre,
            self.other_centre,
            self.probation,
            self.probation_b,
            self.police,
            self.court,
            self.local_authority,
            self.health,
        ]


@pytest.fixture
def world(centre, other_centre, probation, police):
    probation_b = OrganisationFactory(
        name="South London Probation Delivery Unit", type=OrgType.PROBATION
    )
    court = OrganisationFactory(name="Test Magistrates' Court", type=OrgType.COURT)
    local_authority = OrganisationFactory(name="Test Borough Council", type=OrgType.LOCAL_AUTHORITY)
    health = OrganisationFactory(name="Test NHS Trust", type=OrgType.HEALTH)
    viewers = [
        ("centre keyworker", make_user(centre, Role.KEYWORKER)),
        ("other centre keyworker", make_user(other_centre, Role.KEYWORKER)),
        ("probation practitioner", make_user(probation, Role.PROBATION_PRACTITIONER)),
        ("other probation practitioner", make_user(probation_b, Role.PROBATION_PRACTITIONER)),
        ("police officer", make_user(police, Role.POLICE_OFFICER)),
        ("second police officer", make_user(police, Role.POLICE_OFFICER)),
        ("court referrer", make_user(court, Role.REFERRER)),
        ("housing officer", make_user(local_authority, Role.KEYWORKER)),
        ("health worker", make_user(health, Role.KEYWORKER)),
    ]
    return World(
        centre=centre,
        other_centre=other_centre,
        probation=probation,
        probation_b=probation_b,
        police=police,
        court=court,
        local_authority=local_authority,
        health=health,
        workers={centre.pk: viewers[0][1], other_centre.pk: viewers[1][1]},
        leads={
            org.pk: make_user(org, Role.KEYWORKER, safeguarding_lead=True)
            for org in (centre, other_centre)
        },
        managers={
            org.pk: make_user(org, Role.SERVICE_MANAGER)
            for org in (other_centre, probation, probation_b, police, local_authority, health)
        },
        viewers=viewers,
    )


# The model: what she decided and which bases are in force


@dataclass
class Decision:
    purpose: str
    organisation: Organisation | None
    recipient_type: str
    decision: str
    classes: frozenset[str]
    expires_on: date | None

    def in_force(self, today: date) -> bool:
        return self.decision == GIVEN and (self.expires_on is None or today <= self.expires_on)


@dataclass
class Basis:
    """One reason an organisation sees part of her record, other than holding her case."""

    kind: str  # consent, condition or safeguarding
    organisation_id: Any
    groups: frozenset[str]
    shared_by: Any
    ends_at: datetime | None
    source_id: Any
    row_id: Any
    purpose: str = ""
    ended: bool = False

    def in_force(self, now: datetime) -> bool:
        return not self.ended and (self.ends_at is None or now < self.ends_at)


@dataclass
class Emergency:
    access: EmergencyAccess
    user_id: Any
    organisation_id: Any
    expires_at: datetime
    reviewed: bool = False

    def in_force(self, now: datetime) -> bool:
        return now < self.expires_at


@dataclass(frozen=True)
class Seen:
    groups: frozenset[str] = frozenset()
    sensitive: dict[str, frozenset[Any]] = field(default_factory=dict)
    holder: bool = False
    bases: frozenset[str] = frozenset()


NOTHING = Seen()


def seen_from(view: policy.View) -> Seen:
    return Seen(
        groups=frozenset(view.groups),
        sensitive={group: frozenset(orgs) for group, orgs in view.sensitive.items() if orgs},
        holder=view.holder,
        bases=frozenset(view.bases),
    )


class ConsentMachine(RuleBasedStateMachine):
    world: World

    def __init__(self) -> None:
        super().__init__()
        EXECUTED["examples"] += 1
        # Every example starts clean: its rows live in a savepoint rolled back at teardown.
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        CLOCK.moment = START
        w = self.world
        # The services are given this instance; the policy is always asked about a fresh one.
        self.her = make_person(
            w.workers[w.centre.pk], given_name="Synthetic", family_name="Statemachine"
        )
        self.person_id = self.her.pk
        self.holders: set[Any] = {w.centre.pk}
        self.decisions: list[Decision] = []
        self.bases: list[Basis] = []
        self.conditions: dict[Any, bool] = {}  # condition id -> ended by end_condition
        self.safeguarding: dict[Any, bool] = {}  # share id -> revoked
        self.emergencies: list[Emergency] = []
        self.restricted = False
        # What each viewer saw when last checked.
        self.seen: dict[str, Seen] = {}
        self.steps = 0

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # Helpers

    def person(self) -> Person:
        """A fresh instance: view_of keeps its answer on the instance."""
        return Person.objects.get(pk=self.person_id)

    def step(self) -> None:
        EXECUTED["steps"] += 1
        self.steps += 1

    def holding_workers(self) -> list[Any]:
        return [self.world.workers[org] for org in sorted(self.holders, key=str)]

    def holding_leads(self) -> list[Any]:
        return [self.world.leads[org] for org in sorted(self.holders, key=str)]

    def governing(self, purpose: str, organisation: Organisation) -> Decision | None:
        """Her latest decision about sharing for `purpose` with this organisation by name, or,
        when she never named it, her latest about its kind."""
        named = [
            d
            for d in self.decisions
            if d.purpose == purpose
            and d.organisation is not None
            and d.organisation.pk == organisation.pk
        ]
        if named:
            return named[-1]
        kind = [
            d
            for d in self.decisions
            if d.purpose == purpose
            and d.organisation is None
            and d.recipient_type == organisation.type
        ]
        return kind[-1] if kind else None

    def expected(self, user: Any) -> Seen:
        """What `user` should see of her now, from the model."""
        now = CLOCK()
        org = user.membership.organisation_id
        holder = org in self.holders
        if self.restricted and not holder:
            return NOTHING
        # Each field group, with the bases that cover it for this organisation or user.
        covered: dict[str, set[str]] = defaultdict(set)
        items: dict[str, set[Any]] = defaultdict(set)
        if holder:
            for group in HOLDER:
                covered[group].add("holder")
            for group in ITEM_CLASSES:
                items[group].add(org)
        for basis in self.bases:
            if basis.organisation_id != org or not basis.in_force(now):
                continue
            for group in basis.groups:
                if group in ITEM_CLASSES:
                    items[group].add(basis.shared_by)
                else:
                    covered[group].add(basis.kind)
        emergency = not self.restricted and any(
            e.user_id == user.pk and e.in_force(now) for e in self.emergencies
        )
        if emergency:
            for group in EMERGENCY:
                covered[group].add("emergency")
        if not covered:
            return NOTHING
        bases = {b.kind for b in self.bases if b.organisation_id == org and b.in_force(now)}
        if holder:
            bases.add("holder")
        if emergency:
            bases.add("emergency")
        return Seen(
            groups=frozenset(covered),
            sensitive={group: frozenset(orgs) for group, orgs in items.items()},
            holder=holder,
            bases=frozenset(bases),
        )

    def end_bases(self, kind: str, organisation_id: Any, purpose: str = "") -> None:
        for basis in self.bases:
            if (
                basis.kind == kind
                and basis.organisation_id == organisation_id
                and basis.purpose == purpose
            ):
                basis.ended = True

    def row_id(self, source_id: Any) -> Any:
        return CaseTeamMembership.objects.get(source_id=source_id, ended_at__isnull=True).pk

    # Setting up

    @initialize(co_holder=st.booleans())
    def another_centre_may_hold_her_case(self, co_holder: bool) -> None:
        self.step()
        w = self.world
        if co_holder:
            add_to_case_team(self.her, w.other_centre)
            self.holders.add(w.other_centre.pk)
        # Only staff of an organisation holding her case record her decisions and share; only
        # its designated lead shares for safeguarding. (Asked once here: the rules below act
        # as the pages do after asking.)
        person = self.person()
        users = [*w.workers.values(), *w.leads.values(), w.viewers[2][1], w.viewers[4][1]]
        for user in users:
            membership = user.membership
            holds = membership.organisation_id in self.holders
            for action in ("consent.manage", "share.manage", "condition.manage"):
                assert policy.can(user, action, person) == holds, action
            lead = holds and membership.is_safeguarding_lead
            assert policy.can(user, "safeguarding.share", person) == lead

    # Her decisions

    @rule(data=st.data())
    def record_decision(self, data: st.DataObject) -> None:
        self.step()
        w = self.world
        purpose = data.draw(st.sampled_from(SHARE_PURPOSES), label="purpose")
        recipients = PURPOSES[purpose].recipients
        valid = data.draw(st.integers(0, 9), label="valid") > 0
        if valid:
            options: list[Organisation | str] = [
                org for org in w.named_recipients if org.type in recipients
            ]
            options += sorted(recipients)
        else:
            options = [w.health, OrgType.COMMISSIONER]
        recipient = data.draw(st.sampled_from(options), label="recipient")
        decision = data.draw(st.sampled_from([GIVEN, GIVEN, DECLINED, WITHDRAWN]), label="decision")
        classes = data.draw(st.frozensets(st.sampled_from(sorted(SENSITIVE))), label="classes")
        days = data.draw(st.one_of(st.none(), st.integers(-1, 20)), label="expires in days")
        expires_on = None if days is None else CLOCK.today() + timedelta(days=days)
        by = data.draw(st.sampled_from(self.holding_workers()), label="by")
        person = self.her
        organisation = recipient if isinstance(recipient, Organisation) else None
        recipient_type = "" if organisation else str(recipient)
        kwargs = {
            "by": by,
            "purpose": purpose,
            "decision": decision,
            "method": Consent.Method.SPOKEN,
            "recipient_organisation": organisation,
            "recipient_type": recipient_type,
            "sensitive_classes": classes,
            "expires_on": expires_on,
        }
        if not valid or (expires_on is not None and expires_on < CLOCK.today()):
            with pytest.raises(SharingError):
                sharing.record_consent(person, **kwargs)
            return
        sharing.record_consent(person, **kwargs)
        self.decisions.append(
            Decision(
                purpose,
                organisation,
                organisation.type if organisation else recipient_type,
                decision,
                classes,
                expires_on,
            )
        )
        # A new decision about an organisation, or a kind of organisation she has not named,
        # ends the shares made on her earlier decision: the recipient loses access at once.
        for basis in self.bases:
            if basis.kind != "consent" or basis.purpose != purpose:
                continue
            org = next(o for o in w.organisations if o.pk == basis.organisation_id)
            if self.governing(purpose, org) is self.decisions[-1]:
                basis.ended = True

    # Shares she agreed to

    @rule(data=st.data())
    def share(self, data: st.DataObject) -> None:
        self.step()
        w = self.world
        combos = [
            (purpose, org)
            for purpose in SHARE_PURPOSES
            for org in w.named_recipients
            if org.type in PURPOSES[purpose].recipients
        ]
        today = CLOCK.today()
        agreed = [
            (purpose, org)
            for purpose, org in combos
            if (d := self.governing(purpose, org)) is not None and d.in_force(today)
        ]
        if agreed and data.draw(st.booleans(), label="one she agreed to"):
            combos = agreed
        purpose, org = data.draw(st.sampled_from(combos), label="share")
        by = data.draw(st.sampled_from(self.holding_workers()), label="by")
        person = self.her
        decision = self.governing(purpose, org)
        if decision is None or not decision.in_force(today):
            with pytest.raises(SharingError):
                sharing.share(person, by=by, purpose=purpose, recipient=org)
            return
        # What she agreed to, cut to the recipient's row of the minimisation table.
        groups = carried(purpose, org.type, decision.classes)
        assert sharing.preview_groups(person, purpose, org) == groups
        row = sharing.share(person, by=by, purpose=purpose, recipient=org)
        assert frozenset(row.groups) == groups
        self.end_bases("consent", org.pk, purpose)
        self.bases.append(
            Basis(
                "consent",
                org.pk,
                groups,
                by.membership.organisation_id,
                end_of_day(decision.expires_on) if decision.expires_on else None,
                row.source_id,
                row.pk,
                purpose=purpose,
            )
        )

    @precondition(lambda self: self.bases)
    @rule(data=st.data())
    def end_share(self, data: st.DataObject) -> None:
        self.step()
        basis = data.draw(st.sampled_from(self.bases), label="row")
        by = data.draw(st.sampled_from(self.holding_workers()), label="by")
        ended = sharing.end_share(self.her, by=by, row_id=basis.row_id)
        # Only a share she consented to is stopped here; conditions and safeguarding shares
        # end through their own records.
        stoppable = basis.kind == "consent" and not basis.ended
        assert ended == stoppable
        if stoppable:
            basis.ended = True

    # Conditions of cautions and orders

    @rule(
        data=st.data(),
        kind=st.sampled_from(OrderCondition.Kind.values),
        started_days_ago=st.integers(0, 30),
        length_days=st.integers(-1, 60),
    )
    def record_condition(
        self, data: st.DataObject, kind: str, started_days_ago: int, length_days: int
    ) -> None:
        self.step()
        w = self.world
        org = data.draw(
            st.sampled_from([w.police, w.probation, w.probation_b, w.court]), label="organisation"
        )
        by = data.draw(st.sampled_from(self.holding_workers()), label="by")
        person = self.her
        starts_on = CLOCK.today() - timedelta(days=started_days_ago)
        ends_on = starts_on + timedelta(days=length_days)
        call = {"by": by, "organisation": org, "kind": kind, "starts_on": starts_on}
        if org.type not in (OrgType.POLICE, OrgType.PROBATION) or ends_on < starts_on:
            with pytest.raises(SharingError):
                sharing.record_condition(person, ends_on=ends_on, **call)
            return
        condition = sharing.record_condition(person, ends_on=ends_on, **call)
        # The latest condition recorded for an organisation is the one its row follows.
        self.end_bases("condition", org.pk)
        self.conditions[condition.pk] = False
        self.bases.append(
            Basis(
                "condition",
                org.pk,
                CONDITION,
                by.membership.organisation_id,
                end_of_day(ends_on),
                condition.pk,
                self.row_id(condition.pk),
            )
        )

    @precondition(lambda self: self.conditions)
    @rule(data=st.data())
    def end_condition(self, data: st.DataObject) -> None:
        self.step()
        condition_id = data.draw(st.sampled_from(sorted(self.conditions, key=str)), label="id")
        by = data.draw(st.sampled_from(self.holding_workers()), label="by")
        ended = sharing.end_condition(self.her, by=by, condition_id=condition_id)
        assert ended == (not self.conditions[condition_id])
        self.conditions[condition_id] = True
        for basis in self.bases:
            if basis.source_id == condition_id:
                basis.ended = True

    # Safeguarding without consent

    @rule(
        data=st.data(),
        groups=st.frozensets(st.sampled_from(sorted(SAFEGUARDING_NAMEABLE)), min_size=1),
        hours=st.integers(1, SAFEGUARDING_HOURS),
        valid=st.integers(0, 9),
    )
    def share_for_safeguarding(
        self, data: st.DataObject, groups: frozenset[str], hours: int, valid: int
    ) -> None:
        self.step()
        w = self.world
        lead = data.draw(st.sampled_from(self.holding_leads()), label="lead")
        own = lead.membership.organisation_id
        recipient = data.draw(
            st.sampled_from([o for o in w.organisations if o.pk != own]), label="recipient"
        )
        person = self.her
        if valid == 0:
            # Out of bounds, a sensitive class, or to her own organisation: refused.
            wrong = data.draw(st.sampled_from(["hours", "sensitive", "own"]), label="wrong")
            if wrong == "hours":
                hours = data.draw(st.sampled_from([0, SAFEGUARDING_HOURS + 1]))
            elif wrong == "sensitive":
                groups = groups | {data.draw(st.sampled_from(sorted(SENSITIVE)))}
            else:
                recipient = next(o for o in w.organisations if o.pk == own)
            with pytest.raises(SharingError):
                sharing.share_for_safeguarding(
                    person,
                    by=lead,
                    recipient=recipient,
                    reason_category="risk_to_her",
                    reason="Synthetic reason",
                    groups=groups,
                    hours=hours,
                )
            return
        made = sharing.share_for_safeguarding(
            person,
            by=lead,
            recipient=recipient,
            reason_category="risk_to_her",
            reason="Synthetic reason",
            groups=groups,
            hours=hours,
        )
        self.end_bases("safeguarding", recipient.pk)
        self.safeguarding[made.pk] = False
        self.bases.append(
            Basis(
                "safeguarding",
                recipient.pk,
                frozenset(groups | {G.IDENTITY}),
                own,
                CLOCK() + timedelta(hours=hours),
                made.pk,
                self.row_id(made.pk),
            )
        )

    @precondition(lambda self: self.safeguarding)
    @rule(data=st.data())
    def revoke_safeguarding_share(self, data: st.DataObject) -> None:
        self.step()
        share_id = data.draw(st.sampled_from(sorted(self.safeguarding, key=str)), label="id")
        lead = data.draw(st.sampled_from(self.holding_leads()), label="lead")
        revoked = sharing.revoke_safeguarding_share(self.her, by=lead, share_id=share_id)
        assert revoked == (not self.safeguarding[share_id])
        self.safeguarding[share_id] = True
        for basis in self.bases:
            if basis.source_id == share_id:
                basis.ended = True

    # Emergency access

    @rule(data=st.data())
    def break_the_glass(self, data: st.DataObject) -> None:
        self.step()
        label, user = data.draw(st.sampled_from(self.world.viewers), label="user")
        membership = user.membership
        allowed = (
            membership.organisation_id not in self.holders
            and membership.role != Role.REFERRER
            and not self.restricted
        )
        person = self.person()
        assert policy.can(user, "emergency.open", person) == allowed, label
        if not allowed:
            return
        access = sharing.break_the_glass(
            person, by=user, reason_category="risk_to_life", reason="Synthetic emergency"
        )
        self.emergencies.append(
            Emergency(
                access,
                user.pk,
                membership.organisation_id,
                CLOCK() + timedelta(hours=EMERGENCY_HOURS),
            )
        )

    @precondition(lambda self: self.emergencies)
    @rule(data=st.data(), justified=st.booleans())
    def review_emergency_access(self, data: st.DataObject, justified: bool) -> None:
        self.step()
        emergency = data.draw(st.sampled_from(self.emergencies), label="access")
        manager = self.world.managers[emergency.organisation_id]
        access = EmergencyAccess.objects.get(pk=emergency.access.pk)
        assert policy.can(manager, "emergency.review", access)
        assert not policy.can(
            next(u for _, u in self.world.viewers if u.pk == emergency.user_id),
            "emergency.review",
            access,
        )
        outcome = (
            EmergencyAccess.Outcome.JUSTIFIED
            if justified
            else EmergencyAccess.Outcome.NOT_JUSTIFIED
        )
        if emergency.reviewed:
            with pytest.raises(SharingError):
                sharing.review_emergency_access(access, by=manager, outcome=outcome, notes="")
            return
        sharing.review_emergency_access(access, by=manager, outcome=outcome, notes="")
        emergency.reviewed = True
        if not justified:
            # Found not justified: it stops at once.
            emergency.expires_at = min(emergency.expires_at, CLOCK())

    # Restriction

    @rule(restrict=st.booleans())
    def restrict(self, restrict: bool) -> None:
        self.step()
        moment = CLOCK() if restrict else None
        Person.objects.filter(pk=self.person_id).update(restricted_at=moment)
        self.her.restricted_at = moment
        self.restricted = restrict

    # Time

    @rule(data=st.data())
    def advance_clock(self, data: st.DataObject) -> None:
        self.step()
        now = CLOCK()
        ends = sorted(
            {b.ends_at for b in self.bases if b.ends_at is not None and b.ends_at > now}
            | {e.expires_at for e in self.emergencies if e.expires_at > now}
        )
        how = data.draw(st.sampled_from(["boundary", "minutes", "hours", "days"]), label="how")
        if how == "boundary" and ends:
            # Just before, at or just after the moment a basis ends.
            moment = data.draw(st.sampled_from(ends), label="boundary")
            offset = data.draw(st.sampled_from([-TICK, timedelta(0), TICK]), label="offset")
            CLOCK.moment = max(now, moment + offset)
        elif how == "minutes":
            CLOCK.moment = now + timedelta(minutes=data.draw(st.integers(1, 59)))
        elif how == "days":
            CLOCK.moment = now + timedelta(days=data.draw(st.integers(1, 10)))
        else:
            CLOCK.moment = now + timedelta(hours=data.draw(st.integers(1, 30)))

    # Viewing

    def check(self, label: str, user: Any, person: Person, *, listed: bool) -> Seen:
        """Compare what the policy shows `user` of her with the model."""
        expected = self.expected(user)
        view = policy.view_of(user, person)
        assert seen_from(view) == expected, (label, CLOCK())
        # Sensitive items: an organisation holding her case sees its own; another sees those
        # of the organisation that shared with it on a consent naming their class.
        org = user.membership.organisation_id
        now = CLOCK()
        for group, recorders in view.sensitive.items():
            assert group in ITEM_CLASSES, (label, group)
            for recorder in recorders:
                assert recorder in self.holders, (label, group)
                assert recorder == org or any(
                    b.kind == "consent" and group in b.groups and b.shared_by == recorder
                    for b in self.bases
                    if b.organisation_id == org and b.in_force(now)
                ), (label, group)
        if self.restricted and not view.holder:
            assert not view, label
        assert policy.can(user, "person.view", person) == (expected != NOTHING), label
        if listed:
            found = (
                policy.people_visible_to(user, purpose=Purpose.CASEWORK)
                .filter(pk=self.person_id)
                .exists()
            )
            # Lists and searches leave a restricted record out, even for her holders.
            assert found == (expected != NOTHING and not self.restricted), label
        return expected

    @rule(data=st.data())
    def view(self, data: st.DataObject) -> None:
        """One user opens her record through the policy point, as a page or the API does."""
        self.step()
        label, user = data.draw(st.sampled_from(self.world.viewers), label="viewer")
        self.seen[label] = self.check(label, user, self.person(), listed=True)
        if self.seen[label] == NOTHING:
            with pytest.raises(Http404):
                policy.get_person(user, self.person_id, purpose=Purpose.CASEWORK)
        else:
            opened = policy.get_person(user, self.person_id, purpose=Purpose.CASEWORK)
            assert seen_from(policy.view_of(user, opened)) == self.seen[label], label

    @invariant()
    def an_agency_sees_a_field_group_if_and_only_if_a_current_basis_covers_it(self) -> None:
        """After every step, each agency whose view the model says changed is checked: the
        very next request shows the change. Every few steps, every agency is checked,
        lists included, so that a view that changed when the model says it should not is
        found too."""
        person = None
        everyone = self.steps % FULL_CHECK_EVERY == 0
        for label, user in self.world.viewers:
            if everyone or self.expected(user) != self.seen.get(label, NOTHING):
                person = person or self.person()
                self.seen[label] = self.check(label, user, person, listed=everyone)


def _run(machine: type[ConsentMachine], world: World, run_settings: settings) -> None:
    machine.world = world
    with mock.patch("django.utils.timezone.now", CLOCK):
        run_state_machine_as_test(machine, settings=run_settings)


@pytest.mark.django_db
def test_an_agency_sees_a_field_group_if_and_only_if_a_current_basis_covers_it(world, capsys):
    EXECUTED.update(steps=0, examples=0)

    _run(ConsentMachine, world, SETTINGS)

    with capsys.disabled():
        print(
            f"\nconsent state machine: {EXECUTED['steps']} steps in {EXECUTED['examples']} examples"
        )
    assert EXECUTED["steps"] >= MIN_STEPS


# Examples -----------------------------------------------------------------------------------
# A decision naming an organisation wins over one about its kind, whichever came first (the
# machine's model says so too; here as a plain example, in both orders).


def _decide(person, by, decision, **recipient):
    return sharing.record_consent(
        person,
        by=by,
        purpose="engagement_probation",
        decision=decision,
        method=Consent.Method.SPOKEN,
        **recipient,
    )


def _sees(user, person) -> bool:
    return bool(policy.view_of(user, Person.objects.get(pk=person.pk)))


@pytest.mark.django_db
@pytest.mark.parametrize("named_first", [True, False])
def test_no_share_with_an_organisation_she_withdrew_consent_for_by_name(
    keyworker, woman, probation, probation_officer, named_first
):
    decisions = [
        (WITHDRAWN, {"recipient_organisation": probation}),
        (GIVEN, {"recipient_type": OrgType.PROBATION}),
    ]
    for decision, recipient in decisions if named_first else reversed(decisions):
        _decide(woman, keyworker, decision, **recipient)

    assert sharing.preview_groups(woman, "engagement_probation", probation) == frozenset()
    with pytest.raises(SharingError):
        sharing.share(woman, by=keyworker, purpose="engagement_probation", recipient=probation)
    assert not _sees(probation_officer, woman)


# A condition recorded with a start date in the future opens nothing until it starts.


@pytest.mark.django_db
def test_a_condition_that_starts_later_shows_nothing_until_it_starts(
    keyworker, woman, police, police_officer
):
    today = timezone.localdate()
    sharing.record_condition(
        woman,
        by=keyworker,
        organisation=police,
        kind=OrderCondition.Kind.CONDITIONAL_CAUTION,
        starts_on=today + timedelta(days=7),
        ends_on=today + timedelta(days=90),
    )

    assert not _sees(police_officer, woman)
