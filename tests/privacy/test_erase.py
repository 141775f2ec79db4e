"""Erasing a leaver: name, notes, sessions and texts go; every regional count stays the same.

The regional figures are published per period (scan.regio.publish) and a publication never changes. What
erasure keeps (levels, ambitions, POP goals' items, and where and as whom a scan was submitted) is what a
publication counts, so a publication of the same period made after the erasure counts exactly the same
numbers, and neither names the person.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select

from scan.access import Role
from scan.assessment.models import Answer, Scan, ScanEvent, ScanRound
from scan.audit import actions as audit_actions
from scan.audit.models import AuditEvent
from scan.audit.services import record
from scan.auth.models import LoginFailure, User, UserSession
from scan.auth.sessions import start_session
from scan.db import utcnow
from scan.extensions import db
from scan.pop.models import Pop, PopAction, PopGoal, PopVersion
from scan.privacy.erasure import ErasureRefused, erase_account, erase_preview
from scan.regio import publish
from scan.regio.models import Period, Publication
from scan.regio.needs import counted_scans
from scan.teamschouw.models import Agreement, Calibration
from tests.factories import PASSWORD, login, make_user
from tests.regio.conftest import DEMO_TODAY, PERIOD, load_demo_region, publish_demo_period


def _stored(publication_id: int) -> tuple[str, str]:
    """What the publication stored: the shown figures and the true values behind them."""
    db.session.expire_all()
    publication = db.session.get(Publication, publication_id)
    return publication.payload, publication.truth


def _counted_again(region_id: int) -> dict[str, int]:
    """The demo period published once more (a correction), now: the true value of every position."""
    period = db.session.scalars(select(Period).where(Period.region_id == region_id)).one()
    correction = publish.publish(period, None, DEMO_TODAY)
    db.session.commit()
    assert correction.number == 2
    return json.loads(correction.truth)


def _assert_counts_unchanged(region_id: int, publication_id: int, before: tuple[str, str],
                             *names: str) -> None:
    # The stored publication is as it was, and names nobody.
    assert _stored(publication_id) == before
    for name in names:
        assert name not in before[0] and name not in before[1]
    # A publication made after the erasure counts the same numbers.
    assert _counted_again(region_id) == json.loads(before[1])


def _professional_with_pop_and_scan() -> tuple[User, Scan]:
    """A demo professional with a scan submitted in a round of the published period (so counted in it) and a
    POP of that round with goals and actions; and that scan."""
    _name, first, last = PERIOD
    row = db.session.execute(
        select(Pop.user_id, Scan.id)
        .join(PopVersion, PopVersion.pop_id == Pop.id)
        .join(PopGoal, PopGoal.version_id == PopVersion.id)
        .join(PopAction, PopAction.goal_id == PopGoal.id)
        .join(Scan, (Scan.user_id == Pop.user_id) & (Scan.round_id == Pop.round_id))
        .join(ScanRound, ScanRound.id == Scan.round_id)
        .where(Scan.status == "submitted", ScanRound.opens_on.between(first, last))
        .order_by(Pop.user_id)
        .limit(1)
    ).first()
    assert row is not None
    return db.session.get(User, row[0]), db.session.get(Scan, row[1])


def _counted(region_id: int) -> set[int]:
    """The users whose scans the demo period counts."""
    _name, first, last = PERIOD
    return set(db.session.scalars(select(counted_scans(region_id, first, last).subquery().c.user_id)))


def _n(*conditions: Any) -> int:
    return db.session.scalar(select(func.count()).where(*conditions)) or 0


@pytest.fixture
def demo(app_ctx: Any) -> int:
    """The demo region (its autumn 2026 period is published by each test, just before the erasure)."""
    return load_demo_region().region_id


def test_erasing_a_professional_keeps_every_regional_count(demo: int) -> None:
    region_id = demo
    admin = make_user(Role.BEHEERDER)
    person, scan = _professional_with_pop_and_scan()
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
    publication_id = publish_demo_period(region_id).id
    before = _stored(publication_id)
    person_id, old_name, full_name = person.id, person.username, person.full_name
    assert person_id in _counted(region_id)

    erase_account(person, admin)
    db.session.commit()

    _assert_counts_unchanged(region_id, publication_id, before, old_name, full_name)
    assert person_id in _counted(region_id)  # still counted: anonymous, where and as whom they submitted
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
    region_id = demo
    publication_id = publish_demo_period(region_id).id
    leaders = select(User).where(User.role == Role.TEAMLEIDER.value).order_by(User.id)
    leader = db.session.scalars(leaders).first()
    assert leader.led_teams
    admin = make_user(Role.BEHEERDER)
    db.session.commit()
    before = _stored(publication_id)
    old_name, full_name = leader.username, leader.full_name
    erase_account(leader, admin)
    db.session.commit()
    _assert_counts_unchanged(region_id, publication_id, before, old_name, full_name)
    db.session.refresh(leader)
    assert leader.led_teams == []


def test_preview_counts_what_will_go(demo: int) -> None:
    person, _scan = _professional_with_pop_and_scan()
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
    before = utcnow()
    erase_account(only, second)
    assert only.erased_at is not None and before <= only.erased_at <= utcnow()
    with pytest.raises(ErasureRefused, match="al gewist"):
        erase_account(only, second)
