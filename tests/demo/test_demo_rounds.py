"""The demo's scan rounds: two closed rounds and one open round per team, with realistic, consistent scans."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from itertools import pairwise

import pytest
from sqlalchemy import select

from scan.assessment import queries
from scan.assessment.models import Answer, Scan, ScanEvent, ScanRound, ScanStatus
from scan.auth.models import User
from scan.core.clock import AMSTERDAM, today
from scan.demo import seed
from scan.demo.rounds import CLOSED, CURRENT, RoundsSummary, season, seed_demo_rounds
from scan.extensions import db
from scan.kenniskaart import queries as kenniskaart_queries
from scan.kenniskaart.models import LEVEL_SPECIALISTISCH, SECTION_LEEFGEBIED, Item
from scan.kenniskaart.services import ensure_default_kenniskaart
from scan.organisation.models import Team

TODAY = date(2027, 3, 15)


@pytest.fixture
def demo(app_ctx) -> RoundsSummary:
    ensure_default_kenniskaart()
    seed.seed_demo_region()
    return seed_demo_rounds(TODAY)


def _rounds() -> dict[int, tuple[ScanRound, ScanRound, ScanRound]]:
    """Per team id: (the closed round a year ago, the closed round half a year ago, the open round)."""
    by_team: dict[int, list[ScanRound]] = defaultdict(list)
    for scan_round in db.session.scalars(select(ScanRound).order_by(ScanRound.opens_on)):
        by_team[scan_round.team_id].append(scan_round)
    assert all(len(rounds) == 3 for rounds in by_team.values())
    return {team_id: (rounds[0], rounds[1], rounds[2]) for team_id, rounds in by_team.items()}


def _answers(scan: Scan) -> dict[str, Answer]:
    return {a.item.code: a for a in queries.answers(scan.id).values()}


def test_demo_seed_prints_what_the_rounds_contain(app, runner):
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    with app.app_context():
        statuses = Counter(
            (scan_round.status(today()).value, scan.status)
            for scan, scan_round in db.session.execute(
                select(Scan, ScanRound).join(ScanRound, ScanRound.id == Scan.round_id)
            )
        )
        teams = len(db.session.scalars(select(Team)).all())
    # Relative to the real today, so the demo never goes stale.
    assert statuses[("closed", "submitted")] > 0 and statuses[("open", "submitted")] > 0
    assert set(statuses) <= {("closed", "submitted"), ("closed", "draft"), ("open", "submitted"),
                             ("open", "draft")}
    assert f" {3 * teams}," in result.output
    assert f" {statuses[('open', 'submitted')]} " in result.output


def test_each_team_has_two_closed_rounds_and_an_open_round_on_the_current_kenniskaart(demo):
    from scan.kenniskaart.queries import current_version

    rounds = _rounds()
    assert set(rounds) == set(db.session.scalars(select(Team.id)))
    version = current_version()
    for earliest, earlier, current in rounds.values():
        assert earliest.status(TODAY).value == earlier.status(TODAY).value == "closed"
        assert current.status(TODAY).value == "open"
        assert earliest.version_id == earlier.version_id == current.version_id == version.id
        # Two past seasons and the current one, each named after its half year.
        assert earliest.title == "Ontwikkelscan voorjaar 2026"
        assert earlier.title == "Ontwikkelscan najaar 2026"
        assert current.title == "Ontwikkelscan voorjaar 2027"
        assert earliest.closes_on < earlier.opens_on and earlier.closes_on < current.opens_on
        for scan_round in (earliest, earlier):
            assert scan_round.created_by_id in {leader.id for leader in scan_round.team.leaders}


@pytest.mark.parametrize("day", [date(2026, 1, 4), date(2026, 7, 3), date(2026, 12, 7), date(2028, 2, 29)])
def test_the_two_closed_rounds_always_fall_in_two_seasons(day):
    earliest, earlier = (season(day + timedelta(days=opens)) for opens, _closes in CLOSED)
    assert earliest.name != earlier.name and earliest.last_day < earlier.first_day
    current = season(day + timedelta(days=CURRENT[0]))
    assert earlier.last_day < current.first_day and earlier.last_day < day


def test_the_open_round_has_submitted_draft_and_not_started_members_in_every_team(demo):
    overall: Counter[ScanStatus] = Counter()
    for *closed, current in _rounds().values():
        statuses = Counter(m.status for m in queries.member_statuses(current))
        assert statuses[ScanStatus.SUBMITTED] >= 1, current.team.code
        assert statuses[ScanStatus.DRAFT] >= 1, current.team.code
        assert statuses[ScanStatus.NOT_STARTED] >= 1, current.team.code
        overall += statuses
        for scan_round in closed:
            earlier = Counter(m.status for m in queries.member_statuses(scan_round))
            # Nearly everyone submitted in the past seasons.
            assert earlier[ScanStatus.SUBMITTED] >= sum(earlier.values()) - 2, scan_round.team.code
    total = sum(overall.values())
    assert 0.4 <= overall[ScanStatus.SUBMITTED] / total <= 0.6
    assert 0.15 <= overall[ScanStatus.DRAFT] / total <= 0.35
    assert demo.open == overall


def test_submitted_scans_are_complete_with_an_event_and_drafts_are_not(demo):
    scans = db.session.scalars(select(Scan)).all()
    events = Counter(db.session.scalars(select(ScanEvent.scan_id).where(ScanEvent.kind == "submitted")))
    for scan in scans:
        missing = queries.missing_required(scan.round.version_id, scan.id)
        # Nothing lies in the future, not even in the open round.
        assert scan.started_at <= scan.updated_at < datetime.combine(TODAY, time(), AMSTERDAM)
        assert scan.round.opens_on <= scan.started_at.date() <= scan.round.closes_on
        if scan.status == ScanStatus.SUBMITTED.value:
            assert missing == [], scan.user.username
            assert events[scan.id] == 1
            assert scan.submitted_at is not None and scan.submitted_at.date() <= scan.round.closes_on
        else:
            assert missing, f"draft of {scan.user.username} is complete"
            assert events[scan.id] == 0 and scan.submitted_at is None
            assert _answers(scan), "a draft is partly filled in"


def test_answers_respect_the_kenniskaart(demo):
    rows = db.session.execute(select(Answer, Item).join(Item, Item.id == Answer.item_id)).all()
    assert rows
    for answer, item in rows:
        if answer.not_applicable:
            assert item.not_applicable_allowed, item.code
            assert answer.level is None and answer.ambition is None
        else:
            assert answer.level in (1, 2, 3, 4), item.code
            assert answer.ambition is not None and answer.level <= answer.ambition <= 4, item.code
        assert "cliënt" not in answer.note.lower()
    assert any(a.ambition > a.level for a, _i in rows if a.level)
    assert any(a.note for a, _i in rows)


def test_every_professional_is_t_shaped(demo):
    """Deep (3–4 on every specialist item) in one to three leefgebieden, at most 2 elsewhere: in the first
    season, as drawn (later ones grow, some into a new specialism)."""
    sections = kenniskaart_queries.sections(db.session.scalars(select(ScanRound.version_id)).first())
    specialist = {
        s.code: [i.id for i in s.items if i.level_kind == LEVEL_SPECIALISTISCH and not i.retired]
        for s in sections
        if s.kind == SECTION_LEEFGEBIED
    }
    first = {rounds[0].id for rounds in _rounds().values()}
    for scan in db.session.scalars(select(Scan).where(Scan.round_id.in_(first))):
        if scan.status != ScanStatus.SUBMITTED.value:
            continue
        answers = queries.answers(scan.id)
        levels = {code: [answers[i].level if i in answers else None for i in ids]
                  for code, ids in specialist.items()}
        deep = {code for code, found in levels.items() if all(level and level >= 3 for level in found)}
        assert 1 <= len(deep) <= 3, scan.user.username
        for code, found in levels.items():
            if code not in deep:
                assert all(level is None or level <= 2 for level in found), (scan.user.username, code)


def test_each_season_shows_some_growth_for_those_who_submitted_both(demo):
    submitted: dict[int, list[Scan]] = defaultdict(list)
    for scan in db.session.scalars(
        select(Scan).join(ScanRound).where(Scan.status == ScanStatus.SUBMITTED.value)
        .order_by(ScanRound.opens_on)
    ):
        submitted[scan.user_id].append(scan)
    # Consecutive submitted scans of one person (a season with a draft in between counts as one step).
    both = [pair for scans in submitted.values() for pair in pairwise(scans)]
    assert len(both) >= 100
    grew = 0
    for before, after in both:
        earlier, later = _answers(before), _answers(after)
        assert earlier.keys() == later.keys()
        for code, answer in later.items():
            if answer.level is not None:
                assert answer.level >= earlier[code].level, code
                grew += answer.level > earlier[code].level
    assert grew >= len(both), "on average at least one item a level higher"


def test_the_rounds_are_the_same_every_time(app_ctx):
    def snapshot() -> list[tuple[str, str, str, int | None, int | None, str]]:
        return sorted(
            (u, r, i, a.level, a.ambition, a.note)
            for a, u, r, i in db.session.execute(
                select(Answer, User.username, ScanRound.title, Item.code)
                .join(Scan, Scan.id == Answer.scan_id)
                .join(User, User.id == Scan.user_id)
                .join(ScanRound, ScanRound.id == Scan.round_id)
                .join(Item, Item.id == Answer.item_id)
            )
        )

    ensure_default_kenniskaart()
    seed.seed_demo_region()
    seed_demo_rounds(TODAY)
    first = snapshot()
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    # Bulk deletes bypass the identity map; SQLite reuses the ids, so forget the old objects.
    db.session.expunge_all()
    ensure_default_kenniskaart()
    seed.seed_demo_region()
    seed_demo_rounds(TODAY)
    assert snapshot() == first
