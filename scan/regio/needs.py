"""Training need in a region, counted in SQL: per Kenniskaart item (and per leefgebied) and per team.

Two numbers per cell, both counts of distinct professionals:
- `with_goal`: professionals with a POP goal on the item in their POP of a selected round. The POP's
  latest version counts, in any status (draft, proposed, returned, agreed, signed), because the region plans
  ahead of signatures; a draft version without goals is skipped (the version before it counts), so starting
  a new version does not wipe a person's need from the overview.
- `gap_no_goal`: professionals with a submitted scan in a selected round whose ambition on the item is above
  their effective level (the latest agreed level from the teamschouw where one stands, else the self-assessed
  level; "not applicable" answers never count) and who have no goal on that item code in any selected round.

Items are matched by code, so rounds on different Kenniskaart versions add up. A person is attributed to
the team of the round (not their current team). Every number is a COUNT(DISTINCT user) in a GROUP BY;
`region_needs` runs five queries however many municipalities, teams and people there are.
Nothing here is fit to show as is: pass the numbers through scan.regio.suppression first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, exists, func, literal, or_, select, union
from sqlalchemy.orm import aliased

from scan.access import Role
from scan.assessment.models import Answer, Scan, ScanRound, ScanStatus
from scan.auth.models import User
from scan.core.clock import today as clock_today
from scan.extensions import db
from scan.kenniskaart.models import Item, Section
from scan.organisation.models import Municipality, Team
from scan.pop.models import Pop, PopGoal, PopStatus, PopVersion
from scan.regio.suppression import DEFAULT_K, OTHER, merge_small_groups
from scan.teamschouw.models import Calibration


@dataclass(frozen=True)
class TeamInfo:
    """A team with at least one selected round, and how many professionals its numbers rest on
    (distinct people with a submitted scan or a counted POP in the selected rounds)."""

    municipality_id: int
    municipality_code: str
    municipality_name: str
    team_id: int | None
    team_code: str
    professionals: int


@dataclass(frozen=True)
class ItemNeed:
    """Need for one item code in one team. `team_id` is None for a merged "other teams" row
    (see `merge_small_teams`), and for municipality roll-ups."""

    municipality_id: int
    municipality_code: str
    municipality_name: str
    team_id: int | None
    team_code: str
    item_code: str
    section_code: str
    level_kind: str
    with_goal: int
    gap_no_goal: int


@dataclass(frozen=True)
class SectionNeed:
    """Need for one leefgebied (section code) in one team: distinct people with a goal on any of its items,
    and distinct people with a gap without a goal on any of its items (one person may be in both)."""

    municipality_id: int
    municipality_code: str
    municipality_name: str
    team_id: int | None
    team_code: str
    section_code: str
    with_goal: int
    gap_no_goal: int


@dataclass(frozen=True)
class Needs:
    teams: tuple[TeamInfo, ...]
    items: tuple[ItemNeed, ...]
    sections: tuple[SectionNeed, ...]


def selected_rounds(
    region_id: int, period: tuple[date, date] | None = None, *, on: date | None = None
) -> Select[Any]:
    """(round id, team id) of the rounds to count, as a select to embed.

    Without a period: per team of the region that is not archived, its latest round that has opened by `on`
    (default today), by opening date and then id. With a period (first, last day, inclusive): every round of
    a team of the region (archived or not) whose opening date falls in it.
    """
    in_region = select(Team.id).join(Municipality, Municipality.id == Team.municipality_id).where(
        Municipality.region_id == region_id
    )
    if period is not None:
        first, last = period
        return select(ScanRound.id.label("round_id"), ScanRound.team_id.label("team_id")).where(
            ScanRound.team_id.in_(in_region), ScanRound.opens_on >= first, ScanRound.opens_on <= last
        )
    day = on or clock_today()
    later = aliased(ScanRound)
    newer_exists = exists().where(
        later.team_id == ScanRound.team_id,
        later.opens_on <= day,
        or_(
            later.opens_on > ScanRound.opens_on,
            and_(later.opens_on == ScanRound.opens_on, later.id > ScanRound.id),
        ),
    )
    return select(ScanRound.id.label("round_id"), ScanRound.team_id.label("team_id")).where(
        ScanRound.team_id.in_(in_region.where(Team.archived_at.is_(None))),
        ScanRound.opens_on <= day,
        ~newer_exists,
    )


def _counted_versions(rounds: Any) -> Any:
    """(pop id, user id, round id, team id, version id) of the POP version that counts, per POP."""
    has_goal = exists().where(PopGoal.version_id == PopVersion.id)
    newest = (
        select(PopVersion.pop_id, func.max(PopVersion.number).label("number"))
        .join(Pop, Pop.id == PopVersion.pop_id)
        .where(
            Pop.round_id.in_(select(rounds.c.round_id)),
            or_(PopVersion.status != PopStatus.DRAFT, has_goal),
        )
        .group_by(PopVersion.pop_id)
        .subquery()
    )
    return (
        select(
            Pop.user_id.label("user_id"),
            rounds.c.team_id.label("team_id"),
            PopVersion.id.label("version_id"),
        )
        .join(rounds, rounds.c.round_id == Pop.round_id)
        .join(newest, newest.c.pop_id == Pop.id)
        .join(PopVersion, and_(PopVersion.pop_id == Pop.id, PopVersion.number == newest.c.number))
        .join(User, User.id == Pop.user_id)
        .where(User.role == Role.PROFESSIONAL.value)
        .subquery()
    )


def _goals(rounds: Any, level_kind: str | None) -> Any:
    """(user id, team id, item code, section code, level kind) of every counted goal."""
    versions = _counted_versions(rounds)
    stmt = (
        select(
            versions.c.user_id,
            versions.c.team_id,
            Item.code.label("item_code"),
            Section.code.label("section_code"),
            Item.level_kind.label("level_kind"),
        )
        .join(PopGoal, PopGoal.version_id == versions.c.version_id)
        .join(Item, Item.id == PopGoal.item_id)
        .join(Section, Section.id == Item.section_id)
    )
    if level_kind is not None:
        stmt = stmt.where(Item.level_kind == level_kind)
    return stmt.subquery()


def _gaps(rounds: Any, goals: Any, level_kind: str | None) -> Any:
    """(user id, team id, item code, section code, level kind) of every gap without a goal on its code."""
    submitted = select(Scan.id).where(
        Scan.round_id.in_(select(rounds.c.round_id)), Scan.status == ScanStatus.SUBMITTED.value
    )
    latest = (
        select(Calibration.scan_id, Calibration.item_id, func.max(Calibration.id).label("id"))
        .where(Calibration.scan_id.in_(submitted))
        .group_by(Calibration.scan_id, Calibration.item_id)
        .subquery()
    )
    agreed = aliased(Calibration)
    effective = func.coalesce(agreed.agreed_level, Answer.level)
    has_goal = exists().where(goals.c.user_id == Scan.user_id, goals.c.item_code == Item.code)
    stmt = (
        select(
            Scan.user_id.label("user_id"),
            rounds.c.team_id.label("team_id"),
            Item.code.label("item_code"),
            Section.code.label("section_code"),
            Item.level_kind.label("level_kind"),
        )
        .select_from(Answer)
        .join(Scan, Scan.id == Answer.scan_id)
        .join(rounds, rounds.c.round_id == Scan.round_id)
        .join(User, User.id == Scan.user_id)
        .join(Item, Item.id == Answer.item_id)
        .join(Section, Section.id == Item.section_id)
        .outerjoin(latest, and_(latest.c.scan_id == Answer.scan_id, latest.c.item_id == Answer.item_id))
        .outerjoin(agreed, agreed.id == latest.c.id)
        .where(
            Scan.status == ScanStatus.SUBMITTED.value,
            User.role == Role.PROFESSIONAL.value,
            Answer.not_applicable.is_(False),
            Answer.ambition.is_not(None),
            effective.is_not(None),
            Answer.ambition > effective,
            ~has_goal,
        )
    )
    if level_kind is not None:
        stmt = stmt.where(Item.level_kind == level_kind)
    return stmt.subquery()


def _count(source: Any, keys: Sequence[str]) -> dict[tuple[Any, ...], int]:
    columns = [source.c[key] for key in keys]
    rows = db.session.execute(
        select(*columns, func.count(func.distinct(source.c.user_id))).group_by(*columns)
    ).all()
    return {tuple(row[:-1]): row[-1] for row in rows}


def _teams(rounds: Any) -> list[TeamInfo]:
    versions = _counted_versions(rounds)
    people = union(
        select(Scan.user_id.label("user_id"), rounds.c.team_id.label("team_id"))
        .join(rounds, rounds.c.round_id == Scan.round_id)
        .join(User, User.id == Scan.user_id)
        .where(Scan.status == ScanStatus.SUBMITTED.value, User.role == Role.PROFESSIONAL.value),
        select(versions.c.user_id, versions.c.team_id),
    ).subquery()
    sizes = (
        select(people.c.team_id, func.count(func.distinct(people.c.user_id)).label("n"))
        .group_by(people.c.team_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            Municipality.id,
            Municipality.code,
            Municipality.name,
            Team.id,
            Team.code,
            func.coalesce(sizes.c.n, literal(0)),
        )
        .join(Municipality, Municipality.id == Team.municipality_id)
        .outerjoin(sizes, sizes.c.team_id == Team.id)
        .where(Team.id.in_(select(rounds.c.team_id)))
        .order_by(Municipality.name, Municipality.id, Team.code, Team.id)
    ).all()
    return [TeamInfo(*row) for row in rows]


def region_needs(
    region_id: int,
    period: tuple[date, date] | None = None,
    *,
    level_kind: str | None = None,
    on: date | None = None,
) -> Needs:
    """Counts per team × item and per team × leefgebied for a region, in five queries.

    `period` and `on` choose the rounds (see `selected_rounds`); `level_kind` (e.g. "algemeen") limits both
    counts to items of that kind, so the leefgebied counts are distinct people for that kind only.
    Rows with both counts zero are left out; `teams` lists every team with a selected round.
    """
    rounds = selected_rounds(region_id, period, on=on).subquery()
    goals = _goals(rounds, level_kind)
    gaps = _gaps(rounds, goals, level_kind)
    teams = _teams(rounds)
    info = {t.team_id: t for t in teams}

    item_keys = ("team_id", "item_code", "section_code", "level_kind")
    goal_items, gap_items = _count(goals, item_keys), _count(gaps, item_keys)
    section_keys = ("team_id", "section_code")
    goal_sections, gap_sections = _count(goals, section_keys), _count(gaps, section_keys)

    items = []
    for key in sorted(goal_items.keys() | gap_items.keys(), key=lambda x: (_order(info[x[0]]), x[1:])):
        t = info[key[0]]
        items.append(ItemNeed(t.municipality_id, t.municipality_code, t.municipality_name, t.team_id,
                              t.team_code, key[1], key[2], key[3], goal_items.get(key, 0),
                              gap_items.get(key, 0)))
    sections = []
    for key in sorted(goal_sections.keys() | gap_sections.keys(), key=lambda x: (_order(info[x[0]]), x[1])):
        t = info[key[0]]
        sections.append(SectionNeed(t.municipality_id, t.municipality_code, t.municipality_name, t.team_id,
                                    t.team_code, key[1], goal_sections.get(key, 0), gap_sections.get(key, 0)))
    return Needs(teams=tuple(teams), items=tuple(items), sections=tuple(sections))


def _order(team: TeamInfo) -> tuple[str, int, str, int]:
    return (team.municipality_name, team.municipality_id, team.team_code, team.team_id)


# Roll-ups: these add per-team counts (each already a count of distinct people within the team), never people.
# A person counted in two teams (a move between rounds of a period) is counted in both.

def _sum_rows(rows: Iterable[Any], key_fields: Sequence[str], blank: dict[str, Any]) -> list[Any]:
    totals: dict[tuple[Any, ...], Any] = {}
    for row in rows:
        key = tuple(getattr(row, f) for f in key_fields)
        if key in totals:
            prev = totals[key]
            totals[key] = replace(prev, with_goal=prev.with_goal + row.with_goal,
                                  gap_no_goal=prev.gap_no_goal + row.gap_no_goal)
        else:
            totals[key] = replace(row, **blank)
    return list(totals.values())


def _detail(row: ItemNeed | SectionNeed) -> list[str]:
    return ["item_code", "section_code", "level_kind"] if isinstance(row, ItemNeed) else ["section_code"]


def per_municipality(rows: Iterable[ItemNeed | SectionNeed]) -> list[Any]:
    """The same rows summed over the teams of each municipality (team_id None, team_code "")."""
    rows = list(rows)
    if not rows:
        return []
    fields = ["municipality_id", *_detail(rows[0])]
    return _sum_rows(rows, fields, {"team_id": None, "team_code": ""})


def per_leefgebied(items: Iterable[ItemNeed]) -> dict[str, tuple[int, int]]:
    """section code -> (sum of with_goal, sum of gap_no_goal) over items and teams.

    These are needs (person × item pairs), not people: one person with goals on two items counts twice.
    Use `Needs.sections` (distinct people) for anything that is suppressed or shown as a number of people.
    """
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in items:
        totals[row.section_code][0] += row.with_goal
        totals[row.section_code][1] += row.gap_no_goal
    return {code: (a, b) for code, (a, b) in sorted(totals.items())}


def merge_small_teams(
    rows: Iterable[ItemNeed | SectionNeed], teams: Iterable[TeamInfo], *, k: int = DEFAULT_K
) -> tuple[list[Any], list[TeamInfo]]:
    """Rows and team list in which no team with fewer than k professionals appears on its own.

    Small teams of a municipality are summed into one "other teams" row (team_id None, team_code
    "other"); see `suppression.merge_small_groups`. Teams of a municipality with fewer than k in all are
    left out. The returned team list has one entry per shown group, with its size.
    """
    teams = list(teams)
    mapping = merge_small_groups(
        {t.team_id: t.professionals for t in teams}, {t.team_id: t.municipality_id for t in teams}, k=k
    )
    groups: dict[Any, TeamInfo] = {}
    for t in teams:
        group = mapping[t.team_id]
        if group is None:
            continue
        if group == t.team_id:
            groups[group] = t
        else:
            prev = groups.get(group)
            groups[group] = TeamInfo(t.municipality_id, t.municipality_code, t.municipality_name, None,
                                     OTHER, t.professionals + (prev.professionals if prev else 0))
    # One pass: a team shown on its own already has one row per key and passes through untouched; only the
    # rows of merged teams are added up, into the place of the first of them (the order stays as given).
    out: list[Any] = []
    slot: dict[tuple[Any, ...], int] = {}
    for row in rows:
        group = mapping.get(row.team_id)
        if group is None:
            continue
        if group == row.team_id:
            out.append(row)
            continue
        key = (row.municipality_id, *(getattr(row, f) for f in _detail(row)))
        if key in slot:
            prev = out[slot[key]]
            out[slot[key]] = replace(prev, with_goal=prev.with_goal + row.with_goal,
                                     gap_no_goal=prev.gap_no_goal + row.gap_no_goal)
        else:
            slot[key] = len(out)
            out.append(replace(row, team_id=None, team_code=OTHER))
    return out, list(groups.values())
