"""Creating and administering the organisation. Flush, never commit; every administrative change is
recorded in the audit log in the same transaction."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from scan.audit import actions
from scan.audit.services import record
from scan.core.rules import RuleError
from scan.db import utcnow
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


# --- administration in the browser: rename, move, archive. Every change is audited. ---

CODE_MAX = 40
NAME_MAX = 200


def _clean_code(code: str) -> str:
    code = (code or "").strip().upper()
    if not code:
        raise RuleError(_("A code is required."), "code")
    if len(code) > CODE_MAX or not all(c.isalnum() or c in "-_." for c in code):
        raise RuleError(
            _("Use at most %(n)d letters, digits and - _ . in a code, without spaces.", n=CODE_MAX), "code"
        )
    return code


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise RuleError(_("A name is required."), "name")
    if len(name) > NAME_MAX:
        raise RuleError(_("Use at most %(n)d characters.", n=NAME_MAX), "name")
    return name


def add_municipality(region: Region, code: str, name: str) -> Municipality:
    code, name = _clean_code(code), _clean_name(name)
    if db.session.scalar(select(Municipality.id).where(Municipality.code == code)) is not None:
        raise RuleError(_("The code %(code)s is already in use.", code=code), "code")
    municipality = create_municipality(region, code, name)
    record(actions.MUNICIPALITY_CREATE, object_type="municipality", object_id=municipality.id,
           facts={"code": code})
    return municipality


def rename_municipality(municipality: Municipality, name: str) -> bool:
    """Rename; returns whether anything changed (an unchanged name records nothing)."""
    name = _clean_name(name)
    if name == municipality.name:
        return False
    municipality.name = name
    record(actions.MUNICIPALITY_UPDATE, object_type="municipality", object_id=municipality.id,
           facts={"fields": ["name"]})
    db.session.flush()
    return True


def archive_municipality(municipality: Municipality) -> None:
    """Only when every team of the municipality is archived; the municipality stays, with its history."""
    if municipality.archived_at is not None:
        raise RuleError(_("This municipality is already archived."))
    open_teams = [t.name for t in municipality.teams if t.archived_at is None]
    if open_teams:
        raise RuleError(
            _("Archive its teams first: %(teams)s. A municipality is archived only when all its teams are.",
              teams=", ".join(open_teams))
        )
    municipality.archived_at = utcnow()
    record(actions.MUNICIPALITY_ARCHIVE, object_type="municipality", object_id=municipality.id,
           facts={"code": municipality.code})
    db.session.flush()


def _check_target(municipality: Municipality, region_id: int) -> None:
    if municipality.region_id != region_id:
        raise RuleError(_("A team moves only to a municipality of the same region."), "municipality")
    if municipality.archived_at is not None:
        raise RuleError(_("This municipality is archived; choose another one."), "municipality")


def add_team(municipality: Municipality, code: str, name: str) -> Team:
    code, name = _clean_code(code), _clean_name(name)
    if municipality.archived_at is not None:
        raise RuleError(_("This municipality is archived; choose another one."), "municipality")
    if db.session.scalar(select(Team.id).where(Team.code == code)) is not None:
        raise RuleError(_("The code %(code)s is already in use.", code=code), "code")
    team = create_team(municipality, code, name)
    record(actions.TEAM_CREATE, object_type="team", object_id=team.id,
           facts={"code": code, "municipality": municipality.code})
    return team


def update_team(team: Team, name: str, municipality: Municipality) -> list[str]:
    """Rename and/or move to another municipality of the same region; returns the changed fields.

    Rounds, scans and POPs refer to the team, not to its municipality, so a move keeps all history."""

    name = _clean_name(name)
    changed: list[str] = []
    if municipality.id != team.municipality_id:
        _check_target(municipality, team.municipality.region_id)
        changed.append("municipality")
    if name != team.name:
        changed.append("name")
    if not changed:
        return changed
    facts: dict[str, Any] = {"fields": changed}
    if "municipality" in changed:
        facts |= {"moved_from": team.municipality.code, "moved_to": municipality.code}
    team.name = name
    team.municipality = municipality
    record(actions.TEAM_UPDATE, object_type="team", object_id=team.id, facts=facts)
    db.session.flush()
    return changed


def archive_team(team: Team) -> None:
    """Archive, never delete: rounds, scans and POPs refer to the team. Its members keep their account."""
    if team.archived_at is not None:
        raise RuleError(_("This team is already archived."))
    team.archived_at = utcnow()
    record(actions.TEAM_ARCHIVE, object_type="team", object_id=team.id, facts={"code": team.code})
    db.session.flush()
