"""Loads the reference data files in core/data/ (copied from public ONS and HMPPS sources).

Called from a data migration, so it works on the historical models it is handed.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_rows(filename: str) -> Iterator[dict[str, str]]:
    with (DATA_DIR / filename).open(newline="", encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def load_reference_data(area_model: Any, prison_model: Any) -> None:
    """Create or update every probation region, police force area, local authority and prison."""
    regions: dict[str, Any] = {}
    region_of_force: dict[str, Any] = {}
    with (DATA_DIR / "probation-regions.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))[1:]
    for name, code, *forces_field in rows:
        region, _ = area_model.objects.update_or_create(
            code=code, defaults={"name": name, "kind": "probation_region", "parent": None}
        )
        regions[name] = region
        # The last column is a ;-separated list whose items may hold quoted commas
        # ("London, City of"), which the comma-separated reader has split apart again.
        for force in next(csv.reader([",".join(forces_field)], delimiter=";")):
            region_of_force[force] = region

    forces: dict[str, Any] = {}
    districts = list(read_rows("lad-csp-pfa-2019.csv"))
    for row in districts:
        if row["PFA19CD"] not in forces:
            forces[row["PFA19CD"]], _ = area_model.objects.update_or_create(
                code=row["PFA19CD"],
                defaults={
                    "name": row["PFA19NM"],
                    "kind": "police_force_area",
                    "parent": region_of_force[row["PFA19NM"]],
                },
            )
    for row in districts:
        area_model.objects.update_or_create(
            code=row["LAD19CD"],
            defaults={
                "name": row["LAD19NM"],
                "kind": "local_authority",
                "parent": forces[row["PFA19CD"]],
            },
        )

    for row in read_rows("womens-prisons.csv"):
        prison_model.objects.update_or_create(
            nomis_code=row["nomis_code"], defaults={"name": row["prison"]}
        )
