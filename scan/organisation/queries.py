"""Read functions for the organisation; counting happens in the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, func, or_, select

from scan.access import Role
from scan.auth.models import User
from scan.extensions import db
from scan.organisation.models import Municipality, Region, Team, team_leaders


@dataclass(frozen=True)
class TeamRow:
    id: int
    code: str
    name: str
    municipality: str
    members: int


def counts_as_member(team_id: int | ColumnElement[int]) -> ColumnElement[bool]:
    """Who is a member of a team wherever members are counted or listed: its active professionals (not its
    leaders, not a deactivated account). `team_id` is a number or a column (Team.id) to correlate with."""
    return and_(User.team_id == team_id, User.role == Role.PROFESSIONAL.value, User.active.is_(True))


def member_ids(team_id: int) -> Select[tuple[int]]:
    """The ids of the team's members (see counts_as_member), through the index on the team."""
    return select(User.id).where(counts_as_member(team_id))


def _member_count():  # type: ignore[no-untyped-def]
    return (
        select(func.count(User.id))
        .where(counts_as_member(Team.id))
        .correlate(Team)
        .scalar_subquery()
    )


def teams_led_by(user: User) -> list[TeamRow]:
    rows = db.session.execute(
        select(Team.id, Team.code, Team.name, Municipality.name, _member_count())
        .join(Municipality, Team.municipality_id == Municipality.id)
        .join(team_leaders, team_leaders.c.team_id == Team.id)
        .where(team_leaders.c.user_id == user.id, Team.archived_at.is_(None))
        .order_by(Team.name)
    ).all()
    return [TeamRow(*row) for row in rows]


def team_members(team: Team) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.team_id == team.id, User.role == Role.PROFESSIONAL.value)
            .order_by(User.active.desc(), User.full_name)
        )
    )


@dataclass(frozen=True)
class MunicipalityRow:
    code: str
    name: str
    teams: int
    professionals: int


def organisation_totals() -> tuple[int, int]:
    """The number of municipalities and of teams (archived ones too), in one query."""
    row = db.session.execute(select(select(func.count(Municipality.id)).scalar_subquery(),
                                    select(func.count(Team.id)).scalar_subquery())).one()
    return row[0] or 0, row[1] or 0


def municipality_overview(region_id: int | None, limit: int | None = None) -> list[MunicipalityRow]:
    """Per municipality: number of active teams and active professionals. No names."""
    professionals = (
        select(Team.municipality_id.label("mid"), func.count(User.id).label("n"))
        .join(User, User.team_id == Team.id)
        .where(User.role == Role.PROFESSIONAL.value, User.active.is_(True), Team.archived_at.is_(None))
        .group_by(Team.municipality_id)
        .subquery()
    )
    teams = (
        select(Team.municipality_id.label("mid"), func.count(Team.id).label("n"))
        .where(Team.archived_at.is_(None))
        .group_by(Team.municipality_id)
        .subquery()
    )
    stmt = (
        select(
            Municipality.code,
            Municipality.name,
            func.coalesce(teams.c.n, 0),
            func.coalesce(professionals.c.n, 0),
        )
        .outerjoin(teams, teams.c.mid == Municipality.id)
        .outerjoin(professionals, professionals.c.mid == Municipality.id)
        .order_by(Municipality.name)
    )
    if region_id is not None:
        stmt = stmt.where(Municipality.region_id == region_id)
    return [MunicipalityRow(*row) for row in db.session.execute(stmt.limit(limit)).all()]


def all_regions() -> list[Region]:
    return list(db.session.scalars(select(Region).order_by(Region.code)))


def all_teams() -> list[tuple[Team, Municipality]]:
    rows = db.session.execute(
        select(Team, Municipality)
        .join(Municipality, Team.municipality_id == Municipality.id)
        .order_by(Team.code)
    ).all()
    return [(team, municipality) for team, municipality in rows]


@dataclass(frozen=True)
class TeamOverviewRow:
    id: int
    code: str
    name: str
    municipality: str
    members: int
    leaders: tuple[str, ...]
    archived: bool


def team_overview(limit: int | None = None) -> list[TeamOverviewRow]:
    """Every team (or the first `limit`) with its member count and leaders' names, in two queries whatever
    the size."""
    rows = db.session.execute(
        select(Team.id, Team.code, Team.name, Municipality.name, _member_count(), Team.archived_at)
        .join(Municipality, Team.municipality_id == Municipality.id)
        .order_by(Municipality.name, Team.name)
        .limit(limit)
    ).all()
    leaders: dict[int, list[str]] = {}
    leaders_stmt = (select(team_leaders.c.team_id, User.full_name)
                    .join(User, User.id == team_leaders.c.user_id).order_by(User.full_name))
    if limit is not None:
        leaders_stmt = leaders_stmt.where(team_leaders.c.team_id.in_([row[0] for row in rows]))
    for team_id, name in db.session.execute(leaders_stmt):
        leaders.setdefault(team_id, []).append(name)
    return [
        TeamOverviewRow(
            tid, code, name, municipality, members, tuple(leaders.get(tid, ())), archived is not None
        )
        for tid, code, name, municipality, members, archived in rows
    ]


def team_names(ids: list[int]) -> dict[int, str]:
    """ "CODE Name" of each of these teams (one query; for the audit log)."""
    if not ids:
        return {}
    rows = db.session.execute(select(Team.id, Team.code, Team.name).where(Team.id.in_(ids)))
    return {i: f"{code} {name}" for i, code, name in rows}


def municipality_names(ids: list[int]) -> dict[int, str]:
    """The name of each of these municipalities (one query; for the audit log)."""
    if not ids:
        return {}
    rows = db.session.execute(select(Municipality.id, Municipality.name).where(Municipality.id.in_(ids)))
    return {i: name for i, name in rows}


# --- the administrator's list of municipalities and teams: a page at a time ---------------------------

ORGANISATION_PAGE_SIZE = 50


@dataclass(frozen=True)
class OrganisationRow:
    kind: str  # "team" or "municipality"
    id: int
    code: str
    name: str
    municipality: str  # a team's municipality; a municipality's region
    archived_at: datetime | None


@dataclass(frozen=True)
class OrganisationPage:
    rows: list[OrganisationRow]
    total: int
    number: int
    pages: int

    @property
    def first(self) -> int:
        return (self.number - 1) * ORGANISATION_PAGE_SIZE + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.total, self.number * ORGANISATION_PAGE_SIZE)


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def organisation_page(kind: str, search: str, status: str, number: int) -> OrganisationPage:
    """One page of teams (kind "team") or municipalities, by name: those whose name or code (or, for a team,
    its municipality's name) holds `search`; open, archived or all (`status`: "open", "archived", "").
    Two queries whatever the size of the region: the count and the page."""
    if kind == "municipality":
        stmt = (select(Municipality.id, Municipality.code, Municipality.name, Region.name,
                       Municipality.archived_at)
                .join(Region, Region.id == Municipality.region_id))
        model: type[Team] | type[Municipality] = Municipality
        fields = [Municipality.name, Municipality.code]
    else:
        stmt = (select(Team.id, Team.code, Team.name, Municipality.name, Team.archived_at)
                .join(Municipality, Municipality.id == Team.municipality_id))
        model = Team
        fields = [Team.name, Team.code, Municipality.name]
    if status == "open":
        stmt = stmt.where(model.archived_at.is_(None))
    elif status == "archived":
        stmt = stmt.where(model.archived_at.is_not(None))
    text = search.strip().lower()[:200]
    if text:
        stmt = stmt.where(or_(*(func.lower(f).like(_like(text), escape="\\") for f in fields)))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    pages = max(1, -(-total // ORGANISATION_PAGE_SIZE))
    number = min(max(1, number), pages)
    rows = db.session.execute(stmt.order_by(model.name, model.code)
                              .limit(ORGANISATION_PAGE_SIZE).offset((number - 1) * ORGANISATION_PAGE_SIZE))
    return OrganisationPage([OrganisationRow("municipality" if kind == "municipality" else "team", *row)
                             for row in rows], total, number, pages)
