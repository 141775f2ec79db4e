"""Creating the organisation. Flush, never commit."""

from __future__ import annotations

from scan.extensions import db
from scan.organisation.models import Municipality, Region, Team


def create_region(code: str, name: str) -> Region:
    region = Region(code=code, name=name)
    db.session.add(region)
    db.session.flush()
    return region


def create_municipality(region: Region, code: str, name: str) -> Municipality:
    municipality = Municipality(region=region, code=code, name=name)
    db.session.add(municipality)
    db.session.flush()
    return municipality


def create_team(municipality: Municipality, code: str, name: str) -> Team:
    team = Team(municipality=municipality, code=code, name=name)
    db.session.add(team)
    db.session.flush()
    return team
