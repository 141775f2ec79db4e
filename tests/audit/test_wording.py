"""The audit log names what an entry is about and words its detail in the reader's language (issue 16):
"account m.yilmaz", not "account 78"; "aangemaakt: 2; gewijzigd: 0" on a Dutch page, not raw English."""

from __future__ import annotations

from typing import Any

import pytest

from scan.access import Role
from scan.audit import actions
from scan.audit.services import record
from scan.extensions import db
from tests.audit.test_log_page import _rows
from tests.factories import login, make_team, make_user


@pytest.fixture
def logged(app: Any, client: Any) -> Any:
    """An administrator, and entries about an account, a team, an import and a gone account."""
    with app.app_context():
        admin = make_user(Role.BEHEERDER, username="beheer.anne")
        person = make_user(Role.PROFESSIONAL, username="m.yilmaz")
        team = make_team(code="NOORD1", name="Noord")
        record(actions.ACCOUNT_UPDATE, object_type="account", object_id=person.id, actor=admin,
               detail="fields: role, team")
        record(actions.TEAM_CREATE, object_type="team", object_id=team.id, actor=admin,
               facts={"code": "NOORD1", "municipality": "GM1"})
        record(actions.ACCOUNT_IMPORT, object_type="account", actor=admin, detail="created: 2; changed: 0")
        record(actions.ACCOUNT_DEACTIVATE, object_type="account", object_id=987654, actor=admin,
               detail="a note in words nobody can parse")
        db.session.commit()
        person_id = person.id
    login(client, "beheer.anne")
    return person_id


def _page(client: Any) -> list[str]:
    return _rows(client.get("/beheer/logboek/?person=beheer.anne&action=").get_data(as_text=True))


def test_entries_name_their_object_and_word_their_detail_in_dutch(client: Any, logged: int) -> None:
    rows = _page(client)
    by_action = {label: row for row in rows for label in
                 ("Account gewijzigd", "Team aangemaakt", "Accounts geïmporteerd", "Account gedeactiveerd")
                 if label in row}
    assert "account m.yilmaz" in by_action["Account gewijzigd"]
    assert f"account {logged}<" not in by_action["Account gewijzigd"]
    assert "gewijzigde velden: rol, team" in by_action["Account gewijzigd"]
    assert "team NOORD1 Noord" in by_action["Team aangemaakt"]
    assert "code: NOORD1; gemeente: GM1" in by_action["Team aangemaakt"]
    assert "aangemaakt: 2; gewijzigd: 0" in by_action["Accounts geïmporteerd"]
    assert "created" not in by_action["Accounts geïmporteerd"]
    # An account that is gone keeps its id; a detail of another shape is shown as it was stored.
    assert "account 987654" in by_action["Account gedeactiveerd"]
    assert "a note in words nobody can parse" in by_action["Account gedeactiveerd"]


def test_the_same_entries_in_english(client: Any, logged: int) -> None:
    client.submit("/taal", {"lang": "en", "next": "/beheer/logboek/"}, page="/beheer/logboek/")
    rows = _page(client)
    changed = next(r for r in rows if "Account changed" in r)
    assert "account m.yilmaz" in changed and "fields changed: role, team" in changed
    imported = next(r for r in rows if "Accounts imported" in r)
    assert "created: 2; changed: 0" in imported


def test_the_export_names_the_object_in_its_own_column(client: Any, logged: int) -> None:
    import csv
    import io

    body = client.get("/beheer/logboek/export.csv?person=beheer.anne").get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert rows[0][5] == "Naam"
    changed = next(r for r in rows if r[2] == "Account gewijzigd")
    assert changed[3:7] == ["account", str(logged), "m.yilmaz", "gewijzigde velden: rol, team"]
