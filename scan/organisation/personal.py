"""The organisation's personal data: which teams a person leads (the contract: scan.core.personal_data;
collected by scan.privacy). The teams are exported with the account (scan.auth.personal)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, delete, select

from scan.core.personal_data import Erasure, Person, PersonalTable, PreviewCount
from scan.extensions import db
from scan.organisation.models import team_leaders


def _leading(user_id: int) -> Select[Any]:
    return select(team_leaders.c.team_id, team_leaders.c.user_id).where(team_leaders.c.user_id == user_id)


def _delete_leading(person: Person, _replacement: str) -> None:
    db.session.execute(delete(team_leaders).where(team_leaders.c.user_id == person.id))


ERASE_PREVIEW = (
    PreviewCount("led_teams",
                 lambda uid: select(team_leaders.c.team_id).where(team_leaders.c.user_id == uid)),
)

TABLES = (
    PersonalTable(
        "team_leader", _leading, Erasure.DELETE, export="account.led_teams", erase=_delete_leading,
        person_columns=("user_id",),
        reason="not under retention: a current link, removed when the leader leaves the team or is erased",
    ),
)
