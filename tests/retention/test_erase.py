"""Erasing a leaver: name, notes, sessions and texts go; every regional count stays the same."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from scan.access import Role
from scan.assessment.models import Answer, Scan, ScanEvent
from scan.audit import actions as audit_actions
from scan.audit.models import AuditEvent
from scan.audit.services import record
from scan.auth.models import LoginFailure, User, UserSession
from scan.auth.sessions import start_session
from scan.extensions import db
from scan.pop.models import Pop, PopAction, PopGoal, PopVersion
from scan.regio.needs import region_needs
from scan.retention.services import ErasureRefused, erase_account, erase_preview
from scan.teamschouw.models import Agreement, Calibration
from tests.factories import PASSWORD, login, make_user
from tests.regio.conftest import BOTH_ROUNDS, DEMO_TODAY, load_demo_region


def _needs(region_id: int) -> list[Any]:
    first, last = (date.fromisoformat(BOTH_ROUNDS[key]) for key in ("first", "last"))
    return [
        region_needs(region_id, on=DEMO_TODAY),
        region_needs(region_id, (first, last)),
        region_needs(region_id, (first, last), level_kind="specialistisch"),
    ]


def _professional_with_pop_and_scan() -> User:
    """A demo professional with a submitted scan and a POP with goals and actions."""
    user_id = db.session.scalar(
        select(Pop.user_id)
        .join(PopVersion, PopVersion.pop_id == Pop.id)
        .join(PopGoal, PopGoal.version_id == PopVersion.id)
        .join(PopAction, PopAction.goal_id == PopGoal.id)
        .join(Scan, Scan.user_id == Pop.user_id)
        .where(Scan.status == "submitted")
        .order_by(Pop.user_id)
        .limit(1)
    )
    assert user_id is not None
    return db.session.get(User, user_id)


def _n(*conditions: Any) -> int:
    return db.session.scalar(select(func.count()).where(*conditions)) or 0


@pytest.fixture
def demo(app_ctx: Any) -> int:
    return load_demo_region().region_id


def test_erasing_a_professional_keeps_every_regional_count(demo: int) -> None:
    admin = make_user(Role.BEHEERDER)
    person = _professional_with_pop_and_scan()
    scan = db.session.scalar(select(Scan).where(Scan.user_id == person.id, Scan.status == "submitted"))
    db.session.add(ScanEvent(scan_id=scan.id, kind="reopened", reason="Te snel ingevuld"))
    db.session.execute(Answer.__table__.update().where(Answer.scan_id == scan.id).values(note="Geleerd"))
    answered = select(Answer).where(Answer.scan_id == scan.id, Answer.level.is_not(None))
    answer = db.session.scalars(answered).first()
    db.session.add(Calibration(scan_id=scan.id, item_id=answer.item_id, agreed_level=1, note="Besproken"))
    db.session.add(Agreement(round_id=scan.round_id, kind="vraagbaak", member_id=person.id, text="Schulden"))
    start_session(person, "10.0.0.7")
    db.session.add(LoginFailure(kind="account", key=person.username, at=scan.started_at))
    record(audit_actions.LOGIN, actor=person)
    db.session.commit()
    before = _needs(demo)
    person_id, old_name, full_name = person.id, person.username, person.full_name

    erase_account(person, admin)
    db.session.commit()

    assert _needs(demo) == before
    user = db.session.get(User, person_id)
    erased = f"verwijderd-{person_id}"
    assert (user.username, user.full_name, user.active) == (erased, erased, False)
    assert user.erased_at is not None and user.team_id is None and user.role == Role.PROFESSIONAL.value
    scans = select(Scan.id).where(Scan.user_id == person_id)
    assert not _n(Answer.scan_id.in_(scans), Answer.note != "")
    assert _n(Answer.scan_id.in_(scans)) > 0  # levels stay
    assert not _n(Calibration.scan_id.in_(scans), Calibration.note != "")
    assert not _n(ScanEvent.scan_id.in_(scans), ScanEvent.reason != "")
    goals = select(PopGoal.id).join(PopVersion).join(Pop).where(Pop.user_id == person_id)
    assert db.session.scalar(select(func.count()).select_from(goals.subquery())) > 0
    assert not _n(PopGoal.id.in_(goals), (PopGoal.description != "") | (PopGoal.reason != ""))
    assert not _n(PopAction.goal_id.in_(goals), (PopAction.description != "") | (PopAction.reflection != ""))
    assert not _n(Agreement.member_id == person_id)
    assert not _n(UserSession.user_id == person_id)
    assert not _n(LoginFailure.key == old_name)
    names = db.session.scalars(select(AuditEvent.actor_name).where(AuditEvent.actor_id == person_id)).all()
    assert names and set(names) == {f"verwijderd-{person_id}"}
    assert not _n(AuditEvent.actor_name == old_name)
    erased = db.session.scalars(select(AuditEvent).where(AuditEvent.action == audit_actions.ACCOUNT_ERASE))
    assert [(e.object_type, e.object_id, e.actor_id) for e in erased] == [("user", str(person_id), admin.id)]
    assert full_name not in {u.full_name for u in db.session.scalars(select(User))}


def test_erasing_a_team_leader_keeps_counts_and_removes_the_team_links(demo: int) -> None:
    leaders = select(User).where(User.role == Role.TEAMLEIDER.value).order_by(User.id)
    leader = db.session.scalars(leaders).first()
    assert leader.led_teams
    admin = make_user(Role.BEHEERDER)
    db.session.commit()
    before = _needs(demo)
    erase_account(leader, admin)
    db.session.commit()
    assert _needs(demo) == before
    db.session.refresh(leader)
    assert leader.led_teams == []


def test_preview_counts_what_will_go(demo: int) -> None:
    person = _professional_with_pop_and_scan()
    preview = erase_preview(person)
    assert preview.scans >= 1 and preview.pops >= 1 and preview.pop_texts >= 1


def test_erased_user_cannot_log_in(app: Any, client: Any) -> None:
    with app.app_context():
        admin = make_user(Role.BEHEERDER)
        person = make_user(Role.PROFESSIONAL, username="s.leaver")
        erase_account(person, admin)
        db.session.commit()
        new_name = person.username
    assert login(client, "s.leaver").status_code == 200  # the login page again, with an error
    assert login(client, new_name, PASSWORD).status_code == 200
    assert client.get("/mijn").status_code == 302


def test_refuses_the_last_administrator_and_oneself(app_ctx: Any) -> None:
    only = make_user(Role.BEHEERDER)
    with pytest.raises(ErasureRefused, match="laatste actieve beheerder"):
        erase_account(only, None)
    with pytest.raises(ErasureRefused, match="eigen account niet wissen"):
        erase_account(only, only)
    second = make_user(Role.BEHEERDER)
    erase_account(only, second)
    assert only.erased_at is not None
    with pytest.raises(ErasureRefused, match="al gewist"):
        erase_account(only, second)
