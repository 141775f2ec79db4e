"""Retention: the plan says what goes, a dry run writes nothing, applying removes exactly the plan."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from scan.access import Role
from scan.assessment.models import Scan, ScanEvent
from scan.audit import actions as audit_actions
from scan.audit.models import AuditEvent
from scan.auth.models import LoginFailure, UserSession
from scan.core.clock import today
from scan.db import utcnow
from scan.extensions import db
from scan.pop.models import Pop, PopAction, PopGoal, PopVersion
from scan.privacy.retention import apply_retention, months_before, plan_retention
from scan.teamschouw.models import Agreement, Calibration, TeamSession
from tests.factories import make_kenniskaart, make_round, make_scan, make_team, make_user


def _rows() -> dict[str, int]:
    return {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in db.metadata.sorted_tables}


def _pop(scan_round: Any, user: Any) -> None:
    item = scan_round.version.sections[0].items[0]
    pop = Pop(round=scan_round, user=user)
    version = PopVersion(pop=pop, number=1, status="signed")
    goal = PopGoal(version=version, item=item, description="Beter luisteren")
    db.session.add_all([pop, version, goal, PopAction(goal=goal, type="zelfstudie", description="Boek")])
    db.session.flush()


@pytest.fixture
def world(app_ctx: Any) -> dict[str, Any]:
    version = make_kenniskaart()
    team = make_team(code="TR")
    days_old = (today() - months_before(today(), 24)).days + 30
    old = make_round(team, version, opens_in_days=-days_old - 30, closes_in_days=-days_old, title="Oud")
    recent = make_round(team, version, opens_in_days=-90, closes_in_days=-60, title="Recent")
    a, b = make_user(Role.PROFESSIONAL, team=team), make_user(Role.PROFESSIONAL, team=team)
    for person in (a, b):
        scan = make_scan(old, person, {"GC01": (2, 3), "GC02": (1, 2)}, submitted=True, notes={"GC01": "N"})
        db.session.add(ScanEvent(scan_id=scan.id, kind="submitted", actor_id=person.id))
        db.session.add(Calibration(scan_id=scan.id, item_id=scan.round.version.sections[0].items[0].id,
                                   agreed_level=2, note="Besproken"))
        _pop(old, person)
        make_scan(recent, person, {"GC01": (3, 3)}, submitted=True)
    _pop(recent, a)
    session = TeamSession(round_id=old.id, held_on=old.closes_on, notes="Notities")
    session.attendees = [a, b]
    db.session.add_all([session, Agreement(round_id=old.id, kind="vraagbaak", member_id=a.id, text="x")])
    now = utcnow()
    long_ago = now - timedelta(days=800)
    db.session.add_all([
        AuditEvent(action=audit_actions.LOGIN, actor_id=a.id, actor_name=a.username, at=long_ago),
        AuditEvent(action=audit_actions.LOGIN, actor_id=a.id, actor_name=a.username, at=now),
        UserSession(token_hash="1" * 64, user_id=a.id, last_seen_at=now - timedelta(days=3),
                    revoked_at=now - timedelta(days=3)),
        UserSession(token_hash="2" * 64, user_id=a.id, last_seen_at=now - timedelta(days=5)),
        UserSession(token_hash="3" * 64, user_id=b.id, last_seen_at=now),
        LoginFailure(kind="account", key="iemand", at=now - timedelta(days=2)),
        LoginFailure(kind="account", key="iemand", at=now),
    ])
    db.session.commit()
    return {"old": old.id, "recent": recent.id}


def test_months_before_clamps_to_the_end_of_the_month() -> None:
    assert months_before(date(2027, 3, 31), 1) == date(2027, 2, 28)
    assert months_before(date(2027, 1, 15), 24) == date(2025, 1, 15)
    assert months_before(date(2028, 5, 31), 3) == date(2028, 2, 29)


def test_plan_lists_the_old_round_with_counts_per_kind(world: dict[str, Any]) -> None:
    plan = plan_retention(today())
    assert [(r.round_id, r.title, r.team_code) for r in plan.rounds] == [(world["old"], "Oud", "TR")]
    assert plan.rounds[0].counts == {
        "scans": 2, "answers": 4, "scan_events": 2, "calibrations": 2, "pops": 2, "pop_versions": 2,
        "pop_goals": 2, "pop_actions": 2, "agreements": 1, "team_sessions": 1,
    }
    assert plan.other == {"audit_events": 1, "user_sessions": 2, "login_failures": 1}


def test_planning_writes_nothing(world: dict[str, Any]) -> None:
    before = _rows()
    plan_retention(today())
    db.session.commit()
    assert _rows() == before


def test_apply_removes_exactly_the_plan(world: dict[str, Any]) -> None:
    before = _rows()
    plan = plan_retention(today())
    removed = apply_retention(plan)
    db.session.commit()
    assert removed == plan.totals()
    after = _rows()
    assert before["scan"] - after["scan"] == 2
    assert before["scan_answer"] - after["scan_answer"] == 4
    assert before["pop_action"] - after["pop_action"] == 2
    assert before["teamschouw_attendee"] - after["teamschouw_attendee"] == 2
    assert before["user_session"] - after["user_session"] == 2
    assert before["login_failure"] - after["login_failure"] == 1
    # The recent round keeps everything; the old round itself stays, without individual records.
    assert db.session.scalar(select(func.count()).where(Scan.round_id == world["recent"])) == 2
    assert db.session.scalar(select(func.count()).where(Pop.round_id == world["recent"])) == 1
    assert after["scan_round"] == before["scan_round"]
    assert not db.session.scalar(select(func.count()).where(Scan.round_id == world["old"]))
    # One old audit entry went; the recent one stays, and the retention run is recorded.
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == [audit_actions.LOGIN, audit_actions.RETENTION_APPLY]
    detail = db.session.scalar(
        select(AuditEvent.detail).where(AuditEvent.action == audit_actions.RETENTION_APPLY))
    assert json.loads(detail)["rounds"] == 1 and json.loads(detail)["scans"] == 2
    # Applying again finds nothing more.
    assert plan_retention(today()).empty


def test_the_retention_period_is_configurable(world: dict[str, Any], app: Any,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "RETENTION_MONTHS", 1)
    assert {r.title for r in plan_retention(today()).rounds} == {"Oud", "Recent"}
    monkeypatch.setitem(app.config, "RETENTION_MONTHS", 120)
    monkeypatch.setitem(app.config, "AUDIT_RETENTION_MONTHS", 120)
    plan = plan_retention(today())
    assert plan.rounds == () and plan.other["audit_events"] == 0


def test_cli_dry_run_prints_the_plan_and_removes_nothing(world: dict[str, Any], runner: Any) -> None:
    before = _rows()
    result = runner.invoke(args=["retention", "apply", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Oud" in result.output and "TR" in result.output
    assert "Proefdraai: er is niets verwijderd." in result.output.splitlines()
    db.session.rollback()
    assert _rows() == before


def test_cli_apply_removes_and_says_how_much(world: dict[str, Any], runner: Any) -> None:
    result = runner.invoke(args=["retention", "apply"])
    assert result.exit_code == 0, result.output
    assert "Oud" in result.output
    db.session.rollback()
    assert not db.session.scalar(select(func.count()).where(Scan.round_id == world["old"]))
    again = runner.invoke(args=["retention", "apply", "--dry-run"])
    assert "Oud" not in again.output


def test_cli_erase(app_ctx: Any, runner: Any) -> None:
    make_user(Role.BEHEERDER)
    person = make_user(Role.PROFESSIONAL, username="t.vertrokken")
    db.session.commit()
    result = runner.invoke(args=["retention", "erase", "t.vertrokken"])
    assert result.exit_code == 0, result.output
    assert f"verwijderd-{person.id}" in result.output
    missing = runner.invoke(args=["retention", "erase", "niemand"])
    assert missing.exit_code == 1
