"""The administrator's audit log: read-only, filtered by person, action and period, exported as CSV/XLSX.

Dutch texts that are new with this page (the action labels, the column headings) come from the catalog
merge; until then the Dutch assertions of new texts fail."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from scan.access import Role
from scan.audit import actions
from scan.audit.models import AuditEvent
from scan.audit.services import AuditLogIsAppendOnly, record
from scan.extensions import db
from tests.audit.helpers import events
from tests.factories import login, make_user

# 2026-03-10 12:00 in Amsterdam (CET, UTC+1).
NOON = datetime(2026, 3, 10, 11, 0, tzinfo=UTC)


def _add(action: str, name: str, at: datetime, *, object_type: str = "", object_id: str = "",
         detail: str = "", address: str | None = "10.0.0.7") -> None:
    db.session.add(AuditEvent(action=action, actor_name=name, at=at, object_type=object_type,
                              object_id=object_id, detail=detail, address=address))


@pytest.fixture
def admin(app: Any, client: Any) -> Any:
    """An administrator logged in, and a small log: three people on three days."""
    with app.app_context():
        user = make_user(Role.BEHEERDER, username="beheer.anne")
        _add(actions.LOGIN, "s.bakker", NOON - timedelta(days=2))
        _add(actions.SCAN_SUBMIT, "s.bakker", NOON - timedelta(days=1), object_type="scan", object_id="41",
             detail="round 7")
        _add(actions.LOGIN_FAILED, "s.bakkerij", NOON, address="192.0.2.9")
        _add(actions.CATALOGUE_CHANGE, "k.devries", NOON + timedelta(hours=1), object_type="training",
             object_id="3", detail="fields: title")
        db.session.commit()
        username = user.username
    login(client, username)
    return client


def _rows(html: str) -> list[str]:
    body = html.split('<tbody class="utrecht-table__body">')[1].split("</tbody>")[0]
    return [row for row in body.split("<tr")[1:]]


# --- append-only ---


def test_an_event_cannot_be_changed_or_deleted_through_the_orm(app_ctx: Any) -> None:
    entry = record(actions.LOGIN, actor_name="s.bakker")
    db.session.commit()
    entry.detail = "anders"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    stored = db.session.scalars(select(AuditEvent)).one()
    assert stored.detail == ""
    db.session.delete(stored)
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    assert db.session.scalars(select(AuditEvent)).one().detail == ""


def test_there_is_no_route_that_changes_the_log(app: Any) -> None:
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("audit.")]
    assert {r.endpoint for r in rules} == {"audit.index", "audit.export_csv", "audit.export_xlsx"}
    assert all(r.methods <= {"GET", "HEAD", "OPTIONS"} for r in rules)


def test_unknown_actions_are_refused(app_ctx: Any) -> None:
    with pytest.raises(ValueError):
        record("scan.delete_everything")


def test_only_the_administrator_reads_the_log(app: Any, client: Any) -> None:
    with app.app_context():
        roles = (Role.PROFESSIONAL, Role.TEAMLEIDER, Role.REGIOCOORDINATOR)
        names = [make_user(role).username for role in roles]
        db.session.commit()
    for name in names:
        other = app.test_client()
        login(other, name)
        for url in ("/beheer/logboek/", "/beheer/logboek/export.csv", "/beheer/logboek/export.xlsx"):
            assert other.get(url).status_code == 403
    assert client.get("/beheer/logboek/").status_code == 302  # anonymous: to the login page


# --- the page ---


def test_the_page_lists_newest_first_with_labels_in_dutch(app: Any, admin: Any) -> None:
    response = admin.get("/beheer/logboek/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    rows = _rows(html)
    # Newest first: the administrator's own login (today) above the four events of March 2026.
    assert "beheer.anne" in rows[0] and "127.0.0.1" in rows[0]
    # No training 3 exists: the object keeps its id; the old free-text detail is worded in Dutch.
    assert "k.devries" in rows[1] and "training 3" in rows[1] and "gewijzigde velden: titel" in rows[1]
    assert "s.bakkerij" in rows[2] and "192.0.2.9" in rows[2]
    assert "scan 41" in rows[3] and "ronde: 7" in rows[3]
    assert "s.bakker<" in rows[4]
    # Times in Europe/Amsterdam: 11:00 UTC is 12:00 there.
    assert "10 maart 2026, 12:00" in rows[2]
    assert len(rows) == 5
    # New Dutch texts: these pass once the catalogs are merged.
    assert "<h1 class=\"utrecht-heading-1\">Logboek</h1>" in html and "5 regels, nieuwste eerst" in html
    assert "Scholingscatalogus gewijzigd" in rows[1] and "Mislukte inlogpoging" in rows[2]
    assert "Scan ingediend" in rows[3] and "Ingelogd" in rows[4]


def test_the_page_in_english(app: Any, client: Any) -> None:
    with app.app_context():
        user = make_user(Role.BEHEERDER)
        _add(actions.LOGIN_FAILED, "s.bakker", NOON)
        db.session.commit()
        username = user.username
    client.submit("/taal", {"lang": "en", "next": "/inloggen"}, page="/inloggen")
    login(client, username)
    html = client.get("/beheer/logboek/").get_data(as_text=True)
    assert "<h1 class=\"utrecht-heading-1\">Audit log</h1>" in html
    rows = _rows(html)
    assert "Logged in" in rows[0] and "Failed login" in rows[1]
    assert "10 March 2026, 12:00" in rows[1]
    assert "All actions" in html and "Person (username)" in html


def test_filter_by_person_exact_or_prefix(admin: Any) -> None:
    rows = _rows(admin.get("/beheer/logboek/?person=s.bakker").get_data(as_text=True))
    assert len(rows) == 3 and all("s.bakker" in r for r in rows)
    rows = _rows(admin.get("/beheer/logboek/?person=S.BAKKERIJ").get_data(as_text=True))
    assert len(rows) == 1 and "s.bakkerij" in rows[0]
    rows = _rows(admin.get("/beheer/logboek/?person=k.").get_data(as_text=True))
    assert len(rows) == 1 and "k.devries" in rows[0]
    # "%" and "_" are letters here, not wildcards.
    html = admin.get("/beheer/logboek/?person=%25bakker").get_data(as_text=True)
    assert "s.bakker" not in "".join(_rows(html))


def test_filter_by_action(admin: Any) -> None:
    html = admin.get(f"/beheer/logboek/?action={actions.SCAN_SUBMIT}").get_data(as_text=True)
    rows = _rows(html)
    assert len(rows) == 1 and "scan 41" in rows[0]
    assert f'<option selected value="{actions.SCAN_SUBMIT}">' in html


def test_filter_by_period_in_amsterdam_days(app: Any, admin: Any) -> None:
    with app.app_context():
        # 23:30 UTC on 10 March is 00:30 on 11 March in Amsterdam.
        _add(actions.LOGOUT, "late.avond", datetime(2026, 3, 10, 23, 30, tzinfo=UTC))
        db.session.commit()
    rows = _rows(admin.get("/beheer/logboek/?first=2026-03-09&last=2026-03-10").get_data(as_text=True))
    assert [("s.bakkerij" in r, "k.devries" in r, "scan 41" in r) for r in rows] == [
        (False, True, False), (True, False, False), (False, False, True)]
    rows = _rows(admin.get("/beheer/logboek/?first=2026-03-11").get_data(as_text=True))
    assert "late.avond" in rows[-1] and not any("k.devries" in r for r in rows)
    # Typed the Dutch way works too.
    rows = _rows(admin.get("/beheer/logboek/?first=8-3-2026&last=8-3-2026").get_data(as_text=True))
    assert len(rows) == 1 and "s.bakker<" in rows[0]


def test_an_invalid_period_shows_a_translated_error_and_keeps_what_was_typed(admin: Any) -> None:
    response = admin.get("/beheer/logboek/?person=s.bak&first=2026-03-10&last=2026-03-01")
    html = response.get_data(as_text=True)
    assert response.status_code == 200  # a GET filter, like the regional pages: the page, with errors
    assert "De laatste dag kan niet vóór de eerste dag liggen." in html
    assert 'href="#last"' in html and "<title>Fout:" in html
    assert 'value="2026-03-10"' in html and 'value="2026-03-01"' in html and 'value="s.bak"' in html
    assert len(_rows(html)) == 5  # an unusable filter shows everything, and says so
    response = admin.get("/beheer/logboek/?first=gisteren")
    html = response.get_data(as_text=True)
    assert 'value="gisteren"' in html and 'href="#first"' in html


def test_an_invalid_period_in_english(app: Any, admin: Any) -> None:
    admin.submit("/taal", {"lang": "en", "next": "/beheer/logboek/"}, page="/beheer/logboek/")
    html = admin.get("/beheer/logboek/?first=2026-03-10&last=2026-03-01").get_data(as_text=True)
    assert "The last day cannot be before the first day." in html
    html = admin.get("/beheer/logboek/?first=yesterday").get_data(as_text=True)
    assert "Enter a date such as 31-12-2027." in html


def test_pages_of_fifty_keep_the_filter(app: Any, admin: Any) -> None:
    with app.app_context():
        for n in range(120):
            _add(actions.LOGIN, f"p{n:03d}", NOON + timedelta(minutes=n))
        db.session.commit()
    html = admin.get("/beheer/logboek/?person=p&action=login").get_data(as_text=True)
    rows = _rows(html)
    assert len(rows) == 50 and "p119" in rows[0] and "p070" in rows[-1]
    assert 'href="/beheer/logboek/?page=2&amp;person=p&amp;action=login"' in html
    assert 'href="/beheer/logboek/?page=3&amp;person=p&amp;action=login"' in html
    rows = _rows(admin.get("/beheer/logboek/?person=p&action=login&page=3").get_data(as_text=True))
    assert len(rows) == 20 and "p019" in rows[0] and "p000" in rows[-1]
    # A page beyond the last shows the last.
    assert len(_rows(admin.get("/beheer/logboek/?person=p&page=99").get_data(as_text=True))) == 20


def test_one_page_runs_the_same_queries_for_10_or_200_rows(app: Any, admin: Any, count_queries: Any) -> None:
    def queries_for(url: str) -> int:
        before = count_queries.count
        assert admin.get(url).status_code == 200
        return count_queries.count - before

    kinds = ("account", "team", "scan", "training")  # each named in one query, whatever the number of rows
    with app.app_context():
        for n in range(6):
            _add(actions.EXPORT, f"q{n}", NOON, object_type=kinds[n % 4], object_id=str(n))
        db.session.commit()
    small = queries_for("/beheer/logboek/")
    with app.app_context():
        for n in range(200):
            _add(actions.EXPORT, f"q{n}", NOON, object_type=kinds[n % 4], object_id=str(n))
        db.session.commit()
    assert queries_for("/beheer/logboek/") == small
    assert queries_for("/beheer/logboek/?page=4") == small
    assert queries_for("/beheer/logboek/?person=q&action=export&first=2026-01-01") == small


# --- exports ---


def test_csv_export_of_the_filtered_rows_is_recorded(app: Any, admin: Any) -> None:
    with app.app_context():
        _add(actions.CATALOGUE_CHANGE, "k.devries", NOON, object_type="training", object_id="4",
             detail="=HYPERLINK(1)")
        db.session.commit()
    response = admin.get("/beheer/logboek/export.csv?person=k.devries")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 3
    assert [rows[1][i] for i in (0, 1, 3, 4, 5, 6, 7)] == [
        "2026-03-10 13:00:00", "k.devries", "training", "3", "", "gewijzigde velden: titel", "10.0.0.7"]
    assert rows[2][0] == "2026-03-10 12:00:00" and rows[2][6] == "'=HYPERLINK(1)"  # neutralised
    recorded = events(app, actions.EXPORT)[-1]
    assert (recorded.actor_name, recorded.object_type, recorded.address) == ("beheer.anne", "audit.csv",
                                                                               "127.0.0.1")
    assert json.loads(recorded.detail) == {"rows": 2, "person": "k.devries"}
    # New Dutch texts: these pass once the catalogs are merged.
    assert rows[0][:3] == ["Wanneer", "Wie", "Actie"] and rows[1][2] == "Scholingscatalogus gewijzigd"


def test_xlsx_export_of_the_filtered_rows_is_recorded(app: Any, admin: Any) -> None:
    admin.submit("/taal", {"lang": "en", "next": "/beheer/logboek/"}, page="/beheer/logboek/")
    response = admin.get("/beheer/logboek/export.xlsx?action=login.failed&first=2026-03-10&last=2026-03-10")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["When", "Who", "Action", "Object", "Object id", "Name", "Detail", "Address"]
    assert rows[1:] == [[datetime(2026, 3, 10, 12, 0), "s.bakkerij", "Failed login", None, None, None, None,
                         "192.0.2.9"]]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:H2"
    recorded = events(app, actions.EXPORT)[-1]
    assert recorded.object_type == "audit.xlsx"
    assert json.loads(recorded.detail) == {"rows": 1, "action": "login.failed", "first": "2026-03-10",
                                           "last": "2026-03-10"}
    # The export shows in the log itself, newest first.
    html = admin.get("/beheer/logboek/").get_data(as_text=True)
    assert "audit.xlsx" in _rows(html)[0] and "Export downloaded" in _rows(html)[0]
    # Its facts worded in the reader's language, the action by its label.
    facts = "rows: 1; action: Failed login; from: 2026-03-10; up to and including: 2026-03-10"
    assert facts in _rows(html)[0]
