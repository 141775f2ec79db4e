"""The teamschouw start page: where the team stands, step by step with a status, in a fixed number of
queries; not a bare list of links."""

import re
from datetime import date

import pytest

from scan.access import Role
from scan.extensions import db
from scan.teamschouw.models import Agreement, Calibration, TeamNorm, TeamPriority, TeamSession
from scan.teamschouw.progress import BUSY, DONE, TODO, Steps
from tests.factories import login, make_round, make_scan, make_team, make_user
from tests.teamschouw import plan_world
from tests.teamschouw.plan_world import english


@pytest.fixture
def w(app):
    return plan_world.build(app)


def _steps(html):
    """step id -> (status, visible status text, hint)."""
    found = re.findall(
        r'<li class="app-task-list__item" id="step-(\w+)" data-status="(\w+)">.*?'
        r'id="step-\w+-status"><span aria-hidden="true">.</span> ([^<]+)</div>\s*'
        r'<p class="app-task-list__hint" id="step-\w+-hint">(.*?)</p>', html, re.S)
    return {key: (status, text.strip(), " ".join(hint.split())) for key, status, text, hint in found}


def test_a_fresh_round_shows_each_step_and_what_is_left(client, w):
    english(client)
    login(client, w["leader"])
    html = client.get(plan_world.base(w) + "/").get_data(as_text=True)
    steps = _steps(html)
    assert list(steps) == ["scans", "calibration", "coverage", "priorities", "agreements", "session"]
    assert steps["scans"] == ("busy", "In progress", "2 of 3 members")
    assert steps["calibration"] == ("todo", "Not started",
                                    "Agreed levels recorded for 0 of 2 submitted scans")
    assert steps["coverage"][0] == "busy" and "the team's own norms are not set yet" in steps["coverage"][2]
    assert "of 2 life domains need attention" in steps["coverage"][2]
    assert steps["priorities"] == ("todo", "Not started", "0 priorities")
    assert steps["agreements"] == ("todo", "Not started", "0 agreements")
    assert steps["session"] == ("todo", "Not started", "Not recorded yet")
    # Each step links to its page; the matrix and the report are there too.
    assert f'href="{plan_world.base(w)}/kalibratie"' in html and f'href="{plan_world.base(w)}/matrix"' in html


def test_the_steps_follow_what_the_team_did(app, client, w):
    with app.app_context():
        db.session.add(Calibration(scan_id=w["anna_scan"], item_id=w["items"]["GC01"], agreed_level=3,
                                   set_by_id=w["leader_id"]))
        db.session.add(TeamNorm(team_id=w["team"], section_code="LG01", min_specialists=1))
        db.session.add(TeamPriority(round_id=w["round"], item_id=w["items"]["GC01"], reason="Belangrijk"))
        db.session.add(Agreement(round_id=w["round"], kind="vraagbaak", member_id=w["anna_id"],
                                 item_id=w["items"]["GC01"], consent="pending"))
        db.session.add(Agreement(round_id=w["round"], kind="other", text="Intervisie"))
        db.session.add(TeamSession(round_id=w["round"], held_on=date(2027, 3, 4)))
        db.session.commit()
    login(client, w["leader"])
    steps = _steps(client.get(plan_world.base(w) + "/").get_data(as_text=True))
    assert steps["calibration"] == ("busy", "Bezig",
                                    "Afgesproken niveaus vastgelegd voor 1 van 2 ingediende scans")
    assert steps["coverage"][0] == "done"
    assert "de eigen normen van het team zijn ingesteld" in steps["coverage"][2]
    assert steps["priorities"] == ("done", "Klaar", "1 prioriteit")
    assert steps["agreements"] == ("busy", "Bezig", "2 afspraken; 1 verzoek wacht op antwoord")
    assert steps["session"] == ("done", "Klaar", "Gehouden op 4 maart 2027")


def test_what_counts_as_done():
    def steps(**kw):
        base = dict(members=3, submitted=3, calibrated=3, attention=0, leefgebieden=2, team_norms_set=True,
                    priorities=1, agreements=1, agreements_waiting=0, session_held_on=date(2027, 1, 1))
        return Steps(**(base | kw))

    assert steps().scans == DONE and steps(submitted=0, calibrated=0).scans == TODO
    assert steps(members=0, submitted=0, calibrated=0).scans == TODO  # an empty team is not "done"
    assert steps(calibrated=2).calibration == BUSY
    assert steps(team_norms_set=False).coverage == BUSY
    assert steps(team_norms_set=False, submitted=0, calibrated=0).coverage == TODO
    assert steps(agreements_waiting=1).agreements_status == BUSY
    assert steps(session_held_on=None).session == TODO


def _team(n):
    team = make_team()
    leader = make_user(Role.TEAMLEIDER, teams=[team])
    scan_round = make_round(team)
    for _ in range(n):
        make_scan(scan_round, make_user(Role.PROFESSIONAL, team=team), {"GC01": (2, 3)}, submitted=True)
    return leader.username, f"/teams/{team.id}/rondes/{scan_round.id}/teamschouw/"


def test_the_start_page_runs_the_same_number_of_queries_for_3_or_12_members(app, count_queries):
    with app.app_context():
        small, large = _team(3), _team(12)
        db.session.commit()
    counts = []
    for username, url in (small, large):
        client = app.test_client()
        login(client, username)
        count_queries.statements.clear()
        assert client.get(url).status_code == 200
        counts.append(count_queries.count)
    assert counts[0] == counts[1], counts


def _leader_of(n):
    """A team leader of `n` teams, the first with a round and 3 submitted scans. Of the others, each but the
    last has an older and a newer round; the last has none yet."""
    teams = [make_team(name=f"Wijkteam {chr(65 + i)}{n}") for i in range(n)]
    leader = make_user(Role.TEAMLEIDER, teams=teams)
    first = make_round(teams[0])
    for _ in range(3):
        make_scan(first, make_user(Role.PROFESSIONAL, team=teams[0]), {"GC01": (2, 3)}, submitted=True)
    for team in teams[1:-1]:
        make_round(team, first.version, opens_in_days=-400, closes_in_days=-380, title="Ronde vorig jaar")
        make_round(team, first.version, title=f"Ronde nu {team.name}")
    return leader.username, f"/teams/{teams[0].id}/rondes/{first.id}/teamschouw/", [t.name for t in teams]


def test_the_start_page_runs_the_same_number_of_queries_for_a_leader_of_1_or_4_teams(app, count_queries):
    with app.app_context():
        one, four = _leader_of(1), _leader_of(4)
        db.session.commit()
    counts = []
    for username, url, names in (one, four):
        client = app.test_client()
        login(client, username)
        count_queries.statements.clear()
        response = client.get(url)
        assert response.status_code == 200
        counts.append(count_queries.count)
        html = response.get_data(as_text=True)
        if len(names) == 1:
            assert "Je andere teams" not in html
        else:
            # Each other team links to its latest round; one without a round says so; this team is not listed.
            others = html.split("Je andere teams", 1)[1].split("</ul>", 1)[0]
            for name in names[1:-1]:
                assert f"{name} · Ronde nu {name}</a>" in others
            assert f"{names[-1]} · nog geen scanrondes" in others
            assert "Ronde vorig jaar" not in others and f"{names[0]} ·" not in others
    assert counts[0] == counts[1], counts
