"""The generic file work every import and export shares: signed previews, row problems, formula-safe cells and
the download response."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from flask import Flask
from openpyxl import load_workbook

from scan.beheer.accounts import services as accounts
from scan.catalogue import services as catalogue
from scan.core.downloads import CSV_MIME, PDF_MIME, XLSX_MIME, download
from scan.core.files import neutralise, read_table, write_csv, write_xlsx
from scan.core.uploads import RowProblem, SignedPreview
from scan.kenniskaart import upload as kenniskaart
from scan.kenniskaart.upload import version_model
from tests.factories import make_kenniskaart

CATALOGUE_ROW = {"code": "TR1", "title": "Gespreksvoering", "type": "training"}


def _tampered(payload: str) -> str:
    """The payload with one character of its data changed (the signature is after the last dot)."""
    i = len(payload) // 3
    return payload[:i] + ("A" if payload[i] != "A" else "B") + payload[i + 1:]


def test_a_preview_loads_back_what_was_signed(app_ctx: Flask) -> None:
    preview = SignedPreview("test-import")
    payload = preview.sign({"rows": [[2, {"code": "=A1"}]]})
    assert preview.load(payload, lambda data: data["rows"]) == [[2, {"code": "=A1"}]]


def test_a_payload_signed_with_another_salt_is_refused(app_ctx: Flask) -> None:
    payload = SignedPreview("one-import").sign({"rows": []})
    assert SignedPreview("one-import").load(payload, dict) == {"rows": []}
    assert SignedPreview("other-import").load(payload, dict) is None
    # Every importer has its own salt.
    assert len({catalogue.PREVIEW.salt, accounts.PREVIEW.salt, kenniskaart.PREVIEW.salt}) == 3


def test_each_importer_refuses_a_payload_signed_for_another(app_ctx: Flask) -> None:
    for_catalogue = catalogue.sign_rows([(2, CATALOGUE_ROW)], 7)
    assert catalogue.unsign_rows(for_catalogue) == (7, [(2, CATALOGUE_ROW)])
    assert accounts.unsign_rows(for_catalogue) is None
    assert kenniskaart.unsign(for_catalogue) is None

    row = accounts.ImportRow(line=2, username="p.een", role="professional", team_codes=("T1",))
    for_accounts = accounts.sign_rows([row])
    assert accounts.unsign_rows(for_accounts) == [row]
    assert catalogue.unsign_rows(for_accounts) is None
    assert kenniskaart.unsign(for_accounts) is None

    model = version_model(make_kenniskaart())
    for_kenniskaart = kenniskaart.sign(model, "kaart.yaml")
    name, text = kenniskaart.unsign(for_kenniskaart) or ("", "")
    assert name == "kaart.yaml" and f"code: {model.code}" in text
    assert catalogue.unsign_rows(for_kenniskaart) is None
    assert accounts.unsign_rows(for_kenniskaart) is None


def test_a_changed_payload_or_another_key_is_refused(app_ctx: Flask) -> None:
    payload = catalogue.sign_rows([(2, CATALOGUE_ROW)], 7)
    assert catalogue.unsign_rows(_tampered(payload)) is None
    assert catalogue.unsign_rows(payload + "x") is None
    assert catalogue.unsign_rows("") is None
    secret = app_ctx.config["SECRET_KEY"]
    app_ctx.config["SECRET_KEY"] = secret + "-other"
    try:
        assert catalogue.unsign_rows(payload) is None
    finally:
        app_ctx.config["SECRET_KEY"] = secret


def test_a_signed_payload_of_the_wrong_shape_is_refused(app_ctx: Flask) -> None:
    # Signed with the right salt, yet not what the importer wrote: still None, never an exception.
    for data in ("text", {"region": "x", "rows": []}, {"region": 1, "rows": [[2]]}, {"yaml": 3}, [[1, 2]]):
        assert catalogue.unsign_rows(catalogue.PREVIEW.sign(data)) is None
        assert accounts.unsign_rows(accounts.PREVIEW.sign(data)) is None
        assert kenniskaart.unsign(kenniskaart.PREVIEW.sign(data)) is None


def test_a_row_problem_names_its_row_and_column(app_ctx: Flask) -> None:
    assert str(RowProblem(3, "code", "Missing.")) == "Rij 3, kolom code: Missing."
    assert str(RowProblem(4, "", "Too many values.")) == "Rij 4: Too many values."


# Spelled out, not FORMULA_STARTS: a start dropped from it must fail here.
@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_neutralised_and_imports_back_unchanged(app_ctx: Flask, start: str) -> None:
    value = f"{start}HYPERLINK(\"http://x\")"
    assert neutralise(value) == "'" + value
    body = write_csv(["code", "title"], [["TR1", value]])
    [_header, row] = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert row[1] == "'" + value
    assert read_table(body, "export.csv")[1] == ["TR1", value]
    cell = load_workbook(io.BytesIO(write_xlsx(["title"], [[value]], "Sheet"))).active["A2"]
    # Text in XLSX, never a formula (XML reads a carriage return back as a line feed).
    assert (cell.data_type, cell.value[1:]) == ("s", value[1:])


@pytest.mark.parametrize("value", ["TR1", "a=b", "'quoted", "", None, 12])
def test_cells_that_are_no_formula_stay_as_they_are(value: Any) -> None:
    assert neutralise(value) == ("" if value is None else str(value))


@pytest.mark.parametrize("mimetype", [CSV_MIME, XLSX_MIME, PDF_MIME])
def test_a_download_is_an_attachment_that_is_never_kept(mimetype: str) -> None:
    response = download(b"data;1\r\n", "catalogus-2027-01-05.x", mimetype)
    assert response.get_data() == b"data;1\r\n"
    assert response.mimetype == mimetype
    assert response.headers["Content-Disposition"] == 'attachment; filename="catalogus-2027-01-05.x"'
    assert response.headers["Cache-Control"] == "no-store"
    if mimetype == CSV_MIME:
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_a_download_name_cannot_leave_its_quotes() -> None:
    response = download(b"", 'a"b\r\nSet-Cookie: x;é/..\\c.pdf', PDF_MIME)
    assert response.headers["Content-Disposition"] == 'attachment; filename="a-b--Set-Cookie--x---..-c.pdf"'
    assert download(b"", "", PDF_MIME).headers["Content-Disposition"] == 'attachment; filename="download"'
