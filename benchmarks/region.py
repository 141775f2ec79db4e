"""A large fictional region for the benchmark, and the pages measured in it.

The region grows in steps (first 1,000 professionals, then 10,000) so the same pages can be timed at
both sizes in one run. Rows go in with SQLAlchemy Core `insert()` executemany in chunks: building
10,000 professionals with two rounds of scans (well over a million answers) object by object through
the ORM would take longer than the whole measurement.

To measure another page (the regional overview), append a `Page` to `PAGES`; `BenchRegion` carries the
ids and accounts such a page needs (add a field when a page needs more). The teamschouw pages, which
depend on the size of a team rather than of the region, are in `benchmarks/teamschouw.py`.
"""

from __future__ import annotations

import os
import random
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, Table, delete, event, func, insert, select, text
from sqlalchemy.engine import Connection

from scan.access import Role
from scan.assessment.models import Answer, Scan, ScanEvent, ScanRound, ScanStatus
from scan.audit import actions
from scan.audit.models import AuditEvent
from scan.auth.models import User
from scan.demo.rounds import Entry, Profile, draw_answers, draw_profile, grow, partial
from scan.extensions import db
from scan.kenniskaart.models import LEVEL_SPECIALISTISCH, SECTION_LEEFGEBIED, Section
from scan.organisation.models import Municipality, Region, Team, team_leaders
from scan.pop.models import Pop, PopAction, PopGoal, PopStatus, PopVersion
from scan.regio import periods, publish
from scan.regio.exports.tables import VIEW_NAMES
from scan.regio.models import Period, Publication, PublicationFile, PublicationPart
from scan.teamschouw.models import (
    Agreement,
    AgreementKind,
    Calibration,
    ConsentStatus,
    TeamNorm,
    TeamPriority,
    TeamSession,
    session_attendee,
)

PASSWORD = "benchmark-wachtwoord-2026"
TEAM_SIZE = 20
TEAMS_PER_MUNICIPALITY = 10
CHUNK = 20_000
BATCH_TEAMS = 25
# Answer patterns are drawn once and shared: drawing 20,000 scans one by one would dominate the build.
PROFILES = 97
# Agreed levels per member in a teamschouw (one of them changed twice: the newest row counts).
CALIBRATIONS_PER_MEMBER = 3
# POPs: every POP_EVERY-th professional has a signed POP in the closed round of this many goals and
# actions per goal; the measured professional has a draft POP of MEASURED_POP in the open round.
POP_EVERY = 2
BENCH_REGION = ("BENCH", "Benchmarkregio")  # code, name
REGION_POP = (3, 2)
MEASURED_POP = (5, 3)
# Rounds per team, as days from today: (opens, closes). The period published after each step covers the
# closed rounds' opening day, ends before today and before the open rounds opened.
CLOSED_ROUND = (-200, -170)
OPEN_ROUND = (-14, 30)
PERIOD = ("Benchmark voorjaar", -365, -60)
# Publishing a region of up to this many professionals must take less than PUBLISH_MAX_SECONDS.
PUBLISH_LIMIT_AT = 10_000
PUBLISH_MAX_SECONDS = 60.0

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]*)"')
LOCK_RE = re.compile(r'name="lock_version"[^>]*value="([^"]*)"')


def _rows(table: Any) -> Table:
    return table.__table__ if hasattr(table, "__table__") else table


def counted_snapshot(submitted: bool, team_id: int, municipality_id: int) -> dict[str, Any]:
    """The scan's snapshot columns that the regional counting reads (scan.assessment.snapshot sets them at
    an ORM flush; rows inserted with Core need them set here): team, municipality and role at submission,
    None for a draft."""
    return {
        "counted_team_id": team_id if submitted else None,
        "counted_municipality_id": municipality_id if submitted else None,
        "counted_role": Role.PROFESSIONAL.value if submitted else None,
    }


@dataclass
class BenchRegion:
    """What the pages need to know about the region: accounts, ids and the measured section."""

    version_id: int
    section_code: str
    # (item code, n.v.t. allowed) of the measured section, in page order
    section_items: list[tuple[str, bool]]
    accounts: dict[str, str] = field(default_factory=dict)  # role value (or "teamschouw") -> username
    region_id: int = 0
    team_id: int = 0  # the measured professional's team
    open_round_id: int = 0  # that team's open round
    closed_round_id: int = 0  # and its closed round, where the professional has a submitted scan
    professionals: int = 0
    teams: int = 0
    answers: int = 0
    # The teamschouw pages look at one team of benchmarks/teamschouw.py (10 or 40 members).
    schouw_team_id: int = 0
    schouw_round_id: int = 0
    schouw_members: int = 0
    pop_id: int = 0  # the measured professional's POP in the open round
    pop_goal_id: int = 0  # its first goal
    pops: int = 0
    municipality_id: int = 0  # the measured team's municipality (the region's first)
    period_id: int = 0  # the period of the closed rounds, published after each step (publish_period)
    publication_id: int = 0  # its publication at the current size


class RegionBuilder:
    """Grows one region in steps. Ids are assigned here so related rows can go in without a round trip."""

    def __init__(self, engine: Engine, version_id: int, sections: list[Section], today: date,
                 section_code: str | None = None) -> None:
        self.engine = engine
        self.today = today
        self.now = datetime.now(UTC)
        self.sections = sections
        self.item_ids = [item.id for s in sections for item in s.items if not item.retired]
        measured = self._measured_section(sections, section_code)
        self.region = BenchRegion(
            version_id=version_id,
            section_code=measured.code,
            section_items=[(i.code, i.not_applicable_allowed) for i in measured.items if not i.retired],
        )
        self._profiles = self._draw_profiles()
        self._password_hash = ""
        self._next_id: dict[str, int] = {}
        # Catalogue entries the POP actions refer to (set by the caller once the catalogue is loaded).
        self.training_ids: list[int] = []
        self.last_goal_ids: list[int] = []  # of the POP _pop_rows made last

    @staticmethod
    def _measured_section(sections: list[Section], code: str | None) -> Section:
        if code:
            return next(s for s in sections if s.code == code)
        # The section with the most items: the heaviest page a professional fills in.
        return max(sections, key=lambda s: (len(s.items), -s.position))

    def _draw_profiles(self) -> list[tuple[dict[int, Entry], dict[int, Entry], dict[int, Entry]]]:
        """Per pattern: the closed round's answers, the open round's, and a draft of the open round."""
        rng = random.Random("benchmark")
        codes = [s.code for s in self.sections if s.kind == SECTION_LEEFGEBIED]
        patterns = []
        for _ in range(PROFILES):
            profile: Profile = draw_profile(rng, codes)
            before = self._complete(rng, draw_answers(rng, profile, self.sections))
            after = grow(rng, before, self.sections)
            draft, _saves = partial(rng, after, self.sections)
            patterns.append((before, after, draft))
        return patterns

    def _complete(self, rng: random.Random, entries: dict[int, Entry]) -> dict[int, Entry]:
        """Every item answered (the heaviest case): optional items left empty get a low level, staying."""
        for item_id in self.item_ids:
            if item_id not in entries:
                level = rng.choice((1, 2))
                entries[item_id] = (level, False, level, "")
        return entries

    def _ids(self, conn: Connection, model: Any, count: int) -> range:
        table = _rows(model)
        name = table.name
        if name not in self._next_id:
            self._next_id[name] = (conn.scalar(select(func.max(table.c.id))) or 0) + 1
        start = self._next_id[name]
        self._next_id[name] = start + count
        return range(start, start + count)

    def grow_to(self, professionals: int, password_hash: str) -> float:
        """Add teams of TEAM_SIZE until the region has this many professionals; returns seconds taken."""
        started = time.perf_counter()
        self._password_hash = password_hash
        region = self.region
        new_teams = max(0, (professionals - region.professionals + TEAM_SIZE - 1) // TEAM_SIZE)
        with self.engine.begin() as conn:
            if not region.region_id:  # else made by the caller, with its catalogue (benchmarks/run.py)
                (region.region_id,) = self._ids(conn, Region, 1)
                conn.execute(insert(_rows(Region)), [{
                    "id": region.region_id, "code": BENCH_REGION[0], "name": BENCH_REGION[1],
                    "created_at": self.now,
                }])
            if Role.REGIOCOORDINATOR.value not in region.accounts:
                coordinator = self._user_row(
                    conn, "bench.regio", Role.REGIOCOORDINATOR, region_id=region.region_id
                )
                administrator = self._user_row(conn, "bench.beheer", Role.BEHEERDER)
                conn.execute(insert(_rows(User)), [coordinator, administrator])
                region.accounts[Role.REGIOCOORDINATOR.value] = coordinator["username"]
                region.accounts[Role.BEHEERDER.value] = administrator["username"]
            self._add_teams(conn, new_teams)
            self._finish(conn)
        return time.perf_counter() - started

    def _user_row(self, conn: Connection, username: str, role: Role, **extra: Any) -> dict[str, Any]:
        (user_id,) = self._ids(conn, User, 1)
        row = {
            "id": user_id, "username": username, "full_name": username, "password_hash": self._password_hash,
            "role": role.value, "active": True, "must_change_password": False, "team_id": None,
            "region_id": None, "locale": None, "last_login_at": None, "created_at": self.now,
        }
        row.update(extra)
        return row

    @staticmethod
    def _audit_row(at: datetime, user: dict[str, Any], action: str, object_type: str,
                   object_id: int) -> dict[str, Any]:
        return {"at": at, "actor_id": user["id"], "actor_name": user["username"], "action": action,
                "object_type": object_type, "object_id": str(object_id), "detail": "",
                "address": "192.0.2.1"}

    def _add_teams(self, conn: Connection, count: int) -> None:
        # In batches, so a million answers never sit in memory at once.
        end = self.region.teams + count
        while self.region.teams < end:
            self._add_batch(conn, min(BATCH_TEAMS, end - self.region.teams))

    def _add_batch(self, conn: Connection, count: int) -> None:
        region = self.region
        first_team = region.teams
        # A batch may start halfway through a municipality: carry on with the last one made.
        municipality_id = self._next_id.get("municipality", 1) - 1
        municipalities: list[dict[str, Any]] = []
        teams: list[dict[str, Any]] = []
        leaders: list[dict[str, Any]] = []
        leads: list[dict[str, Any]] = []
        users: list[dict[str, Any]] = []
        rounds: list[dict[str, Any]] = []
        scans: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        answers: list[dict[str, Any]] = []
        audit: list[dict[str, Any]] = []
        schouw: dict[str, list[dict[str, Any]]] = {}
        pop_rows: dict[str, list[dict[str, Any]]] = {}
        for n in range(first_team, first_team + count):
            if n % TEAMS_PER_MUNICIPALITY == 0:
                (municipality_id,) = self._ids(conn, Municipality, 1)
                municipalities.append({
                    "id": municipality_id, "region_id": region.region_id,
                    "code": f"GM-B{municipality_id:04d}", "name": f"Gemeente {municipality_id}",
                    "created_at": self.now,
                })
            (team_id,) = self._ids(conn, Team, 1)
            teams.append({
                "id": team_id, "municipality_id": municipality_id, "code": f"BT{n:04d}",
                "name": f"Wijkteam {n + 1}", "archived_at": None, "created_at": self.now,
            })
            leader = self._user_row(conn, f"bench.tl{n:04d}", Role.TEAMLEIDER)
            leaders.append(leader)
            leads.append({"team_id": team_id, "user_id": leader["id"]})
            closed_id, open_id = self._ids(conn, ScanRound, 2)
            for round_id, (opens, closes), title in (
                (closed_id, CLOSED_ROUND, "Ontwikkelscan voorjaar"),
                (open_id, OPEN_ROUND, "Ontwikkelscan najaar"),
            ):
                rounds.append({
                    "id": round_id, "team_id": team_id, "version_id": region.version_id, "title": title,
                    "opens_on": self.today + timedelta(days=opens),
                    "closes_on": self.today + timedelta(days=closes),
                    "created_by_id": leader["id"], "created_at": self.now,
                })
            if n == 0:
                region.team_id, region.open_round_id, region.closed_round_id = team_id, open_id, closed_id
                region.municipality_id = municipality_id
                region.accounts[Role.TEAMLEIDER.value] = leader["username"]
            closed_scans: list[tuple[int, int, dict[int, Entry]]] = []  # (user, scan, answers)
            for m in range(TEAM_SIZE):
                user = self._user_row(conn, f"bench.p{n:04d}.{m:02d}", Role.PROFESSIONAL, team_id=team_id)
                users.append(user)
                if n == 0 and m == 0:
                    region.accounts[Role.PROFESSIONAL.value] = user["username"]
                before, after, draft = self._profiles[(n * TEAM_SIZE + m) % PROFILES]
                # Open round: half submitted, a third drafts, the rest not started; the measured
                # professional has a draft, so their section page can be saved.
                pick = (n * 7 + m * 3) % 10
                open_status = (
                    ScanStatus.DRAFT if n == 0 and m == 0
                    else ScanStatus.SUBMITTED if pick < 5
                    else ScanStatus.DRAFT if pick < 8
                    else None
                )
                for round_id, status, entries, day in (
                    (closed_id, ScanStatus.SUBMITTED, before, -190),
                    (open_id, open_status, after if open_status is ScanStatus.SUBMITTED else draft, -5),
                ):
                    if status is None:
                        continue
                    (scan_id,) = self._ids(conn, Scan, 1)
                    at = datetime.combine(self.today + timedelta(days=day), datetime.min.time(), UTC)
                    submitted = status is ScanStatus.SUBMITTED
                    scans.append({
                        "id": scan_id, "round_id": round_id, "user_id": user["id"], "status": status.value,
                        "lock_version": 3, "started_at": at, "updated_at": at,
                        "submitted_at": at if submitted else None,
                        **counted_snapshot(submitted, team_id, municipality_id),
                    })
                    if submitted:
                        events.append({"scan_id": scan_id, "kind": "submitted", "actor_id": user["id"],
                                       "reason": "", "at": at})
                    # The audit log a region builds up: a login before each scan, the submit itself.
                    audit.append(self._audit_row(at, user, actions.LOGIN, "user", user["id"]))
                    if submitted:
                        audit.append(self._audit_row(at, user, actions.SCAN_SUBMIT, "scan", scan_id))
                    answers.extend(
                        {"scan_id": scan_id, "item_id": item_id, "level": level, "not_applicable": na,
                         "ambition": ambition, "note": note, "updated_at": at}
                        for item_id, (level, na, ambition, note) in entries.items()
                    )
                    if round_id == closed_id:
                        closed_scans.append((user["id"], scan_id, entries))
                if n == 0 and m == 0:
                    region.pop_id = self._pop_rows(conn, pop_rows, open_id, user["id"], PopStatus.DRAFT,
                                                   *MEASURED_POP, seed=0)
                    region.pop_goal_id = self.last_goal_ids[0]
                elif m % POP_EVERY == 0:
                    self._pop_rows(conn, pop_rows, closed_id, user["id"], PopStatus.SIGNED, *REGION_POP,
                                   seed=n * TEAM_SIZE + m, leader_id=leader["id"])
            # Last spring's teamschouw, so the teamschouw tables hold the whole region's history too.
            (session_id,) = self._ids(conn, TeamSession, 1)
            held_on = self.today - timedelta(days=165)
            for name, rows in teamschouw_rows(
                random.Random(f"teamschouw-{n}"), self.sections, team_id=team_id, round_id=closed_id,
                leader_id=leader["id"], scans=closed_scans, session_id=session_id, held_on=held_on,
                now=self.now,
            ).items():
                schouw.setdefault(name, []).extend(rows)
        # Parents before children, for the foreign keys.
        for model, rows in ((Municipality, municipalities), (Team, teams), (User, leaders),
                            (team_leaders, leads), (User, users), (ScanRound, rounds), (Scan, scans),
                            (Answer, answers), (ScanEvent, events), (AuditEvent, audit)):
            _insert(conn, _rows(model), rows)
        insert_teamschouw_rows(conn, schouw)
        for model in (Pop, PopVersion, PopGoal, PopAction):
            _insert(conn, _rows(model), pop_rows.get(_rows(model).name, []))
        region.pops += len(pop_rows.get(_rows(Pop).name, []))
        region.teams += count
        region.professionals += count * TEAM_SIZE
        region.answers += len(answers)

    def _pop_rows(self, conn: Connection, rows: dict[str, list[dict[str, Any]]], round_id: int, user_id: int,
                  status: str, goals: int, actions: int, *, seed: int, leader_id: int | None = None) -> int:
        """One POP of one version with `goals` goals of `actions` actions each, as rows; returns its id."""
        (pop_id,) = self._ids(conn, Pop, 1)
        (version_id,) = self._ids(conn, PopVersion, 1)
        signed = self.now if status == PopStatus.SIGNED else None
        rows.setdefault(_rows(Pop).name, []).append(
            {"id": pop_id, "round_id": round_id, "user_id": user_id, "created_at": self.now})
        rows.setdefault(_rows(PopVersion).name, []).append({
            "id": version_id, "pop_id": pop_id, "number": 1, "status": status, "created_at": self.now,
            "proposed_at": signed, "leader_comment": "", "agreed_at": signed,
            "agreed_by_id": leader_id if signed else None, "professional_signed_at": signed,
            "leader_signed_at": signed, "leader_signed_by_id": leader_id if signed else None,
        })
        goal_ids = self._ids(conn, PopGoal, goals)
        self.last_goal_ids = goal_ids
        statuses = ("afgerond", "bezig", "gepland", "vervallen")
        for g, goal_id in enumerate(goal_ids):
            item_id = self.item_ids[(seed * 7 + g * 11) % len(self.item_ids)]
            rows.setdefault(_rows(PopGoal).name, []).append({
                "id": goal_id, "version_id": version_id, "position": g + 1, "item_id": item_id,
                "description": "Verder groeien op dit onderdeel.",
                "reason_kind": ("ambition", "team_priority", "own")[g % 3],
                "reason": "Ambitie hoger dan het huidige niveau.", "target_level": 3,
            })
            for a in range(actions):
                training_id = (self.training_ids[(seed + g * actions + a) % len(self.training_ids)]
                               if self.training_ids and a % 3 != 2 else None)
                status_ = statuses[(seed + g + a) % 4] if status == PopStatus.SIGNED else "gepland"
                rows.setdefault(_rows(PopAction).name, []).append({
                    "goal_id": goal_id, "type": "training" if training_id else "zelfstudie",
                    "description": "Cursus volgen en toepassen in het werk.", "training_id": training_id,
                    "colleague_id": None, "planned_from": self.today + timedelta(days=30 * a),
                    "planned_until": self.today + timedelta(days=30 * a + 45), "hours": 4 + a, "points": 4,
                    "status": status_,
                    "reflection": "Geleerd om door te vragen." if status_ == "afgerond" else "",
                    "status_changed_at": None,
                })
        return pop_id

    def _finish(self, conn: Connection) -> None:
        if conn.dialect.name == "postgresql":
            # Ids were given explicitly; move the sequences past them for the rows the app will add.
            for name in self._next_id:
                conn.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM {name}))"
                ))
        # Fresh planner statistics, as autovacuum would have after a load of this size.
        conn.execute(text("ANALYZE"))


def teamschouw_rows(rng: random.Random, sections: list[Section], *, team_id: int, round_id: int,
                    leader_id: int, scans: list[tuple[int, int, dict[int, Entry]]], session_id: int,
                    held_on: date, now: datetime) -> dict[str, list[dict[str, Any]]]:
    """A teamschouw of one round, as rows per table: agreed levels for every member, three team norms,
    five priorities, a vraagbaak per leefgebied (a third still waiting for consent), growth for every
    fourth member, three other agreements, and the session attended by every member.

    `scans` holds (user id, scan id, answers) of the members' submitted scans in the round.
    """
    leefgebieden = [s for s in sections if s.kind == SECTION_LEEFGEBIED]
    items = [i for s in sections for i in s.items if not i.retired]
    specialist_items = [i for s in leefgebieden for i in s.items
                        if i.level_kind == LEVEL_SPECIALISTISCH and not i.retired]
    rows: dict[str, list[dict[str, Any]]] = {}

    def add(model: Any, row: dict[str, Any]) -> None:
        rows.setdefault(_rows(model).name, []).append(row)

    def agreement(kind: str, member_id: int | None, section_id: int | None, text: str = "",
                  consent: str | None = None) -> dict[str, Any]:
        return {"round_id": round_id, "kind": kind, "member_id": member_id, "item_id": None,
                "section_id": section_id, "text": text, "consent": consent,
                "consent_at": now if consent == ConsentStatus.ACCEPTED else None,
                "created_by_id": leader_id, "created_at": now}

    for _user_id, scan_id, entries in scans:
        for n, item in enumerate(rng.sample(items, CALIBRATIONS_PER_MEMBER)):
            level = entries.get(item.id, (2, False, None, ""))[0] or 2
            for change in range(2 if n == 0 else 1):
                add(Calibration, {"scan_id": scan_id, "item_id": item.id,
                                  "agreed_level": max(1, min(4, level - 1 + change)),
                                  "note": "Besproken in de teamschouw" if change else "",
                                  "set_by_id": leader_id, "set_at": now})
    for section in leefgebieden[:3]:
        add(TeamNorm, {"team_id": team_id, "section_code": section.code, "min_specialists": 3,
                       "set_by_id": leader_id, "set_at": now})
    chosen: list[tuple[int | None, int | None]] = [(i.id, None) for i in rng.sample(specialist_items, 3)]
    chosen += [(None, s.id) for s in rng.sample(leefgebieden, 2)]
    for position, (item_id, section_id) in enumerate(chosen, start=1):
        add(TeamPriority, {"round_id": round_id, "item_id": item_id, "section_id": section_id,
                           "reason": "Rust op één of twee collega's; de vraag in de wijk groeit.",
                           "position": position, "source": "suggested" if position % 2 else "own",
                           "created_by_id": leader_id, "created_at": now})
    members = [user_id for user_id, _scan_id, _entries in scans]
    if members:
        for n, section in enumerate(leefgebieden):
            consent = ConsentStatus.PENDING if n % 3 == 2 else ConsentStatus.ACCEPTED
            add(Agreement, agreement(AgreementKind.VRAAGBAAK, members[n % len(members)], section.id,
                                     consent=consent))
        for user_id in members[::4]:
            add(Agreement, agreement(AgreementKind.GROW, user_id, rng.choice(leefgebieden).id,
                                     "Volgt de cursus dit jaar."))
    for text_ in ("Maandelijkse intervisie", "Casusoverleg op dinsdag", "Inwerkmaatje per starter"):
        add(Agreement, agreement(AgreementKind.OTHER, None, None, text_))
    add(TeamSession, {"id": session_id, "round_id": round_id, "held_on": held_on,
                      "notes": "Goed gesprek over de dekking.\nWonen en schulden zijn dun bezet.",
                      "decisions": "Twee collega's groeien naar schulden.", "updated_by_id": leader_id,
                      "updated_at": now})
    for user_id in members:
        add(session_attendee, {"session_id": session_id, "user_id": user_id})
    return rows


def insert_teamschouw_rows(conn: Connection, rows: dict[str, list[dict[str, Any]]]) -> None:
    """After the teams, accounts, rounds and scans they refer to."""
    for model in (Calibration, TeamNorm, TeamPriority, Agreement, TeamSession, session_attendee):
        _insert(conn, _rows(model), rows.get(_rows(model).name, []))


def _insert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK):
        conn.execute(insert(table), rows[start:start + CHUNK])


# --- publishing -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Published:
    """One publish() of the benchmark's period: the wall clock around it, and what it stored."""

    professionals: int  # counted in the publication
    seconds: float  # publish() and the commit: count, suppress, audit, store
    cpu_seconds: float  # this process's CPU time for the same (the counting runs in the database)
    count_seconds: float  # Publication.count_seconds: the counting statements
    audit_seconds: float  # Publication.audit_seconds: suppression and audit (HiGHS)
    positions: int
    hidden: int
    primary: int
    sensitive: int
    rounds: int
    lp_solves: int
    mip_solves: int
    groups: int
    payload_kb: float  # what every regional page reads and parses
    truth_kb: float
    replaced: bool  # an earlier size's publication was deleted first


def publish_period(region: BenchRegion, today: date) -> Published:
    """Publish the period of the closed rounds, as the daily job does (`flask regio publish-due`), in the app
    context. The period is added the first time; after a later step the earlier size's publication is
    deleted first, so each size is published as the first publication of its period: a correction instead
    would be audited together with the earlier (smaller) publication, which is not the work a region of this
    size does, and it would leave two publications for the pages to choose from."""
    _name, first, last = PERIOD
    replaced = False
    if not region.period_id:
        period = periods.add(region.region_id, PERIOD[0], today + timedelta(days=first),
                             today + timedelta(days=last))
        db.session.commit()
        region.period_id = period.id
    else:
        # Its parts and kept files first: SQLite does not enforce ON DELETE CASCADE here, and it may give the
        # next publication the same id.
        earlier = select(Publication.id).where(Publication.period_id == region.period_id).scalar_subquery()
        for model in (PublicationPart, PublicationFile):
            db.session.execute(delete(model).where(model.publication_id.in_(earlier)))
        replaced = bool(db.session.execute(
            delete(Publication).where(Publication.period_id == region.period_id)).rowcount)
        db.session.commit()
    period = db.session.get(Period, region.period_id)
    assert period is not None
    started, cpu_started = time.perf_counter(), time.process_time()
    publication = publish.publish(period, None, today)
    db.session.commit()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    region.publication_id = publication.id
    result = Published(
        publication.professionals, seconds, cpu, publication.count_seconds, publication.audit_seconds,
        publication.positions, publication.hidden, publication.primary, publication.sensitive,
        publication.rounds, publication.lp_solves, publication.mip_solves, publication.groups,
        len(publication.payload.encode()) / 1024, len(publication.truth.encode()) / 1024, replaced,
    )
    db.session.remove()
    return result


# --- pages ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """One page to time. A page with `form` is a POST: its form is first fetched (not timed) from `url`."""

    name: str
    account: str  # a key of BenchRegion.accounts (a Role value, or "teamschouw"): who logs in
    url: Callable[[BenchRegion], str]
    form: Callable[[BenchRegion, str, int], dict[str, str]] | None = None
    expect: int = 200
    # A regional page or export: it reads the stored publication, so it must never read the tables the
    # counting reads (COUNTING_TABLES) and must stay within PUBLISHED_MAX_RATIO of its time at the small size.
    published: bool = False
    # A regional export: its first request after publishing writes the file (scan.regio.exports.files),
    # later ones
    # read it back. The run reports that first request's time as a note.
    kept: bool = False


def _scrape(pattern: re.Pattern[str], html: str, what: str) -> str:
    match = pattern.search(html)
    if not match:
        raise RuntimeError(f"no {what} on the page")
    return match.group(1)


def section_form(region: BenchRegion, html: str, iteration: int) -> dict[str, str]:
    """A whole section filled in; it alternates so every save really changes the stored answers."""
    data = {
        "csrf_token": _scrape(CSRF_RE, html, "csrf_token"),
        "lock_version": _scrape(LOCK_RE, html, "lock_version"),
        "action": "save",
    }
    level = 2 + iteration % 2
    for code, _na in region.section_items:
        data[f"level-{code}"] = str(level)
        data[f"ambition-{code}"] = "stay" if iteration % 3 else str(level + 1)
        data[f"note-{code}"] = f"Intervisie gevolgd ({iteration})" if iteration % 4 == 0 else ""
    return data


def _section_url(region: BenchRegion) -> str:
    return f"/scan/{region.open_round_id}/{region.section_code}"


REGIO = Role.REGIOCOORDINATOR.value


def _regio(path: str, **filters: str) -> Callable[[BenchRegion], str]:
    """A regional URL. With filters, as the filter form sends them: the publication chosen explicitly (the
    current size's), `municipality` "first" for the measured team's municipality, and the level."""
    if not filters:
        return lambda region: f"/regio/{path}"

    def url(region: BenchRegion) -> str:
        municipality = filters.get("municipality", "")
        args = {"publication": str(region.publication_id),
                "municipality": str(region.municipality_id) if municipality == "first" else municipality,
                "level": filters.get("level", "")}
        return f"/regio/{path}?" + "&".join(f"{k}={v}" for k, v in args.items())
    return url


# The regional coordinator's pages and exports, as opened from the menu: the region's newest publication
# (publish_period stores one per size), every municipality, every level; plus the need per leefgebied for
# one municipality (its team rows) and the need per item for one level.
REGIONAL_PAGES: list[Page] = [
    Page("region: need per leefgebied", REGIO, _regio("behoefte"), published=True),
    Page("region: need per leefgebied, one municipality", REGIO, _regio("behoefte", municipality="first"),
         published=True),
    Page("region: need per item", REGIO, _regio("behoefte/items"), published=True),
    Page("region: need per item, specialistisch", REGIO,
         _regio("behoefte/items", level=LEVEL_SPECIALISTISCH), published=True),
    Page("region: scholingsplan", REGIO, _regio("scholingsplan"), published=True),
    Page("region: trends", REGIO, _regio("trends"), published=True),
    Page("region: publications", REGIO, _regio("publicaties"), published=True),
    Page("region: export XLSX", REGIO, _regio("scholingsplan.xlsx"), published=True, kept=True),
    *(Page(f"region: export CSV {view}", REGIO, _regio(f"export/{view}.csv"), published=True, kept=True)
      for view in VIEW_NAMES),
    Page("region: export PDF", REGIO, _regio("scholingsplan.pdf"), published=True, kept=True),
]

PRO = Role.PROFESSIONAL.value
LEADER = Role.TEAMLEIDER.value
ADMIN = Role.BEHEERDER.value


def _team(region: BenchRegion, rest: str = "") -> str:
    return f"/teams/{region.team_id}{rest}"


PAGES: list[Page] = [
    # Every role's start page and the professional's own pages.
    Page("professional: start page (/mijn)", PRO, lambda region: "/mijn"),
    Page("professional: Mijn scan (/scan)", PRO, lambda region: "/scan"),
    Page("professional: Mijn resultaat", PRO, lambda region: f"/mijn/resultaat/{region.closed_round_id}"),
    Page("professional: my team (/mijn/team)", PRO, lambda region: "/mijn/team"),
    Page("professional: Mijn gegevens", PRO, lambda region: "/mijn/gegevens"),
    Page("professional: Mijn gegevens (JSON export)", PRO, lambda region: "/mijn/gegevens.json"),
    Page("scan section (GET)", Role.PROFESSIONAL.value, _section_url),
    Page("scan section save (POST)", Role.PROFESSIONAL.value, _section_url, form=section_form, expect=302),
    # The measured professional's POP: 5 goals of 3 actions each (MEASURED_POP), in the open round.
    Page("POP detail", Role.PROFESSIONAL.value, lambda region: f"/pop/{region.pop_id}"),
    Page("my POP (/mijn/pop)", Role.PROFESSIONAL.value, lambda region: "/mijn/pop"),
    Page("POP (PDF)", Role.PROFESSIONAL.value, lambda region: f"/pop/{region.pop_id}/pop.pdf"),
    # The action picker: catalogue entries for the goal's item and the team's vraagbaak colleagues.
    Page("POP: new action (picker)", Role.PROFESSIONAL.value,
         lambda region: f"/pop/{region.pop_id}/doelen/{region.pop_goal_id}/acties/nieuw"),
    # The regional coordinator's pages and exports: every one reads the stored publication (published=True).
    *REGIONAL_PAGES,
    Page("regional coordinator: start page (/regio/)", REGIO, lambda region: "/regio/"),
    # The team leader of the measured professional's team (20 members), in its open round.
    Page("team leader: start page (/teams/)", LEADER, lambda region: "/teams/"),
    Page("team leader: team page", LEADER, lambda region: _team(region)),
    Page("team leader: round status", LEADER,
         lambda region: _team(region, f"/rondes/{region.open_round_id}")),
    Page("team leader: POPs of the team", LEADER, lambda region: _team(region, "/pops")),
    Page("team leader: teamschouw overview", LEADER,
         lambda region: _team(region, f"/rondes/{region.open_round_id}/teamschouw/")),
    # The administrator: lists that are paged or grow with the organisation, and the audit log.
    Page("administrator: start page (/beheer/)", ADMIN, lambda region: "/beheer/"),
    Page("administrator: accounts", ADMIN, lambda region: "/beheer/accounts"),
    Page("administrator: accounts, search", ADMIN, lambda region: "/beheer/accounts?q=bench.p0003"),
    Page("administrator: organisation", ADMIN, lambda region: "/beheer/organisatie"),
    Page("administrator: organisation, search", ADMIN, lambda region: "/beheer/organisatie?q=BT001"),
    Page("administrator: organisation, municipalities", ADMIN,
         lambda region: "/beheer/organisatie?kind=municipality&status="),
    Page("administrator: accounts, one team", ADMIN, lambda region: "/beheer/accounts?team=BT0001"),
    Page("administrator: Kenniskaart", ADMIN, lambda region: "/beheer/kenniskaart"),
    Page("administrator: audit log", ADMIN, lambda region: "/beheer/logboek/"),
    Page("administrator: audit log, one person", ADMIN, lambda region: "/beheer/logboek/?person=bench.p0000"),
    Page("training catalogue", ADMIN, lambda region: "/catalogus/"),
    Page("training catalogue (XLSX export)", ADMIN, lambda region: "/catalogus/export.xlsx"),
]

# The limits for the regional pages: each within 1.5 times its time at the small size (the ratio of
# the medians of one run), and none reads a table the counting reads.
PUBLISHED_MAX_RATIO = 1.5
COUNTING_TABLES = (_rows(Answer).name, _rows(PopGoal).name, _rows(Scan).name)
# A statement that names one of them (scan_round or scan_id are other names: \b does not stop at "_").
COUNTING_RE = re.compile(r"\b(" + "|".join(COUNTING_TABLES) + r")\b", re.IGNORECASE)


# --- measuring --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Measurement:
    page: str
    median_ms: float  # wall clock, what a user waits (minus the network)
    cpu_ms: float  # this process's CPU time: hardly disturbed by other work on the machine
    sql_ms: float  # time spent in the database driver per request (commit not included)
    queries: int  # the median; the spread is reported separately
    queries_min: int
    queries_max: int
    response_kb: float = 0.0  # the body of the last timed response
    # The statements of the last timed request with their time in ms, for --statements.
    statements: tuple[tuple[str, float], ...] = ()
    # For a page with `published`: every distinct statement of any of its requests (warm-up included) that
    # reads a table of COUNTING_TABLES. Must be empty.
    counting: tuple[str, ...] = ()
    published: bool = False
    # The page's first request (the first warm-up): for a `kept` export, the one that writes the file.
    first_ms: float = 0.0
    kept: bool = False


class QueryCounter:
    """Counts the SQL statements sent to the database (savepoints excluded, as in the tests), and keeps
    each statement's time so the slow one can be found when a ratio grows."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.statements: list[tuple[str, float]] = []
        self._started = 0.0

    @property
    def count(self) -> int:
        return len(self.statements)

    def reset(self) -> None:
        self.statements = []

    def _before(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        self._started = time.perf_counter()

    def _after(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE")):
            self.statements.append((statement, (time.perf_counter() - self._started) * 1000))

    def __enter__(self) -> QueryCounter:
        event.listen(self.engine, "before_cursor_execute", self._before)
        event.listen(self.engine, "after_cursor_execute", self._after)
        return self

    def __exit__(self, *exc: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._before)
        event.remove(self.engine, "after_cursor_execute", self._after)


def log_in(client: Any, username: str) -> None:
    page = client.get("/inloggen").get_data(as_text=True)
    response = client.post(
        "/inloggen",
        data={"csrf_token": _scrape(CSRF_RE, page, "csrf_token"), "username": username, "password": PASSWORD},
    )
    if response.status_code != 302:
        raise RuntimeError(f"logging in as {username} failed ({response.status_code})")


# BENCH_PROFILE="need per item": profile ten more requests of each page whose name contains it (stderr).
PROFILE = os.environ.get("BENCH_PROFILE", "")


def _profile(client: Any, url: str) -> None:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(10):
        client.get(url)
    profiler.disable()
    pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(25)


def measure(app: Any, engine: Engine, region: BenchRegion, pages: list[Page], warmup: int,
            repeat: int) -> Iterator[Measurement]:
    """Time each page with the test client, logged in afresh as the page's account for each page.

    A fresh login per page: the app stores a session's last-seen time at most once a minute
    (scan.auth.sessions), and only a request that commits stores it. After a minute of slow pages (the
    exports at 40,000), every request of a page that does not commit would run that UPDATE again, one
    statement more that has nothing to do with the page or the size of the region."""
    with QueryCounter(engine) as counter:
        for page in pages:
            client = app.test_client()
            log_in(client, region.accounts[page.account])
            url = page.url(region)
            times: list[float] = []
            counts: list[int] = []
            sql: list[float] = []
            cpu_times: list[float] = []
            counting: dict[str, None] = {}
            first_ms = 0.0
            page_started = time.perf_counter()
            for i in range(warmup + repeat):
                data = page.form(region, client.get(url).get_data(as_text=True), i) if page.form else None
                counter.reset()
                started, cpu_started = time.perf_counter(), time.process_time()
                response = client.post(url, data=data) if data is not None else client.get(url)
                elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
                if response.status_code != page.expect:
                    raise RuntimeError(
                        f"{page.name}: {url} answered {response.status_code}, expected {page.expect}"
                    )
                if page.published:
                    counting.update((" ".join(statement.split()), None)
                                    for statement, _ms in counter.statements if COUNTING_RE.search(statement))
                if i == 0:
                    first_ms = elapsed * 1000
                if i >= warmup:
                    times.append(elapsed * 1000)
                    cpu_times.append(cpu * 1000)
                    counts.append(counter.count)
                    sql.append(sum(ms for _statement, ms in counter.statements))
            # Progress on stderr: a page that takes minutes at the large size shows itself at once.
            print(f"    {page.name}: {time.perf_counter() - page_started:.1f} s", file=sys.stderr, flush=True)
            if PROFILE and PROFILE in page.name:
                _profile(client, url)
            yield Measurement(page.name, statistics.median(times), statistics.median(cpu_times),
                              statistics.median(sql),
                              int(statistics.median(counts)),
                              min(counts), max(counts), len(response.get_data()) / 1024,
                              tuple(counter.statements), tuple(counting), page.published, first_ms,
                              page.kept)

