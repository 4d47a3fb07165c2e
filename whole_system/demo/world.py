"""The synthetic demo world: invented organisations on real geography, named demo staff for
every role, and 2,000 synthetic women on their case teams.

Geography is real (ONS codes, the London provision map of October 2018 from the London
Blueprint); every organisation and person is invented. Statutory bodies have plain descriptive
names marked "(demo)"; women's services have invented names. Nothing here is a real person.

The women are written with a handful of bulk inserts (bulk_create everywhere, COPY on
PostgreSQL for the national-scale ``generate`` command), so the demo loads in seconds.
"""

from __future__ import annotations

import functools
import random
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.db import connection, models, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from whole_system.accounts.models import Membership, Organisation, Team, User
from whole_system.accounts.services import create_member
from whole_system.core.models import Area
from whole_system.core.reference import read_rows
from whole_system.people.models import (
    Address,
    CaseTeamMembership,
    ContactDetails,
    Dependant,
    Disclosure,
    EqualityMonitoring,
    Need,
    Person,
    PersonName,
    SearchName,
)
from whole_system.people.names import folded_name
from whole_system.privacy.encryption import EncryptedTextField
from whole_system.privacy.groups import CONDITION, ConsentPurpose, carried
from whole_system.privacy.models import Consent, OrderCondition

from .synthetic import SyntheticWoman, WomenGenerator

DEMO_PASSWORD = "demo-password-2026"
DEMO_EMAIL_DOMAIN = "demo.whole-system.invalid"
DEMO_SEED = 2026
DEMO_WOMEN = 2000
# Share of the demo's women who live in London; the rest live in Wales.
LONDON_SHARE = 0.75

T = Organisation.Type
Role = Membership.Role

# --- Geography ---------------------------------------------------------------------------------

MET_POLICE_AREA = "E23000001"
CITY_POLICE_AREA = "E23000034"
CITY_OF_LONDON = "E09000001"

LONDON_PDUS: dict[str, tuple[str, ...]] = {
    "North London": ("Barnet", "Enfield", "Haringey", "Camden", "Islington"),
    "East London": (
        "Hackney",
        "Tower Hamlets",
        "Newham",
        "Waltham Forest",
        "Redbridge",
        "Barking and Dagenham",
        "Havering",
        "City of London",
    ),
    "South London": (
        "Lambeth",
        "Southwark",
        "Lewisham",
        "Greenwich",
        "Bexley",
        "Bromley",
        "Croydon",
    ),
    "South West London": (
        "Wandsworth",
        "Merton",
        "Sutton",
        "Kingston upon Thames",
        "Richmond upon Thames",
        "Hounslow",
    ),
    "West London": (
        "Westminster",
        "Kensington and Chelsea",
        "Hammersmith and Fulham",
        "Ealing",
        "Brent",
        "Harrow",
        "Hillingdon",
    ),
}
WALES_POLICE = {
    "W15000001": "North Wales Police (demo)",
    "W15000002": "Gwent Police (demo)",
    "W15000003": "South Wales Police (demo)",
    "W15000004": "Dyfed-Powys Police (demo)",
}
WALES_PDUS: dict[str, tuple[str, ...]] = {
    "North Wales": (
        "Isle of Anglesey",
        "Gwynedd",
        "Conwy",
        "Denbighshire",
        "Flintshire",
        "Wrexham",
    ),
    "Cardiff and Gwent": (
        "Cardiff",
        "Vale of Glamorgan",
        "Caerphilly",
        "Blaenau Gwent",
        "Torfaen",
        "Monmouthshire",
        "Newport",
    ),
    "Swansea and the Valleys": (
        "Swansea",
        "Neath Port Talbot",
        "Bridgend",
        "Rhondda Cynon Taf",
        "Merthyr Tydfil",
    ),
    "Dyfed-Powys": ("Powys", "Ceredigion", "Pembrokeshire", "Carmarthenshire"),
}
# Women's services: London from the provision map (london-provision-2018.csv column -> name),
# Wales invented, each covering whole PDU areas.
LONDON_WOMENS_SERVICES = {
    "advance_minerva_crc": "Juniper Women's Service",
    "advance_minerva_wraparound": "Larkspur Women's Wraparound Service",
    "south_london_alliance": "Saltmarsh Women's Alliance",
}
WALES_WOMENS_SERVICES: dict[str, tuple[str, ...]] = {
    "Heulwen Women's Centre": WALES_PDUS["North Wales"],
    "Derwen Women's Centre": WALES_PDUS["Cardiff and Gwent"],
    "Glannau Women's Centre": WALES_PDUS["Swansea and the Valleys"] + WALES_PDUS["Dyfed-Powys"],
}
# Where a borough has two services, the share of its women each one holds.
SHARED_BOROUGH_SPLIT = {
    "Juniper Women's Service": 0.6,
    "Larkspur Women's Wraparound Service": 0.4,
    "Saltmarsh Women's Alliance": 0.6,
}

JUNIPER = "Juniper Women's Service"
SALTMARSH = "Saltmarsh Women's Alliance"
DERWEN = "Derwen Women's Centre"
MET = "Metropolitan Police (demo)"
EAST_LONDON_PDU = "East London Probation Delivery Unit (demo)"
LONDON_LD = "London Liaison and Diversion Service (demo)"
WALES_LD = "Wales Liaison and Diversion Service (demo)"
LONDON_COMMISSIONER = "London Women's Justice Commissioning Partnership (demo)"
WALES_COMMISSIONER = "Wales Women's Justice Commissioning Partnership (demo)"

TEAMS: dict[str, tuple[str, ...]] = {
    JUNIPER: ("Intake and triage", "North and West hub", "East hub", "South hub"),
    "Larkspur Women's Wraparound Service": ("Wraparound team", "Intake and triage"),
    SALTMARSH: ("Croydon hub", "Lambeth and Southwark hub"),
    MET: ("Custody diversion team", "Neighbourhood policing"),
    LONDON_LD: ("Custody suites", "Courts"),
    EAST_LONDON_PDU: ("Women's team", "Court team"),
    LONDON_COMMISSIONER: ("Data and insight",),
}

# (email local part, full name, role, organisation name or None, team)
_ACCOUNTS: tuple[tuple[str, str, str, str | None, str | None], ...] = (
    ("keyworker", "Hannah Ellery", Role.KEYWORKER, JUNIPER, "East hub"),
    ("manager", "Grace Whitlow", Role.SERVICE_MANAGER, JUNIPER, "Intake and triage"),
    ("keyworker.south", "Nadia Fenwick", Role.KEYWORKER, SALTMARSH, "Croydon hub"),
    ("keyworker.wales", "Catrin Pughe", Role.KEYWORKER, DERWEN, None),
    ("referrer", "Maya Lindqvist", Role.REFERRER, LONDON_LD, "Custody suites"),
    ("probation", "Joanna Merrick", Role.PROBATION_PRACTITIONER, EAST_LONDON_PDU, "Women's team"),
    ("police", "Tom Ashdown", Role.POLICE_OFFICER, MET, "Custody diversion team"),
    ("analyst", "Imran Qadir", Role.ANALYST, LONDON_COMMISSIONER, "Data and insight"),
    ("orgadmin", "Leah Marchetti", Role.ORGANISATION_ADMIN, JUNIPER, None),
    ("platform", "Sam Pryce", Role.PLATFORM_ADMIN, None, None),
)

#: The demo sign-ins: (email, role label, organisation name). The password is DEMO_PASSWORD.
DEMO_ACCOUNTS: list[tuple[str, str, str]] = [
    (f"{local}@{DEMO_EMAIL_DOMAIN}", str(Role(role).label), org or "(none: whole platform)")
    for local, _name, role, org, _team in _ACCOUNTS
]


class DemoWorldExists(Exception):
    """The database already holds the demo world."""


class DemoWorldLocked(Exception):
    """The demo world cannot be removed: the append-only access log refers to it."""


@dataclass(frozen=True)
class OrgSpec:
    name: str
    type: str
    area_codes: tuple[str, ...]


@dataclass
class DemoSummary:
    organisations: int
    accounts: int
    women: int
    case_team_memberships: int


# --- Organisations -------------------------------------------------------------------------------


def _areas_by_name() -> dict[str, Area]:
    areas = Area.objects.filter(kind=Area.Kind.LOCAL_AUTHORITY).filter(
        models.Q(code__startswith="E09") | models.Q(code__startswith="W06")
    )
    return {a.name: a for a in areas}


def london_provision() -> dict[str, list[str]]:
    """Women's service name -> the London boroughs (by name) it served in October 2018."""
    served: dict[str, list[str]] = defaultdict(list)
    for row in read_rows("london-provision-2018.csv"):
        for column, name in LONDON_WOMENS_SERVICES.items():
            if row[column] == "yes":
                served[name].append(row["borough"])
    return dict(served)


def organisation_specs(areas: dict[str, Area]) -> list[OrgSpec]:
    """Every organisation of the demo world, with the areas (by ONS code) it serves."""

    def codes(names: Iterable[str]) -> tuple[str, ...]:
        return tuple(areas[n].code for n in names)

    london = tuple(sorted(a.code for a in areas.values() if a.code.startswith("E09")))
    wales = tuple(sorted(a.code for a in areas.values() if a.code.startswith("W06")))
    specs = [
        OrgSpec(MET, T.POLICE, (MET_POLICE_AREA,)),
        OrgSpec("City of London Police (demo)", T.POLICE, (CITY_POLICE_AREA,)),
        *(OrgSpec(name, T.POLICE, (code,)) for code, name in WALES_POLICE.items()),
        *(
            OrgSpec(f"{pdu} Probation Delivery Unit (demo)", T.PROBATION, codes(boroughs))
            for pdu, boroughs in {**LONDON_PDUS, **WALES_PDUS}.items()
        ),
        OrgSpec(
            "North and East London Magistrates' Court (demo)",
            T.COURT,
            codes(LONDON_PDUS["North London"] + LONDON_PDUS["East London"]),
        ),
        OrgSpec(
            "South and West London Magistrates' Court (demo)",
            T.COURT,
            codes(
                LONDON_PDUS["South London"]
                + LONDON_PDUS["South West London"]
                + LONDON_PDUS["West London"]
            ),
        ),
        OrgSpec(
            "North Wales Magistrates' Court (demo)",
            T.COURT,
            codes(WALES_PDUS["North Wales"] + WALES_PDUS["Dyfed-Powys"]),
        ),
        OrgSpec(
            "South Wales Magistrates' Court (demo)",
            T.COURT,
            codes(WALES_PDUS["Cardiff and Gwent"] + WALES_PDUS["Swansea and the Valleys"]),
        ),
        *(
            OrgSpec(f"{area.name} Council (demo)", T.LOCAL_AUTHORITY, (area.code,))
            for area in sorted(areas.values(), key=lambda a: a.code)
        ),
        OrgSpec(LONDON_LD, T.LIAISON_AND_DIVERSION, london),
        OrgSpec(WALES_LD, T.LIAISON_AND_DIVERSION, wales),
        OrgSpec("London Women's Health Service (demo)", T.HEALTH, london),
        OrgSpec("Hearthstone Housing (demo)", T.HOUSING, london),
        OrgSpec("HMP & YOI Bronzefield (demo)", T.PRISON, ()),
        OrgSpec("HMP & YOI Eastwood Park (demo)", T.PRISON, ()),
        *(
            OrgSpec(name, T.WOMENS_SERVICE, codes(boroughs))
            for name, boroughs in london_provision().items()
        ),
        *(
            OrgSpec(name, T.WOMENS_SERVICE, codes(places))
            for name, places in WALES_WOMENS_SERVICES.items()
        ),
        OrgSpec(LONDON_COMMISSIONER, T.COMMISSIONER, london),
        OrgSpec(WALES_COMMISSIONER, T.COMMISSIONER, wales),
    ]
    return specs


def demo_world_exists() -> bool:
    """Whether any organisation of the demo world, or any demo account, is in the database."""
    return (
        Organisation.objects.filter(name__in=[MET, JUNIPER, LONDON_COMMISSIONER]).exists()
        or User.objects.filter(is_demo=True).exists()
    )


def _create_organisations(rng: random.Random) -> dict[str, Organisation]:
    areas = _areas_by_name()
    missing = {"Westminster", "Cardiff"} - areas.keys()
    if missing:
        raise RuntimeError("Reference data is missing: run `manage.py migrate` first.")
    area_by_code = {a.code: a for a in Area.objects.all()}
    specs = organisation_specs(areas)
    now = timezone.now()
    orgs = [
        Organisation(
            id=uuid.UUID(int=rng.getrandbits(128), version=4),
            name=s.name,
            type=s.type,
            created_at=now,
        )
        for s in specs
    ]
    Organisation.objects.bulk_create(orgs)
    through = Organisation.areas.through
    through.objects.bulk_create(
        [
            through(organisation_id=org.id, area_id=area_by_code[code].id)
            for org, spec in zip(orgs, specs, strict=True)
            for code in spec.area_codes
        ]
    )
    by_name = {o.name: o for o in orgs}
    Team.objects.bulk_create(
        [
            Team(
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                organisation=by_name[org],
                name=team,
            )
            for org, teams in TEAMS.items()
            for team in teams
        ]
    )
    return by_name


def _create_accounts(orgs: dict[str, Organisation]) -> list[User]:
    users = []
    for local, full_name, role, org_name, team_name in _ACCOUNTS:
        org = orgs[org_name] if org_name else None
        team = Team.objects.get(organisation=org, name=team_name) if team_name else None
        users.append(
            create_member(
                email=f"{local}@{DEMO_EMAIL_DOMAIN}",
                full_name=full_name,
                organisation=org,
                role=role,
                password=DEMO_PASSWORD,
                team=team,
                is_demo=True,
            )
        )
    # The centre's manager is its data protection lead and designated safeguarding lead.
    Membership.objects.filter(user__email=f"manager@{DEMO_EMAIL_DOMAIN}").update(
        is_data_protection_lead=True, is_safeguarding_lead=True
    )
    return users


# --- Women ---------------------------------------------------------------------------------------


# An organisation on her case team, with its kind: (id, Organisation.Type).
TeamOrg = tuple[uuid.UUID, str]


@dataclass
class CaseOrganisations:
    """Which organisation of each kind works in each local authority (by ONS code)."""

    womens_services: dict[str, list[tuple[uuid.UUID, float]]]
    probation: dict[str, uuid.UUID]
    police: dict[str, uuid.UUID]
    liaison_diversion: dict[str, uuid.UUID]
    local_authority: dict[str, uuid.UUID]

    def for_woman(self, woman: SyntheticWoman, womens_service: uuid.UUID) -> list[TeamOrg]:
        """Her case team: her women's service, then any statutory agency working with her."""
        code = woman.area_code
        team: list[TeamOrg] = [(womens_service, str(T.WOMENS_SERVICE))]
        wanted = (
            (woman.with_probation, self.probation, T.PROBATION),
            (woman.with_police, self.police, T.POLICE),
            (woman.with_liaison_diversion, self.liaison_diversion, T.LIAISON_AND_DIVERSION),
            (woman.with_local_authority, self.local_authority, T.LOCAL_AUTHORITY),
        )
        for flag, by_area, kind in wanted:
            org = by_area.get(code)
            if flag and org is not None and org not in [o for o, _ in team]:
                team.append((org, str(kind)))
        return team


def _case_organisations(orgs: dict[str, Organisation]) -> CaseOrganisations:
    links = Organisation.areas.through.objects.filter(
        organisation_id__in=[o.id for o in orgs.values()]
    ).select_related("area", "area__parent")
    services: dict[str, list[tuple[uuid.UUID, float]]] = defaultdict(list)
    by_type: dict[str, dict[str, uuid.UUID]] = defaultdict(dict)
    org_by_id = {o.id: o for o in orgs.values()}
    police_of_force: dict[str, uuid.UUID] = {}
    for link in links:
        org = org_by_id[link.organisation_id]
        if org.type == T.POLICE:
            police_of_force[link.area.code] = org.id
        elif org.type == T.WOMENS_SERVICE:
            services[link.area.code].append((org.id, SHARED_BOROUGH_SPLIT.get(org.name, 1.0)))
        elif org.type in (T.PROBATION, T.LIAISON_AND_DIVERSION, T.LOCAL_AUTHORITY):
            by_type[org.type][link.area.code] = org.id
    police = {}
    for area in Area.objects.filter(kind=Area.Kind.LOCAL_AUTHORITY).select_related("parent"):
        if area.parent is not None and area.parent.code in police_of_force:
            police[area.code] = police_of_force[area.parent.code]
    return CaseOrganisations(
        womens_services=dict(services),
        probation=by_type[T.PROBATION],
        police=police,
        liaison_diversion=by_type[T.LIAISON_AND_DIVERSION],
        local_authority=by_type[T.LOCAL_AUTHORITY],
    )


def _pick_service(options: Sequence[tuple[uuid.UUID, float]], rng: random.Random) -> uuid.UUID:
    if len(options) == 1:
        return options[0][0]
    ids = [o for o, _ in options]
    return rng.choices(ids, weights=[w for _, w in options], k=1)[0]


# Names repeat a great deal across a synthetic cohort: fold each pair once. The result is only
# ever unpacked into a new row, so sharing the cached dict is safe.
_folded = functools.lru_cache(maxsize=65_536)(folded_name)


# The tables a woman's record is written to, in the order they must be written.
RECORD_MODELS: tuple[type[models.Model], ...] = (
    Person,
    PersonName,
    ContactDetails,
    Address,
    Dependant,
    EqualityMonitoring,
    Need,
    Disclosure,
    Consent,
    OrderCondition,
    CaseTeamMembership,
    SearchName,
)

# Need areas and how often the demo gives each (invented weights, for a plausible spread).
_NEED_WEIGHTS = [
    (Need.Area.ACCOMMODATION, 0.45),
    (Need.Area.MENTAL_HEALTH, 0.6),
    (Need.Area.FINANCE, 0.4),
    (Need.Area.DOMESTIC_ABUSE, 0.5),
    (Need.Area.DRUGS, 0.3),
    (Need.Area.ALCOHOL, 0.2),
    (Need.Area.CHILDREN, 0.35),
    (Need.Area.EDUCATION, 0.2),
    (Need.Area.WELLBEING, 0.3),
]
_NEED_NOTES = {
    Need.Area.ACCOMMODATION: "Sofa-surfing with a friend; the tenancy ends this month.",
    Need.Area.MENTAL_HEALTH: "Anxiety most days; on a waiting list for talking therapy.",
    Need.Area.FINANCE: "Universal Credit sanction; rent arrears with the council.",
    Need.Area.DOMESTIC_ABUSE: "Ex-partner still contacts her; see the centre's disclosure.",
}
_DISCLOSURES = [
    "Told me her ex-partner took her bank card and phone and checked where she went.",
    "Said she left home after he threatened her in front of the children.",
    "Described years of controlling behaviour; she is frightened of him finding her.",
]


def _bases(
    woman: SyntheticWoman, case_team: Sequence[TeamOrg], holder: uuid.UUID
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Her case team rows with their bases, and the consents and order conditions behind them.

    Her women's service and liaison and diversion hold her case; probation works with her on
    her consent or an order's condition, the police on a conditional caution's condition, the
    council on her consent to share her housing need. Decided from her id, so repeatable."""
    pid, when = woman.id, woman.created_at
    today = timezone.localdate()
    rows: list[dict[str, Any]] = []
    consents: list[dict[str, Any]] = []
    conditions: list[dict[str, Any]] = []

    def consent(purpose: str, recipient: uuid.UUID | None = None) -> uuid.UUID:
        cid = uuid.uuid5(pid, f"consent:{purpose}:{recipient}")
        consents.append(
            {
                "id": cid,
                "person_id": pid,
                "purpose": purpose,
                "recipient_organisation_id": recipient,
                "recipient_type": "",
                "sensitive_classes": [],
                "decision": Consent.Decision.GIVEN,
                "method": Consent.Method.SPOKEN,
                "recorded_by_id": None,
                "recorded_by_organisation_id": holder,
                "recorded_at": when,
                "review_on": None,
                "expires_on": None,
                "notes": "",
            }
        )
        return cid

    consent(ConsentPurpose.SUPPORT)
    if woman.contact.get("may_phone"):
        consent(ConsentPurpose.CONTACT_PHONE)
    if woman.index % 10:
        consent(ConsentPurpose.STATISTICS)
    for org, kind in case_team:
        row = {
            "person_id": pid,
            "organisation_id": org,
            "basis": CaseTeamMembership.Basis.HOLDER,
            "purpose": "",
            "groups": [],
            "shared_by_organisation_id": None,
            "source_id": None,
            "added_at": when,
            "added_by_id": None,
            "ends_at": None,
            "ended_at": None,
        }
        if kind in (T.PROBATION, T.POLICE):
            order = kind == T.POLICE or woman.index % 3 == 0
            if order:
                kind_of = (
                    OrderCondition.Kind.CONDITIONAL_CAUTION
                    if kind == T.POLICE
                    else OrderCondition.Kind.COMMUNITY_ORDER
                )
                ends_on = today + timedelta(days=30 + woman.index % 300)
                condition_id = uuid.uuid5(pid, f"condition:{org}")
                conditions.append(
                    {
                        "id": condition_id,
                        "person_id": pid,
                        "organisation_id": org,
                        "kind": kind_of,
                        "starts_on": timezone.localtime(when).date(),
                        "ends_on": ends_on,
                        "recorded_by_id": None,
                        "recorded_at": when,
                        "ended_at": None,
                    }
                )
                row.update(
                    basis=CaseTeamMembership.Basis.CONDITION,
                    groups=sorted(CONDITION),
                    shared_by_organisation_id=holder,
                    source_id=condition_id,
                    ends_at=timezone.make_aware(
                        datetime.combine(ends_on + timedelta(days=1), time.min)
                    ),
                )
            else:
                purpose = ConsentPurpose.ENGAGEMENT_PROBATION
                row.update(
                    basis=CaseTeamMembership.Basis.CONSENT,
                    purpose=purpose,
                    groups=sorted(carried(purpose, kind, frozenset())),
                    shared_by_organisation_id=holder,
                    source_id=consent(purpose, org),
                )
        elif kind == T.LOCAL_AUTHORITY:
            purpose = ConsentPurpose.HOUSING
            row.update(
                basis=CaseTeamMembership.Basis.CONSENT,
                purpose=purpose,
                groups=sorted(carried(purpose, kind, frozenset())),
                shared_by_organisation_id=holder,
                source_id=consent(purpose, org),
            )
        rows.append(row)
    return rows, consents, conditions


def _needs_and_disclosures(
    woman: SyntheticWoman, holder: uuid.UUID
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rng = random.Random(woman.id.int)
    needs = [
        {
            "id": uuid.uuid5(woman.id, f"need:{area}"),
            "person_id": woman.id,
            "area": area,
            "level": rng.choice(list(Need.Level.values)),
            "notes": _NEED_NOTES.get(area, "") if rng.random() < 0.5 else "",
            "recorded_by_organisation_id": holder,
            "recorded_at": woman.created_at,
        }
        for area, weight in _NEED_WEIGHTS
        if rng.random() < weight
    ]
    disclosures = []
    if any(n["area"] == Need.Area.DOMESTIC_ABUSE for n in needs):
        disclosures.append(
            {
                "id": uuid.uuid5(woman.id, "disclosure"),
                "person_id": woman.id,
                "kind": Disclosure.Kind.DOMESTIC_ABUSE,
                "narrative": rng.choice(_DISCLOSURES),
                "recorded_by_organisation_id": holder,
                "recorded_by_id": None,
                "recorded_at": woman.created_at,
            }
        )
    return needs, disclosures


def record_rows(
    woman: SyntheticWoman,
    *,
    area_id: int | None,
    case_team: Sequence[TeamOrg],
    recorded_by: uuid.UUID,
) -> dict[type[models.Model], list[dict[str, Any]]]:
    """One woman's rows for every table of her record, keyed by model, as attname -> value.
    `case_team` starts with the women's service holding her case (`recorded_by`).

    Names are folded exactly as people.services does, so search finds them."""
    pid = woman.id
    team, consents, conditions = _bases(woman, case_team, recorded_by)
    needs, disclosures = _needs_and_disclosures(woman, recorded_by)
    engagement = Person.Engagement.ENGAGING if woman.index % 4 else Person.Engagement.NOT_ENGAGING
    names = [
        {
            "person_id": pid,
            "kind": PersonName.Kind.LEGAL,
            "given_name": woman.given_name,
            "family_name": woman.family_name,
            **_folded(woman.given_name, woman.family_name),
        }
    ]
    if woman.preferred_name:
        names.append(
            {
                "person_id": pid,
                "kind": PersonName.Kind.PREFERRED,
                "given_name": woman.preferred_name,
                "family_name": woman.family_name,
                **_folded(woman.preferred_name, woman.family_name),
            }
        )
    for other in woman.other_names:
        names.append(
            {
                "person_id": pid,
                "kind": other.kind,
                "given_name": other.given_name,
                "family_name": other.family_name,
                **_folded(other.given_name, other.family_name),
            }
        )
    return {
        Person: [
            {
                "id": pid,
                "given_name": woman.given_name,
                "family_name": woman.family_name,
                "preferred_name": woman.preferred_name,
                "date_of_birth": woman.date_of_birth,
                "pnc_number": woman.pnc_number,
                "prison_number": woman.prison_number,
                "probation_crn": woman.probation_crn,
                "nhs_number": woman.nhs_number,
                "first_language": woman.first_language,
                "interpreter_needed": woman.interpreter_needed,
                "accessibility_needs": woman.accessibility_needs,
                "pregnancy": woman.pregnancy,
                "due_date": woman.due_date,
                "engagement_status": engagement,
                "engagement_updated_at": woman.created_at,
                "last_contact_at": woman.created_at,
                "restricted_at": None,
                "version": 1,
                "created_at": woman.created_at,
                "updated_at": woman.created_at,
                "created_by_id": None,
            }
        ],
        PersonName: names,
        ContactDetails: [{"person_id": pid, **woman.contact}],
        Address: [
            {
                "person_id": pid,
                **woman.address,
                "area_id": area_id,
                "recorded_by_organisation_id": recorded_by,
            }
        ],
        Dependant: [
            {
                "id": d.id,
                "person_id": pid,
                "first_name": d.first_name,
                "date_of_birth": d.date_of_birth,
                "lives_with": d.lives_with,
                "social_services": d.social_services,
            }
            for d in woman.dependants
        ],
        EqualityMonitoring: [{"person_id": pid, **woman.equality}],
        Need: needs,
        Disclosure: disclosures,
        Consent: consents,
        OrderCondition: conditions,
        CaseTeamMembership: team,
        # The per-organisation name index, as people.services.reindex_search keeps it.
        SearchName: [
            {
                "person_id": pid,
                "organisation_id": org,
                "given_folded": given,
                "family_folded": family,
            }
            for org in sorted({row["organisation_id"] for row in team})
            for given, family in sorted({(n["given_folded"], n["family_folded"]) for n in names})
        ],
    }


class RecordWriter:
    """Collects rows for many women and writes each table in one go.

    ``bulk_create`` on every database; on PostgreSQL ``use_copy`` streams rows with COPY,
    which is several times faster for national-scale loads."""

    def __init__(self, *, use_copy: bool = False) -> None:
        self.use_copy = use_copy and connection.vendor == "postgresql"
        self.rows: dict[type[models.Model], list[dict[str, Any]]] = {m: [] for m in RECORD_MODELS}
        self.written: dict[type[models.Model], int] = dict.fromkeys(RECORD_MODELS, 0)

    def add(self, rows: dict[type[models.Model], list[dict[str, Any]]]) -> None:
        """Queue one woman's rows."""
        for model, model_rows in rows.items():
            self.rows[model].extend(model_rows)

    def flush(self) -> None:
        """Write everything queued, table by table, in one transaction."""
        with transaction.atomic():
            for model in RECORD_MODELS:
                rows = self.rows[model]
                if not rows:
                    continue
                if self.use_copy:
                    _copy(model, rows)
                else:
                    model._default_manager.bulk_create(
                        [model(**row) for row in rows], batch_size=2000
                    )
                self.written[model] += len(rows)
                self.rows[model] = []


def _copy(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    fields = [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key and isinstance(f, models.AutoField | models.BigAutoField))
    ]
    defaults = {f.attname: f.get_default() for f in fields}
    # Values the database driver cannot take as they are: encrypted text and JSON.
    prepared = {
        f.attname: f for f in fields if isinstance(f, EncryptedTextField | models.JSONField)
    }
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    attnames = [f.attname for f in fields]
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                values = [row[a] if a in row else defaults[a] for a in attnames]
                for i, attname in enumerate(attnames):
                    if attname in prepared:
                        values[i] = prepared[attname].get_db_prep_save(values[i], connection)
                copy.write_row(values)


def _region_areas() -> tuple[list[Area], list[Area]]:
    served: set[str] = set()
    for spec_areas in Organisation.areas.through.objects.filter(
        organisation__type=T.WOMENS_SERVICE,
        organisation__name__in=[*LONDON_WOMENS_SERVICES.values(), *WALES_WOMENS_SERVICES],
    ).values_list("area__code", flat=True):
        served.add(spec_areas)
    areas = sorted(Area.objects.filter(code__in=served), key=lambda a: a.code)
    london = [a for a in areas if a.code.startswith("E09")]
    wales = [a for a in areas if a.code.startswith("W")]
    return london, wales


def create_demo_women(
    orgs: dict[str, Organisation], *, seed: int = DEMO_SEED, count: int = DEMO_WOMEN
) -> dict[type[models.Model], int]:
    """Create ``count`` synthetic women, each living in a borough or Welsh area with a women's
    service and on its case team, and on probation's, police's, liaison and diversion's and her
    council's case teams as the generator decided. Returns rows written per model."""
    rng = random.Random(seed + 1)  # placement only; the women come from their own stream
    generator = WomenGenerator(seed, today=timezone.localdate())
    case_orgs = _case_organisations(orgs)
    london, wales = _region_areas()
    writer = RecordWriter()
    for _ in range(count):
        area = rng.choice(london if rng.random() < LONDON_SHARE else wales)
        woman = generator.woman(area.code, area_name=area.name)
        service = _pick_service(case_orgs.womens_services[area.code], rng)
        writer.add(
            record_rows(
                woman,
                area_id=area.id,
                case_team=case_orgs.for_woman(woman, service),
                recorded_by=service,
            )
        )
    writer.flush()
    return writer.written


@transaction.atomic
def load_demo_world(*, seed: int = DEMO_SEED, women: int = DEMO_WOMEN) -> DemoSummary:
    """Build the demo world on a migrated database that does not hold it yet."""
    if demo_world_exists():
        raise DemoWorldExists
    rng = random.Random(seed)
    orgs = _create_organisations(rng)
    users = _create_accounts(orgs)
    written = create_demo_women(orgs, seed=seed, count=women)
    return DemoSummary(
        organisations=len(orgs),
        accounts=len(users),
        women=written[Person],
        case_team_memberships=written[CaseTeamMembership],
    )


@transaction.atomic
def remove_demo_world() -> None:
    """Delete the demo's women, accounts and organisations.

    Refused (DemoWorldLocked) once anyone has read or changed a record: the access log is
    append-only and keeps the accounts and organisations it names. Recreate the database then.
    """
    names = [s.name for s in organisation_specs(_areas_by_name())]
    orgs = Organisation.objects.filter(name__in=names)
    try:
        on_demo_teams = CaseTeamMembership.objects.filter(organisation__in=orgs)
        Person.objects.filter(pk__in=on_demo_teams.values("person_id")).delete()
        User.objects.filter(is_demo=True).delete()
        orgs.delete()
    except ProtectedError as protected:
        raise DemoWorldLocked from protected
