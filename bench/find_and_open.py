"""Benchmark: how long does a keyworker wait to find a woman and open her record?

For each size given with --women, this script
1. makes (or reuses) a PostgreSQL database ``ws_bench_<size>`` on 127.0.0.1:5432 (user
   postgres), migrates it and fills it with ``manage.py generate --women <size>``;
2. in a fresh process, signs in (through Django's test Client, in-process) as a keyworker of
   the women's service with the median caseload, and times
   (a) find a woman: POST people:search with ``q`` = a surname prefix, a full name, a date of
       birth or an identifier of a woman on that service's caseload, then GET the results page
       it redirects to (the search terms stay out of URLs), and
   (b) open her record: GET people:detail;
3. prints p50 and p95 in milliseconds for each size and the ratio p95(largest)/p95(smallest).

    .venv/bin/python bench/find_and_open.py --women 10000 --women 1000000
    .venv/bin/python bench/find_and_open.py --women 10000 --fresh --explain

A database already holding exactly <size> women is reused unless --fresh is given.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BENCH_EMAIL = "bench.keyworker@bench.whole-system.invalid"
KINDS = ("surname_prefix", "full_name", "date_of_birth", "identifier")


def _database_url(args: argparse.Namespace, size: int) -> str:
    return f"postgres://{args.user}@{args.host}:{args.port}/{_db_name(size)}"


def _db_name(size: int) -> str:
    return f"ws_bench_{size}"


def _env(args: argparse.Namespace, size: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=_database_url(args, size),
        # Production-like settings: DEBUG off (no query log, no debug templates).
        DEBUG="0",
        SECRET_KEY="bench-only-secret-key-not-for-any-real-deployment-0c1d",
        ALLOWED_HOSTS="testserver,localhost",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def _admin_sql(args: argparse.Namespace, sql: str) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(
        host=args.host, port=args.port, user=args.user, dbname="postgres", autocommit=True
    ) as conn:
        cur = conn.execute(sql)
        return cur.fetchall() if cur.description else []


def _women_in(args: argparse.Namespace, size: int) -> int | None:
    """How many women the size's database holds, or None if it does not exist or is unusable."""
    import psycopg

    exists = _admin_sql(args, f"SELECT 1 FROM pg_database WHERE datname = '{_db_name(size)}'")
    if not exists:
        return None
    try:
        with psycopg.connect(
            host=args.host, port=args.port, user=args.user, dbname=_db_name(size)
        ) as conn:
            row = conn.execute("SELECT count(*) FROM people_person").fetchone()
            return int(row[0]) if row else None
    except psycopg.Error:
        return None


def prepare(args: argparse.Namespace, size: int) -> dict[str, Any]:
    """Make sure ws_bench_<size> holds <size> generated women; return how long that took."""
    held = None if args.fresh else _women_in(args, size)
    if held == size:
        print(f"[{size:,}] reusing {_db_name(size)} ({held:,} women)", flush=True)
        return {"reused": True}
    print(f"[{size:,}] creating {_db_name(size)}", flush=True)
    _admin_sql(args, f"DROP DATABASE IF EXISTS {_db_name(size)}")
    _admin_sql(args, f"CREATE DATABASE {_db_name(size)}")
    env = _env(args, size)
    started = time.perf_counter()
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], env=env, check=True, cwd=ROOT
    )
    migrate_s = time.perf_counter() - started
    started = time.perf_counter()
    result = subprocess.run(
        [PYTHON, "manage.py", "generate", "--women", str(size), "--seed", str(args.seed)],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    generate_s = time.perf_counter() - started
    print(result.stdout.strip().splitlines()[-1], flush=True)
    return {"reused": False, "migrate_s": round(migrate_s, 1), "generate_s": round(generate_s, 1)}


def measure(args: argparse.Namespace, size: int, round_: int = 0) -> dict[str, Any]:
    """Run one round of timed requests in a fresh process against ws_bench_<size>."""
    result = subprocess.run(
        [
            PYTHON,
            __file__,
            "--_measure",
            "--requests",
            str(args.requests),
            "--warmup",
            str(args.warmup),
            "--dob-format",
            args.dob_format,
            "--round",
            str(round_),
            *(["--explain"] if args.explain else []),
        ],
        env=_env(args, size),
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    lines = result.stdout.strip().splitlines()
    for line in lines[:-1]:
        print(line)
    return json.loads(lines[-1])


def _summarise(samples: dict[str, list[float]]) -> dict[str, dict[str, float]]:
    return {
        name: {
            "n": len(values),
            "p50": round(_percentile(values, 50), 1),
            "p95": round(_percentile(values, 95), 1),
            "max": round(max(values), 1),
            "mean": round(statistics.fmean(values), 1),
        }
        for name, values in samples.items()
        if values
    }


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def _measure_in_process(args: argparse.Namespace) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.db import connection
    from django.db.models import Count, Q
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.urls import reverse
    from django.utils import timezone
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from whole_system.accounts.models import Membership, Organisation, User
    from whole_system.accounts.services import create_member
    from whole_system.accounts.sessions import LAST_SEEN_AT, SIGNED_IN_AT
    from whole_system.people.models import Person

    # Static files from the plain storage (no collectstatic manifest), everything else as
    # configured with DEBUG off; requests are made as HTTPS so no redirect is timed.
    override = override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    )
    override.enable()

    services = list(
        Organisation.objects.filter(type=Organisation.Type.WOMENS_SERVICE)
        .annotate(women=Count("case_memberships", filter=Q(case_memberships__ended_at=None)))
        .order_by("women", "name")
    )
    org = services[len(services) // 2]  # the median caseload
    user = User.objects.filter(email=BENCH_EMAIL).first() or create_member(
        email=BENCH_EMAIL,
        full_name="Bench Keyworker",
        organisation=org,
        role=Membership.Role.KEYWORKER,
    )
    if user.membership.organisation_id != org.pk:
        Membership.objects.filter(user=user).update(organisation=org)
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="bench", defaults={"confirmed": True}
    )
    client = Client()
    client.force_login(user, backend="whole_system.accounts.backends.PasswordAndCodeBackend")
    session = client.session
    now = timezone.now().timestamp()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[SIGNED_IN_AT] = now
    session[LAST_SEEN_AT] = now
    session.save()

    caseload_ids = list(
        Person.objects.filter(case_team__organisation=org, case_team__ended_at=None)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    # Each round picks other women from the same caseload.
    rng = random.Random(2026 + args.round)
    total = args.requests + args.warmup
    picked = rng.sample(caseload_ids, min(total, len(caseload_ids)))
    while len(picked) < total:
        picked.append(rng.choice(caseload_ids))
    women = {p.pk: p for p in Person.objects.filter(pk__in=picked)}

    def query_for(person: Person, kind: str) -> str:
        if kind == "surname_prefix":
            return person.family_name[: max(3, min(5, len(person.family_name)))]
        if kind == "full_name":
            return f"{person.given_name} {person.family_name}"
        if kind == "date_of_birth" and person.date_of_birth is not None:
            return person.date_of_birth.strftime(args.dob_format)
        held = [
            v
            for v in (
                person.pnc_number,
                person.nhs_number,
                person.probation_crn,
                person.prison_number,
            )
            if v
        ]
        return rng.choice(held) if held else person.family_name

    search_url = reverse("people:search")
    timings: dict[str, list[float]] = {kind: [] for kind in KINDS}
    timings["open_record"] = []
    statuses: dict[int, int] = {}
    result_counts: list[int] = []
    for i, pk in enumerate(picked):
        person = women[pk]
        kind = KINDS[i % len(KINDS)]
        q = query_for(person, kind)
        # The search form posts and is redirected to a results page whose URL holds only an
        # opaque token (no names in URLs): finding her is both requests.
        started = time.perf_counter()
        posted = client.post(search_url, {"q": q}, secure=True)
        response = (
            client.get(posted["Location"], secure=True) if posted.status_code == 302 else posted
        )
        search_ms = (time.perf_counter() - started) * 1000
        statuses[posted.status_code] = statuses.get(posted.status_code, 0) + 1
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        found = str(person.pk) in response.content.decode()
        started = time.perf_counter()
        detail = client.get(reverse("people:detail", args=[person.pk]), secure=True)
        open_ms = (time.perf_counter() - started) * 1000
        statuses[detail.status_code] = statuses.get(detail.status_code, 0) + 1
        if i >= args.warmup:
            timings[kind].append(search_ms)
            timings["open_record"].append(open_ms)
            result_counts.append(int(found))

    search_all = [t for kind in KINDS for t in timings[kind]]
    summary: dict[str, Any] = {
        "women": Person.objects.count(),
        "organisation_caseload": len(caseload_ids),
        "womens_services": len(services),
        "requests": args.requests,
        "statuses": statuses,
        "found_share": round(sum(result_counts) / max(len(result_counts), 1), 3),
    }
    summary["samples"] = {"find": search_all, **timings}

    if args.explain:
        sample = women[picked[-1]]
        for kind in KINDS:
            with CaptureQueriesContext(connection) as captured:
                posted = client.post(search_url, {"q": query_for(sample, kind)}, secure=True)
                client.get(posted["Location"], secure=True)
            _explain_slowest(connection, captured.captured_queries, f"search ({kind})")
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("people:detail", args=[sample.pk]), secure=True)
        _explain_slowest(connection, captured.captured_queries, "open record")
    override.disable()
    print(json.dumps(summary))


def _explain_slowest(connection: Any, queries: list[dict[str, str]], label: str) -> None:
    selects = [q for q in queries if q["sql"].lstrip().upper().startswith("SELECT")]
    if not selects:
        return
    slowest = max(selects, key=lambda q: float(q["time"]))
    print(f"--- {label}: {len(queries)} queries; slowest {float(slowest['time']) * 1000:.1f} ms")
    print(re.sub(r"\s+", " ", slowest["sql"])[:1500])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
        for (line,) in cursor.fetchall():
            print("   ", line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--women", type=int, action="append", help="a database size (repeat)")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--fresh", action="store_true", help="always regenerate the databases")
    parser.add_argument(
        "--explain",
        action="store_true",
        help="print EXPLAIN ANALYZE of the slowest query of each request",
    )
    parser.add_argument(
        "--dob-format", default="%d/%m/%Y", help="how a date of birth is typed into the search box"
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="5432")
    parser.add_argument("--user", default="postgres")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="rounds of requests; the sizes take turns, so a passing load on the machine "
        "falls on every size alike, and the samples of all rounds are pooled",
    )
    parser.add_argument("--round", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--_measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args._measure:
        _measure_in_process(args)
        return

    sizes = sorted(set(args.women or [10_000]))
    results: dict[int, dict[str, Any]] = {size: prepare(args, size) for size in sizes}
    pooled: dict[int, dict[str, list[float]]] = {size: {} for size in sizes}
    for round_ in range(args.rounds):
        for size in sizes:
            measured = measure(args, size, round_)
            for name, values in measured.pop("samples").items():
                pooled[size].setdefault(name, []).extend(values)
            statuses = results[size].get("statuses", {})
            for code, count in measured.pop("statuses").items():
                statuses[code] = statuses.get(code, 0) + count
            results[size].update(measured, statuses=statuses)
    for size in sizes:
        results[size]["requests"] = args.requests * args.rounds
        results[size].update(_summarise(pooled[size]))

    print()
    print(
        f"{'women':>10}  {'caseload':>8}  {'find p50':>8}  {'find p95':>8}  "
        f"{'open p50':>8}  {'open p95':>8}  "
        f"(ms, {args.requests * args.rounds} requests each, {args.rounds} interleaved rounds)"
    )
    for size, r in results.items():
        print(
            f"{size:>10,}  {r['organisation_caseload']:>8,}  {r['find']['p50']:>8}  "
            f"{r['find']['p95']:>8}  {r['open_record']['p50']:>8}  "
            f"{r['open_record']['p95']:>8}"
        )
    print()
    for size, r in results.items():
        kinds = ", ".join(f"{k} p50 {r[k]['p50']} / p95 {r[k]['p95']}" for k in KINDS if k in r)
        print(
            f"{size:>10,}: {kinds}; statuses {r['statuses']}; "
            f"found in results {r['found_share']:.0%}"
        )
        if not r.get("reused"):
            print(f"{'':>10}  migrate {r['migrate_s']} s, generate {r['generate_s']} s")
    if len(sizes) > 1:
        small, large = results[sizes[0]], results[sizes[-1]]
        for name in ("find", "open_record"):
            ratio = large[name]["p95"] / small[name]["p95"]
            print(f"p95({sizes[-1]:,}) / p95({sizes[0]:,}) for {name}: {ratio:.2f}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
