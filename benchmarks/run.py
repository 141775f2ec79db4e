"""Build a large region in a throw-away database and time the scan and POP pages at 1,000 and 10,000
professionals, and the teamschouw pages for a team of 10 and a team of 40 members on a Kenniskaart of about
100 items.

    .venv/bin/python benchmarks/run.py            (or: make benchmark)
    BENCH_DATABASE_URL=postgresql://... .venv/bin/python benchmarks/run.py --reset

See benchmarks/README.md for what is measured and how to read the ratios.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask import Flask  # noqa: E402
from sqlalchemy import inspect, select, text  # noqa: E402

from benchmarks import teamschouw  # noqa: E402
from benchmarks.region import (  # noqa: E402
    BENCH_REGION,
    PAGES,
    PASSWORD,
    REGIONAL_OVERVIEW,
    REGIONAL_OVERVIEW_FRESH,
    REGIONAL_OVERVIEW_MAX_RATIO,
    BenchRegion,
    Measurement,
    Page,
    RegionBuilder,
    measure,
)
from scan import create_app  # noqa: E402
from scan.config import normalise_database_url  # noqa: E402


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--small", type=int, default=1_000, help="professionals in the first measurement")
    parser.add_argument("--large", type=int, default=10_000, help="professionals in the second measurement")
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests per page first")
    parser.add_argument("--section", default=None, help="section code to measure (default: the largest)")
    parser.add_argument("--statements", action="store_true",
                        help="also print each page's SQL statements with their times")
    parser.add_argument("--reset", action="store_true",
                        help="empty BENCH_DATABASE_URL first (it must be a throw-away database)")
    return parser.parse_args()


def make_app(url: str) -> Flask:
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(url),
        # Cheap hashes: the benchmark logs in, it does not measure Argon2.
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 1024,
        "SESSION_COOKIE_SECURE": False,
    })
    # One log line per request would drown the table.
    app.logger.setLevel(logging.WARNING)
    return app


def prepare_schema(app: Flask, reset: bool) -> None:
    from flask_migrate import upgrade

    from scan.extensions import db

    with app.app_context():
        if inspect(db.engine).get_table_names():
            if not reset:
                raise SystemExit("The benchmark database has tables; pass --reset if it is a throw-away one.")
            db.drop_all()
            db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
            db.session.commit()
        upgrade(directory=str(ROOT / "migrations"))


def start_builder(app: Flask, section: str | None) -> tuple[RegionBuilder, str]:
    from scan.assessment import queries
    from scan.auth.passwords import hash_password
    from scan.core.clock import today
    from scan.extensions import db
    from scan.kenniskaart.queries import current_version
    from scan.kenniskaart.services import ensure_default_kenniskaart
    from scan.organisation.services import create_region
    from scan.pop.catalogue import seed_catalogue
    from scan.pop.models import Training

    with app.app_context():
        ensure_default_kenniskaart()
        # The region first: the catalogue is the region's own.
        region = create_region(BENCH_REGION[0], BENCH_REGION[1])
        seed_catalogue(region.id)
        db.session.commit()
        version = current_version()
        assert version is not None
        builder = RegionBuilder(db.engine, version.id, queries.sections(version.id), today(), section)
        builder.region.region_id = region.id
        builder.training_ids = list(db.session.scalars(
            select(Training.id).where(Training.region_id == region.id).order_by(Training.code)
        ))
        # One hash for every account: hashing 10,000 passwords would be most of the build.
        password_hash = hash_password(PASSWORD)
        db.session.remove()
    return builder, password_hash


def add_teamschouw_teams(app: Flask, builder: RegionBuilder) -> tuple[teamschouw.TeamschouwTeams, float]:
    """Load the ~100-item benchmark Kenniskaart and build the teams of 10 and 40 on it."""
    from scan.assessment import queries
    from scan.core.clock import today
    from scan.extensions import db
    from scan.kenniskaart.services import load_kenniskaart

    started = time.perf_counter()
    with app.app_context():
        result = load_kenniskaart(text=teamschouw.kenniskaart_text(), source_name="benchmark.yaml")
        if not result.ok or result.version is None:
            problems = result.report.lines()
            raise SystemExit("\n".join(["The benchmark Kenniskaart does not validate:", *problems]))
        db.session.commit()
        sections = queries.sections(result.version.id)
        teams = teamschouw.build_teams(db.engine, builder, result.version.id, sections, today())
        db.session.remove()
    return teams, time.perf_counter() - started


def schouw_pages(members: int) -> list[Page]:
    """The teamschouw pages, named with the team size, for the table of the two region sizes."""
    return [replace(page, name=f"{page.name}, {members} members") for page in teamschouw.PAGES]


def run_step(app: Flask, builder: RegionBuilder, professionals: int, password_hash: str,
             args: argparse.Namespace, teams: teamschouw.TeamschouwTeams | None = None,
             ) -> tuple[float, list[Measurement], teamschouw.TeamschouwTeams]:
    from scan.extensions import db

    with app.app_context():
        seconds = builder.grow_to(professionals, password_hash)
        engine = db.engine
    region = builder.region
    print(f"  built {region.professionals:,} professionals in {region.teams:,} teams "
          f"({region.answers:,} answers, {region.pops:,} POPs) in {seconds:.1f} s", flush=True)
    if teams is None:
        teams, schouw_seconds = add_teamschouw_teams(app, builder)
        print(f"  built the teamschouw teams of {' and '.join(map(str, teams.teams))} members "
              f"({teams.items} items) in {schouw_seconds:.1f} s", flush=True)
    print("  measuring ...", flush=True)
    largest = max(teams.teams)
    teams.use(region, largest)
    pages = PAGES + schouw_pages(largest)
    return seconds, list(measure(app, engine, region, pages, args.warmup, args.repeat)), teams


def run_teamschouw(app: Flask, region: BenchRegion, teams: teamschouw.TeamschouwTeams,
                   args: argparse.Namespace) -> list[list[Measurement]]:
    """The teamschouw pages per team size, one size after the other: a list of measurements per size."""
    from scan.extensions import db

    with app.app_context():
        engine = db.engine
    results = []
    for members in sorted(teams.teams):
        print(f"  measuring the teamschouw pages for the team of {members} ...", flush=True)
        teams.use(region, members)
        results.append(list(measure(app, engine, region, teamschouw.PAGES, args.warmup, args.repeat)))
    return results


def _queries(m: Measurement) -> str:
    """The median count, with the range when it varied between requests (it should not)."""
    if m.queries_min == m.queries_max:
        return str(m.queries)
    return f"{m.queries} ({m.queries_min}-{m.queries_max})"


def _ratio(small: float, large: float) -> str:
    return f"{large / small:.2f}" if small else "-"


def size_label(n: int) -> str:
    return f"{n // 1000}k" if n % 1000 == 0 else f"{n:,}"


def print_table(small: list[Measurement], large: list[Measurement], sizes: tuple[int, int],
                unit: str = "") -> None:
    """One block per page, one line per figure: easy to extend with pages and to read down a column."""
    a, b = (size_label(n) for n in sizes)
    header = ("page", "figure (median per request)", f"@{a}{unit}", f"@{b}{unit}", f"ratio {b}/{a}")
    rows: list[tuple[str, ...]] = []
    for s, g in zip(small, large, strict=True):
        rows += [
            (s.page, "time, ms", f"{s.median_ms:.1f}", f"{g.median_ms:.1f}",
             _ratio(s.median_ms, g.median_ms)),
            ("", "CPU time, ms", f"{s.cpu_ms:.1f}", f"{g.cpu_ms:.1f}", _ratio(s.cpu_ms, g.cpu_ms)),
            ("", "time in SQL, ms", f"{s.sql_ms:.2f}", f"{g.sql_ms:.2f}", _ratio(s.sql_ms, g.sql_ms)),
            ("", "SQL queries", _queries(s), _queries(g), _ratio(s.queries, g.queries)),
        ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)
    print(line)
    for n, row in enumerate([header, *rows]):
        if n > 1 and row[0]:
            print()
        print("  ".join(cell.ljust(w) if i < 2 else cell.rjust(w)
                        for i, (cell, w) in enumerate(zip(row, widths, strict=True))))
        if n == 0:
            print(line)
    print(line)


def print_statements(small: list[Measurement], large: list[Measurement]) -> None:
    """Side by side, per page, the statements of one request: the one whose time grows is the suspect."""
    for s, g in zip(small, large, strict=True):
        print(f"\n{s.page}: ms at the small / large size, statement")
        for (statement, small_ms), (_same, large_ms) in zip(s.statements, g.statements, strict=False):
            print(f"  {small_ms:7.2f} {large_ms:7.2f}  {' '.join(statement.split())[:120]}")


def checks(small: list[Measurement], large: list[Measurement],
           per_size: Sequence[list[Measurement]] = (), team_sizes: Sequence[int] = ()) -> list[str]:
    """The issue's limits, checked on this run's figures; an empty list means every check held.

    `small`/`large`: every page at the two region sizes. `per_size`: the teamschouw pages for each team size
    in `team_sizes` (smallest first), which must run the same number of SQL queries for every size.
    """
    failures = [
        f"{s.page}: {_queries(s)} SQL queries at the small size, {_queries(g)} at the large size"
        for s, g in zip(small, large, strict=True)
        # The median: a save's count varies a little with the form it sends (a note or none), at both sizes.
        if s.queries != g.queries
    ]
    overview = {m.page: m for m in small}[REGIONAL_OVERVIEW], {m.page: m for m in large}[REGIONAL_OVERVIEW]
    ratio = overview[1].median_ms / overview[0].median_ms
    verdict = "within" if ratio <= REGIONAL_OVERVIEW_MAX_RATIO else "ABOVE"
    print(f"check: the regional overview takes {ratio:.2f} times as long at the large size "
          f"({verdict} the limit of {REGIONAL_OVERVIEW_MAX_RATIO:.0f})")
    if ratio > REGIONAL_OVERVIEW_MAX_RATIO:
        failures.append(f"{REGIONAL_OVERVIEW}: time ratio {ratio:.2f} > {REGIONAL_OVERVIEW_MAX_RATIO}")
    fresh = [({m.page: m for m in size}.get(REGIONAL_OVERVIEW_FRESH)) for size in (small, large)]
    if fresh[0] and fresh[1]:
        # Not held to the limit: counting afresh reads every submitted answer of the region.
        print(f"note: counted afresh (the first view after a change) it takes {fresh[0].median_ms:.0f} ms "
              f"and {fresh[1].median_ms:.0f} ms, {fresh[1].median_ms / fresh[0].median_ms:.2f} times as long")
    same = len(small) - sum(1 for f in failures if "SQL queries" in f)
    print(f"check: {same} of {len(small)} pages run the same number of SQL queries at both sizes")
    if per_size:
        failures += _team_size_checks(per_size, team_sizes)
    return failures


def _team_size_checks(per_size: Sequence[list[Measurement]], team_sizes: Sequence[int]) -> list[str]:
    """Each teamschouw page runs as many SQL queries (the median) for the largest team as for the smallest."""
    smallest, *larger = per_size
    failures, differing = [], set()
    for size, measured in zip(team_sizes[1:], larger, strict=True):
        for s, g in zip(smallest, measured, strict=True):
            if s.queries != g.queries:
                differing.add(s.page)
                failures.append(f"{s.page}: {_queries(s)} SQL queries for the team of {team_sizes[0]}, "
                                f"{_queries(g)} for the team of {size}")
    sizes = " and ".join(map(str, team_sizes))
    print(f"check: {len(smallest) - len(differing)} of {len(smallest)} teamschouw pages run the same number "
          f"of SQL queries for the teams of {sizes} members")
    return failures


def describe(region: BenchRegion, backend: str, args: argparse.Namespace) -> str:
    return (f"database: {backend}; section {region.section_code} ({len(region.section_items)} items); "
            f"median of {args.repeat} requests after {args.warmup} warm-up; logged in as "
            f"{region.accounts['professional']} (same person at both sizes)")


def main() -> int:
    args = parse_args()
    instance = tempfile.mkdtemp(prefix="ontwikkelscan-bench-")
    # The app reads these when it is created; the instance folder (and the SQLite file) is thrown away.
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")
    os.environ["INSTANCE_PATH"] = instance
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{instance}/bench.sqlite"
    backend = url.split(":", 1)[0]
    started = time.perf_counter()
    app: Flask | None = None
    try:
        app = make_app(url)
        prepare_schema(app, args.reset)
        builder, password_hash = start_builder(app, args.section)
        print(f"Step 1: {args.small:,} professionals", flush=True)
        small_build, small, teams = run_step(app, builder, args.small, password_hash, args)
        small_size = builder.region.professionals  # whole teams: rounded up to a multiple of 20
        print(f"Step 2: grow to {args.large:,} professionals", flush=True)
        large_build, large, _teams = run_step(app, builder, args.large, password_hash, args, teams)
        region = builder.region
        print(f"Step 3: the teamschouw pages per team size, at {region.professionals:,} professionals",
              flush=True)
        per_size = run_teamschouw(app, region, teams, args)
        print()
        print(describe(region, backend, args))
        print(f"build: {small_size:,} professionals in {small_build:.1f} s, "
              f"grown to {region.professionals:,} ({region.teams:,} teams, two rounds, "
              f"{region.answers:,} answers, {region.pops:,} POPs) in {large_build:.1f} s more")
        print_table(small, large, (small_size, region.professionals))
        sizes = sorted(teams.teams)
        print()
        print(f"teamschouw: team leader {region.accounts[teamschouw.ACCOUNT]}, teams of "
              f"{' and '.join(map(str, sizes))} members, every member submitted, Kenniskaart of "
              f"{teams.items} items, region of {region.professionals:,} professionals")
        print_table(per_size[0], per_size[-1], (sizes[0], sizes[-1]), unit=" members")
        print()
        failures = checks(small, large, per_size, sizes)
        if args.statements:
            print_statements(small, large)
            print_statements(per_size[0], per_size[-1])
        print(f"total run time: {time.perf_counter() - started:.0f} s")
        for failure in failures:
            print(f"CHECK FAILED: {failure}")
    finally:
        _dispose(app)
        shutil.rmtree(instance, ignore_errors=True)
    return 1 if failures else 0


def _dispose(app: Flask | None) -> None:
    if app is None:
        return
    from scan.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
