"""The team leader's overview of the team's POPs: counts per status and per member, never content."""

from __future__ import annotations

import re
from typing import Any

import pytest

from scan.access import Role
from scan.extensions import db
from scan.organisation.models import Team
from scan.pop.models import Pop, PopAction, PopGoal, PopStatus, PopVersion
from tests.factories import login, make_round, make_user
from tests.pop.world import build, english, make_pop


@pytest.fixture
def w(app: Any) -> dict[str, Any]:
    return build(app)


def _add_action(app: Any, goal_id: int, status: str) -> None:
    with app.app_context():
        db.session.add(
            PopAction(goal_id=goal_id, type="zelfstudie", description="Geheim boek lezen", status=status)
        )
        db.session.commit()


def _cell(html: str, status: str) -> str:
    match = re.search(rf'data-status="{status}">(\d+)<', html)
    assert match, status
    return match.group(1)


def test_counts_per_status_and_per_member_without_any_content(app, client, w):
    anna = make_pop(app, w, "anna", status=PopStatus.SIGNED, action_status="afgerond")
    _add_action(app, anna["goal"], "bezig")
    make_pop(app, w, "bert", status=PopStatus.PROPOSED)
    login(client, w["leader"])
    response = client.get(f"/teams/{w['team']}/pops")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Ontwikkelplannen van Wijkteam Proef" in html
    assert [_cell(html, s) for s in ("draft", "proposed", "returned", "agreed", "signed", "none")] == [
        "0",
        "1",
        "0",
        "0",
        "1",
        "1",
    ]
    assert "1 van 3 acties afgerond in dit team." in html
    rows = re.findall(r"<tr class=\"utrecht-table__row\">\s*<th scope=\"row\"[^>]*>(.*?)</tr>", html, re.S)
    members = [
        re.sub(r"<[^>]+>", "|", row)
        for row in rows
        if "Aalders" in row or "Bakker" in row or "Claassen" in row
    ]
    assert "Anna Aalders" in members[0] and "Ondertekend" in members[0] and "1 van 2" in members[0]
    assert "Bert Bakker" in members[1] and "Voorgesteld aan de teamleider" in members[1]
    assert "0 van 1" in members[1]
    assert "Cor Claassen" in members[2] and "Nog geen plan" in members[2]
    assert f'href="/pop/{anna["pop"]}"' in html
    # Counts only: no goal, action or reflection text, and nobody of another team.
    for secret in ("Beter contact maken", "Training volgen", "Geheim boek lezen", "Els Elders"):
        assert secret not in html


def test_the_latest_version_counts_and_another_round_can_be_chosen(app, client, w):
    ids = make_pop(app, w, "anna", status=PopStatus.SIGNED)
    with app.app_context():
        pop = db.session.get(Pop, ids["pop"])
        v2 = PopVersion(pop=pop, number=2, status=PopStatus.DRAFT)
        goal = PopGoal(version=v2, item_id=w["items"]["GC01"], description="x")
        goal.actions = [PopAction(type="coaching", status="afgerond"), PopAction(type="coaching")]
        db.session.add(v2)
        team = db.session.get(Team, w["team"])
        older = make_round(team, title="Ontwikkelscan najaar 2026", opens_in_days=-400, closes_in_days=-380)
        db.session.commit()
        older_id = older.id
    login(client, w["leader"])
    html = client.get(f"/teams/{w['team']}/pops").get_data(as_text=True)
    # Version 2 is Anna's draft: the leader sees the signed version 1 and its numbers, and that a new
    # version is being drafted, nothing of the draft.
    assert _cell(html, "draft") == "0" and _cell(html, "signed") == "1"
    assert "0 van 1 actie afgerond in dit team." in html
    assert "Er wordt aan een nieuwe versie gewerkt." in html
    assert f'<option value="{older_id}">Ontwikkelscan najaar 2026</option>' in html
    html = client.get(f"/teams/{w['team']}/pops?ronde={older_id}").get_data(as_text=True)
    assert _cell(html, "none") == "3" and _cell(html, "draft") == "0"
    assert f'<option value="{older_id}" selected>' in html
    # A round of another team is not found here.
    assert client.get(f"/teams/{w['team']}/pops?ronde={w['other_round']}").status_code == 404


def test_the_overview_in_english(app, client, w):
    make_pop(app, w, "anna", status=PopStatus.RETURNED)
    english(client)
    login(client, w["leader"])
    html = client.get(f"/teams/{w['team']}/pops").get_data(as_text=True)
    assert "Development plans of Wijkteam Proef" in html and "Sent back by the team leader" in html
    assert "0 of 1 action done in this team." in html


@pytest.mark.parametrize("who", ["anna", "other_leader", "regio", "admin"])
def test_only_the_teams_own_leader_sees_the_overview(app, client, w, who):
    login(client, w[who])
    assert client.get(f"/teams/{w['team']}/pops").status_code == 403


def test_anonymous_is_sent_to_login_and_unknown_teams_are_not_found(app, client, w):
    response = client.get(f"/teams/{w['team']}/pops")
    assert response.status_code == 302 and response.headers["Location"].startswith("/inloggen?next=")
    login(client, w["leader"])
    assert client.get("/teams/999999/pops").status_code == 404


def test_the_team_page_links_to_the_overview_for_the_leader_only(app, w):
    leader, admin = app.test_client(), app.test_client()
    login(leader, w["leader"])
    login(admin, w["admin"])
    link = f'href="/teams/{w["team"]}/pops"'
    assert link in leader.get(f"/teams/{w['team']}").get_data(as_text=True)
    assert link not in admin.get(f"/teams/{w['team']}").get_data(as_text=True)


def test_the_overview_runs_a_fixed_number_of_queries(app, client, w, count_queries):
    login(client, w["leader"])
    make_pop(app, w, "anna")

    def measure() -> int:
        count_queries.statements.clear()
        assert client.get(f"/teams/{w['team']}/pops").status_code == 200
        return count_queries.count

    small = measure()
    with app.app_context():
        team = db.session.get(Team, w["team"])
        extra = [make_user(Role.PROFESSIONAL, team=team) for _ in range(6)]
        db.session.commit()
        extra_ids = [u.id for u in extra]
    for user_id in extra_ids:
        w[f"x{user_id}_id"] = user_id
        make_pop(app, w, f"x{user_id}", status=PopStatus.SIGNED)
    assert measure() == small
    assert small <= 6
