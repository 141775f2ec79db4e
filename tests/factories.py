"""Factories: each test builds the little world it needs."""

from __future__ import annotations

import itertools
from typing import Any

from scan.access import Role
from scan.auth.models import User
from scan.auth.passwords import hash_password
from scan.extensions import db
from scan.organisation.models import Municipality, Region, Team

PASSWORD = "lang-genoeg-wachtwoord-42"
_seq = itertools.count(1)


def make_region(code: str | None = None, name: str = "Regio Test") -> Region:
    region = Region(code=code or f"R{next(_seq)}", name=name)
    db.session.add(region)
    db.session.flush()
    return region


def make_municipality(region: Region | None = None, name: str | None = None) -> Municipality:
    n = next(_seq)
    municipality = Municipality(region=region or make_region(), code=f"GM{n}", name=name or f"Gemeente {n}")
    db.session.add(municipality)
    db.session.flush()
    return municipality


def make_team(municipality: Municipality | None = None, name: str | None = None,
              code: str | None = None) -> Team:
    n = next(_seq)
    team = Team(municipality=municipality or make_municipality(), code=code or f"T{n}",
                name=name or f"Wijkteam {n}")
    db.session.add(team)
    db.session.flush()
    return team


def make_user(role: Role = Role.PROFESSIONAL, *, team: Team | None = None, teams: list[Team] | None = None,
              region: Region | None = None, username: str | None = None, full_name: str | None = None,
              password: str = PASSWORD, **extra: Any) -> User:
    n = next(_seq)
    user = User(
        username=username or f"{role.value}{n}",
        full_name=full_name or f"Test {role.value.capitalize()} {n}",
        password_hash=hash_password(password),
        role=role.value,
        **extra,
    )
    if role is Role.PROFESSIONAL:
        user.team = team or make_team()
    elif role is Role.TEAMLEIDER:
        user.led_teams = teams if teams is not None else [team or make_team()]
    elif role is Role.REGIOCOORDINATOR:
        user.region = region or make_region()
    db.session.add(user)
    db.session.flush()
    return user


def login(client: Any, username: str, password: str = PASSWORD, follow: bool = False) -> Any:
    return client.submit("/inloggen", {"username": username, "password": password}, follow_redirects=follow)


def make_kenniskaart(text: str | None = None):  # type: ignore[no-untyped-def]
    """Load a Kenniskaart version (the small test map unless `text` is given) and return it."""
    from scan.kenniskaart.services import load_kenniskaart
    from tests.kenniskaart.sample import VALID

    result = load_kenniskaart(text=text or VALID, source_name="test.yaml")
    assert result.ok, result.report.lines()
    assert result.version is not None
    return result.version


def make_round(team: Team, version=None, *, opens_in_days: int = -7, closes_in_days: int = 14,  # type: ignore[no-untyped-def]
               title: str = "Ontwikkelscan voorjaar 2027"):
    """A scan round for the team, open today unless the day offsets say otherwise."""
    from datetime import timedelta

    from scan.assessment.models import ScanRound
    from scan.core.clock import today

    scan_round = ScanRound(
        team=team,
        version=version or make_kenniskaart(),
        title=title,
        opens_on=today() + timedelta(days=opens_in_days),
        closes_on=today() + timedelta(days=closes_in_days),
    )
    db.session.add(scan_round)
    db.session.flush()
    return scan_round


def make_scan(scan_round, user: User, answers: dict[str, tuple[int | None, int | None]] | None = None,  # type: ignore[no-untyped-def]
              *, submitted: bool = False, notes: dict[str, str] | None = None):
    """A scan with answers given as {item code: (level, ambition)}; level None means n.v.t."""
    from sqlalchemy import select

    from scan.assessment.models import Answer, Scan
    from scan.db import utcnow
    from scan.kenniskaart.models import Item

    version_items = db.session.scalars(select(Item).where(Item.version_id == scan_round.version_id))
    items = {i.code: i for i in version_items}
    scan = Scan(round=scan_round, user=user, status="submitted" if submitted else "draft",
                submitted_at=utcnow() if submitted else None)
    db.session.add(scan)
    db.session.flush()
    for code, (level, ambition) in (answers or {}).items():
        db.session.add(Answer(scan_id=scan.id, item_id=items[code].id, level=level,
                              not_applicable=level is None, ambition=ambition,
                              note=(notes or {}).get(code, "")))
    db.session.flush()
    return scan


def make_training(region: Region | int | None = None, code: str | None = None, *,
                  items: tuple[str, ...] = (), **fields: Any):  # type: ignore[no-untyped-def]
    """A catalogue entry of the region (a new region when none is given), with the item codes it addresses;
    `fields` override title, provider, type, hours and the rest."""
    from decimal import Decimal

    from scan.catalogue.models import Training, TrainingItem

    region_id = region if isinstance(region, int) else (region or make_region()).id
    n = next(_seq)
    values: dict[str, Any] = {"title": f"Training {n}", "provider": "Academie Test", "type": "training",
                              "hours": Decimal("8"), "cost_cents": 0, "points": 0, "active": True}
    values.update(fields)
    training = Training(region_id=region_id, code=code or f"TR{n}", **values,
                        item_codes=[TrainingItem(item_code=c) for c in items])
    db.session.add(training)
    db.session.flush()
    return training
