"""The authorisation matrix and the canary crawl (issue 3).

One world holds a woman for each relation an organisation can have to her record: its own;
another organisation with her consent for a purpose; without it; after she withdrew it; with a
consent that does or does not name a sensitive class; a restricted record; a safeguarding share
in force and one expired; a condition of a caution; emergency access. Every field group of
each woman carries a unique marker string, and so does each organisation's sensitive item
(a disclosure, a confidential address).

Then, as every persona, every URL pattern is requested for every woman, with GET and (where
the written table refuses it) POST; search is run by name, the API is called, the subject
access export is downloaded and the e-mails sent are read:

- the matrix: a request the written table (ALLOWED below) refuses must not succeed, and one it
  allows must not be refused — 0 unexpected successes;
- the canary crawl: a marker may appear only where the written table of what each persona may
  see (SEES below) says so — 0 markers seen where the table says no, and so 0 fields beyond it;
- the log: every read of her record made by the crawl is logged exactly once.

The tables are written out here by hand from privacy/groups.py and the issue, not computed
from the policy code they check.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from whole_system.accounts.models import Membership, Organisation
from whole_system.core.testing.auth import sign_in
from whole_system.core.testing.factories import OrganisationFactory, make_person, make_user
from whole_system.people import services
from whole_system.people.models import CaseTeamMembership, Person
from whole_system.privacy import rights, sharing
from whole_system.privacy.models import AccessEvent, RightsRequest
from whole_system.privacy.notifications import tell_leads_of_safeguarding_share

Role = Membership.Role
pytestmark = pytest.mark.django_db
T = Organisation.Type

# The women, by the relation they stand for (tags are letters only, so no marker is a prefix
# of another).
OWN = "own"  # the centre holds her case; a confidential address and disclosures of its own
CONSENT = "consent"  # shared with probation (engagement) and the council (housing) on consent
WITHDRAWN = "withdrawn"  # shared with probation, then she withdrew
NAMED = "named"  # shared with probation for a pre-sentence report, naming abuse (not sex work)
RESTRICTED = "restricted"  # shared with probation, then restricted
SG_ACTIVE = "sgactive"  # shared with the police without consent, contact details, in force
SG_EXPIRED = "sgexpired"  # the same, expired
CONDITION = "condition"  # a conditional caution: the police learn whether she engaged
OTHER = "other"  # held by the other centre; the centre's keyworker broke the glass
WOMEN = (OWN, CONSENT, WITHDRAWN, NAMED, RESTRICTED, SG_ACTIVE, SG_EXPIRED, CONDITION, OTHER)
CENTRE_HELD = frozenset(WOMEN) - {OTHER}

# The marked parts of her record: a group, or an item of a sensitive class, or the detail of
# a need that only the holding organisation sees.
PARTS = (
    "identity",
    "contact",
    "address",
    "needs_summary",
    "needsdetail",
    "health",
    "accommodation",
    "dependants",
    "abuse",
    "sexwork",
    "confaddr",
)


def present(tag: str) -> frozenset[str]:
    """The parts her record has: the centre recorded a confidential address for one woman,
    an open address for every other."""
    return frozenset(PARTS) - ({"address"} if tag == OWN else {"confaddr"})


def marker(tag: str, part: str) -> str:
    return f"CANARY{part.upper()}{tag.upper()}Z"


MARKER = re.compile(r"CANARY([A-Z_]+?)(" + "|".join(t.upper() for t in WOMEN) + r")Z")
PART_OF = {p.upper(): p for p in PARTS}

HOLDER_PARTS = frozenset(PARTS)  # her holding organisation's own items included
EMERGENCY_PARTS = frozenset({"identity", "contact", "address", "health", "needs_summary"})

# The written table of what each persona sees of each woman. Anything not listed: nothing.
SEES: dict[tuple[str, str], frozenset[str]] = {
    **{("keyworker", w): HOLDER_PARTS for w in CENTRE_HELD},
    **{("manager", w): HOLDER_PARTS for w in CENTRE_HELD},
    ("outsider", OTHER): HOLDER_PARTS,
    # Emergency access: the emergency groups, never the other centre's sensitive items.
    ("keyworker", OTHER): EMERGENCY_PARTS,
    # Probation: engagement on consent; a pre-sentence summary naming abuse carries the
    # centre's abuse disclosure but not its sex work disclosure nor the need detail.
    ("probation", CONSENT): frozenset({"identity"}),
    ("probation", NAMED): frozenset({"identity", "needs_summary", "abuse"}),
    # The council: housing need and how to reach her.
    ("housing", CONSENT): frozenset({"identity", "accommodation", "contact", "address"}),
    # The police: a safeguarding share of contact details; a caution's condition.
    ("police", SG_ACTIVE): frozenset({"identity", "contact"}),
    ("police", CONDITION): frozenset({"identity"}),
}


@dataclass(frozen=True)
class Persona:
    name: str
    org: str | None  # key into World.orgs
    role: str | None
    designated: bool = False  # safeguarding lead and data protection lead


PERSONAS = (
    Persona("keyworker", "centre", Role.KEYWORKER),
    Persona("manager", "centre", Role.SERVICE_MANAGER, designated=True),
    Persona("outsider", "other_centre", Role.KEYWORKER),
    Persona("probation", "probation", Role.PROBATION_PRACTITIONER),
    Persona("police", "police", Role.POLICE_OFFICER),
    Persona("housing", "council", Role.KEYWORKER),
    Persona("analyst", "commissioner", Role.ANALYST),
    Persona("orgadmin", "centre", Role.ORGANISATION_ADMIN),
    Persona("platform", None, Role.PLATFORM_ADMIN),
    Persona("anonymous", None, None),
)
BY_NAME = {p.name: p for p in PERSONAS}


def holds(persona: Persona, woman: str) -> bool:
    return (persona.org == "centre" and woman in CENTRE_HELD) or (
        persona.org == "other_centre" and woman == OTHER
    )


def edits(persona: Persona, woman: str) -> bool:
    return holds(persona, woman) and persona.role in {Role.KEYWORKER, Role.SERVICE_MANAGER}


def sees(persona: Persona, woman: str) -> bool:
    return bool(SEES.get((persona.name, woman)))


def casework_role(persona: Persona) -> bool:
    return persona.role in {
        Role.KEYWORKER,
        Role.SERVICE_MANAGER,
        Role.REFERRER,
        Role.PROBATION_PRACTITIONER,
        Role.POLICE_OFFICER,
    }


def centre_manager(persona: Persona, woman: str) -> bool:
    return persona.name == "manager" and woman in CENTRE_HELD


Rule = Callable[[Persona, str], bool]

# The written policy table: which persona may use each page or endpoint for each woman.
ALLOWED: dict[str, Rule] = {
    "core:home": lambda p, w: p.role is not None,
    "people:search": lambda p, w: casework_role(p),
    "people:create": lambda p, w: casework_role(p),
    "api:people_search": lambda p, w: casework_role(p),
    "people:detail": sees,
    "api:person": sees,
    **dict.fromkeys(
        [
            "people:edit",
            "people:add_name",
            "people:remove_name",
            "people:add_dependant",
            "people:remove_dependant",
            "people:add_need",
            "people:remove_need",
            "people:add_disclosure",
            "privacy:consents",
            "privacy:consent_purpose",
            "privacy:consent_record",
            "privacy:consent_withdraw",
            "privacy:consent_summary",
            "privacy:consent_summary_language",
            "privacy:share",
            "privacy:share_confirm",
            "privacy:share_end",
            "privacy:condition_record",
            "privacy:condition_end",
            "privacy:engagement",
        ],
        edits,
    ),
    "privacy:access_log": centre_manager,
    **dict.fromkeys(
        [
            "privacy:rights",
            "privacy:sar_open",
            "privacy:sar_extend",
            "privacy:sar_complete",
            "privacy:sar_export_json",
            "privacy:sar_export_pdf",
            "privacy:rights_request_open",
            "privacy:rights_request_agree",
            "privacy:rights_request_refuse",
            "privacy:rights_request_lift",
            "privacy:safeguarding_share",
            "privacy:safeguarding_revoke",
            "privacy:safeguarding_detail",
        ],
        centre_manager,
    ),
    "privacy:rights_list": lambda p, w: p.name == "manager",
    "privacy:emergency_reviews": lambda p, w: p.name == "manager",
    # The keyworker's emergency access is reviewed by her manager, not by herself.
    "privacy:emergency_review": lambda p, w: p.name == "manager",
    "privacy:emergency_search": lambda p, w: casework_role(p),
    "privacy:emergency_open": lambda p, w: casework_role(p),
}
# Pages with nothing about anyone, open to all (sign-in, language, health, the API schema).
PUBLIC = {
    "accounts:sign_in",
    "accounts:set_up_code",
    "accounts:sign_out",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "core:language",
    "health",
    "api-schema",
}


def _patterns(resolvers: list[Any], namespace: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace or ""
            found += _patterns(
                entry.url_patterns, inner.strip(":") if entry.namespace else namespace
            )
        else:
            found.append((f"{namespace}:{entry.name}" if namespace else str(entry.name), entry))
    return found


URLS = sorted(name for name, _ in _patterns(get_resolver().url_patterns))


def test_the_written_table_covers_every_url():
    assert sorted(set(URLS) - PUBLIC) == sorted(ALLOWED)


# The world -------------------------------------------------------------------------------


@dataclass
class World:
    orgs: dict[str, Organisation]
    users: dict[str, Any]
    women: dict[str, Person]
    # Per woman: the ids of her parts that URLs take.
    ids: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Ids not tied to a woman: the emergency access and the safeguarding share.
    access_id: Any = None


def _mark_record(person: Person, by: Any, tag: str, *, confidential: bool) -> None:
    m = lambda part: marker(tag, part)  # noqa: E731
    services.update_person(
        person,
        by=by,
        data={"family_name": m("identity"), "accessibility_needs": m("needs_summary")},
        version=person.version,
    )
    person.refresh_from_db()
    services.update_contact(
        person,
        by=by,
        data={"phone": "07700 900123", "safe_times": m("contact"), "may_phone": True},
        version=person.version,
    )
    person.refresh_from_db()
    services.update_address(
        person,
        by=by,
        data={
            "line_1": m("confaddr") if confidential else m("address"),
            "town": "Testtown",
            "is_confidential": confidential,
        },
        version=person.version,
    )
    person.refresh_from_db()
    for area, part in (
        ("mental_health", "health"),
        ("accommodation", "accommodation"),
        ("finance", "needsdetail"),
    ):
        services.record_need(
            person,
            by=by,
            data={"area": area, "level": "high", "notes": m(part)},
            version=person.version,
        )
        person.refresh_from_db()
    for kind, part in (("domestic_abuse", "abuse"), ("sex_work", "sexwork")):
        services.add_disclosure(
            person, by=by, data={"kind": kind, "narrative": m(part)}, version=person.version
        )
        person.refresh_from_db()
    services.add_dependant(
        person,
        by=by,
        data={
            "first_name": m("dependants"),
            "date_of_birth": date(2016, 1, 1),
            "lives_with": "her",
            "social_services": "none",
        },
        version=person.version,
    )
    person.refresh_from_db()
    services.add_other_name(
        person,
        by=by,
        kind="alias",
        given_name="Alias",
        family_name=m("identity"),
        version=person.version,
    )


def _consent_and_share(woman, by, purpose, recipient, classes=()):
    consent = sharing.record_consent(
        woman,
        by=by,
        purpose=purpose,
        decision="given",
        method="spoken",
        recipient_organisation=recipient,
        sensitive_classes=classes,
    )
    sharing.share(woman, by=by, purpose=purpose, recipient=recipient)
    return consent


def build_world() -> World:
    orgs = {
        "centre": OrganisationFactory(name="Matrix Women's Centre", type=T.WOMENS_SERVICE),
        "other_centre": OrganisationFactory(name="Matrix Other Centre", type=T.WOMENS_SERVICE),
        "probation": OrganisationFactory(name="Matrix Probation", type=T.PROBATION),
        "police": OrganisationFactory(name="Matrix Police", type=T.POLICE),
        "council": OrganisationFactory(name="Matrix Council", type=T.LOCAL_AUTHORITY),
        "commissioner": OrganisationFactory(name="Matrix Commissioner", type=T.COMMISSIONER),
    }
    users = {
        p.name: make_user(
            orgs[p.org] if p.org else None,
            p.role,
            safeguarding_lead=p.designated,
            data_protection_lead=p.designated,
        )
        for p in PERSONAS
        if p.role is not None
    }
    keyworker, outsider = users["keyworker"], users["outsider"]
    women: dict[str, Person] = {}
    for tag in WOMEN:
        by = outsider if tag == OTHER else keyworker
        person = make_person(by, given_name="Matrix", family_name=tag)
        _mark_record(person, by, tag, confidential=tag == OWN)
        women[tag] = Person.objects.get(pk=person.pk)
    w = women
    _consent_and_share(w[CONSENT], keyworker, "engagement_probation", orgs["probation"])
    _consent_and_share(w[CONSENT], keyworker, "housing", orgs["council"])
    withdrawn = _consent_and_share(
        w[WITHDRAWN], keyworker, "engagement_probation", orgs["probation"]
    )
    sharing.record_consent(
        w[WITHDRAWN],
        by=keyworker,
        purpose="engagement_probation",
        decision="withdrawn",
        method="spoken",
        recipient_organisation=withdrawn.recipient_organisation,
    )
    _consent_and_share(w[NAMED], keyworker, "psr_needs", orgs["probation"], classes=["abuse"])
    _consent_and_share(w[RESTRICTED], keyworker, "engagement_probation", orgs["probation"])
    Person.objects.filter(pk=w[RESTRICTED].pk).update(restricted_at=timezone.now())
    for tag in (SG_ACTIVE, SG_EXPIRED):
        share = sharing.share_for_safeguarding(
            w[tag],
            by=users["manager"],
            recipient=orgs["police"],
            reason_category="risk_to_her",
            reason=f"Matrix reason {marker(tag, 'identity')}",
            groups=["contact"],
            hours=1,
        )
        tell_leads_of_safeguarding_share(str(share.pk))
    expired = timezone.now() - timedelta(minutes=1)
    CaseTeamMembership.objects.filter(
        person=w[SG_EXPIRED], basis=CaseTeamMembership.Basis.SAFEGUARDING
    ).update(ends_at=expired)
    w[SG_EXPIRED].safeguarding_shares.update(expires_at=expired)
    sharing.record_condition(
        w[CONDITION],
        by=keyworker,
        organisation=orgs["police"],
        kind="conditional_caution",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=90),
    )
    access = sharing.break_the_glass(
        w[OTHER], by=keyworker, reason_category="missing", reason="Matrix: reported missing"
    )
    sar = rights.open_subject_access_request(w[OWN], by=users["manager"], received_on=date.today())
    request = rights.open_rights_request(
        w[OWN], by=users["manager"], kind=RightsRequest.Kind.RESTRICTION, received_on=date.today()
    )
    world = World(
        orgs=orgs, users=users, women={t: Person.objects.get(pk=p.pk) for t, p in w.items()}
    )
    world.access_id = access.pk
    for tag, person in world.women.items():
        world.ids[tag] = {
            "person_id": person.pk,
            "name_id": person.names.filter(kind="alias").values_list("pk", flat=True).first(),
            "dependant_id": person.dependants.values_list("pk", flat=True).first(),
            "need_id": person.need_areas.values_list("pk", flat=True).first(),
            "consent_id": person.consents.values_list("pk", flat=True).first(),
            "row_id": person.case_team.exclude(basis="holder").values_list("pk", flat=True).first()
            or person.case_team.values_list("pk", flat=True).first(),
            "condition_id": person.order_conditions.values_list("pk", flat=True).first(),
            "share_id": person.safeguarding_shares.values_list("pk", flat=True).first(),
            "request_id": sar.pk if tag == OWN else None,
            "access_id": access.pk,
            "section": "contact",
            "purpose": "engagement_probation",
            "lang": "cy",
        }
    world.ids[OWN]["rights_request_id"] = request.pk
    return world


def _url(name: str, pattern: URLPattern, ids: dict[str, Any]) -> str | None:
    """The URL of `pattern` for one woman, or None when she has no such part."""
    kwargs = {}
    for key in pattern.pattern.converters:
        value = ids.get(key)
        if key == "request_id" and name.startswith("privacy:rights_request_"):
            value = ids.get("rights_request_id")
        if value is None:
            return None
        kwargs[key] = value
    return reverse(name, kwargs=kwargs)


PATTERNS = dict(_patterns(get_resolver().url_patterns))


def _succeeded(response: Any) -> bool:
    if response.status_code in (403, 404, 405, 401):
        return False
    if response.status_code in (301, 302):
        return reverse("accounts:sign_in") not in response["Location"]
    return response.status_code < 400


def _text(response: Any) -> str:
    if response.get("Content-Type", "").startswith("application/pdf"):
        return ""  # the PDF is drawn from the same export as the JSON, which is read
    return (
        b"".join(response.streaming_content).decode()
        if response.streaming
        else response.content.decode()
    )


def _markers(text: str) -> set[tuple[str, str]]:
    return {(m.group(2).lower(), PART_OF[m.group(1)]) for m in MARKER.finditer(text)}


def _state(world: World) -> tuple[int, int, int]:
    """What a refused request must leave as it was."""
    return (
        AccessEvent.objects.filter(kind=AccessEvent.Kind.CHANGE).count(),
        CaseTeamMembership.objects.filter(ended_at__isnull=True).count(),
        Person.objects.filter(restricted_at__isnull=False).count(),
    )


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.name)
def test_matrix_and_canary_crawl(persona):
    world = build_world()
    client = Client()
    if persona.role is not None:
        sign_in(client, world.users[persona.name])
    unexpected: list[str] = []
    seen: dict[str, set[tuple[str, str]]] = {}

    def look(label: str, response: Any) -> None:
        found = _markers(_text(response))
        if found:
            seen[label] = found

    # Every page and endpoint, for every woman, by GET; POST where the table refuses it.
    for name in sorted(ALLOWED):
        pattern = PATTERNS[name]
        takes_woman = bool(set(pattern.pattern.converters))
        for tag in WOMEN if takes_woman else (OWN,):
            url = _url(name, pattern, world.ids[tag])
            if url is None:
                continue
            allowed = ALLOWED[name](persona, tag)
            if name == "privacy:emergency_review":
                allowed = persona.name == "manager"
            response = client.get(url)
            look(f"GET {name} {tag}", response)
            if _succeeded(response) and not allowed:
                unexpected.append(f"GET {name} for {tag}: {response.status_code}")
            if allowed and response.status_code in (401, 403, 404) and takes_woman:
                unexpected.append(f"GET {name} for {tag} refused: {response.status_code}")
            if not allowed:
                before = _state(world)
                response = client.post(url, {})
                look(f"POST {name} {tag}", response)
                if _succeeded(response):
                    unexpected.append(f"POST {name} for {tag}: {response.status_code}")
                assert _state(world) == before, f"POST {name} for {tag} changed something"

    # Search by the name every woman shares (the terms are echoed back; the results are not).
    look("search", client.post(reverse("people:search"), {"q": "Matrix"}, follow=True))
    look(
        "api search",
        client.post(reverse("api:people_search"), {"q": "Matrix"}, content_type="application/json"),
    )

    assert unexpected == [], "Unexpected successes or refusals against the written table"

    # The canary crawl: each marker only where the table says this persona may see it.
    leaks = sorted(
        f"{label}: {part} of {tag}"
        for label, found in seen.items()
        for tag, part in found
        if part not in SEES.get((persona.name, tag), frozenset())
    )
    assert leaks == []

    # And what the table says may be seen is seen on her record page (the crawl can fail
    # both ways).
    for tag in WOMEN:
        expected = SEES.get((persona.name, tag), frozenset()) & present(tag)
        shown = {part for (t, part) in seen.get(f"GET people:detail {tag}", set()) if t == tag}
        assert shown == expected, tag


def test_no_email_carries_a_marker():
    build_world()
    assert mail.outbox, "the data protection lead was told of each safeguarding share"
    for message in mail.outbox:
        assert not _markers(f"{message.subject}\n{message.body}")


def test_every_read_the_crawl_makes_of_her_record_is_logged_exactly_once():
    world = build_world()
    for persona in ("keyworker", "probation", "police", "housing"):
        client = sign_in(Client(), world.users[persona])
        for tag, person in world.women.items():
            before = AccessEvent.objects.filter(kind="read", person_id=person.pk).count()
            response = client.get(reverse("people:detail", args=[person.pk]))
            after = AccessEvent.objects.filter(kind="read", person_id=person.pk).count()
            assert after - before == (1 if response.status_code == 200 else 0), (persona, tag)
            response = client.get(reverse("api:person", args=[person.pk]))
            final = AccessEvent.objects.filter(kind="read", person_id=person.pk).count()
            assert final - after == (1 if response.status_code == 200 else 0), (persona, tag)
