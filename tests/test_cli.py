"""The provisioning command line: clear errors, no tracebacks, all or nothing."""

from pathlib import Path

import click
import pytest
from sqlalchemy import func, select

from scan import create_app
from scan.access import Role
from scan.auth.models import User
from scan.extensions import db
from tests.conftest import TEST_CONFIG
from tests.factories import make_region, make_team, make_user

ROOT = Path(__file__).resolve().parent.parent


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
    assert "Import klaar: 3 accounts aangemaakt, 0 accounts gewijzigd." in result.output
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
    # An administrator's account is never changed by an import (the browser's rule, since the CLI shares it).
    assert ("Rij 3, kolom username: De gebruikersnaam bestaat is al in gebruik door een account dat een "
            "import niet mag wijzigen; wijzig het op de eigen pagina.") in out
    assert "Rij 4, kolom team: Onbekende teamcode: T9." in out
    assert "Rij 5, kolom username: De gebruikersnaam goed staat ook in rij 2." in out
    assert "Rij 6, kolom password: Gebruik minstens 12 tekens." in out
    assert "Traceback" not in out
    assert _count_users(app) == 1


def test_users_import_rejects_files_that_are_not_an_accounts_csv(app, runner, tmp_path):
    binary = tmp_path / "foto.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    result = runner.invoke(args=["users", "import", str(binary)])
    assert result.exit_code == 1 and "Dit is geen CSV- of XLSX-bestand." in result.output
    latin = tmp_path / "latin.csv"
    latin.write_bytes("username;role\né.x;professional\n".encode("latin-1"))
    result = runner.invoke(args=["users", "import", str(latin)])
    assert result.exit_code == 1 and "niet in UTF-8" in result.output
    wrong = tmp_path / "kolommen.csv"
    wrong.write_text("gebruiker;wachtwoord\nx;y\n")
    result = runner.invoke(args=["users", "import", str(wrong)])
    assert result.exit_code == 1
    assert "Rij 1, kolom username: Deze kolom ontbreekt." in result.output
    assert "Rij 1, kolom gebruiker: Onbekende kolom" in result.output
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


# --- Every command of the app's own groups, against a database that is not migrated or not reachable ---

KENNISKAART_FILE = str(ROOT / "competencies" / "wijkteam.yaml")
PASSWORD = "paarse fiets onder de brug"
# The minimal valid arguments of every command; a new command must be added here (see the coverage test).
COMMAND_ARGS: dict[str, list[list[str]]] = {
    "users add": [["nieuw", "--role", "beheerder", "--password", PASSWORD]],
    "users import": [["{accounts_csv}"]],
    "users set-password": [["sanne", "--password", PASSWORD]],
    "users deactivate": [["sanne"]],
    "users activate": [["sanne"]],
    "demo seed": [[], ["--if-empty"]],
    "demo accounts": [[]],
    "kenniskaart load": [[KENNISKAART_FILE]],
    "kenniskaart list": [[]],
    "regions list": [[]],
    "teams list": [[]],
    "retention apply": [["--dry-run"], []],
    "retention erase": [["sanne"]],
    "regio publish-due": [[]],
    "regio publish": [["1"]],
}
# Commands that never touch the database: they must keep working without one.
DATABASE_FREE: dict[str, list[str]] = {"kenniskaart validate": [KENNISKAART_FILE]}

SCHEMA_HINT = "Voer eerst `flask db upgrade` uit."
CONNECTION_HINT = "Controleer DATABASE_URL."
BROKEN_DATABASES = {
    "sqlite-not-migrated": ("sqlite:///{tmp}/empty.sqlite", SCHEMA_HINT),
    "sqlite-cannot-open": ("sqlite:////nonexistent-dir/x/db.sqlite", CONNECTION_HINT),
    "postgresql-unreachable": ("postgresql+psycopg://u@127.0.0.1:1/x", CONNECTION_HINT),
}


def _app_commands(application) -> dict[str, click.Command]:
    """Every command of the app's own CLI groups, by "group command" (Flask-Migrate's `db` left out)."""
    found = {}
    for group in application.cli.commands.values():
        if isinstance(group, click.Group) and group.callback.__module__.startswith("scan."):
            for name, command in group.commands.items():
                found[f"{group.name} {name}"] = command
    return found


@pytest.fixture(scope="module")
def broken_apps(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("broken-db")
    apps = {}
    for key, (url, _hint) in BROKEN_DATABASES.items():
        apps[key] = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url.format(tmp=tmp)})
    accounts = tmp / "accounts.csv"
    accounts.write_text(f"username;role;password\nnieuw;beheerder;{PASSWORD}\n", encoding="utf-8")
    yield apps, {"accounts_csv": str(accounts)}
    for application in apps.values():
        with application.app_context():
            db.engine.dispose()


def test_every_app_command_is_checked_without_a_database(broken_apps):
    apps, _files = broken_apps
    for application in apps.values():
        assert set(_app_commands(application)) == set(COMMAND_ARGS) | set(DATABASE_FREE), (
            "add the new command's minimal arguments to COMMAND_ARGS (or DATABASE_FREE)"
        )


@pytest.mark.parametrize("database", list(BROKEN_DATABASES))
def test_no_command_shows_a_traceback_when_the_database_is_not_ready(broken_apps, database):
    apps, files = broken_apps
    application = apps[database]
    hint = BROKEN_DATABASES[database][1]
    other_hint = CONNECTION_HINT if hint == SCHEMA_HINT else SCHEMA_HINT
    runner = application.test_cli_runner()
    problems = []
    for command, variants in COMMAND_ARGS.items():
        for extra in variants:
            args = [*command.split(), *(a.format(**files) for a in extra)]
            result = runner.invoke(args=args)
            shown = " ".join(args)
            if result.exit_code != 1:
                problems.append(f"{shown}: exit code {result.exit_code}: {result.output}")
            if "Traceback" in result.output or not isinstance(result.exception, (SystemExit, type(None))):
                problems.append(f"{shown}: traceback or exception {result.exception!r}")
            if hint not in result.stderr or other_hint in result.output:
                problems.append(f"{shown}: wrong or missing hint: {result.output}")
    for command, extra in DATABASE_FREE.items():
        result = runner.invoke(args=[*command.split(), *extra])
        if result.exit_code != 0:
            problems.append(f"{command} needs no database, yet: {result.output}")
    assert not problems, "\n".join(problems)


def test_postgresql_errors_get_the_hint_that_fits_their_sqlstate(broken_apps):
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from scan.core.cli_util import database_error_message

    class PgError(Exception):
        def __init__(self, message, sqlstate):
            super().__init__(message)
            self.sqlstate = sqlstate

    apps, _files = broken_apps
    with apps["postgresql-unreachable"].app_context():
        missing = ProgrammingError("SELECT", {}, PgError('relation "region" does not exist', "42P01"))
        assert SCHEMA_HINT in database_error_message(missing)
        no_database = OperationalError("connect", {}, PgError('database "x" does not exist', "3D000"))
        assert CONNECTION_HINT in database_error_message(no_database)
        conflict = OperationalError("UPDATE", {}, PgError("deadlock detected", "40P01"))
        message = database_error_message(conflict)
        assert message == "Databasefout: deadlock detected." and CONNECTION_HINT not in message
