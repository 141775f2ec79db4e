"""The demo region: fictional, complete, loaded once, every account printed."""

from collections import Counter

from sqlalchemy import func, select

from scan.access import Role
from scan.auth.models import User
from scan.extensions import db
from scan.kenniskaart.models import KenniskaartVersion
from scan.organisation.models import Municipality, Team
from tests.factories import login


def test_demo_seed_builds_the_region_and_the_kenniskaart(app, runner):
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    assert "Demoregio geladen" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Municipality.id))) >= 3
        teams = db.session.scalars(select(Team)).all()
        assert len(teams) >= 6
        roles = Counter(db.session.scalars(select(User.role)))
        assert roles[Role.REGIOCOORDINATOR.value] == 1 and roles[Role.BEHEERDER.value] == 1
        for team in teams:
            professionals = [m for m in team.members if m.role == Role.PROFESSIONAL.value]
            assert 20 <= len(professionals) <= 30, team.code
            assert team.leaders, f"{team.code} has no team leader"
        leaders = db.session.scalars(select(User).where(User.role == Role.TEAMLEIDER.value)).all()
        assert any(len(leader.led_teams) == 2 for leader in leaders)
        assert db.session.scalar(select(func.count(KenniskaartVersion.id))) == 1


def test_demo_seed_refuses_a_database_with_data_but_if_empty_succeeds(app, runner):
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    again = runner.invoke(args=["demo", "seed"])
    assert again.exit_code == 1 and "Traceback" not in again.output
    quiet = runner.invoke(args=["demo", "seed", "--if-empty"])
    assert quiet.exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(func.count(Team.id))) == 7
        assert db.session.scalar(select(func.count(KenniskaartVersion.id))) == 1


def test_every_demo_account_is_printed_and_its_password_works(app, runner, client):
    runner.invoke(args=["demo", "seed"])
    output = runner.invoke(args=["demo", "accounts"]).output
    with app.app_context():
        usernames = set(db.session.scalars(select(User.username)))
    lines = output.splitlines()
    for username in usernames:
        assert any(f" {username} " in f" {line} " for line in lines), username
    # Pick one printed line per role and log in with exactly what it says.
    for role_label, start in (("Professional", "/mijn"), ("Teamleider", "/teams/"),
                              ("Regiocoördinator", "/regio/"), ("Beheerder", "/beheer/")):
        line = next(line for line in lines if line.startswith(role_label))
        _label, username, password, *_rest = line.split()
        response = login(client, username, password)
        assert response.headers["Location"] == start, (role_label, output)
        client.submit("/uitloggen", page=start)
