"""The little world the calibration, priorities, session and team-plan tests share.

A team with its leader and three professionals on the small test Kenniskaart (GC01, GC02, LG01-A1,
LG01-S1, LG02-A1): Anna and Bert have submitted, Cor's scan is a draft. Around it: another team with
its leader and a professional, a regional coordinator and an administrator.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from scan.access import Role
from scan.extensions import db
from scan.kenniskaart.models import Item, Section
from scan.teamschouw.models import Agreement, Calibration, TeamPriority, TeamSession, session_attendee
from tests.factories import make_kenniskaart, make_round, make_scan, make_team, make_user

# {item code: (level, ambition)}; level None = not applicable.
ANNA = {"GC01": (2, 3), "GC02": (3, 3), "LG01-A1": (1, 2), "LG01-S1": (3, 3), "LG02-A1": (2, 2)}
BERT = {"GC01": (1, 2), "GC02": (2, 2), "LG01-A1": (2, 3), "LG01-S1": (None, None), "LG02-A1": (3, 3)}
COR = {"GC01": (4, 4)}


def build(app: Any) -> dict[str, Any]:
    with app.app_context():
        version = make_kenniskaart()
        team = make_team(name="Wijkteam Proef")
        other_team = make_team(name="Wijkteam Elders")
        leader = make_user(Role.TEAMLEIDER, teams=[team], full_name="Lies Leider")
        other_leader = make_user(Role.TEAMLEIDER, teams=[other_team], full_name="Olaf Ander")
        anna = make_user(Role.PROFESSIONAL, team=team, full_name="Anna Aalders")
        bert = make_user(Role.PROFESSIONAL, team=team, full_name="Bert Bakker")
        cor = make_user(Role.PROFESSIONAL, team=team, full_name="Cor Claassen")
        outsider = make_user(Role.PROFESSIONAL, team=other_team, full_name="Els Elders")
        regio = make_user(Role.REGIOCOORDINATOR)
        admin = make_user(Role.BEHEERDER)
        scan_round = make_round(team, version)
        other_round = make_round(other_team, version)
        anna_scan = make_scan(scan_round, anna, ANNA, submitted=True)
        bert_scan = make_scan(scan_round, bert, BERT, submitted=True)
        cor_scan = make_scan(scan_round, cor, COR)
        outsider_scan = make_scan(other_round, outsider, {"GC01": (2, 2)}, submitted=True)
        items = {i.code: i.id for i in db.session.scalars(select(Item).where(Item.version_id == version.id))}
        sections = {
            s.code: s.id for s in db.session.scalars(select(Section).where(Section.version_id == version.id))
        }
        db.session.commit()
        return {
            "team": team.id,
            "other_team": other_team.id,
            "round": scan_round.id,
            "other_round": other_round.id,
            "version": version.id,
            "leader": leader.username,
            "leader_id": leader.id,
            "other_leader": other_leader.username,
            "anna": anna.username,
            "anna_id": anna.id,
            "bert": bert.username,
            "bert_id": bert.id,
            "cor": cor.username,
            "cor_id": cor.id,
            "outsider": outsider.username,
            "outsider_id": outsider.id,
            "regio": regio.username,
            "admin": admin.username,
            "anna_scan": anna_scan.id,
            "bert_scan": bert_scan.id,
            "cor_scan": cor_scan.id,
            "outsider_scan": outsider_scan.id,
            "items": items,
            "sections": sections,
        }


def base(w: dict[str, Any], round_key: str = "round", team_key: str = "team") -> str:
    return f"/teams/{w[team_key]}/rondes/{w[round_key]}/teamschouw"


def counts(app: Any) -> dict[str, int]:
    """Rows of everything these pages write, to show that a refused POST changed nothing."""
    with app.app_context():
        return {
            model.__name__: db.session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Calibration, TeamPriority, Agreement, TeamSession)
        } | {"attendees": db.session.scalar(select(func.count()).select_from(session_attendee)) or 0}


def consents(app: Any) -> dict[int, str | None]:
    with app.app_context():
        return {a.id: a.consent for a in db.session.scalars(select(Agreement))}


def english(client: Any) -> None:
    """Switch the browser session to English (before logging in, as a visitor would)."""
    client.submit("/taal", {"lang": "en", "next": "/inloggen"}, page="/inloggen")
