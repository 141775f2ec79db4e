"""Build a large region in a throw-away database and time the scan, POP and regional pages at 1,000 and
10,000 professionals (and at 10,000 on the way to a larger --large), publish the region's period at each
size and time it, and time the teamschouw pages for a team of 10 and a team of 40 members on a Kenniskaart
of about 100 items.

    .venv/bin/python benchmarks/run.py            (or: make benchmark)
    .venv/bin/python benchmarks/run.py --postgresql [--large 40000]
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
from sqlalchemy import Engine, inspect, select, text  # noqa: E402

from benchmarks import teamschouw  # noqa: E402
from benchmarks.region import (  # noqa: E402
    BENCH_REGION,
    COUNTING_TABLES,
    PAGES,
    PASSWORD,
    PUBLISH_LIMIT_AT,
    PUBLISH_MAX_SECONDS,
    PUBLISHED_MAX_RATIO,
    BenchRegion,
    Measurement,
    Page,
    Published,
    RegionBuilder,
    measure,
    publish_period,
)
from scan import create_app  # noqa: E402
from scan.config import normalise_database_url  # noqa: E402


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--small", type=int, default=1_000, help="professionals in the first measurement")
    parser.add_argument("--large", type=int, default=10_000, help="professionals in the last measurement")
    parser.add_argument("--middle", type=int, default=None,
                        help="professionals in a measurement between the two (default: 10,000 when "
                             "--large is above it; 0 for none)")
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests per page first")
    parser.add_argument("--section", default=None, help="section code to measure (default: the largest)")
    parser.add_argument("--statements", action="store_true",
                        help="also print each page's SQL statements with their times")
    parser.add_argument("--reset", action="store_true",
                        help="empty BENCH_DATABASE_URL first (it must be a throw-away database)")
    parser.add_argument("--only", default="",
                        help="time only the pages whose name holds this text (e.g. 'administrator'), "
                             "without publishing and without the teamschouw pages: a quick look at a few "
                             "pages at each size")
    parser.add_argument("--postgresql", action="store_true",
                        help="start a throw-away PostgreSQL cluster (benchmarks/pgcluster.py) and measure "
                             "on it")
    return parser.parse_args()


def region_sizes(args: argparse.Namespace) -> list[int]:
    """The professionals at each step: small, the middle one (10,000 on the way to more), large."""
    middle = args.middle if args.middle is not None else PUBLISH_LIMIT_AT
    return [args.small, *([middle] if args.small < middle < args.large else []), args.large]


def make_app(url: str) -> Flask:
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(url),
        # Cheap hashes: the benchmark logs in, it does not measure Argon2.
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 1024,
        "SESSION_COOKIE_SECURE": False,
        # Building 40,000 professionals and VACUUM ANALYZE run single statements of minutes; the pages are
        # timed and compared, not cut off.
        "DATABASE_STATEMENT_TIMEOUT_S": 0,
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
    from scan.auth.passwords import hash_password
    from scan.catalogue.models import Training
    from scan.catalogue.seed import seed_catalogue
    from scan.core.clock import today
    from scan.extensions import db
    from scan.kenniskaart import queries as kenniskaart_queries
    from scan.kenniskaart.queries import current_version
    from scan.kenniskaart.services import ensure_default_kenniskaart
    from scan.organisation.services import create_region

    with app.app_context():
        ensure_default_kenniskaart()
        # The region first: the catalogue is the region's own.
        region = create_region(BENCH_REGION[0], BENCH_REGION[1])
        seed_catalogue(region.id)
        db.session.commit()
        version = current_version()
        assert version is not None
        sections = kenniskaart_queries.sections(version.id)
        builder = RegionBuilder(db.engine, version.id, sections, today(), section)
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
    from scan.core.clock import today
    from scan.extensions import db
    from scan.kenniskaart import queries as kenniskaart_queries
    from scan.kenniskaart.services import load_kenniskaart

    started = time.perf_counter()
    with app.app_context():
        result = load_kenniskaart(text=teamschouw.kenniskaart_text(), source_name="benchmark.yaml")
        if not result.ok or result.version is None:
            problems = result.report.lines()
            raise SystemExit("\n".join(["The benchmark Kenniskaart does not validate:", *problems]))
        db.session.commit()
        sections = kenniskaart_queries.sections(result.version.id)
        teams = teamschouw.build_teams(db.engine, builder, result.version.id, sections, today())
        db.session.remove()
    return teams, time.perf_counter() - started


def schouw_pages(members: int) -> list[Page]:
    """The teamschouw pages, named with the team size, for the table of the two region sizes."""
    return [replace(page, name=f"{page.name}, {members} members") for page in teamschouw.PAGES]


def settle(engine: Engine, limit: float = 600) -> float:
    """On PostgreSQL: VACUUM ANALYZE, then wait until no autovacuum worker runs. After loading a million
    rows autovacuum starts on its own and runs for minutes beside whatever is timed next: the pages of the
    step published quickly (10,000) were measured on a machine busy with it, those after a long publication
    (40,000) were not, which made some pages slower at 10,000 than at 40,000."""
    if engine.dialect.name != "postgresql":
        return 0.0
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM (ANALYZE)"))
        started = time.perf_counter()
        while time.perf_counter() - started < limit and conn.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'")).scalar():
            time.sleep(1)
        return time.perf_counter() - started


def run_step(app: Flask, builder: RegionBuilder, professionals: int, password_hash: str,
             args: argparse.Namespace, teams: teamschouw.TeamschouwTeams | None = None,
             ) -> tuple[float, list[Measurement], teamschouw.TeamschouwTeams, Published]:
    """Grow the region, publish its period, time every page."""
    from scan.core.clock import today
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
    with app.app_context():
        published = publish_period(region, today())
    print(f"  published the period: {describe_publish(published)}", flush=True)
    waited = settle(engine)
    print(f"  vacuumed; waited {waited:.0f} s for autovacuum; measuring ...", flush=True)
    largest = max(teams.teams)
    teams.use(region, largest)
    pages = PAGES + schouw_pages(largest)
    return seconds, list(measure(app, engine, region, pages, args.warmup, args.repeat)), teams, published


def describe_publish(p: Published) -> str:
    again = "; the earlier size's publication deleted first" if p.replaced else ""
    return (f"{p.seconds:.1f} s (counting {p.count_seconds:.1f} s, suppression and audit "
            f"{p.audit_seconds:.1f} s; CPU {p.cpu_seconds:.1f} s), {p.professionals:,} professionals in "
            f"{p.groups:,} groups, {p.hidden:,} of {p.positions:,} positions hidden ({p.primary:,} primary), "
            f"{p.sensitive:,} sensitive, {p.rounds} rounds, {p.lp_solves:,} LP + {p.mip_solves:,} MIP solver "
            f"runs; payload {p.payload_kb:,.0f} kB, truth {p.truth_kb:,.0f} kB{again}")


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


def print_table(measured: Sequence[list[Measurement]], sizes: Sequence[int], unit: str = "") -> None:
    """One block per page, one line per figure, a column per size and the ratio of each size to the first:
    easy to extend with pages and to read down a column."""
    labels = [size_label(n) for n in sizes]
    header = ("page", "figure (median per request)", *(f"@{a}{unit}" for a in labels),
              *(f"ratio {b}/{labels[0]}" for b in labels[1:]))
    rows: list[tuple[str, ...]] = []
    for same_page in zip(*measured, strict=True):
        first = same_page[0]
        for name, value, shown in (
            ("time, ms", lambda m: m.median_ms, lambda m: f"{m.median_ms:.1f}"),
            ("CPU time, ms", lambda m: m.cpu_ms, lambda m: f"{m.cpu_ms:.1f}"),
            ("time in SQL, ms", lambda m: m.sql_ms, lambda m: f"{m.sql_ms:.2f}"),
            ("SQL queries", lambda m: m.queries, _queries),
            ("response, kB", lambda m: m.response_kb, lambda m: f"{m.response_kb:.1f}"),
        ):
            rows.append((first.page if name == "time, ms" else "", name, *(shown(m) for m in same_page),
                         *(_ratio(value(first), value(m)) for m in same_page[1:])))
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


def print_publishing(published: Sequence[Published], sizes: Sequence[int]) -> None:
    print("publishing the period (count, suppress, audit, store), as the daily job does:")
    for size, p in zip(sizes, published, strict=True):
        print(f"  @{size_label(size)}: {describe_publish(p)}")


def print_statements(small: list[Measurement], large: list[Measurement]) -> None:
    """Side by side, per page, the statements of one request: the one whose time grows is the suspect."""
    for s, g in zip(small, large, strict=True):
        print(f"\n{s.page}: ms at the small / large size, statement")
        for (statement, small_ms), (_same, large_ms) in zip(s.statements, g.statements, strict=False):
            print(f"  {small_ms:7.2f} {large_ms:7.2f}  {' '.join(statement.split())[:120]}")


def checks(measured: Sequence[list[Measurement]], sizes: Sequence[int], published: Sequence[Published],
           per_size: Sequence[list[Measurement]] = (), team_sizes: Sequence[int] = ()) -> list[str]:
    """The issues' limits, checked on this run's figures; an empty list means every check held.

    `measured`: every page at each region size of `sizes` (smallest first); `published`: the publication of
    each size. `per_size`: the teamschouw pages for each team size in `team_sizes` (smallest first), which
    must run the same number of SQL queries for every size.
    """
    first, *larger = measured
    labels = [size_label(n) for n in sizes]
    failures: list[str] = []
    differing: set[str] = set()
    for label, pages in zip(labels[1:], larger, strict=True):
        for s, g in zip(first, pages, strict=True):
            # The median: a save's count varies a little with the form it sends (a note or none), at any size.
            if s.queries != g.queries:
                differing.add(s.page)
                failures.append(f"{s.page}: {_queries(s)} SQL queries at {labels[0]}, "
                                f"{_queries(g)} at {label}")
    print(f"check: {len(first) - len(differing)} of {len(first)} pages run the same number of SQL queries at "
          f"{' and '.join(labels)}")
    failures += _published_checks(measured, labels)
    _kept_file_notes(measured, labels)
    failures += _publish_time_checks(published, sizes)
    if per_size:
        failures += _team_size_checks(per_size, team_sizes)
    return failures


def _published_checks(measured: Sequence[list[Measurement]], labels: Sequence[str]) -> list[str]:
    """Every regional page and export: within PUBLISHED_MAX_RATIO of its time at the smallest size, at every
    larger size, and no statement of any of its requests reads a table the counting reads.

    The time is the wall clock (what the coordinator waits, the database included), and the CPU time must
    hold the same limit: on a machine shared with other work the wall clock of one step can be inflated,
    which would let a page that does ten times the work pass when the first step was the busier one."""
    first, *larger = measured
    failures = []
    regional = [n for n, m in enumerate(first) if m.published]

    def ratios(n: int, pages: list[Measurement]) -> tuple[float, float]:
        return pages[n].median_ms / first[n].median_ms, pages[n].cpu_ms / first[n].cpu_ms

    for label, pages in zip(labels[1:], larger, strict=True):
        above = []
        for n in regional:
            ratio, cpu = ratios(n, pages)
            if ratio > PUBLISHED_MAX_RATIO or cpu > PUBLISHED_MAX_RATIO:
                above.append(f"{first[n].page} ({ratio:.2f}, CPU {cpu:.2f})")
                failures.append(f"{first[n].page}: {pages[n].median_ms:.1f} ms at {label}, "
                                f"{first[n].median_ms:.1f} ms at {labels[0]}: ratio {ratio:.2f}, CPU time "
                                f"{cpu:.2f} (limit {PUBLISHED_MAX_RATIO}); response "
                                f"{_ratio(first[n].response_kb, pages[n].response_kb)} times as large")
        worst = max(regional, key=lambda n: max(ratios(n, pages)))
        wall, cpu = ratios(worst, pages)
        print(f"check: {len(regional) - len(above)} of {len(regional)} regional pages and exports take at "
              f"most {PUBLISHED_MAX_RATIO} times their time (and CPU time) at {labels[0]} at {label} "
              f"(highest: {first[worst].page}, {wall:.2f}, CPU {cpu:.2f})"
              + (f"; above: {', '.join(above)}" if above else ""))
    reading = {}
    for label, pages in zip(labels, measured, strict=True):
        for n in regional:
            for statement in pages[n].counting:
                reading.setdefault(pages[n].page, (label, statement))
    for page, (label, statement) in reading.items():
        failures.append(f"{page}: at {label} a request reads a counting table: {statement[:200]}")
    print(f"check: {len(regional) - len(reading)} of {len(regional)} regional pages and exports read none of "
          f"the tables the counting reads ({', '.join(COUNTING_TABLES)}) in any request at any size")
    return failures


def _kept_file_notes(measured: Sequence[list[Measurement]], labels: Sequence[str]) -> None:
    """Each regional export's first request after publishing writes its file (scan.regio.exports.files); the
    medians above are of the later ones, which read it back. The one slow download, per size (not checked:
    rendering grows with the region)."""
    first = measured[0]
    for n, page in enumerate(first):
        if not page.kept:
            continue
        sizes = list(zip(labels, (pages[n] for pages in measured), strict=True))
        writes = ", ".join(f"{m.first_ms:,.0f} ms at {label}" for label, m in sizes)
        reads = ", ".join(f"{m.median_ms:,.0f} ms at {label}" for label, m in sizes)
        print(f"note: {page.page}: the first request after publishing writes the file: {writes} "
              f"(later ones read it: median {reads})")


def _publish_time_checks(published: Sequence[Published], sizes: Sequence[int]) -> list[str]:
    """Publishing (count, suppress, audit, store) takes less than PUBLISH_MAX_SECONDS up to PUBLISH_LIMIT_AT
    professionals; above that its time is printed only."""
    failures = []
    for size, p in zip(sizes, published, strict=True):
        if size > PUBLISH_LIMIT_AT:
            print(f"note: publishing at {size_label(size)} took {p.seconds:.1f} s (not held to a limit)")
            continue
        held = p.seconds < PUBLISH_MAX_SECONDS
        print(f"check: publishing at {size_label(size)} took {p.seconds:.1f} s "
              f"({'within' if held else 'ABOVE'} the limit of {PUBLISH_MAX_SECONDS:.0f} s)")
        if not held:
            failures.append(f"publishing at {size_label(size)}: {p.seconds:.1f} s >= "
                            f"{PUBLISH_MAX_SECONDS:.0f} s")
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
            f"{region.accounts['professional']} (same person at every size)")


def main() -> int:
    args = parse_args()
    if args.postgresql:
        from benchmarks.pgcluster import PgCluster

        with PgCluster(database="ontwikkelscan_bench") as cluster:
            return run(args, cluster.url, f"postgresql {cluster.version} (a throw-away cluster)")
    url = os.environ.get("BENCH_DATABASE_URL")
    return run(args, url, None)


def run_only(app: Flask, builder: RegionBuilder, password_hash: str, args: argparse.Namespace) -> None:
    """--only: grow the region to each size and time only the chosen pages (none of them may read the
    published figures: nothing is published)."""
    from scan.extensions import db

    pages = [page for page in PAGES if args.only.lower() in page.name.lower()]
    if not pages or any(page.published for page in pages):
        raise SystemExit(f"--only {args.only!r}: choose pages that do not read the published figures")
    measured: list[list[Measurement]] = []
    sizes: list[int] = []
    for step, target in enumerate(region_sizes(args), start=1):
        with app.app_context():
            seconds = builder.grow_to(target, password_hash)
            engine = db.engine
        region = builder.region
        print(f"Step {step}: {region.professionals:,} professionals in {region.teams:,} teams, "
              f"built in {seconds:.1f} s; waited {settle(engine):.0f} s for autovacuum; measuring ...",
              flush=True)
        measured.append(list(measure(app, engine, builder.region, pages, args.warmup, args.repeat)))
        sizes.append(builder.region.professionals)
    print()
    print_table(measured, sizes)


def run(args: argparse.Namespace, url: str | None, backend: str | None) -> int:
    instance = tempfile.mkdtemp(prefix="ontwikkelscan-bench-")
    # The app reads these when it is created; the instance folder (and the SQLite file) is thrown away.
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")
    os.environ["INSTANCE_PATH"] = instance
    url = url or f"sqlite:///{instance}/bench.sqlite"
    backend = backend or url.split(":", 1)[0]
    started = time.perf_counter()
    app: Flask | None = None
    failures: list[str] = []
    try:
        app = make_app(url)
        prepare_schema(app, args.reset)
        builder, password_hash = start_builder(app, args.section)
        if args.only:
            run_only(app, builder, password_hash, args)
            return 0
        builds: list[float] = []
        measured: list[list[Measurement]] = []
        published: list[Published] = []
        sizes: list[int] = []
        teams: teamschouw.TeamschouwTeams | None = None
        for step, target in enumerate(region_sizes(args), start=1):
            print(f"Step {step}: {'grow to ' if step > 1 else ''}{target:,} professionals", flush=True)
            seconds, pages, teams, publication = run_step(app, builder, target, password_hash, args, teams)
            builds.append(seconds)
            measured.append(pages)
            published.append(publication)
            sizes.append(builder.region.professionals)  # whole teams: rounded up to a multiple of 20
        assert teams is not None
        region = builder.region
        print(f"Step {len(sizes) + 1}: the teamschouw pages per team size, at {region.professionals:,} "
              "professionals", flush=True)
        per_size = run_teamschouw(app, region, teams, args)
        print()
        print(describe(region, backend, args))
        print(f"build: {sizes[0]:,} professionals in {builds[0]:.1f} s, "
              + ", ".join(f"grown to {n:,} in {s:.1f} s more"
                          for n, s in zip(sizes[1:], builds[1:], strict=True))
              + f" ({region.teams:,} teams, two rounds, {region.answers:,} answers, {region.pops:,} POPs)")
        print_table(measured, sizes)
        print()
        print_publishing(published, sizes)
        team_sizes = sorted(teams.teams)
        print()
        print(f"teamschouw: team leader {region.accounts[teamschouw.ACCOUNT]}, teams of "
              f"{' and '.join(map(str, team_sizes))} members, every member submitted, Kenniskaart of "
              f"{teams.items} items, region of {region.professionals:,} professionals")
        print_table([per_size[0], per_size[-1]], (team_sizes[0], team_sizes[-1]), unit=" members")
        print()
        failures = checks(measured, sizes, published, per_size, team_sizes)
        if args.statements:
            print_statements(measured[0], measured[-1])
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
