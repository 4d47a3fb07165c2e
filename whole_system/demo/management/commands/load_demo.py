"""Build the synthetic demo world on a freshly migrated database."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from whole_system.demo import world


class Command(BaseCommand):
    help = (
        "Load the synthetic demo world: invented organisations on real geography, a demo "
        "account for every role, and 2,000 synthetic women. Refuses if it is already loaded."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=world.DEMO_SEED)
        parser.add_argument("--women", type=int, default=world.DEMO_WOMEN)
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Remove the demo world first (refused once the access log refers to it; "
            "recreate the database then).",
        )

    def handle(self, *args: Any, seed: int, women: int, reset: bool, **options: Any) -> None:
        if not (settings.DEMO_MODE or settings.DEBUG):
            # The demo accounts share a published password: never create them in a real
            # deployment.
            raise CommandError(
                "The demo world is only loaded in demo mode (WS_DEMO=1) or development "
                "(DEBUG=1): its accounts share a published password."
            )
        started = time.perf_counter()
        if reset and world.demo_world_exists():
            try:
                world.remove_demo_world()
            except world.DemoWorldLocked as locked:
                raise CommandError(
                    "The demo world cannot be removed: the access log (which is append-only) "
                    "refers to its accounts. Delete the database and migrate again instead "
                    "(for SQLite: remove var/db.sqlite3, then `manage.py migrate`)."
                ) from locked
            self.stdout.write("Removed the previous demo world.")
        try:
            summary = world.load_demo_world(seed=seed, women=women)
        except world.DemoWorldExists as exists:
            raise CommandError(
                "The demo world is already loaded in this database. To start again, run "
                "`manage.py load_demo --reset`, or delete the database and migrate again."
            ) from exists
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the demo world: {summary.organisations} organisations, "
                f"{summary.accounts} demo accounts, {summary.women} synthetic women, "
                f"{summary.case_team_memberships} case team memberships."
            )
        )
        self._print_accounts()
        self.stdout.write(f"Elapsed: {elapsed:.1f} s")

    def _print_accounts(self) -> None:
        rows = [("Email", "Role", "Organisation"), *world.DEMO_ACCOUNTS]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        self.stdout.write("")
        self.stdout.write(f"Demo sign-ins (password for all: {world.DEMO_PASSWORD}):")
        for i, row in enumerate(rows):
            cells = (c.ljust(w) for c, w in zip(row, widths, strict=True))
            self.stdout.write(("  " + "  ".join(cells)).rstrip())
            if i == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in widths))
        self.stdout.write("")
