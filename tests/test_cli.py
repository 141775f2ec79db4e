"""The provisioning command line: clear errors, no tracebacks, all or nothing."""

from sqlalchemy import func, select

from scan.access import Role
from scan.auth.models import User
from scan.extensions import db
from tests.factories import make_region, make_team, make_user


def _count_users(app):
    with app.app_context():
        return db.session.scalar(select(func.count(User.id)))


def test_users_add_creates_an_account_with_its_team(app, runner):
    with app.app_context():
        make_team(code="T-ZUID")
        db.session.commit()
    result = runner.invoke(
        args=["users", "add", "S.Bakker", "--role", "professional", "--name", "Sanne Bakker",
              "--team", "T-ZUID", "--password", "paarse fiets onder de brug"]
    )
    assert result.exit_code == 0, result.output
    assert "s.bakker" in result.output
    with app.app_context():
        user = db.session.scalars(select(User).where(User.username == "s.bakker")).one()
        assert user.full_name == "Sanne Bakker" and user.team.code == "T-ZUID"


def test_users_add_without_name_shows_the_username(app, runner):
    with app.app_context():
        make_region(code="R1")
        db.session.commit()
    result = runner.invoke(args=["users", "add", "coordinator", "--role", "regiocoordinator",
                                 "--region", "R1", "--password", "paarse fiets onder de brug"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalars(select(User.full_name)).one() == "coordinator"


def test_users_add_reports_every_problem_and_writes_nothing(app, runner):
    result = runner.invoke(
        args=["users", "add", "x y", "--role", "baas", "--team", "NOPE", "--password", "kort"]
    )
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "Onbekende rol baas" in result.output
    assert "Onbekende teamcode: NOPE." in result.output
    assert "Gebruik minstens 12 tekens." in result.output
    assert "zonder spaties" in result.output
    assert _count_users(app) == 0


def test_a_team_leader_can_lead_two_teams(app, runner):
    with app.app_context():
        make_team(code="A")
        make_team(code="B")
        db.session.commit()
    result = runner.invoke(args=["users", "add", "leider", "--role", "teamleider", "--team", "A",
                                 "--team", "B", "--password", "paarse fiets onder de brug"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalars(select(User)).one()
        assert sorted(t.code for t in user.led_teams) == ["A", "B"]


def test_users_import_writes_all_rows(app, runner, tmp_path):
    with app.app_context():
        make_team(code="T1")
        make_team(code="T2")
        make_region(code="REG")
        db.session.commit()
    path = tmp_path / "accounts.csv"
    path.write_text(
        "username;role;name;team;region;password\n"
        "p.een;professional;Piet Een;T1;;paarse fiets onder de brug\n"
        "l.twee;teamleider;Lies Twee;T1|T2;;groene fiets onder de brug\n"
        "r.drie;regiocoordinator;Rob Drie;;REG;gele fiets onder de brug\n",
        encoding="utf-8-sig",
    )
    result = runner.invoke(args=["users", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "3 accounts geïmporteerd." in result.output
    with app.app_context():
        leader = db.session.scalars(select(User).where(User.username == "l.twee")).one()
        assert {t.code for t in leader.led_teams} == {"T1", "T2"}


def test_users_import_names_row_and_column_and_writes_nothing(app, runner, tmp_path):
    with app.app_context():
        make_team(code="T1")
        make_user(Role.BEHEERDER, username="bestaat")
        db.session.commit()
    path = tmp_path / "accounts.csv"
    path.write_text(
        "username,role,team,password\n"
        "goed,professional,T1,paarse fiets onder de brug\n"
        "bestaat,professional,T1,paarse fiets onder de brug\n"
        "slecht,professional,T9,paarse fiets onder de brug\n"
        "goed,professional,T1,paarse fiets onder de brug\n"
        "kort,professional,T1,kort\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["users", "import", str(path)])
    assert result.exit_code == 1
    out = result.output
    assert "Rij 3, kolom username: De gebruikersnaam bestaat is al in gebruik." in out
    assert "Rij 4, kolom team: Onbekende teamcode: T9." in out
    assert "Rij 5, kolom username: De gebruikersnaam goed staat ook in rij 2." in out
    assert "Rij 6, kolom password: Gebruik minstens 12 tekens." in out
    assert "Traceback" not in out
    assert _count_users(app) == 1


def test_users_import_rejects_files_that_are_not_an_accounts_csv(app, runner, tmp_path):
    binary = tmp_path / "foto.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    result = runner.invoke(args=["users", "import", str(binary)])
    assert result.exit_code == 1 and "geen UTF-8" in result.output
    wrong = tmp_path / "kolommen.csv"
    wrong.write_text("naam;wachtwoord\nx;y\n")
    result = runner.invoke(args=["users", "import", str(wrong)])
    assert result.exit_code == 1
    assert "Rij 1: de kolom username ontbreekt." in result.output
    assert "Rij 1: onbekende kolom naam" in result.output
    missing = runner.invoke(args=["users", "import", str(tmp_path / "nergens.csv")])
    assert missing.exit_code == 1 and "Traceback" not in missing.output
    assert _count_users(app) == 0


def test_regions_and_teams_list_one_a_line_code_first(app, runner):
    with app.app_context():
        region = make_region(code="REG-A", name="Regio A")
        make_team(code="TEAM-1", name="Wijkteam Een")
        db.session.commit()
        assert region.id
    regions = runner.invoke(args=["regions", "list"]).output.splitlines()
    assert any(line.startswith("REG-A\tRegio A") for line in regions)
    teams = runner.invoke(args=["teams", "list"]).output.splitlines()
    assert teams[0].startswith("TEAM-1\tWijkteam Een\t")


def test_set_temporary_password_and_deactivate(app, runner):
    with app.app_context():
        make_user(Role.PROFESSIONAL, username="sanne")
        db.session.commit()
    result = runner.invoke(args=["users", "set-password", "sanne", "--password", "tijdelijk-wachtwoord-7"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["users", "deactivate", "sanne"])
    assert result.exit_code == 0
    with app.app_context():
        user = db.session.scalars(select(User)).one()
        assert user.must_change_password and not user.active
    assert runner.invoke(args=["users", "deactivate", "niemand"]).exit_code == 1
