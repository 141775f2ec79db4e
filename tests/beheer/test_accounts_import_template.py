"""The account import's template (issue 16): downloadable as CSV and XLSX with Dutch column names and one
example row per role, explained on the import page; the file imports as it is (read back, previewed and
confirmed without problems)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from scan.access import Role
from scan.auth.models import User
from scan.extensions import db
from tests.beheer.test_accounts_import import _confirm, _upload
from tests.factories import login, make_municipality, make_region, make_team, make_user

HEADER = ["gebruikersnaam", "rol", "naam", "team", "regio", "wachtwoord"]


@pytest.fixture
def admin(app: Any, client: Any) -> Any:
    with app.app_context():
        region = make_region(code="LW", name="Regio Lindewaard")
        m = make_municipality(region, name="Lindewaard")
        make_team(m, name="Wijkteam Noord", code="LW-NOORD")
        make_team(m, name="Wijkteam Centrum", code="LW-CENTRUM")
        make_user(Role.BEHEERDER, username="beheer")
        db.session.commit()
    login(client, "beheer")
    return client


def _cells(response: Any, kind: str) -> list[list[str]]:
    if kind == "csv":
        text = response.get_data().decode("utf-8-sig")
        return list(csv.reader(io.StringIO(text), delimiter=";"))
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def test_the_import_page_offers_the_template_and_explains_each_role(admin: Any) -> None:
    page = admin.get("/beheer/accounts/import").get_data(as_text=True)
    assert 'href="/beheer/accounts/import/voorbeeld.xlsx"' in page
    assert 'href="/beheer/accounts/import/voorbeeld.csv"' in page
    assert "Begin met het voorbeeldbestand" in page
    assert "Een professional: de code van precies één team in de kolom team" in page
    assert "Een teamleider: de codes van de teams die hij of zij leidt" in page
    assert "Een regiocoördinator: de regiocode in de kolom regio" in page


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_template_has_dutch_columns_and_one_example_per_role(admin: Any, kind: str) -> None:
    response = admin.get(f"/beheer/accounts/import/voorbeeld.{kind}")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    cells = _cells(response, kind)
    assert cells == [
        HEADER,
        ["j.jansen", "professional", "Jan Jansen", "LW-CENTRUM", "", ""],
        ["m.demir", "teamleider", "Meryem Demir", "LW-CENTRUM|LW-NOORD", "", ""],
        ["r.visser", "regiocoordinator", "Rianne Visser", "", "LW", ""],
    ]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_template_imports_as_it_is(app: Any, admin: Any, kind: str) -> None:
    data = admin.get(f"/beheer/accounts/import/voorbeeld.{kind}").get_data()
    response = _upload(admin, data, f"accounts-voorbeeld.{kind}")
    preview = response.get_data(as_text=True)
    assert response.status_code == 200, preview
    assert "probleem" not in preview.lower() and "problemen" not in preview.lower()
    assert "j.jansen" in preview and "m.demir" in preview and "r.visser" in preview
    assert _confirm(admin, preview).status_code == 200
    with app.app_context():
        made = {u.username: u for u in db.session.scalars(
            select(User).where(User.username.in_(["j.jansen", "m.demir", "r.visser"])))}
        assert made["j.jansen"].team.code == "LW-CENTRUM"
        assert sorted(t.code for t in made["m.demir"].led_teams) == ["LW-CENTRUM", "LW-NOORD"]
        assert made["r.visser"].region.code == "LW"


def test_without_teams_the_template_still_shows_the_shape(app: Any, client: Any) -> None:
    with app.app_context():
        make_user(Role.BEHEERDER, username="beheer")
        db.session.commit()
    login(client, "beheer")
    cells = _cells(client.get("/beheer/accounts/import/voorbeeld.csv"), "csv")
    assert [row[3] for row in cells[1:]] == ["WIJKTEAM-1", "WIJKTEAM-1|WIJKTEAM-2", ""]
    assert cells[3][4] == "REGIO"


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.TEAMLEIDER, Role.REGIOCOORDINATOR])
def test_only_the_administrator_downloads_the_template(app: Any, client: Any, role: Role) -> None:
    with app.app_context():
        name = make_user(role).username
        db.session.commit()
    login(client, name)
    assert client.get("/beheer/accounts/import/voorbeeld.csv").status_code == 403
