"""Generate synthetic women at national scale, streamed in batches.

    manage.py generate --women 1000000 [--seed 7] [--batch 20000]

Women are spread over the active women's services already in the database (each woman living
in one of her service's areas), with probation (~40%) and police (~25%) on her case team as
well. On a database with fewer than three women's services, national organisations are created
first: a women's centre for each police force area, a police service for each force area and a
probation service for each of the twelve probation regions, all under invented names.

On PostgreSQL rows are loaded with COPY and the tables vacuumed and analysed afterwards (the
state autovacuum would reach: fresh planner statistics, and a visibility map so that index-only
scans need no heap visits); elsewhere bulk_create is used. Nothing is held in memory beyond
one batch.
"""

from __future__ import annotations

import random
import time
import uuid
from collections import defaultdict
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction

from whole_system.accounts.models import Organisation
from whole_system.core.models import Area
from whole_system.demo.synthetic import WomenGenerator
from whole_system.demo.world import RECORD_MODELS, RecordWriter, record_rows

T = Organisation.Type

# Invented names for the national women's centres, one per police force area.
CENTRE_NAMES = (
    "Alder",
    "Birchwood",
    "Bramble",
    "Cedar",
    "Clover",
    "Cornflower",
    "Damson",
    "Elderflower",
    "Fern",
    "Foxglove",
    "Hawthorn",
    "Hazel",
    "Heather",
    "Holly",
    "Honeysuckle",
    "Ivy",
    "Kestrel",
    "Lapwing",
    "Lavender",
    "Linnet",
    "Marigold",
    "Meadowsweet",
    "Myrtle",
    "Nettle",
    "Oakleaf",
    "Orchard",
    "Primrose",
    "Quince",
    "Rowan",
    "Saffron",
    "Sage",
    "Samphire",
    "Sedge",
    "Skylark",
    "Sorrel",
    "Speedwell",
    "Starling",
    "Teasel",
    "Thistle",
    "Wagtail",
    "Willow",
    "Wren",
    "Yarrow",
    "Aspen",
    "Bluebell",
    "Campion",
)
MIN_WOMENS_SERVICES = 3


def ensure_national_organisations() -> int:
    """Create national organisations when the database has too few women's services to spread
    women over. Returns how many organisations were created."""
    if Organisation.objects.filter(type=T.WOMENS_SERVICE, is_active=True).count() >= (
        MIN_WOMENS_SERVICES
    ):
        return 0
    forces = list(Area.objects.filter(kind=Area.Kind.POLICE_FORCE_AREA).order_by("code"))
    regions = list(Area.objects.filter(kind=Area.Kind.PROBATION_REGION).order_by("code"))
    if not forces or not regions:
        raise RuntimeError("Reference data is missing: run `manage.py migrate` first.")
    districts: dict[int, list[Area]] = defaultdict(list)
    for district in Area.objects.filter(kind=Area.Kind.LOCAL_AUTHORITY):
        districts[district.parent_id].append(district)  # type: ignore[index]
    rng = random.Random(0x0A7105)
    created: list[tuple[Organisation, list[Area]]] = []
    for i, force in enumerate(forces):
        name = f"{CENTRE_NAMES[i % len(CENTRE_NAMES)]} Women's Centre ({force.name})"
        created.append((_org(rng, name, T.WOMENS_SERVICE), districts[force.pk]))
        created.append(
            (_org(rng, f"Police service for {force.name} (synthetic)", T.POLICE), [force])
        )
    for region in regions:
        created.append(
            (_org(rng, f"{region.name} Probation Region (synthetic)", T.PROBATION), [region])
        )
    with transaction.atomic():
        orgs = [org for org, _ in created]
        existing = set(
            Organisation.objects.filter(name__in=[o.name for o in orgs]).values_list(
                "name", flat=True
            )
        )
        new = [(org, areas) for org, areas in created if org.name not in existing]
        Organisation.objects.bulk_create([org for org, _ in new])
        through = Organisation.areas.through
        through.objects.bulk_create(
            [through(organisation_id=org.id, area_id=a.pk) for org, areas in new for a in areas]
        )
    return len(new)


def _org(rng: random.Random, name: str, type_: str) -> Organisation:
    return Organisation(id=uuid.UUID(int=rng.getrandbits(128), version=4), name=name, type=type_)


class Placement:
    """Where generated women live and which organisations are on their case teams."""

    def __init__(self) -> None:
        districts = {
            a.pk: a for a in Area.objects.filter(kind=Area.Kind.LOCAL_AUTHORITY).order_by("code")
        }
        self.districts = districts
        # Every area an organisation may name, expanded to the districts inside it.
        self.inside: dict[int, list[Area]] = defaultdict(list)
        parents = {a.pk: a.parent_id for a in Area.objects.all()}
        for district in districts.values():
            node: int | None = district.pk
            while node is not None:
                self.inside[node].append(district)
                node = parents.get(node)
        links = defaultdict(list)
        for org_id, area_id in Organisation.areas.through.objects.values_list(
            "organisation_id", "area_id"
        ):
            links[org_id].append(area_id)
        orgs = Organisation.objects.filter(
            is_active=True, type__in=[T.WOMENS_SERVICE, T.PROBATION, T.POLICE]
        ).order_by("name")
        self.services: list[tuple[uuid.UUID, list[Area]]] = []
        self.serving: dict[str, dict[int, uuid.UUID]] = {T.PROBATION: {}, T.POLICE: {}}
        self.any_of: dict[str, list[uuid.UUID]] = {T.PROBATION: [], T.POLICE: []}
        all_districts = list(districts.values())
        for org in orgs:
            covered = sorted(
                {d.pk: d for a in links[org.pk] for d in self.inside[a]}.values(),
                key=lambda d: d.code,
            )
            if org.type == T.WOMENS_SERVICE:
                self.services.append((org.pk, covered or all_districts))
            else:
                self.any_of[org.type].append(org.pk)
                for district in covered:
                    self.serving[org.type].setdefault(district.pk, org.pk)

    def statutory(self, kind: str, district: Area, rng: random.Random) -> uuid.UUID | None:
        """The probation or police organisation covering ``district``, else any of that kind."""
        org = self.serving[kind].get(district.pk)
        if org is None and self.any_of[kind]:
            org = rng.choice(self.any_of[kind])
        return org


class Command(BaseCommand):
    help = "Generate synthetic women at national scale (COPY on PostgreSQL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--women", type=int, required=True)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--batch", type=int, default=20_000)
        parser.add_argument(
            "--no-copy", action="store_true", help="Use bulk_create even on PostgreSQL."
        )

    def handle(
        self, *args: Any, women: int, seed: int, batch: int, no_copy: bool, **options: Any
    ) -> None:
        started = time.perf_counter()
        created = ensure_national_organisations()
        if created:
            self.stdout.write(f"Created {created} national organisations.")
        placement = Placement()
        if not placement.services:
            self.stderr.write("No women's services to place women with.")
            return
        generator = WomenGenerator(seed)
        rng = random.Random(seed + 1)
        use_copy = connection.vendor == "postgresql" and not no_copy
        writer = RecordWriter(use_copy=use_copy)
        method = "COPY" if writer.use_copy else "bulk_create"
        self.stdout.write(
            f"Generating {women:,} women over {len(placement.services)} women's services "
            f"({method}, batches of {batch:,})."
        )
        for done in range(1, women + 1):
            service, areas = placement.services[rng.randrange(len(placement.services))]
            district = areas[rng.randrange(len(areas))]
            woman = generator.woman(district.code, area_name=district.name)
            team = [(service, T.WOMENS_SERVICE)]
            for flag, kind in ((woman.with_probation, T.PROBATION), (woman.with_police, T.POLICE)):
                org = placement.statutory(kind, district, rng) if flag else None
                if org is not None:
                    team.append((org, kind))
            writer.add(record_rows(woman, area_id=district.pk, case_team=team, recorded_by=service))
            if done % batch == 0 or done == women:
                writer.flush()
                elapsed = time.perf_counter() - started
                self.stdout.write(
                    f"  {done:>10,} women  {elapsed:7.1f} s  {done / elapsed:8,.0f} a second"
                )
        if connection.vendor == "postgresql":
            analyse_started = time.perf_counter()
            # VACUUM cannot run inside a transaction (as when called from a test).
            verb = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            with connection.cursor() as cursor:
                for model in RECORD_MODELS:
                    table = connection.ops.quote_name(model._meta.db_table)
                    cursor.execute(f"{verb} {table}")
            self.stdout.write(f"{verb} in {time.perf_counter() - analyse_started:.1f} s.")
        counts = ", ".join(
            f"{model._meta.model_name} {count:,}" for model, count in writer.written.items()
        )
        self.stdout.write(f"Rows written: {counts}.")
        total = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Generated {women:,} women in {total:.1f} s."))
