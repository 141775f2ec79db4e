"""The bulk import of accounts: check -> preview -> confirm; broken files write nothing."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from scan.access import Role
from scan.audit import actions
from scan.audit.models import AuditEvent
from scan.auth import account_import
from scan.auth.models import User
from scan.auth.passwords import verify_password
from scan.beheer.accounts import services
from scan.extensions import db
from tests.factories import login, make_municipality, make_region, make_team, make_user

PAYLOAD_RE = re.compile(r'name="payload"[^>]*value="([^"]+)"')
HEADER = "username;role;name;team;region;password"
ROWS = (
    "a.nieuw;professional;Anna Nieuw;LW-CENTRUM;;een lang wachtwoord hier",
    "b.nieuw;teamleider;Bram Nieuw;LW-CENTRUM|LW-NOORD;;",
    "c.nieuw;regiocoordinator;Cor Nieuw;;LW;",
)
NOT_A_SPREADSHEET = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)


@pytest.fixture
def world(app: Any) -> dict[str, Any]:
    with app.app_context():
        region = make_region(code="LW", name="Regio Lindewaard")
        m = make_municipality(region, name="Lindewaard")
        centrum = make_team(m, name="Wijkteam Centrum", code="LW-CENTRUM")
        noord = make_team(m, name="Wijkteam Noord", code="LW-NOORD")
        admin = make_user(Role.BEHEERDER, username="beheer")
        make_user(Role.PROFESSIONAL, team=centrum, username="s.bakker", full_name="Sanne Bakker")
        db.session.commit()
        return {"admin": admin.username, "centrum": centrum.id, "noord": noord.id}


@pytest.fixture
def admin(client: Any, world: dict[str, Any]) -> Any:
    login(client, world["admin"])
    return client


def _csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8-sig")


def _xlsx(*rows: str, header: str = HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    for line in (header, *rows):
        sheet.append(line.split(";"))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(client: Any, data: bytes, name: str = "accounts.csv") -> Any:
    return client.submit("/beheer/accounts/import", {"file": (io.BytesIO(data), name)},
                         content_type="multipart/form-data")


def _confirm(client: Any, preview: str, payload: str | None = None) -> Any:
    match = PAYLOAD_RE.search(preview)
    assert match, preview
    return client.submit("/beheer/accounts/import/bevestigen", {"payload": payload or match.group(1)},
                         page="/beheer/accounts/import")


def _counts(app: Any) -> tuple[int, int]:
    with app.app_context():
        events = select(func.count(AuditEvent.id)).where(AuditEvent.action != actions.LOGIN)
        return db.session.scalar(select(func.count(User.id))), db.session.scalar(events)


# --- services, without HTTP -----------------------------------------------------------------------


def test_plan_creates_changes_and_unchanged(app_ctx: Any) -> None:
    region = make_region(code="LW")
    team = make_team(make_municipality(region), code="LW-CENTRUM")
    make_user(Role.PROFESSIONAL, team=team, username="s.bakker", full_name="Sanne Bakker")
    make_user(Role.PROFESSIONAL, team=team, username="t.gelijk", full_name="Tom Gelijk")
    table = [HEADER.split(";"), ["n.nieuw", "professional", "Nina", "lw-centrum", "", ""],
             ["S.Bakker", "teamleider", "Sanne Bakker", "LW-CENTRUM", "", ""],
             ["t.gelijk", "professional", "", "LW-CENTRUM", "", ""]]
    plan = account_import.check_import(account_import.rows_from_table(table))
    assert plan.problems == []
    assert [r.username for r, _d in plan.creates] == ["n.nieuw"]
    assert [(r.username, [(c.old, c.new) for c in ch]) for r, _u, _d, ch in plan.changes] == \
        [("s.bakker", [("Professional", "Teamleider"), ("LW-CENTRUM", "—"), ("—", "LW-CENTRUM")])]
    assert plan.unchanged == 1


def test_the_payload_carries_no_plain_password(app_ctx: Any) -> None:
    make_team(make_municipality(make_region(code="LW")), code="LW-CENTRUM")
    table = [HEADER.split(";"), ROWS[0].split(";")]
    plan = account_import.check_import(account_import.rows_from_table(table))
    account_import.hash_given_passwords(plan)
    payload = services.sign_rows(plan.rows)
    assert "een lang wachtwoord" not in payload
    rows = services.unsign_rows(payload)
    assert rows and verify_password(rows[0].password_hash, "een lang wachtwoord hier")
    assert services.unsign_rows(payload[:-2] + "xx") is None


# --- through the pages ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_import_preview_confirm_and_reimport(app: Any, admin: Any, kind: str) -> None:
    data = (_csv if kind == "csv" else _xlsx)(*ROWS, "s.bakker;professional;Sanne Bakker-de Wit;LW-NOORD;;")
    before = _counts(app)
    response = _upload(admin, data, f"accounts.{kind}")
    preview = response.get_data(as_text=True)
    assert response.status_code == 200, preview
    assert "a.nieuw" in preview and "Sanne Bakker-de Wit" in preview and "Wijkteam Noord" in preview
    assert "een lang wachtwoord" not in preview
    assert _counts(app) == before  # nothing written before the confirmation
    done = _confirm(admin, preview)
    assert done.status_code == 200 and done.headers["Cache-Control"] == "no-store"
    text = done.get_data(as_text=True)
    assert "b.nieuw" in text and "c.nieuw" in text and "a.nieuw" not in text  # a.nieuw had a password
    with app.app_context():
        a = db.session.scalar(select(User).where(User.username == "a.nieuw"))
        assert a.must_change_password and verify_password(a.password_hash, "een lang wachtwoord hier")
        b = db.session.scalar(select(User).where(User.username == "b.nieuw"))
        assert sorted(t.code for t in b.led_teams) == ["LW-CENTRUM", "LW-NOORD"]
        s = db.session.scalar(select(User).where(User.username == "s.bakker"))
        assert s.full_name == "Sanne Bakker-de Wit" and s.team.code == "LW-NOORD"
        assert len(db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == actions.ACCOUNT_CREATE)).all()) == 3
        assert len(db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == actions.ACCOUNT_IMPORT)).all()) == 1
    # The same file again: every account stays the same, and confirming writes nothing.
    after = _counts(app)
    preview = _upload(admin, data, f"accounts.{kind}").get_data(as_text=True)
    assert "To be created" not in preview and "To be changed" not in preview
    assert _confirm(admin, preview).status_code == 302
    assert _counts(app) == after


def test_a_tampered_payload_writes_nothing(app: Any, admin: Any) -> None:
    preview = _upload(admin, _csv(*ROWS)).get_data(as_text=True)
    before = _counts(app)
    payload = PAYLOAD_RE.search(preview).group(1)
    response = _confirm(admin, preview, payload[:-3] + "abc")
    assert response.status_code == 422
    assert _counts(app) == before


BROKEN = {
    "wrong columns": (_csv("x;professional;;LW-CENTRUM", header="gebruiker;role;name;team"),
                      "accounts.csv", ["Row 1, column username", "Row 1, column gebruiker"]),
    "duplicate in the file": (_csv("d.dubbel;professional;;LW-CENTRUM;;",
                                   "D.Dubbel;professional;;LW-CENTRUM;;"), "accounts.csv",
                              ["Row 3, column username", "row 2"]),
    "duplicate of an administrator": (_csv("beheer;professional;;LW-CENTRUM;;"), "accounts.csv",
                                      ["Row 2, column username"]),
    "unknown team code": (_csv(ROWS[0], "e.onbekend;professional;;T9;;"), "accounts.csv",
                          ["Row 3, column team", "T9"]),
    "png named csv": (NOT_A_SPREADSHEET, "accounts.csv", ["This is not a CSV or XLSX file."]),
    "random bytes named xlsx": (bytes(range(256)) * 4, "accounts.xlsx", ["This is not a CSV or XLSX file."]),
    "latin-1 text": ("username;role\né.x;professional\n".encode("latin-1"), "accounts.csv", ["not in UTF-8"]),
    "zip named xlsx": (b"PK\x03\x04" + bytes(200), "accounts.xlsx", ["This is not a readable XLSX file."]),
    "too large": (_csv(*ROWS) + b"x" * (2 * 1024 * 1024), "accounts.csv", ["larger than 2 MB"]),
    "empty": (b"", "accounts.csv", ["The file is empty."]),
    "header only": (_csv(), "accounts.csv", ["Row 2", "no accounts below the header"]),
    "bad password": (_csv("f.kort;professional;;LW-CENTRUM;;kort"), "accounts.csv",
                     ["Row 2, column password"]),
    "unknown role": (_csv("g.rol;baas;;LW-CENTRUM;;"), "accounts.csv", ["Row 2, column role"]),
}


@pytest.mark.parametrize("case", list(BROKEN), ids=list(BROKEN))
def test_a_broken_file_writes_nothing_and_says_where(app: Any, admin: Any, case: str) -> None:
    data, name, expected = BROKEN[case]
    admin.submit("/taal", {"lang": "en", "next": "/beheer/accounts/import"}, page="/beheer/accounts/import")
    before = _counts(app)
    response = _upload(admin, data, name)
    page = response.get_data(as_text=True)
    assert response.status_code == 422, page
    assert "app-error-summary" in page and 'href="#file"' in page
    for text in expected:
        assert text in page, (text, page)
    assert 'name="payload"' not in page
    assert _counts(app) == before


def test_errors_are_translated(admin: Any) -> None:
    page = _upload(admin, _csv("e.onbekend;professional;;T9;;")).get_data(as_text=True)
    assert "Rij 2, kolom team" in page
