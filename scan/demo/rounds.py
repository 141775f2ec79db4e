"""Scan rounds for the demo region: per team two closed rounds (two past seasons) and one open round.

Dates are relative to `today`, so the demo never goes stale. Answers are drawn from a random generator
seeded per person, so every newcomer sees the same profiles, and each professional has a T-shape:
broad on the generic competencies and the algemeen items, deep in one to three leefgebieden.
Flush, never commit: the command line commits.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import selectinload

from scan.access import Role
from scan.assessment.models import Answer, Scan, ScanEvent, ScanRound, ScanStatus
from scan.auth.models import User
from scan.core.clock import AMSTERDAM
from scan.extensions import db
from scan.kenniskaart import queries as kenniskaart_queries
from scan.kenniskaart.models import (
    LEVEL_ALGEMEEN,
    SECTION_LEEFGEBIED,
    Item,
    Section,
)
from scan.kenniskaart.queries import current_version
from scan.organisation.models import Team

SEED = "lindewaard-rondes"

# Days relative to today: (opens, closes). The earliest round lies a year back, the earlier one half a year
# back, the open one opened two weeks ago and has a month to go. The two closed rounds open 185 days apart,
# more than a half year lasts, so they always fall in two different seasons (see `season`).
EARLIEST = (-385, -355)
EARLIER = (-200, -170)
CLOSED = (EARLIEST, EARLIER)
CURRENT = (-14, 30)

# Short notes a professional might write: evidence of learning, never anything about a client.
NOTES: dict[str, tuple[str, ...]] = {
    "GC": (
        "Intervisie over vraagverheldering twee keer per maand.",
        "Training motiverende gespreksvoering gevolgd in 2025.",
        "Wil meer oefenen met regie voeren bij meerdere hulpverleners.",
    ),
    "LG01": ("Training Vroegsignalering schulden gevolgd.", "Meegelopen met de schuldhulpverlening."),
    "LG02": ("Contactpersoon voor het werkgeversservicepunt.",),
    "LG03": ("Meegelopen met de woonconsulent van de corporatie.",),
    "LG05": ("E-learning Wmo-hulpmiddelen afgerond.",),
    "LG06": ("Cursus psychische kwetsbaarheid (GGZ-basis) gevolgd.", "Overleg met de POH-GGZ ingepland."),
    "LG07": ("Bijscholing middelengebruik via de verslavingszorg.",),
    "LG08": ("Training Signs of Safety gevolgd in 2024.",),
    "LG09": ("Cursus Meldcode gevolgd in 2025.", "Aandachtsfunctionaris huiselijk geweld sinds 2024."),
    "LG10": ("Werk samen met het steunpunt mantelzorg.",),
    "LG11": ("Casusoverleg in het Zorg- en Veiligheidshuis bijgewoond.",),
    "LG12": ("Training herkennen laaggeletterdheid gevolgd.", "E-learning LVB herkennen afgerond."),
}


@dataclass
class RoundsSummary:
    """What was loaded, counted per status, for the message on the command line."""

    rounds: int = 0
    closed: dict[ScanStatus, int] = field(default_factory=lambda: dict.fromkeys(ScanStatus, 0))
    open: dict[ScanStatus, int] = field(default_factory=lambda: dict.fromkeys(ScanStatus, 0))

    def counts(self) -> dict[str, int]:
        """The figures the command line prints."""
        return {
            "rounds": self.rounds,
            "submitted": self.open[ScanStatus.SUBMITTED],
            "drafts": self.open[ScanStatus.DRAFT],
            "not_started": self.open[ScanStatus.NOT_STARTED],
            "earlier_submitted": self.closed[ScanStatus.SUBMITTED],
        }


@dataclass(frozen=True)
class Profile:
    """The shape of one professional: where they are deep, where they want to go, how experienced."""

    specialisms: frozenset[str]  # leefgebied section codes
    interest: str | None  # a leefgebied outside the specialisms they want to grow into
    seniority: int  # 0 starter, 1 experienced, 2 senior


# (level, not applicable, ambition, note)
Entry = tuple[int | None, bool, int | None, str]


@dataclass(frozen=True)
class Season:
    """A half year, named as the demo names its rounds: "voorjaar 2026" (January–June), "najaar 2026"."""

    name: str
    first_day: date
    last_day: date


def season(opens_on: date) -> Season:
    if opens_on.month <= 6:
        return Season(f"voorjaar {opens_on.year}", date(opens_on.year, 1, 1), date(opens_on.year, 6, 30))
    return Season(f"najaar {opens_on.year}", date(opens_on.year, 7, 1), date(opens_on.year, 12, 31))


def round_title(opens_on: date) -> str:
    return f"Ontwikkelscan {season(opens_on).name}"


def draw_profile(rng: random.Random, leefgebieden: list[str]) -> Profile:
    count = rng.choices((1, 2, 3), weights=(35, 45, 20))[0]
    specialisms = rng.sample(leefgebieden, count)
    others = [code for code in leefgebieden if code not in specialisms]
    interest = rng.choice(others) if others and rng.random() < 0.5 else None
    return Profile(frozenset(specialisms), interest, rng.choices((0, 1, 2), weights=(25, 50, 25))[0])


def _ambition(rng: random.Random, level: int, chance: float) -> int:
    """Mostly stay; sometimes grow one level, now and then two."""
    if level >= 4 or rng.random() >= chance:
        return level
    return min(4, level + (2 if level <= 2 and rng.random() < 0.15 else 1))


def _note(rng: random.Random, section_code: str) -> str:
    if rng.random() >= 0.03:
        return ""
    return rng.choice(NOTES.get(section_code, NOTES["GC"]))


def draw_answers(rng: random.Random, profile: Profile, sections: list[Section]) -> dict[int, Entry]:
    """A complete scan: every required item scored, specialist items only where it makes sense."""
    entries: dict[int, Entry] = {}
    for section in sections:
        deep = section.code in profile.specialisms
        for item in _live(section.items):
            if section.kind != SECTION_LEEFGEBIED:
                # Generic competencies: mostly 2–3, a little higher with experience.
                weights = ((6, 45, 42, 7), (3, 35, 50, 12), (1, 25, 55, 19))[profile.seniority]
                level = rng.choices((1, 2, 3, 4), weights=weights)[0]
                chance = 0.2
            elif item.level_kind == LEVEL_ALGEMEEN:
                weights = (0, 10, 60, 30) if deep else (12, 50, 33, 5)
                level = rng.choices((1, 2, 3, 4), weights=weights)[0]
                chance = 0.5 if level == 1 else 0.15
            elif deep:
                level = rng.choices((3, 4), weights=(78, 22))[0]
                chance = 0.3
            elif section.code == profile.interest:
                level = rng.choice((1, 2))
                chance = 0.8
            elif item.not_applicable_allowed and rng.random() < 0.15:
                entries[item.id] = (None, True, None, "")
                continue
            elif rng.random() < 0.12:
                level = rng.choices((1, 2), weights=(60, 40))[0]
                chance = 0.05
            else:
                continue  # optional and not their field: left empty
            entries[item.id] = (level, False, _ambition(rng, level, chance), _note(rng, section.code))
    return entries


def grow(rng: random.Random, earlier: dict[int, Entry], sections: list[Section]) -> dict[int, Entry]:
    """Half a year later: about half of the ambitions were reached, a few other items moved up by doing."""
    codes = {item.id: section.code for section in sections for item in section.items}
    later: dict[int, Entry] = {}
    for item_id, (level, not_applicable, ambition, _note_text) in earlier.items():
        if level is None or ambition is None:
            later[item_id] = (level, not_applicable, ambition, "")
            continue
        if (ambition > level and rng.random() < 0.5) or (level < 4 and rng.random() < 0.03):
            level += 1
        if ambition <= level:
            ambition = _ambition(rng, level, 0.2)
        later[item_id] = (level, False, ambition, _note(rng, codes[item_id]))
    return later


def partial(
    rng: random.Random, entries: dict[int, Entry], sections: list[Section]
) -> tuple[dict[int, Entry], int]:
    """A draft: the first sections done, the next one half done. Returns the entries and the saves made."""
    done = rng.randint(1, max(1, len(sections) - 4))
    kept = [item.id for section in sections[:done] for item in _live(section.items)]
    if done < len(sections):
        half = _live(sections[done].items)
        kept += [item.id for item in half[: max(1, len(half) // 2)]]
    return {item_id: entries[item_id] for item_id in kept if item_id in entries}, done + 1


def _live(items: list[Item]) -> list[Item]:
    return [item for item in items if not item.retired]


def _at(day: date, rng: random.Random | None = None) -> datetime:
    """A moment during office hours on that day (nine o'clock without a generator), in UTC."""
    moment = time(rng.randint(8, 16), rng.randrange(0, 60, 5)) if rng else time(9)
    return datetime.combine(day, moment, AMSTERDAM).astimezone(UTC)


@dataclass
class _PlannedScan:
    scan: Scan
    entries: dict[int, Entry]


def _plan_closed_statuses(rng: random.Random, members: list[User]) -> dict[int, ScanStatus]:
    """Nearly everyone submitted: at most a straggler or two, who left a draft or never started."""
    statuses = dict.fromkeys((user.id for user in members), ScanStatus.SUBMITTED)
    stragglers = rng.sample(members, min(len(members) // 5, rng.choice((0, 1, 1, 2))))
    for n, user in enumerate(stragglers):
        statuses[user.id] = ScanStatus.DRAFT if n == 0 else ScanStatus.NOT_STARTED
    return statuses


def _plan_open_statuses(rng: random.Random, members: list[User]) -> dict[int, ScanStatus]:
    """About half submitted, a quarter drafts, the rest not started; at least one of each in a team."""
    order = members[:]
    rng.shuffle(order)
    n = len(order)
    submitted = max(1, int(n * 0.5 + 0.5))
    drafts = max(1, int(n * 0.25 + 0.5))
    if submitted + drafts >= n:
        submitted = max(1, n - drafts - 1)
    statuses = {}
    for i, user in enumerate(order):
        statuses[user.id] = (
            ScanStatus.SUBMITTED if i < submitted else ScanStatus.DRAFT if i < submitted + drafts
            else ScanStatus.NOT_STARTED
        )
    return statuses


def seed_demo_rounds(today: date) -> RoundsSummary:
    """Per team two closed rounds and one open round, with realistic scans. Needs the region and a
    Kenniskaart."""
    summary = RoundsSummary()
    version = current_version()
    if version is None:
        return summary
    sections = kenniskaart_queries.sections(version.id)
    leefgebieden = [s.code for s in sections if s.kind == SECTION_LEEFGEBIED]
    teams = db.session.scalars(select(Team).order_by(Team.code).options(selectinload(Team.leaders))).all()
    professionals = db.session.scalars(
        select(User)
        .where(User.role == Role.PROFESSIONAL.value, User.active.is_(True), User.team_id.is_not(None))
        .order_by(User.username)
    ).all()
    members: dict[int, list[User]] = {}
    for user in professionals:
        members.setdefault(user.team_id or 0, []).append(user)

    rounds: list[ScanRound] = []
    planned: list[_PlannedScan] = []
    for team in teams:
        leader = team.leaders[0].id if team.leaders else None
        *closed, current = (
            ScanRound(
                team=team,
                version=version,
                title=round_title(today + timedelta(days=opens)),
                opens_on=today + timedelta(days=opens),
                closes_on=today + timedelta(days=closes),
                created_by_id=leader,
                created_at=_at(today + timedelta(days=opens - 7)),
            )
            for opens, closes in (*CLOSED, CURRENT)
        )
        rounds += [*closed, current]
        team_rng = random.Random(f"{SEED}:{team.code}")
        team_members = members.get(team.id, [])
        statuses = [_plan_closed_statuses(team_rng, team_members) for _round in closed]
        statuses.append(_plan_open_statuses(team_rng, team_members))
        for user in team_members:
            # Seeded per person: adding an account elsewhere does not change anyone's profile.
            rng = random.Random(f"{SEED}:{user.username}")
            profile = draw_profile(rng, leefgebieden)
            entries = draw_answers(rng, profile, sections)
            for scan_round, status in zip((*closed, current), (s[user.id] for s in statuses), strict=True):
                tally = summary.open if scan_round is current else summary.closed
                tally[status] += 1
                if status is not ScanStatus.NOT_STARTED:
                    planned.append(_plan_scan(rng, scan_round, user, status, entries, sections, today))
                if status is ScanStatus.SUBMITTED and scan_round is not current:
                    entries = grow(rng, entries, sections)  # half a year later
    db.session.add_all(rounds)
    db.session.add_all([p.scan for p in planned])
    db.session.flush()

    # The answers and events are many small rows: one bulk insert each rather than an object per row.
    answer_rows = [
        {
            "scan_id": p.scan.id,
            "item_id": item_id,
            "level": level,
            "not_applicable": not_applicable,
            "ambition": ambition,
            "note": note,
            "updated_at": p.scan.updated_at,
        }
        for p in planned
        for item_id, (level, not_applicable, ambition, note) in p.entries.items()
    ]
    event_rows = [
        {"scan_id": p.scan.id, "kind": "submitted", "actor_id": p.scan.user_id, "reason": "",
         "at": p.scan.submitted_at}
        for p in planned
        if p.scan.status == ScanStatus.SUBMITTED.value
    ]
    if answer_rows:
        db.session.execute(insert(Answer), answer_rows)
    if event_rows:
        db.session.execute(insert(ScanEvent), event_rows)
    db.session.flush()
    summary.rounds = len(rounds)
    return summary


def _plan_scan(
    rng: random.Random,
    scan_round: ScanRound,
    user: User,
    status: ScanStatus,
    entries: dict[int, Entry],
    sections: list[Section],
    today: date,
) -> _PlannedScan:
    # Only days that have passed: nothing in the open round may lie in the future.
    last_day = min(scan_round.closes_on, today - timedelta(days=1))
    span = max(0, (last_day - scan_round.opens_on).days)
    start_day = scan_round.opens_on + timedelta(days=rng.randint(0, min(span, 20)))
    end_day = min(last_day, start_day + timedelta(days=rng.randint(0, 5)))
    started_at = _at(start_day, rng)
    finished_at = max(started_at + timedelta(minutes=20), _at(end_day, rng))
    if status is ScanStatus.SUBMITTED:
        saves = len(sections) + 1
    else:
        entries, saves = partial(rng, entries, sections)
    scan = Scan(
        round=scan_round,
        user_id=user.id,
        status=status.value,
        lock_version=1 + saves,
        started_at=started_at,
        updated_at=finished_at,
        submitted_at=finished_at if status is ScanStatus.SUBMITTED else None,
    )
    return _PlannedScan(scan, entries)

