"""Hostile workbooks on every XLSX upload: a clear translated message on the form, nothing stored, no 500."""

from __future__ import annotations

import html
import io
import struct
import zipfile
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from scan.access import Role
from scan.audit.models import AuditEvent
from scan.auth.models import User
from scan.catalogue.models import Training
from scan.extensions import db
from scan.kenniskaart.models import KenniskaartVersion
from tests.factories import login, make_kenniskaart, make_region, make_user

# route -> the role that may use it
ROUTES = {"/catalogus/import": Role.REGIOCOORDINATOR, "/beheer/accounts/import": Role.BEHEERDER,
          "/beheer/kenniskaart": Role.BEHEERDER}
SHEET = "xl/worksheets/sheet1.xml"
HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
TAIL = b"</sheetData></worksheet>"


def _with_sheet(chunks: Any) -> bytes:
    """A real workbook whose first sheet's XML is replaced by `chunks`, streamed into the zip."""
    book = Workbook()
    book.active.append(["code"])
    base = io.BytesIO()
    book.save(base)
    out = io.BytesIO()
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename == SHEET:
                with target.open(SHEET, "w") as member:
                    for chunk in chunks:
                        member.write(chunk)
            else:
                target.writestr(info.filename, source.read(info.filename))
    return out.getvalue()


def _bomb() -> bytes:
    row = b'<row><c t="inlineStr"><is><t>' + b"A" * 1000 + b"</t></is></c></row>"
    return _with_sheet([HEAD, *([row * 1000] * 110), TAIL])  # 110 MB of identical rows


def _lying(raw: bytes, size: int) -> bytes:
    """The zip with the sheet's unpacked size written as `size` in its local and central headers."""
    data = bytearray(raw)
    name = SHEET.encode()
    at = data.find(b"PK\x03\x04" + b"", 0)
    while at != -1:
        if data[at + 30:at + 30 + len(name)] == name:
            struct.pack_into("<I", data, at + 22, size)
        at = data.find(b"PK\x03\x04", at + 4)
    at = data.find(b"PK\x01\x02")
    while at != -1:
        if data[at + 46:at + 46 + len(name)] == name:
            struct.pack_into("<I", data, at + 24, size)
        at = data.find(b"PK\x01\x02", at + 4)
    return bytes(data)


LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
          + b"".join(b'<!ENTITY %s "%s">' % (bytes([c]), b"&%s;" % bytes([c - 1]) * 10)
                     for c in range(98, 106))
          + b']>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            b'<row r="1"><c r="A1" t="inlineStr"><is><t>&i;</t></is></c></row>' + TAIL)
ROWS = [HEAD, b'<row r="1"><c r="A1"><v>1</v></c></row><row r="30000"><c r="A30000"><v>1</v></c></row>', TAIL]
# One stray cell at the last column pads every row to 16,384 cells.
CELLS = [HEAD, *(b'<row r="%d"><c r="XFD%d"><v>1</v></c></row>' % (i, i) for i in range(1, 40)), TAIL]

UNREADABLE = ("This is not a readable XLSX file. Save it as an Excel workbook (.xlsx) and try again.",
              "Dit is geen leesbaar XLSX-bestand. Sla het op als Excel-werkmap (.xlsx) en probeer het "
              "opnieuw.")
CASES: dict[str, tuple[Any, tuple[str, str]]] = {
    "entities": (lambda: _with_sheet([LAUGHS]), (
        "The workbook contains XML declarations (a DTD or entities) that spreadsheet programs do not write; "
        "it is refused for safety. Save it again as an Excel workbook (.xlsx).",
        "De werkmap bevat XML-declaraties (een DTD of entiteiten) die spreadsheetprogramma's niet schrijven; "
        "om veiligheidsredenen is hij geweigerd. Sla hem opnieuw op als Excel-werkmap (.xlsx).")),
    "bomb": (_bomb, (
        "The workbook unpacks to more than 50 MB; that is far more than this import needs. Remove what does "
        "not belong in it, or split it.",
        "De werkmap is uitgepakt groter dan 50 MB; dat is veel meer dan deze import nodig heeft. Haal eruit "
        "wat er niet in hoort, of splits hem.")),
    "lying header": (lambda: _lying(_bomb(), 1000), UNREADABLE),
    "rows": (lambda: _with_sheet(ROWS), (
        "The sheet Sheet has more than 20,000 rows; that is more than this import accepts.",
        "Het blad Sheet heeft meer dan 20.000 rijen; dat is meer dan deze import aanneemt.")),
    "cells": (lambda: _with_sheet(CELLS), (
        "The workbook has more than 400,000 cells; that is more than this import accepts.",
        "De werkmap heeft meer dan 400.000 cellen; dat is meer dan deze import aanneemt.")),
    "not a zip": (lambda: b"PK\x03\x04 this is no zip at all" + bytes(100), UNREADABLE),
    "zip, not xlsx": (lambda: _zip_of_text(), UNREADABLE),
}


def _zip_of_text() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return out.getvalue()


@pytest.fixture
def users(app: Any) -> dict[Role, str]:
    with app.app_context():
        make_kenniskaart()
        coordinator = make_user(Role.REGIOCOORDINATOR)
        make_region() if coordinator.region_id is None else None
        admin = make_user(Role.BEHEERDER)
        db.session.commit()
        return {Role.REGIOCOORDINATOR: coordinator.username, Role.BEHEERDER: admin.username}


def _stored(app: Any) -> tuple[int, ...]:
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(model))
                     for model in (Training, User, KenniskaartVersion, AuditEvent))


def _post(client: Any, route: str, raw: bytes, language: str) -> Any:
    if language == "en":
        client.submit("/taal", {"lang": "en", "next": route}, page=route)
    return client.submit(route, {"file": (io.BytesIO(raw), "bestand.xlsx")},
                         content_type="multipart/form-data")


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    return {name: build() for name, (build, _messages) in CASES.items()}


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("route", list(ROUTES))
@pytest.mark.parametrize("case", list(CASES))
def test_a_hostile_workbook_is_refused_with_a_message(app: Any, client: Any, users: dict[Role, str],
                                                      files: dict[str, bytes], monkeypatch: Any, case: str,
                                                      route: str, language: str) -> None:
    login(client, users[ROUTES[route]])
    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def counting_open(self: Any, name: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(getattr(name, "filename", name))
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", counting_open)
    before = _stored(app)
    response = _post(client, route, files[case], language)
    page = html.unescape(response.get_data(as_text=True))
    english, dutch = CASES[case][1]
    assert response.status_code == 422
    assert (english if language == "en" else dutch) in page
    assert 'type="file"' in page  # the upload form is shown again
    assert _stored(app) == before
    if case == "bomb":
        assert opened == []  # refused from the zip directory, before anything was unpacked


@pytest.mark.parametrize("route", list(ROUTES))
def test_an_upload_above_the_request_limit_answers_413_with_a_page(
        app: Any, client: Any, users: dict[Role, str], route: str) -> None:
    login(client, users[ROUTES[route]])
    before = _stored(app)
    raw = b"PK\x03\x04" + bytes(app.config["MAX_CONTENT_LENGTH"])
    response = _post(client, route, raw, "nl")
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 413
    assert "Het bestand is te groot" in page
    assert "Wat je verstuurde is groter dan 4 MB" in page and f'href="{route}"' in page
    assert _stored(app) == before
    response = _post(client, route, raw, "en")
    assert "What you sent is larger than 4 MB" in html.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize("route", list(ROUTES))
def test_an_upload_above_the_import_limit_is_refused_on_the_form(app: Any, client: Any,
                                                                 users: dict[Role, str], route: str) -> None:
    login(client, users[ROUTES[route]])
    before = _stored(app)
    response = _post(client, route, b"PK\x03\x04" + bytes(3 * 1024 * 1024), "nl")
    assert response.status_code == 422
    assert "Het bestand is groter dan 2 MB." in html.unescape(response.get_data(as_text=True))
    assert _stored(app) == before
