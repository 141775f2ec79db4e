"""The regional exports are written once per publication, language and selection, and kept
(scan.regio.exports.files): a later download gets the same bytes without rendering, and yet never shows a
catalogue,
a language or a selection other than its own.

Expected numbers come from services.scholingsplan of the same stored publication and filter, as in
test_exports.py.
"""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date
from flask import Flask
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import insert, select

from scan.audit import actions as audit_actions
from scan.audit.models import AuditEvent
from scan.catalogue.models import Training
from scan.extensions import db
from scan.organisation.models import Municipality
from scan.regio import services
from scan.regio.disclosure.suppression import Suppressed
from scan.regio.exports import files
from scan.regio.models import PublicationFile
from scan.regio.overview import ItemLabel, Labels, SectionLabel
from scan.regio.plan import Offer
from scan.regio.services import Selection
from tests.factories import login
from tests.regio.conftest import DemoRegion, load_demo_region, publish_demo_period
from tests.regio.test_exports import COORDINATOR, XLSX, csv_rows, english, expected, records, shown, workbook

FIRST_DAY = date(2027, 3, 15)
LATER_DAY = date(2027, 4, 2)


@pytest.fixture
def demo_region(app: Flask) -> DemoRegion:
    """As in test_exports.py: loaded in an app context of its own that ends before the requests."""
    with app.app_context():
        region = load_demo_region()
        publish_demo_period(region.region_id)
        return region


@pytest.fixture
def coordinator(client: Any, demo_region: DemoRegion) -> Any:
    assert login(client, *COORDINATOR).status_code == 302
    return client


def must_not_run(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("the kept file was rendered again")


def content_text(url: str, body: bytes) -> str:
    """What a reader of the file sees, as text."""
    if url.endswith(".xlsx"):
        book = load_workbook(io.BytesIO(body))
        cells = (v for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row)
        return "\n".join(str(v) for v in cells)
    if url.endswith(".pdf"):
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    return body.decode("utf-8-sig")


def kept_names(app: Flask) -> list[str]:
    with app.app_context():
        return sorted(db.session.scalars(select(PublicationFile.name)))


DOWNLOADS = [
    ("/regio/scholingsplan.xlsx", "scan.regio.exports.routes.write_workbook", "regio.xlsx"),
    ("/regio/export/about.csv", "scan.regio.exports.routes.write_csv", "regio.about.csv"),
    ("/regio/scholingsplan.pdf", "scan.regio.exports.routes.render_scholingsplan", "regio.pdf"),
]


@pytest.mark.parametrize(("url", "renderer", "kind"), DOWNLOADS)
def test_a_second_download_is_the_kept_file(app, coordinator, demo_region, count_queries, monkeypatch, url,
                                            renderer, kind):
    monkeypatch.setattr("scan.regio.exports.routes.today", lambda: FIRST_DAY)
    first = coordinator.get(url)
    assert first.status_code == 200
    assert FIRST_DAY.isoformat() in first.headers["Content-Disposition"]
    # The file states its publication (with the day it was published), not the day it was downloaded.
    text = content_text(url, first.data)
    with app.app_context():
        pub = services.publication(demo_region.region_id, None)
        day = pub.published_at.astimezone(ZoneInfo("Europe/Amsterdam")).date()
    published = format_date(day, "long", locale="nl")
    assert published in " ".join(text.split())
    assert format_date(FIRST_DAY, "long", locale="nl") not in text and FIRST_DAY.isoformat() not in text

    # A day later: nothing may render or read the publication's figures again.
    for name in (renderer, "scan.regio.services.scholingsplan", "scan.regio.services.payload",
                 "scan.regio.trends.for_region"):
        monkeypatch.setattr(name, must_not_run)
    monkeypatch.setattr("scan.regio.exports.routes.today", lambda: LATER_DAY)
    count_queries.statements.clear()
    second = coordinator.get(url)
    assert second.status_code == 200
    assert second.data == first.data
    assert not [s for s in count_queries.statements if "regio_publication_part" in s]
    # The download's name carries the day it was downloaded; the browser keeps nothing.
    assert LATER_DAY.isoformat() in second.headers["Content-Disposition"]
    assert FIRST_DAY.isoformat() not in second.headers["Content-Disposition"]
    assert second.headers["Cache-Control"] == "no-store"
    # Both downloads are in the audit log.
    with app.app_context():
        recorded = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == audit_actions.EXPORT, AuditEvent.object_type == kind)).all()
    assert len(recorded) == 2


def test_a_change_to_the_catalogue_writes_the_kept_files_again(app, coordinator, demo_region):
    english(coordinator)
    region_id = demo_region.region_id
    _overview, plan = expected(app, region_id)
    line = next(n for n in plan.region.lines if n.chosen and not isinstance(n.participants, Suppressed))
    code = line.chosen.offer.code
    header, rows = records(workbook(coordinator)["Scholingsplan"])
    col = header.index("Training code")
    assert code in {r[col] for r in rows}
    assert code in {r[6] for r in csv_rows(coordinator, "scholingsplan")[1:]}
    assert kept_names(app) == ["csv:scholingsplan|en|", "xlsx|en|"]

    # The coordinator deactivates the chosen training in the catalogue.
    with app.app_context():
        training_id = db.session.scalars(
            select(Training.id).where(Training.region_id == region_id, Training.code == code)).one()
    response = coordinator.submit(f"/catalogus/{training_id}/deactiveren", {}, page="/catalogus/")
    assert response.status_code == 302
    _overview, after = expected(app, region_id)
    assert all(n.chosen is None or n.chosen.offer.code != code for n in after.region.lines)

    # The next downloads show the plan without it: the plan the page shows now.
    header, rows = records(workbook(coordinator)["Scholingsplan"])
    assert code not in {r[col] for r in rows}
    chosen = [n.chosen.offer.code if n.chosen else None for n in after.region.lines]
    assert [r[col] for r in rows[:-1]] == chosen
    assert [r[6] or None for r in csv_rows(coordinator, "scholingsplan")[1:-1]] == chosen
    # Replaced, not added: still one kept file per name.
    assert kept_names(app) == ["csv:scholingsplan|en|", "xlsx|en|"]


def test_dutch_and_english_downloads_are_kept_files_of_their_own(app, coordinator, demo_region):
    dutch = coordinator.get(XLSX).data
    english(coordinator)
    in_english = coordinator.get(XLSX).data
    assert records(load_workbook(io.BytesIO(dutch)).worksheets[1])[0][0] == "Gemeente"
    assert records(load_workbook(io.BytesIO(in_english)).worksheets[1])[0][0] == "Municipality"
    response = coordinator.submit("/taal", {"lang": "nl", "next": "/regio/"}, page="/regio/")
    assert response.status_code == 302
    assert coordinator.get(XLSX).data == dutch
    assert kept_names(app) == ["xlsx|en|", "xlsx|nl|"]


def test_each_selection_is_a_kept_file_with_its_own_numbers(app, coordinator, demo_region):
    english(coordinator)
    with app.app_context():
        ravenhorst = db.session.scalars(
            select(Municipality.id).where(Municipality.name == "Ravenhorst")).one()
    selections = [{}, {"municipality": str(ravenhorst)}, {"level": "specialistisch"},
                  {"municipality": str(ravenhorst), "level": "algemeen"}]

    def check(args: dict[str, str]) -> bytes:
        _overview, plan = expected(app, demo_region.region_id, **args)
        response = coordinator.get(XLSX, query_string=args)
        book = load_workbook(io.BytesIO(response.data))
        header, rows = records(book["Scholingsplan"])
        item, participants = header.index("Item code"), header.index("Participants (POP goal)")
        assert [(r[item], r[participants]) for r in rows[:-1]] == \
            [(n.item.code, shown(n.participants)) for n in plan.region.lines], args
        _header, rows = records(book["Municipalities"])
        assert sorted({r[0] for r in rows}) == sorted(m.name for m in plan.municipalities), args
        return response.data

    first = [check(args) for args in selections]
    assert len(set(first)) == len(selections)
    # Again, in another order: each selection gets its own kept file back.
    assert [check(args) for args in reversed(selections)] == list(reversed(first))
    assert len(kept_names(app)) == len(selections)


def test_a_download_with_a_refused_filter_keeps_nothing(app, coordinator, demo_region):
    """A filter with errors (a municipality of no region) exports the default selection with a note; a
    refused request changes nothing, so nothing is kept."""
    english(coordinator)
    for url in (XLSX, "/regio/export/about.csv", "/regio/scholingsplan.pdf"):
        response = coordinator.get(url, query_string={"municipality": "999999"})
        assert response.status_code == 200, url
    assert kept_names(app) == []
    coordinator.get(XLSX)
    assert kept_names(app) == ["xlsx|en|"]


def test_a_file_two_workers_write_at_once_is_kept_once(app, demo_region):
    """Two gunicorn workers download the same new file at the same moment: both render; the second to
    store it must neither fail nor lose the first one's."""
    name = "csv:offers|nl|"
    with app.app_context():
        pub = services.publication(demo_region.region_id, None)
        db.session.commit()

        def another_worker_stores_it_first() -> bytes:
            # Between this request's read and its insert, another connection stores and commits the same file.
            with db.engine.connect() as other:
                other.execute(insert(PublicationFile).values(
                    publication_id=pub.id, name=name, fingerprint="same", body=b"theirs",
                    written_at=datetime.now(UTC)))
                other.commit()
            return b"ours"

        assert files.get_or_write(pub, name, "same", another_worker_stores_it_first) == b"ours"
        db.session.commit()  # the request goes on: its audit record is committed
        stored = db.session.execute(select(PublicationFile.fingerprint, PublicationFile.body)).all()
        assert [tuple(r) for r in stored] == [("same", b"theirs")]
        # The next download reads the kept file.
        assert files.get_or_write(pub, name, "same", must_not_run) == b"theirs"
        # A different fingerprint (the catalogue changed) replaces it under the same name.
        assert files.get_or_write(pub, name, "changed", lambda: b"new") == b"new"
        db.session.commit()
        stored = db.session.execute(select(PublicationFile.fingerprint, PublicationFile.body)).all()
        assert [tuple(r) for r in stored] == [("changed", b"new")]


def test_the_file_name_and_the_fingerprint_name_everything_the_content_depends_on():
    selection = Selection(publication_id=7, municipality_id=3, level_kind="algemeen")
    assert files.file_name("csv:offers", "en", selection) == \
        "csv:offers|en|level=algemeen&municipality=3&publication=7"
    assert files.file_name("xlsx", "nl", Selection()) == "xlsx|nl|"
    assert files.file_name("xlsx", "nl", Selection(), valid=False) == "xlsx|nl||invalid"
    # The page of the municipalities is not part of an export.
    assert files.file_name("pdf", "nl", Selection(page=3)) == "pdf|nl|"

    period = SimpleNamespace(name="najaar 2026")
    pub = SimpleNamespace(id=1, number=1, published_at=datetime(2027, 1, 5, 9, tzinfo=UTC), period=period)
    offer = Offer("T1", "Schulden", "Aanbieder", "training", "algemeen", 8, 12_500, 6, 12,
                  frozenset({"LG01-A1", "LG01-A2", "GC01"}))
    labels = Labels((SectionLabel("LG01", "Geld", "leefgebied", 1),),
                    (ItemLabel("LG01-A1", "Schulden signaleren", "LG01", "algemeen", 1001),))
    inputs: dict[str, Any] = dict(region=("Regio", "R"), municipality_name="", valid=True, offers=[offer],
                                  labels=labels, trends=[pub], texts=("najaar 2026",))
    base = files.fingerprint(pub, **inputs)
    # The same inputs built anew (the item codes in another order) give the same fingerprint.
    same = replace(offer, item_codes=frozenset({"GC01", "LG01-A2", "LG01-A1"}))
    assert files.fingerprint(pub, **(inputs | {"offers": [same]})) == base
    changed = {
        "offers": [replace(offer, title="Schulden (nieuw)")],
        "labels": Labels(labels.sections, (ItemLabel("LG01-A1", "Andere titel", "LG01", "algemeen", 1001),)),
        "region": ("Regio Nieuw", "R"),
        "municipality_name": "Ravenhorst",
        "valid": False,
        "trends": [],
        "texts": ("voorjaar 2027",),
    }
    for key, value in changed.items():
        assert files.fingerprint(pub, **(inputs | {key: value})) != base, key
    # Another publication that got the same id (SQLite reuses a deleted row's id) is not the same file.
    again = SimpleNamespace(id=1, number=1, published_at=datetime(2027, 2, 1, tzinfo=UTC), period=period)
    assert files.fingerprint(again, **inputs) != base
