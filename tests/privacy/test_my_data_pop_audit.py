"""Mijn gegevens holds the person's POPs, their own audit-log rows and the teamschouw sessions they attended
(README, "Personal data and retention"), in JSON and CSV; never another person's."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from scan.audit.models import AuditEvent
from scan.auth.models import User
from scan.db import utcnow
from scan.extensions import db
from scan.kenniskaart.models import KenniskaartVersion
from scan.organisation.models import Team
from scan.pop.models import Pop, PopAction, PopGoal, PopVersion
from scan.teamschouw.models import TeamSession
from tests.factories import login, make_round
from tests.pop import world as pop_world


def _read_csv(body: bytes) -> list[dict[str, str]]:
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def _signed_pop(w: dict[str, Any], user_key: str, round_id: int, *, goals: int = 1, actions: int = 1,
                tag: str = "") -> None:
    """A POP with a signed version 1 and a draft version 2, each with `goals` goals of `actions` actions."""
    now = utcnow()
    pop = Pop(round_id=round_id, user_id=w[f"{user_key}_id"])
    signed = PopVersion(pop=pop, number=1, status="signed", proposed_at=now, agreed_at=now,
                        agreed_by_id=w["leader_id"], professional_signed_at=now, leader_signed_at=now,
                        leader_signed_by_id=w["leader_id"], leader_comment=f"Prima plan{tag}")
    draft = PopVersion(pop=pop, number=2, status="draft")
    db.session.add_all([pop, signed, draft])
    for version in (signed, draft):
        for g in range(goals):
            goal = PopGoal(version=version, position=g, item_id=w["items"]["GC01"], reason_kind="ambition",
                           reason=f"Ambitie 3{tag}", reason_level=2, reason_ambition=3,
                           reason_level_agreed=True,
                           description=f"Beter contact maken{tag} v{version.number}",
                           target_level=3)
            for n in range(actions):
                db.session.add(PopAction(
                    goal=goal, type="training", description=f"Training volgen{tag} {n}",
                    training_id=w["trainings"]["TR-GC01"], planned_from=date(2027, 3, 1),
                    planned_until=date(2027, 6, 1), hours=Decimal("16.0"), points=12, status="afgerond",
                    reflection=f"Veel geleerd over motiveren{tag}",
                ))
            db.session.add(goal)


@pytest.fixture
def w(app):
    w = pop_world.build(app)
    with app.app_context():
        _signed_pop(w, "anna", w["round"])
        _signed_pop(w, "bert", w["round"], tag=" BERTGEHEIM")
        session = TeamSession(round_id=w["round"], held_on=date(2027, 3, 10), updated_by_id=w["leader_id"])
        session.attendees = [db.session.get(User, w["anna_id"])]
        db.session.add_all([
            session,
            AuditEvent(actor_id=w["anna_id"], actor_name=w["anna"], action="pop.sign", object_type="pop",
                       object_id="77", detail="version 1", address="192.0.2.7"),
            AuditEvent(actor_id=w["bert_id"], actor_name=w["bert"], action="pop.sign", object_type="pop",
                       object_id="88", detail="version 1", address="198.51.100.99"),
        ])
        db.session.commit()
    return w


def test_my_pops_audit_rows_and_attended_sessions_are_in_my_data_json(client, w):
    login(client, w["anna"])
    text = client.get("/mijn/gegevens.json").get_data(as_text=True)
    data = json.loads(text)

    [pop] = data["pops"]
    assert [(v["number"], v["status"]) for v in pop["versions"]] == [(1, "signed"), (2, "draft")]
    signed = pop["versions"][0]
    assert signed["signed_by_you_at"] and signed["signed_by_leader_at"]
    assert signed["signed_by_leader"] == "Lies Leider" and signed["agreed_by"] == "Lies Leider"
    assert signed["leader_comment"] == "Prima plan"
    [goal] = signed["goals"]
    assert (goal["item_code"], goal["description"], goal["reason_kind"], goal["target_level"]) == (
        "GC01", "Beter contact maken v1", "ambition", 3
    )
    # The reason's facts, as stored (the sentence is worded when read).
    assert (goal["reason_level"], goal["reason_ambition"], goal["reason_level_agreed"]) == (2, 3, True)
    [action] = goal["actions"]
    assert action["status"] == "afgerond" and action["reflection"] == "Veel geleerd over motiveren"
    assert action["training"] == "Motiverende gespreksvoering" and action["hours"] == 16
    assert action["planned_until"] == "2027-06-01"
    assert pop["versions"][1]["goals"][0]["description"] == "Beter contact maken v2"

    assert data["teamschouw_attendance"] == [{"round": pop["round"], "team": "Wijkteam Proef",
                                              "held_on": "2027-03-10"}]
    sign = [e for e in data["audit_log"] if e["action"] == "pop.sign"]
    assert [(e["object_type"], e["object_id"], e["address"]) for e in sign] == [("pop", "77", "192.0.2.7")]
    assert any(e["action"].startswith("login") for e in data["audit_log"])  # this login, recorded

    assert "BERTGEHEIM" not in text and "198.51.100.99" not in text and '"88"' not in text


def test_my_pops_audit_rows_and_attended_sessions_are_in_my_data_csv(client, w):
    login(client, w["anna"])
    body = client.get("/mijn/gegevens.csv").get_data()
    rows = _read_csv(body)

    actions = [r for r in rows if r["Soort regel"] == "POP-actie"]
    assert [(r["POP-versie"], r["POP-status"], r["Doel"]) for r in actions] == [
        ("1", "Ondertekend", "Beter contact maken v1"),
        ("2", "Concept", "Beter contact maken v2"),
    ]
    first = actions[0]
    assert first["Itemcode"] == "GC01" and first["Ronde"]
    assert first["Actiestatus"] == "afgerond" and first["Reflectie"] == "Veel geleerd over motiveren"
    assert first["Actie"] == "Training volgen 0" and first["Uren"] == "16.0"
    assert first["Getekend door jou op"] and first["Getekend door de teamleider op"]
    assert first["Getekend door"] == "Lies Leider"
    assert actions[1]["Getekend door jou op"] == ""

    [session] = [r for r in rows if r["Soort regel"] == "Bijgewoonde teamschouw"]
    assert session["Team van de ronde"] == "Wijkteam Proef"
    assert session["Tijdstip gebeurtenis"] == "2027-03-10"
    sign = [r for r in rows if r["Soort regel"] == "Logboek" and r["Object"] == "pop 77"]
    assert [(r["Gebeurtenis"], r["Adres"]) for r in sign] == [("POP ondertekend", "192.0.2.7")]

    assert b"BERTGEHEIM" not in body and b"198.51.100.99" not in body


def test_my_data_query_count_does_not_grow_with_pops_audit_rows_or_sessions(app, client, w, count_queries):
    with app.app_context():
        # Cor: one small POP. Anna: a second POP in an earlier round with 3 goals of 3 actions, more
        # audit rows and a second session.
        _signed_pop(w, "cor", w["round"])
        version = db.session.get(KenniskaartVersion, w["version"])
        earlier = make_round(db.session.get(Team, w["team"]), version,
                             opens_in_days=-400, closes_in_days=-380, title="Eerdere ronde")
        _signed_pop(w, "anna", earlier.id, goals=3, actions=3)
        session = TeamSession(round_id=earlier.id, held_on=date.today() - timedelta(days=390))
        session.attendees = [db.session.get(User, w["anna_id"])]
        db.session.add(session)
        db.session.add_all(AuditEvent(actor_id=w["anna_id"], actor_name=w["anna"], action="export",
                                      object_type="x", object_id=str(n)) for n in range(20))
        db.session.commit()

    def queries(username: str) -> tuple[int, dict[str, Any]]:
        login(client, username)
        count_queries.statements.clear()
        data = json.loads(client.get("/mijn/gegevens.json").get_data())
        count = count_queries.count
        client.submit("/uitloggen", page="/mijn/gegevens")
        return count, data

    small, small_data = queries(w["cor"])
    large, large_data = queries(w["anna"])
    assert len(small_data["pops"]) == 1 and len(large_data["pops"]) == 2
    assert len(large_data["teamschouw_attendance"]) == 2
    assert sum(len(g["actions"]) for g in large_data["pops"][0]["versions"][0]["goals"]) == 9
    assert small == large


def test_my_data_page_says_pops_teamschouw_and_the_audit_log_are_included(client, w):
    login(client, w["anna"])
    html = client.get("/mijn/gegevens").get_data(as_text=True)
    assert "Je POP's: elke versie met de doelen en acties" in html
    assert "afspraken over jou en de sessies waar je bij was" in html
    assert "wat het logboek van je handelingen vastlegde" in html
