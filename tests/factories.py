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
