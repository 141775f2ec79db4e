"""`flask users import` and the administrator's import page are one import: the same file gives the same
accounts and the same audit entries (only the actor differs), and is refused for the same rows with the same
messages, nothing written. Only the public ways in are used (the command, the pages), so this runs against
any implementation."""

from __future__ import annotations

import html
import io
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from scan.access import Role
from scan.audit import actions
from scan.audit.models import AuditEvent
from scan.auth.models import User
from scan.auth.passwords import verify_password
from scan.extensions import db
from tests.conftest import _BASELINE
from tests.factories import login, make_municipality, make_region, make_team, make_user

HEADER = "username;role;name;team;region;password"
GOOD = (
    "a.nieuw;professional;Anna Nieuw;LW-CENTRUM;;een lang wachtwoord hier",
    "b.nieuw;teamleider;Bram Nieuw;LW-CENTRUM|lw-noord;;nog een lang wachtwoord",
    "c.nieuw;regiocoordinator;Cor Nieuw;;lw;gele fiets onder de brug",
    "d.nieuw;professional;Dirk Nieuw;LW-NOORD;;",  # no password: a generated one, shown once
    "s.bakker;professional;Sanne Bakker-de Wit;LW-NOORD;;",  # known: changed, password kept
)
GIVEN = {"a.nieuw": "een lang wachtwoord hier", "b.nieuw": "nog een lang wachtwoord",
         "c.nieuw": "gele fiets onder de brug", "s.bakker": "paarse fiets onder de brug"}
PAYLOAD_RE = re.compile(r'name="payload"[^>]*value="([^"]+)"')
PROBLEM_RE = re.compile(r"<li>(Rij [^<]*)</li>")
SOURCE = "flask users import"


def _world() -> None:
    region = make_region(code="LW", name="Regio Lindewaard")
    m = make_municipality(region, name="Lindewaard")
    centrum = make_team(m, name="Wijkteam Centrum", code="LW-CENTRUM")
    make_team(m, name="Wijkteam Noord", code="LW-NOORD")
    make_team(m, name="Wijkteam Oud", code="LW-OUD").archived_at = datetime(2025, 1, 1, tzinfo=UTC)
    make_user(Role.BEHEERDER, username="beheer", full_name="Beheer")
    make_user(Role.PROFESSIONAL, team=centrum, username="s.bakker", full_name="Sanne Bakker",
              password=GIVEN["s.bakker"])
    db.session.commit()


def _reset(app: Any) -> None:
    """Back to the empty database between the two imports of one test (as after every test)."""
    with app.app_context():
        db.session.rollback()
        _BASELINE[0].restore(db.session.connection())
        db.session.commit()


def _accounts() -> dict[str, tuple[Any, ...]]:
    users = db.session.scalars(select(User).where(User.username != "beheer")).all()
    return {u.username: (u.full_name, u.role, u.team.code if u.team else "",
                         sorted(t.code for t in u.led_teams), u.region.code if u.region else "",
                         u.must_change_password, u.active) for u in users}


def _audit() -> tuple[list[tuple[str, str, dict[str, Any]]], set[tuple[int | None, str]]]:
    """The account entries as (action, username of the account, facts), and who wrote them."""
    names = {str(u.id): u.username for u in db.session.scalars(select(User))}
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action.like("account.%")).order_by(AuditEvent.id)).all()
    return ([(e.action, names.get(e.object_id, e.object_id), json.loads(e.detail)) for e in events],
            {(e.actor_id, e.actor_name) for e in events})


def _state(app: Any, passwords: dict[str, str]) -> dict[str, Any]:
    with app.app_context():
        entries, actors = _audit()
        hashes = {u.username: u.password_hash for u in db.session.scalars(select(User))}
        return {"accounts": _accounts(), "audit": entries, "actors": actors,
                "passwords": {name: name in hashes and verify_password(hashes[name], password)
                              for name, password in passwords.items()}}


def _via_cli(app: Any, tmp_path: Path, data: bytes) -> tuple[bool, list[str], dict[str, str]]:
    """Imported?, the row problems, the generated passwords."""
    path = tmp_path / "accounts.csv"
    path.write_bytes(data)
    result = app.test_cli_runner().invoke(args=["users", "import", str(path)])
    assert "Traceback" not in result.output, result.output
    assert result.exit_code in (0, 1), result.output
    generated = dict(re.findall(r"Tijdelijk wachtwoord voor (\S+): (\S+)", result.output))
    problems = [line for line in result.output.splitlines() if line.startswith("Rij ")]
    return result.exit_code == 0, problems, generated


def _via_browser(app: Any, data: bytes) -> tuple[bool, list[str], dict[str, str]]:
    client = app.test_client()
    login(client, "beheer")
    preview = client.submit("/beheer/accounts/import", {"file": (io.BytesIO(data), "accounts.csv")},
                            content_type="multipart/form-data")
    page = preview.get_data(as_text=True)
    if preview.status_code != 200:
        assert preview.status_code == 422, page
        return False, [html.unescape(p) for p in PROBLEM_RE.findall(page)], {}
    done = client.submit("/beheer/accounts/import/bevestigen", {"payload": PAYLOAD_RE.search(page).group(1)},
                         page="/beheer/accounts/import")
    text = done.get_data(as_text=True)
    assert done.status_code == 200, text
    generated = dict(re.findall(r'<th scope="row"[^>]*>([^<]+)</th>\s*<td[^>]*>[^<]*</td>\s*'
                                r"<td[^>]*><code>([^<]+)</code>", text))
    return True, [], generated


def _csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode("utf-8")


def _both(app: Any, tmp_path: Path, data: bytes) -> list[tuple[bool, list[str], dict[str, Any]]]:
    """The file imported on the command line, then on a fresh database in the browser."""
    outcomes = []
    for via in ("cli", "browser"):
        _reset(app)
        with app.app_context():
            _world()
        before = _state(app, GIVEN)
        ok, problems, generated = _via_cli(app, tmp_path, data) if via == "cli" else _via_browser(app, data)
        after = _state(app, {**GIVEN, **generated})
        if not ok:
            assert after == before, via  # nothing written, not even an audit entry
        outcomes.append((ok, problems, {**after, "generated": sorted(generated)}))
    return outcomes


def test_good_rows_give_the_same_accounts_and_audit_entries(app: Any, tmp_path: Path) -> None:
    (cli_ok, _p, cli), (web_ok, _q, web) = _both(app, tmp_path, _csv(*GOOD))
    assert cli_ok and web_ok
    expected_accounts = {
        "a.nieuw": ("Anna Nieuw", "professional", "LW-CENTRUM", [], "", True, True),
        "b.nieuw": ("Bram Nieuw", "teamleider", "", ["LW-CENTRUM", "LW-NOORD"], "", True, True),
        "c.nieuw": ("Cor Nieuw", "regiocoordinator", "", [], "LW", True, True),
        "d.nieuw": ("Dirk Nieuw", "professional", "LW-NOORD", [], "", True, True),
        "s.bakker": ("Sanne Bakker-de Wit", "professional", "LW-NOORD", [], "", False, True),
    }
    expected_audit = [
        (actions.ACCOUNT_CREATE, "a.nieuw", {"role": "professional", "via": "import"}),
        (actions.ACCOUNT_CREATE, "b.nieuw", {"role": "teamleider", "via": "import"}),
        (actions.ACCOUNT_CREATE, "c.nieuw", {"role": "regiocoordinator", "via": "import"}),
        (actions.ACCOUNT_CREATE, "d.nieuw", {"role": "professional", "via": "import"}),
        (actions.ACCOUNT_UPDATE, "s.bakker", {"fields": ["name", "team"], "via": "import"}),
        (actions.ACCOUNT_IMPORT, "", {"created": 4, "changed": 1}),
    ]
    for outcome in (cli, web):
        assert outcome["accounts"] == expected_accounts
        assert outcome["audit"] == expected_audit
        # Given passwords are used (the known account keeps its own); the generated one is shown once.
        assert outcome["generated"] == ["d.nieuw"]
        assert all(outcome["passwords"].values()), outcome["passwords"]
    assert cli["actors"] == {(None, SOURCE)}
    with app.app_context():
        admin_id = db.session.scalar(select(User.id).where(User.username == "beheer"))
    assert web["actors"] == {(admin_id, "beheer")}


REFUSED = {
    "archived team": ("e.oud;professional;;LW-OUD;;een lang wachtwoord hier",
                      ["Rij 3, kolom team: Het team Wijkteam Oud is gearchiveerd."]),
    "archived team led": ("e.oud;teamleider;;LW-CENTRUM|LW-OUD;;een lang wachtwoord hier",
                          ["Rij 3, kolom team: Het team Wijkteam Oud is gearchiveerd."]),
    "unknown team": ("f.onbekend;professional;;T9;;een lang wachtwoord hier",
                     ["Rij 3, kolom team: Onbekende teamcode: T9."]),
    "username twice in the file": ("A.Nieuw;professional;;LW-NOORD;;een lang wachtwoord hier",
                                   ["Rij 3, kolom username: De gebruikersnaam a.nieuw staat ook in rij 2."]),
    "username of an administrator": ("beheer;professional;;LW-CENTRUM;;", [
        "Rij 3, kolom username: De gebruikersnaam beheer is al in gebruik door een account dat een import "
        "niet mag wijzigen; wijzig het op de eigen pagina."]),
    "unknown role": ("g.rol;baas;;LW-CENTRUM;;", [
        "Rij 3, kolom role: Onbekende rol baas; kies uit: professional, teamleider, regiocoordinator, "
        "beheerder."]),
    "administrator role": ("h.baas;beheerder;;;;een lang wachtwoord hier", [
        "Rij 3, kolom role: Beheerdersaccounts worden niet geïmporteerd; maak ze één voor één aan."]),
    "coordinator without region": ("i.regio;regiocoordinator;;;;een lang wachtwoord hier",
                                   ["Rij 3, kolom region: Een regiocoördinator heeft een regiocode nodig."]),
    "short password": ("j.kort;professional;;LW-CENTRUM;;kort",
                       ["Rij 3, kolom password: Gebruik minstens 12 tekens."]),
}


@pytest.mark.parametrize("case", list(REFUSED), ids=list(REFUSED))
def test_a_refused_row_is_refused_the_same_way(app: Any, tmp_path: Path, case: str) -> None:
    row, expected = REFUSED[case]
    (cli_ok, cli_problems, _c), (web_ok, web_problems, _w) = _both(app, tmp_path, _csv(GOOD[0], row))
    assert not cli_ok and not web_ok
    assert cli_problems == web_problems == expected


def test_users_add_applies_the_same_rules_and_is_audited(app: Any) -> None:
    with app.app_context():
        _world()
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["users", "add", "e.oud", "--role", "professional", "--team", "lw-oud",
                                  "--password", GIVEN["a.nieuw"]])
    assert refused.exit_code == 1
    assert "Fout (team): Het team Wijkteam Oud is gearchiveerd." in refused.output
    added = runner.invoke(args=["users", "add", "tweede.beheer", "--role", "beheerder",
                                "--password", GIVEN["a.nieuw"]])
    assert added.exit_code == 0, added.output
    with app.app_context():
        user = db.session.scalars(select(User).where(User.username == "tweede.beheer")).one()
        assert not user.must_change_password  # chosen on the command line: no change forced
        entries, actors = _audit()
        assert entries == [(actions.ACCOUNT_CREATE, "tweede.beheer", {"role": "beheerder"})]
        assert actors == {(None, "flask users add")}
