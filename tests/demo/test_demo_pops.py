"""The demo's POPs: mostly signed plans in the two closed rounds, drafting and review in the open one."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from scan.assessment.models import Scan, ScanRound, ScanStatus
from scan.catalogue.models import Training, TrainingItem
from scan.catalogue.seed import seed_catalogue
from scan.demo import seed
from scan.demo.pops import THEMES, PopsSummary, seed_demo_pops
from scan.demo.rounds import seed_demo_rounds
from scan.extensions import db
from scan.kenniskaart.models import Item, Section
from scan.kenniskaart.services import ensure_default_kenniskaart
from scan.pop.models import Pop, PopAction, PopGoal, PopStatus, PopVersion
from scan.pop.permissions import is_team_leader_of

TODAY = date(2027, 3, 15)


@pytest.fixture
def demo(app_ctx: Any) -> PopsSummary:
    ensure_default_kenniskaart()
    seed.seed_demo_region()
    seed_demo_rounds(TODAY)
    seed_catalogue()
    return seed_demo_pops(TODAY)


def _pops() -> list[tuple[Pop, PopVersion, ScanRound]]:
    rows = db.session.execute(
        select(Pop, PopVersion, ScanRound).join(PopVersion, PopVersion.pop_id == Pop.id)
        .join(ScanRound, ScanRound.id == Pop.round_id).order_by(Pop.id)
    ).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def test_counts_per_status_in_each_round(demo: PopsSummary) -> None:
    pops = _pops()
    closed = Counter(v.status for _p, v, r in pops if r.closes_on < TODAY)
    open_ = Counter(v.status for _p, v, r in pops if r.opens_on <= TODAY <= r.closes_on)
    teams = db.session.scalar(select(func.count(func.distinct(ScanRound.team_id))))
    # Every POP of a closed round counts in the region's publications: never a draft or one sent back.
    assert set(closed) == {PopStatus.SIGNED, PopStatus.AGREED, PopStatus.PROPOSED}
    submitted = db.session.scalar(
        select(func.count(Scan.id)).join(ScanRound).where(ScanRound.closes_on < TODAY,
                                                          Scan.status == ScanStatus.SUBMITTED.value)
    )
    # Most professionals who submitted in a closed round have a plan, nearly all of them signed.
    assert 0.7 * submitted <= closed.total() <= submitted
    assert closed[PopStatus.SIGNED] >= 0.85 * closed.total()
    per_round = Counter(r.id for _p, _v, r in pops if r.closes_on < TODAY)
    assert len(per_round) == 2 * teams and min(per_round.values()) >= 10
    assert open_[PopStatus.RETURNED] == teams
    assert open_[PopStatus.DRAFT] >= 3 and open_[PopStatus.PROPOSED] >= 3
    assert demo.counts()["pops"] == len(pops) == sum(demo.by_status.values())
    assert demo.counts()["actions"] == db.session.scalar(select(func.count(PopAction.id)))


def test_plans_are_made_of_real_gaps_trainings_and_signatures(demo: PopsSummary) -> None:
    trainings = {t.id: t for t in db.session.scalars(select(Training))}
    links = {tuple(r) for r in db.session.execute(select(TrainingItem.training_id, TrainingItem.item_code))}
    goals = db.session.scalars(select(PopGoal)).all()
    assert all(len(g.actions) >= 1 for g in goals)
    with_training = 0
    for goal in goals:
        assert goal.reason_kind in ("ambition", "own")
        if goal.reason_kind == "ambition":
            # The facts, not a sentence: each reader gets it in their own language.
            assert goal.reason == "" and goal.reason_level_agreed is False and goal.reason_level is not None
            assert goal.reason_level < goal.reason_ambition == goal.target_level
        else:
            assert goal.reason_level is None and goal.reason
        for action in goal.actions:
            if action.training_id is not None:
                with_training += 1
                assert action.training_id in trainings
                # The training addresses the goal's item.
                assert (action.training_id, goal.item.code) in links
                assert action.type == trainings[action.training_id].type
    assert with_training > len(goals) / 2
    for pop, version, _round in _pops():
        if version.status == PopStatus.SIGNED:
            assert version.professional_signed_at and version.leader_signed_at
            assert version.leader_signed_by is not None and is_team_leader_of(version.leader_signed_by, pop)
        else:
            assert version.professional_signed_at is None and version.leader_signed_at is None
        if version.status == PopStatus.RETURNED:
            assert version.leader_comment
        # Nobody has a POP without a submitted scan in that round.
        assert db.session.scalar(select(Scan.status).where(Scan.round_id == pop.round_id,
                                                           Scan.user_id == pop.user_id)) == "submitted"


def test_goals_broaden_and_follow_the_seasons_themes(demo: PopsSummary) -> None:
    """Goals lie on generic competencies and on a leefgebied's lead item; each season's two themes are the
    leefgebieden with the most goals in that season (see scan.demo.pops)."""
    rows = db.session.execute(
        select(ScanRound.opens_on, Item.code, Item.level_kind, Section.code)
        .select_from(PopGoal).join(PopVersion).join(Pop).join(ScanRound, ScanRound.id == Pop.round_id)
        .join(Item, Item.id == PopGoal.item_id).join(Section, Section.id == Item.section_id)
    ).all()
    assert {level for _o, _c, level, _s in rows} == {"generiek", "algemeen"}
    assert {code.split("-")[1] for _o, code, level, _s in rows if level == "algemeen"} == {"A1"}
    openings = sorted({opens_on for opens_on, *_rest in rows})
    assert len(openings) == 3
    for n, opens_on in enumerate(openings):
        goals = Counter(section for o, _c, _l, section in rows if o == opens_on and section != "GC")
        assert {code for code, _n in goals.most_common(2)} == set(THEMES[n]), (opens_on, goals)


def test_signed_plans_show_progress_some_done_some_overdue(demo: PopsSummary) -> None:
    actions = db.session.execute(
        select(PopAction).join(PopGoal).join(PopVersion).where(PopVersion.status == PopStatus.SIGNED)
    ).scalars().all()
    done = [a for a in actions if a.status == "afgerond"]
    overdue = [a for a in actions if a.status == "gepland" and a.planned_until and a.planned_until < TODAY]
    assert done and all(a.reflection for a in done)
    assert overdue
    assert {a.status for a in actions} >= {"afgerond", "bezig", "gepland", "vervallen"}
    open_actions = db.session.execute(
        select(PopAction).join(PopGoal).join(PopVersion).where(PopVersion.status != PopStatus.SIGNED)
    ).scalars().all()
    assert open_actions and {a.status for a in open_actions} == {"gepland"}


def test_the_same_demo_every_time_and_never_twice(app_ctx: Any, demo: PopsSummary) -> None:
    first = [(p.user.username, v.status, [g.item.code for g in v.goals]) for p, v, _r in _pops()]
    assert seed_demo_pops(TODAY).counts()["pops"] == 0  # everyone has one already
    db.session.rollback()
    ensure_default_kenniskaart()
    seed.seed_demo_region()
    seed_demo_rounds(TODAY)
    seed_catalogue()
    seed_demo_pops(TODAY)
    assert [(p.user.username, v.status, [g.item.code for g in v.goals]) for p, v, _r in _pops()] == first
