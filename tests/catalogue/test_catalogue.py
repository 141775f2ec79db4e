"""The training catalogue as the regional coordinator and the administrator use it."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from scan.access import Role
from scan.catalogue.models import Training, TrainingItem
from scan.extensions import db
from tests.factories import login, make_kenniskaart, make_region, make_user

PAYLOAD_RE = re.compile(r'name="payload"[^>]*value="([^"]+)"')
HEADER_NL = (
    "code;titel;aanbieder;type;niveau;uren;kosten in euro;punten;groep minimaal;groep maximaal;items;actief"
)


def _world(app: Any, role: Role = Role.REGIOCOORDINATOR) -> str:
    """The Kenniskaart, a user of the role and one entry (TR01) in the catalogue of the user's region (for the
    administrator, who has no region: the only region there is)."""
    with app.app_context():
        make_kenniskaart()
        user = make_user(role)
        region_id = user.region_id or make_region().id
        db.session.add(Training(region_id=region_id, code="TR01", title="Motiverende gespreksvoering",
                                provider="Lindewaard",
                                type="training", level="algemeen", hours=Decimal("21"), cost_cents=95000,
                                points=21, min_group=8, max_group=14,
                                item_codes=[TrainingItem(item_code="GC01")]))
        db.session.commit()
        return user.username


def _count(app: Any) -> tuple[int, int]:
    with app.app_context():
        return (db.session.scalar(select(func.count(Training.id))),
                db.session.scalar(select(func.count()).select_from(TrainingItem)))


def _training(app: Any, code: str) -> Training | None:
    with app.app_context():
        t = db.session.scalar(select(Training).where(Training.code == code))
        if t is not None:
            db.session.expunge(t)
        return t


@pytest.fixture
def coordinator(app: Any, client: Any) -> Any:
    login(client, _world(app))
    return client


FORM = {"code": "tr26", "title": "Schuldhulp verdieping", "provider": "Leerplein", "type": "e-learning",
        "level": "specialistisch", "hours": "7,5", "cost": "12,50", "points": "7", "min_group": "",
        "max_group": "", "items": "gc01, LG01-A1 lg01-s1", "active": "y"}


# --- list, add, change, (de)activate ---

def test_list_shows_entries_with_euro_cost_and_filters(coordinator: Any) -> None:
    page = coordinator.get("/catalogus/").get_data(as_text=True)
    assert "Motiverende gespreksvoering" in page and "€\xa0950,00" in page and "8–14" in page
    assert "GC01" in page
    assert "Motiverende" not in coordinator.get("/catalogus/?toon=inactive").get_data(as_text=True)
    assert "Motiverende" in coordinator.get("/catalogus/?toon=all").get_data(as_text=True)


def test_the_navigation_links_to_the_catalogue(coordinator: Any) -> None:
    assert 'href="/catalogus/"' in coordinator.get("/regio/").get_data(as_text=True)


def test_add_an_entry(app: Any, coordinator: Any) -> None:
    response = coordinator.submit("/catalogus/nieuw", FORM)
    assert response.status_code == 302
    t = _training(app, "TR26")
    assert t is not None
    assert (t.hours, t.cost_cents, t.points, t.min_group, t.level) == (Decimal("7.5"), 1250, 7, None,
                                                                        "specialistisch")
    with app.app_context():
        stmt = select(TrainingItem.item_code).where(TrainingItem.training_id == t.id)
        codes = set(db.session.scalars(stmt))
    assert codes == {"GC01", "LG01-A1", "LG01-S1"}
    assert "TR26" in coordinator.get("/catalogus/").get_data(as_text=True)


def test_errors_are_named_at_the_fields_and_the_input_is_kept(app: Any, coordinator: Any) -> None:
    bad = {**FORM, "code": "TR01", "cost": "12,505", "hours": "drie", "min_group": "10", "max_group": "4",
           "items": "GC01 XX99 LG77-A1", "title": "Mijn titel"}
    response = coordinator.submit("/catalogus/nieuw", bad)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Fout:" in page and "Er is een probleem" in page
    assert "Deze code is al in gebruik" in page
    assert "Onbekende Kenniskaart-itemcodes: XX99, LG77-A1." in page
    assert "minimale groepsgrootte is groter dan de maximale" in page
    assert 'href="#cost"' in page and 'href="#hours"' in page
    assert 'value="Mijn titel"' in page and 'value="12,505"' in page and 'value="GC01 XX99 LG77-A1"' in page
    assert _count(app) == (1, 1)


def test_change_an_entry_prefills_and_saves(app: Any, coordinator: Any) -> None:
    t = _training(app, "TR01")
    url = f"/catalogus/{t.id}/wijzigen"
    page = coordinator.get(url).get_data(as_text=True)
    assert 'value="950,00"' in page and 'value="21"' in page and 'value="GC01"' in page
    response = coordinator.submit(url, {**FORM, "code": "TR01", "cost": "1000.5", "items": "GC01 GC02"})
    assert response.status_code == 302
    t = _training(app, "TR01")
    assert t.cost_cents == 100050 and t.title == "Schuldhulp verdieping"
    assert _count(app) == (1, 2)


def test_deactivate_and_activate_never_delete(app: Any, coordinator: Any) -> None:
    t = _training(app, "TR01")
    assert coordinator.submit(f"/catalogus/{t.id}/deactiveren", page="/catalogus/").status_code == 302
    assert _training(app, "TR01").active is False
    assert "Motiverende" not in coordinator.get("/catalogus/").get_data(as_text=True)
    assert coordinator.submit(f"/catalogus/{t.id}/activeren", page="/catalogus/").status_code == 302
    assert _training(app, "TR01").active is True
    assert _count(app) == (1, 1)
    assert coordinator.get("/catalogus/999999/wijzigen").status_code == 404


def test_the_administrator_may_use_it_too(app: Any, client: Any) -> None:
    login(client, _world(app, Role.BEHEERDER))
    assert client.get("/catalogus/").status_code == 200
    assert client.submit("/catalogus/nieuw", FORM).status_code == 302
    assert _count(app)[0] == 2


# --- export ---

def _add_formula_entry(app: Any) -> None:
    with app.app_context():
        region_id = db.session.scalar(select(Training.region_id).where(Training.code == "TR01"))
        db.session.add(Training(region_id=region_id, code="TR02", title="=SUM(1)", provider="@home",
                                type="coaching", level=None,
                                hours=Decimal("7.5"), cost_cents=87550, points=7, min_group=1, max_group=1,
                                active=False,
                                item_codes=[TrainingItem(item_code="GC02"), TrainingItem(item_code="GC01")]))
        db.session.commit()


def test_export_csv(app: Any, coordinator: Any) -> None:
    _add_formula_entry(app)
    response = coordinator.get("/catalogus/export.csv")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0] == HEADER_NL
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1] == ["TR01", "Motiverende gespreksvoering", "Lindewaard", "training", "algemeen", "21,0",
                       "950,00", "21", "8", "14", "GC01", "ja"]
    assert rows[2][:3] == ["TR02", "'=SUM(1)", "'@home"]
    assert rows[2][5:] == ["7,5", "875,50", "7", "1", "1", "GC01, GC02", "nee"]


def test_export_xlsx(app: Any, coordinator: Any) -> None:
    _add_formula_entry(app)
    response = coordinator.get("/catalogus/export.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.get_data()))
    assert len(book.worksheets) == 1
    sheet = book.worksheets[0]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:L3"
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADER_NL.split(";")
    assert rows[1] == ["TR01", "Motiverende gespreksvoering", "Lindewaard", "training", "algemeen", 21, 950,
                       21, 8, 14, "GC01", "ja"]
    assert rows[2][1] == "=SUM(1)" and sheet["B3"].data_type == "s"  # text, not a formula
    assert rows[2][5:10] == [7.5, 875.5, 7, 1, 1]
    assert all(isinstance(v, int | float) for v in rows[2][5:10])
    assert sheet["G3"].number_format == "0.00"


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_export_reimports_unchanged(app: Any, coordinator: Any, kind: str) -> None:
    _add_formula_entry(app)
    exported = coordinator.get(f"/catalogus/export.{kind}").get_data()
    page = _upload(coordinator, exported, f"catalogus.{kind}").get_data(as_text=True)
    assert "2 catalogusitems blijven gelijk" in page, page
    assert "0 catalogusitems worden toegevoegd" in page and "0 catalogusitems veranderen" in page
    done = _confirm(coordinator, page)
    assert "0 toegevoegd, 0 gewijzigd" in done
    assert _training(app, "TR02").title == "=SUM(1)"


# --- import ---

def _upload(client: Any, data: bytes, name: str) -> Any:
    return client.submit("/catalogus/import", {"file": (io.BytesIO(data), name)},
                         content_type="multipart/form-data")


def _confirm(client: Any, preview: str, payload: str | None = None) -> str:
    match = PAYLOAD_RE.search(preview)
    assert match, preview
    response = client.submit("/catalogus/import/bevestigen", {"payload": payload or match.group(1)},
                             page="/catalogus/import", follow_redirects=True)
    return response.get_data(as_text=True)


def _csv(*rows: str) -> bytes:
    return ("\n".join([HEADER_NL, *rows]) + "\n").encode("utf-8-sig")


TR01_CHANGED = "TR01;Motiverende gespreksvoering;Lindewaard;training;algemeen;21;1.000,00;21;8;14;GC01;ja"
TR01_NEW_COST = "TR01;Motiverende gespreksvoering;Lindewaard;training;algemeen;21;990;21;8;16;GC01 GC02;ja"
TR30 = "TR30;Nieuw: budgetcoaching;Leerplein;e-learning;;2,5;45,5;2;;;LG01-A1;ja"


def test_a_valid_file_is_previewed_then_written(app: Any, coordinator: Any) -> None:
    response = _upload(coordinator, _csv(TR01_NEW_COST, TR30), "catalogus.csv")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "1 catalogusitem wordt toegevoegd" in page and "1 catalogusitem verandert" in page
    assert "Nieuw: budgetcoaching" in page
    # Per code: which fields change, from and to.
    assert re.search(r"TR01</th>\s*<td[^>]*>Kosten per deelnemer</td>\s*<td[^>]*>€\xa0950,00</td>\s*"
                     r"<td[^>]*>€\xa0990,00</td>", page)
    assert re.search(r"Maximale groepsgrootte</td>\s*<td[^>]*>14</td>\s*<td[^>]*>16</td>", page)
    assert "GC01, GC02" in page
    assert _count(app) == (1, 1)  # nothing written by the preview
    done = _confirm(coordinator, page)
    assert "1 toegevoegd, 1 gewijzigd" in done
    assert _training(app, "TR01").cost_cents == 99000 and _training(app, "TR01").max_group == 16
    assert _training(app, "TR30").hours == Decimal("2.5") and _training(app, "TR30").cost_cents == 4550
    assert _count(app) == (2, 3)
    # The same file again changes nothing.
    again = _upload(coordinator, _csv(TR01_NEW_COST, TR30), "catalogus.csv").get_data(as_text=True)
    assert "2 catalogusitems blijven gelijk" in again
    assert "0 toegevoegd, 0 gewijzigd" in _confirm(coordinator, again)
    assert _count(app) == (2, 3)


def test_an_xlsx_upload_with_english_headers(app: Any, coordinator: Any) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["code", "title", "type", "hours", "cost in euros", "items"])
    sheet.append(["TR40", "Intervisie", "intervisie", 12, 180.5, "GC02"])
    out = io.BytesIO()
    book.save(out)
    page = _upload(coordinator, out.getvalue(), "c.xlsx").get_data(as_text=True)
    assert "1 catalogusitem wordt toegevoegd" in page
    assert "1 toegevoegd, 0 gewijzigd" in _confirm(coordinator, page)
    assert _training(app, "TR40").cost_cents == 18050


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (b"code;titel;kleur\nTR50;X;rood\n", "c.csv",
         ["Rij 1, kolom kleur: Onbekende kolom", "Rij 1, kolom type: Deze kolom ontbreekt."]),
        (_csv(TR30, TR30.replace("Nieuw", "Ander")), "c.csv",
         ["Rij 3, kolom code: De code TR30 staat ook in rij 2."]),
        (_csv(TR30.replace("LG01-A1", "LG01-A1 ZZ01")), "c.csv",
         ["Rij 2, kolom items: Onbekende Kenniskaart-itemcode: ZZ01."]),
        (_csv(TR30, TR01_CHANGED.replace("1.000,00", "veel")), "c.csv",
         ["Rij 3, kolom kosten in euro: Vul een bedrag in euro"]),
        (_csv(TR30.replace(";;;LG01", ";12;4;LG01")), "c.csv",
         ["Rij 2, kolom groep minimaal: De minimale groepsgrootte is groter dan de maximale."]),
        (_csv(TR30.replace("e-learning;", "webinar;")), "c.csv",
         ["Rij 2, kolom type: Kies een van: training"]),
        (_csv(TR30.replace(";2,5;", ";2,55;")), "c.csv", ["Rij 2, kolom uren:"]),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "scan.pdf",
         ["Dit is geen CSV- of XLSX-bestand"]),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "logo.png", ["Dit is geen CSV- of XLSX-bestand"]),
        (b"\x00\xff\x13\x37" * 50, "c.csv", ["niet in UTF-8"]),
        (b"PK\x03\x04rubbish", "c.xlsx", ["Dit is geen leesbaar XLSX-bestand"]),
        (b"", "c.csv", ["Het bestand is leeg."]),
        (b"\xef\xbb\xbf" + HEADER_NL.encode() + b"\n", "c.csv", ["Rij 2: Er staan geen catalogusitems"]),
        (b"a" * (2 * 1024 * 1024 + 1), "c.csv", ["groter dan 2 MB"]),
    ],
    ids=["columns", "duplicate", "item", "number", "min-max", "type", "hours", "pdf", "image", "bytes",
         "bad-xlsx", "empty", "header-only", "too-big"],
)
def test_a_broken_file_is_refused_with_a_located_error(app: Any, coordinator: Any, content: bytes, name: str,
                                                       expected: list[str]) -> None:
    response = _upload(coordinator, content, name)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    for message in expected:
        assert message in page, page
    assert 'name="payload"' not in page
    assert _count(app) == (1, 1)
    assert _training(app, "TR01").cost_cents == 95000


def test_a_tampered_payload_is_refused(app: Any, coordinator: Any) -> None:
    page = _upload(coordinator, _csv(TR30), "c.csv").get_data(as_text=True)
    payload = PAYLOAD_RE.search(page).group(1)
    tampered = payload[:-3] + ("AAA" if not payload.endswith("AAA") else "BBB")
    done = _confirm(coordinator, page, tampered)
    assert "gegevens zijn gewijzigd" in done
    assert _count(app) == (1, 1)
    # Signed with another salt or key: refused too.
    from itsdangerous import URLSafeSerializer
    forged = URLSafeSerializer("test-secret-key", salt="other").dumps([[2, {"code": "TR99"}]])
    assert "gegevens zijn gewijzigd" in _confirm(coordinator, page, forged)
    assert _count(app) == (1, 1)


def test_confirm_checks_again(app: Any, coordinator: Any) -> None:
    from scan.catalogue import services
    with app.test_request_context():
        region_id = db.session.scalar(select(Training.region_id).where(Training.code == "TR01"))
        payload = services.sign_rows([(2, {"code": "TR60", "title": "X", "type": "training", "cost": "-1"})],
                                     region_id)
    page = _upload(coordinator, _csv(TR30), "c.csv").get_data(as_text=True)
    done = _confirm(coordinator, page, payload)
    assert "Rij 2, kolom kosten in euro" in done
    assert _count(app) == (1, 1)


# --- privacy: professionals, team leaders and anonymous visitors ---

ROUTES = [("GET", "/catalogus/"), ("GET", "/catalogus/nieuw"), ("POST", "/catalogus/nieuw"),
          ("GET", "/catalogus/{id}/wijzigen"), ("POST", "/catalogus/{id}/wijzigen"),
          ("POST", "/catalogus/{id}/deactiveren"), ("POST", "/catalogus/{id}/activeren"),
          ("GET", "/catalogus/export.csv"), ("GET", "/catalogus/export.xlsx"), ("GET", "/catalogus/import"),
          ("POST", "/catalogus/import"), ("POST", "/catalogus/import/bevestigen")]


@pytest.mark.parametrize("who", [Role.PROFESSIONAL, Role.TEAMLEIDER, "anonymous"], ids=str)
def test_others_cannot_use_the_catalogue(app: Any, client: Any, who: Any) -> None:
    _world(app)
    t = _training(app, "TR01")
    if who != "anonymous":
        with app.app_context():
            username = make_user(who).username
            db.session.commit()
        login(client, username)
    # A valid payload, signed by the app, must still not get a non-manager anywhere.
    from scan.catalogue import services
    with app.test_request_context():
        payload = services.sign_rows([(2, {"code": "TR70", "title": "X", "type": "training"})], t.region_id)
    for method, path in ROUTES:
        url = path.format(id=t.id)
        if method == "GET":
            response = client.get(url)
        else:
            data = {**FORM, "code": "TR71", "payload": payload,
                    "file": (io.BytesIO(_csv(TR30)), "c.csv")}
            page = "/inloggen" if who == "anonymous" else "/account/wachtwoord"
            response = client.submit(url, data, page=page, content_type="multipart/form-data")
        if who == "anonymous":
            assert response.status_code == 302 and response.headers["Location"].startswith("/inloggen?next=")
        else:
            assert response.status_code == 403, (method, url)
    assert _count(app) == (1, 1)
    after = _training(app, "TR01")
    assert (after.title, after.active, after.cost_cents) == ("Motiverende gespreksvoering", True, 95000)
