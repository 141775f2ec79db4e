"""The teamschouw's forms with hostile input: norms, calibration, priorities, agreements (vraagbaak
included) and the session's notes and attendance."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.helpers import date, fields, fuzz_post, number, one_of_or_any, query, send_and_check, text
from tests.teamschouw.plan_world import base

PLAN_TABLES = ("team_priority", "team_agreement", "teamschouw_session", "teamschouw_attendee")


def _targets(w: dict[str, Any]) -> st.SearchStrategy:
    return one_of_or_any(
        *(f"item:{i}" for i in w["items"].values()), *(f"section:{s}" for s in w["sections"].values()),
        "item:0", "section:999999999999", "item:²", "item:", ":", "team:1",
    )


def _members(w: dict[str, Any]) -> st.SearchStrategy:
    return one_of_or_any(w["anna_id"], w["bert_id"], w["cor_id"], w["outsider_id"], w["leader_id"], 0)


@given(data=st.data())
def test_team_norms(app, world, browser, data):
    client, token = browser(world["leader"])
    pairs = data.draw(fields({f"norm-{code}": number() for code in ("GC", "LG01", "LG02", "XX")}))
    fuzz_post(app, client, f"{base(world)}/normen", token, pairs, tables=("team_norm",))


@given(data=st.data())
def test_calibration(app, world, browser, data):
    client, token = browser(world["leader"])
    spec: dict[str, st.SearchStrategy] = {"last_seen": number()}
    for code in ("GC01", "GC02", "XX99"):
        spec[f"agreed-{code}"] = one_of_or_any("", "1", "2", "3", "4", "nvt")
        spec[f"note-{code}"] = text()
    pairs = data.draw(fields(spec))
    section = data.draw(one_of_or_any("GC", "LG01"))
    scan = data.draw(st.sampled_from(("anna_scan", "cor_scan", "outsider_scan")))
    url = f"{base(world)}/kalibratie/{world[scan]}"
    fuzz_post(app, client, url, token, pairs, tables=("calibration",))
    query_pairs = [("sectie", section)]
    send_and_check(app, client, lambda: query(client, url, query_pairs), query_pairs, never_writes=True)


@given(data=st.data())
def test_priorities_and_agreements(app, world, browser, data):
    client, token = browser(world["leader"])
    targets, members = _targets(world), _members(world)
    forms = {
        "prioriteiten/toevoegen": {"priority-target": targets, "priority-reason": text()},
        "prioriteiten/overnemen": {"item_id": one_of_or_any(*world["items"].values())},
        "afspraken/vraagbaak": {"vraagbaak-member": members, "vraagbaak-target": targets},
        "afspraken/groei": {"grow-member": members, "grow-text": text(),
                            "grow-section": one_of_or_any(*world["sections"].values())},
        "afspraken/overig": {"other-text": text()},
    }
    path = data.draw(st.sampled_from(sorted(forms)))
    pairs = data.draw(fields(forms[path]))
    fuzz_post(app, client, f"{base(world)}/{path}", token, pairs, tables=PLAN_TABLES)


@given(data=st.data())
def test_moving_and_removing(app, world, browser, data):
    """Move a priority with any direction; remove with extra fields: the rest of the page stays."""
    from scan.extensions import db
    from scan.teamschouw.models import TeamPriority

    client, token = browser(world["leader"])
    with app.app_context():
        query = db.select(TeamPriority.id).where(TeamPriority.round_id == world["round"])
        ids = list(db.session.scalars(query))

    priority = data.draw(st.sampled_from([*ids, 999999]))
    pairs = data.draw(fields({"direction": one_of_or_any("up", "down")}))
    fuzz_post(app, client, f"{base(world)}/prioriteiten/{priority}/verplaatsen", token, pairs,
              tables=PLAN_TABLES)


@given(data=st.data())
def test_session_notes_and_attendance(app, world, browser, data):
    client, token = browser(world["leader"])
    members = _members(world)
    pairs = data.draw(fields({
        "held_on": date(),
        "attendees": members,
        "notes": text(),
        "decisions": text(),
    }))
    # Attendance is a list: several members, some twice, some not in the team.
    pairs += [("attendees", data.draw(members)) for _ in range(data.draw(st.integers(0, 4)))]
    fuzz_post(app, client, f"{base(world)}/sessie", token, pairs, tables=PLAN_TABLES)


@given(data=st.data())
def test_the_member_answers_a_vraagbaak_request(app, world, browser, data):
    from scan.extensions import db
    from scan.teamschouw.models import Agreement

    client, token = browser(world["cor"])
    with app.app_context():
        ids = list(db.session.scalars(db.select(Agreement.id)))
    agreement = data.draw(st.sampled_from([*ids, 0]))
    verb = data.draw(st.sampled_from(("accepteren", "afwijzen")))
    pairs = data.draw(fields({"x": text()}))
    fuzz_post(app, client, f"/mijn/team/vraagbaak/{agreement}/{verb}", token, pairs, tables=PLAN_TABLES)
