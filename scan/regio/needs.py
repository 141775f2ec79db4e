"""A period's training need, counted in the database once, when the period is published.

Who is counted: every scan submitted in a round of the region's teams (archived teams included) that opened
in the period, by a professional, in the team and municipality it was submitted in (the scan's snapshot:
`counted_team_id`, `counted_municipality_id`, `counted_role`), whatever happened to the account since.
Draft scans and scans of other roles are not counted.

Two measures, both numbers of distinct people per team:
- goal: people with a goal on the item in the latest version of their POP of that round that was ever
  proposed (any status but draft); a POP whose versions were never proposed counts no goals;
- gap: people whose ambition on the item is above their effective level (the latest agreed level from the
  teamschouw where there is one, else the self-assessed level; "not applicable" never counts) and who have
  no counted goal on that item code in the period.
Items are matched by code, so rounds on different Kenniskaart versions add up.

One statement reads the answers once: the per-person facts (one row per person × item × measure) are a
common table expression, and the per-team counts per item, per leefgebied and level, and per leefgebied for
all levels are three GROUP BYs over it, in one UNION ALL. On PostgreSQL it runs under a statement timeout
(`REGIO_COUNT_TIMEOUT_S`), so a bad plan fails the publication instead of holding a worker.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, exists, func, literal, select, union_all
from sqlalchemy.orm import aliased

from scan.access import Role
from scan.assessment.models import Answer, Scan, ScanRound, ScanStatus
from scan.db import limit_statements
from scan.extensions import db
from scan.kenniskaart.models import Item, Section
from scan.organisation.models import Municipality, Team
from scan.pop.models import Pop, PopGoal, PopStatus, PopVersion
from scan.regio.disclosure.linked import ALL, GAP, GOAL, Counts, TeamCount
from scan.teamschouw.models import Calibration


def counted_scans(region_id: int, first: date, last: date) -> Select[Any]:
    """(scan id, round id, user id, team id) of every scan counted in the period."""
    return (
        select(
            Scan.id.label("scan_id"),
            Scan.round_id.label("round_id"),
            Scan.user_id.label("user_id"),
            Scan.counted_team_id.label("team_id"),
            Scan.counted_municipality_id.label("municipality_id"),
        )
        .join(ScanRound, ScanRound.id == Scan.round_id)
        .join(Municipality, Municipality.id == Scan.counted_municipality_id)
        .where(
            Municipality.region_id == region_id,
            ScanRound.opens_on >= first,
            ScanRound.opens_on <= last,
            Scan.status == ScanStatus.SUBMITTED.value,
            Scan.counted_role == Role.PROFESSIONAL.value,
        )
    )


def _fact(people: Any) -> Select[Any]:
    """The row of a fact: (user, team, item code, section code, level kind); `_on_item` joins the item."""
    return select(
        people.c.user_id,
        people.c.team_id,
        Item.code.label("item_code"),
        Section.code.label("section_code"),
        Item.level_kind.label("level_kind"),
    )


def _on_item(stmt: Select[Any], item_id: Any) -> Select[Any]:
    return stmt.join(Item, Item.id == item_id).join(Section, Section.id == Item.section_id)


def _goals(people: Any) -> Select[Any]:
    """(user, team, item code, section code, level kind) of every counted goal."""
    proposed = (
        select(PopVersion.pop_id, func.max(PopVersion.number).label("number"))
        .where(PopVersion.status != PopStatus.DRAFT)
        .group_by(PopVersion.pop_id)
        .subquery()
    )
    goals = (
        _fact(people)
        .select_from(people)
        .join(Pop, and_(Pop.round_id == people.c.round_id, Pop.user_id == people.c.user_id))
        .join(proposed, proposed.c.pop_id == Pop.id)
        .join(PopVersion, and_(PopVersion.pop_id == Pop.id, PopVersion.number == proposed.c.number))
        .join(PopGoal, PopGoal.version_id == PopVersion.id)
    )
    return _on_item(goals, PopGoal.item_id).distinct()


def _gaps(people: Any, goals: Any) -> Select[Any]:
    latest = (
        select(Calibration.scan_id, Calibration.item_id, func.max(Calibration.id).label("id"))
        .where(Calibration.scan_id.in_(select(people.c.scan_id)))
        .group_by(Calibration.scan_id, Calibration.item_id)
        .subquery()
    )
    agreed = aliased(Calibration)
    effective = func.coalesce(agreed.agreed_level, Answer.level)
    has_goal = exists().where(goals.c.user_id == people.c.user_id, goals.c.item_code == Item.code)
    answers = _fact(people).select_from(Answer).join(people, people.c.scan_id == Answer.scan_id)
    return (
        _on_item(answers, Answer.item_id)
        .outerjoin(latest, and_(latest.c.scan_id == Answer.scan_id, latest.c.item_id == Answer.item_id))
        .outerjoin(agreed, agreed.id == latest.c.id)
        .where(
            Answer.not_applicable.is_(False),
            Answer.ambition.is_not(None),
            effective.is_not(None),
            Answer.ambition > effective,
            ~has_goal,
        )
        .distinct()
    )


def period_counts(region_id: int, first: date, last: date, *, section_order: Sequence[str] = (),
                  section_levels: dict[str, tuple[str, ...]] | None = None,
                  item_order: Sequence[str] = ()) -> Counts:
    """Per team: people, and people with a goal / a gap per item, per leefgebied and level, per leefgebied.
    Two statements whatever the size of the region."""
    # Counting may take longer than the app's statements may (DATABASE_STATEMENT_TIMEOUT_S), but not for ever.
    limit_statements(_timeout())
    people = counted_scans(region_id, first, last).cte("people")
    goals = _goals(people).cte("goals")
    gaps = _gaps(people, goals).cte("gaps")
    facts = union_all(
        select(literal(GOAL).label("measure"), goals),
        select(literal(GAP).label("measure"), gaps),
    ).cte("facts")
    n = func.count(func.distinct(facts.c.user_id))
    stmt = union_all(
        select(facts.c.measure, facts.c.team_id, literal("i").label("kind"), facts.c.item_code,
               facts.c.section_code, facts.c.level_kind, n)
        .group_by(facts.c.measure, facts.c.team_id, facts.c.item_code, facts.c.section_code,
                  facts.c.level_kind),
        select(facts.c.measure, facts.c.team_id, literal("s"), literal(""), facts.c.section_code,
               facts.c.level_kind, n)
        .group_by(facts.c.measure, facts.c.team_id, facts.c.section_code, facts.c.level_kind),
        select(facts.c.measure, facts.c.team_id, literal("s"), literal(""), facts.c.section_code,
               literal(ALL), n)
        .group_by(facts.c.measure, facts.c.team_id, facts.c.section_code),
    )
    items: dict[tuple[str, int, str], int] = {}
    sections: dict[tuple[str, int, str, str], int] = {}
    meta: dict[str, tuple[str, str]] = {}
    levels: dict[str, set[str]] = {code: set(lv) for code, lv in (section_levels or {}).items()}
    for measure, team_id, kind, item_code, section_code, level_kind, count in db.session.execute(stmt):
        if kind == "i":
            items[(measure, team_id, item_code)] = count
            meta[item_code] = (section_code, level_kind)
            levels.setdefault(section_code, set()).add(level_kind)
        else:
            sections[(measure, team_id, section_code, level_kind)] = count

    # A team is shown in the municipality its scans were submitted in (the snapshot), not where the team
    # is today; should it have moved within the period, in the last of them.
    size = func.count(func.distinct(people.c.user_id))
    where = (
        select(people.c.team_id, func.max(people.c.municipality_id).label("municipality_id"), size.label("n"))
        .group_by(people.c.team_id)
        .subquery()
    )
    teams = db.session.execute(
        select(Team.id, Team.code, Municipality.id, Municipality.code, Municipality.name, where.c.n)
        .select_from(where)
        .join(Team, Team.id == where.c.team_id)
        .join(Municipality, Municipality.id == where.c.municipality_id)
        .order_by(Municipality.name, Municipality.id, Team.code, Team.id)
    ).all()
    ordered = tuple(sorted(levels[s], key=_LEVEL_ORDER.index) for s in levels)
    return Counts(
        teams=tuple(TeamCount(*row) for row in teams),
        items=items,
        sections=sections,
        item_meta=meta,
        section_levels={s: tuple(lv) for s, lv in zip(levels, ordered, strict=True)},
        section_order=tuple(section_order),
        item_order=tuple(item_order),
    )


_LEVEL_ORDER = ("generiek", "algemeen", "specialistisch")


def _timeout() -> float:
    from flask import current_app

    return float(current_app.config.get("REGIO_COUNT_TIMEOUT_S", 300))


def open_rounds_in_period(region_id: int, first: date, last: date, today: date) -> int:
    """Rounds of the region's teams that opened in the period and have not closed before `today`."""
    return db.session.scalar(
        select(func.count(ScanRound.id))
        .join(Team, Team.id == ScanRound.team_id)
        .join(Municipality, Municipality.id == Team.municipality_id)
        .where(
            Municipality.region_id == region_id,
            ScanRound.opens_on >= first,
            ScanRound.opens_on <= last,
            ScanRound.closes_on >= today,
        )
    ) or 0


def submitted_in_period(region_id: int, first: date, last: date) -> int:
    """Submitted scans of professionals in the period's rounds: how much publishing the period counts."""
    scans = counted_scans(region_id, first, last).subquery()
    return db.session.scalar(select(func.count()).select_from(scans)) or 0
