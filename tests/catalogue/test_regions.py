"""Every region has its own training catalogue: a coordinator sees and changes only their region's entries.

Regio Aa and Regio Bee each have a coordinator and an entry; codes are unique per region, not across regions.
Another region's entry is answered with 404, exactly as an entry that does not exist.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from scan.access import Role
from scan.catalogue.models import Training
from scan.extensions import db
from tests.factories import login, make_kenniskaart, make_region, make_training, make_user

PAYLOAD_RE = re.compile(r'name="payload"[^>]*value="([^"]+)"')
HEADER_NL = (
    "code;titel;aanbieder;type;niveau;uren;kosten in euro;punten;groep minimaal;groep maximaal;items;actief"
)
FORM = {"code": "TR01", "title": "Eigen training van Bee", "provider": "Leerplein", "type": "e-learning",
        "level": "", "hours": "2", "cost": "0", "points": "2", "min_group": "", "max_group": "",
        "items": "GC01", "active": "y"}


@dataclass(frozen=True)
class TwoRegions:
    a: int  # region ids; Aa has the lower id
    b: int
    coordinator_a: str
    coordinator_b: str
    admin: str
    tr_a: int  # TR01 "Alleen in Aa", in Aa
    tr_b: int  # TR05 "Alleen in Bee", in Bee


@pytest.fixture
def world(app: Any) -> TwoRegions:
    with app.app_context():
        make_kenniskaart()
        a, b = make_region(name="Regio Aa"), make_region(name="Regio Bee")
        coordinator_a = make_user(Role.REGIOCOORDINATOR, region=a)
        coordinator_b = make_user(Role.REGIOCOORDINATOR, region=b)
        admin = make_user(Role.BEHEERDER)
        tr_a = make_training(a, "TR01", title="Alleen in Aa", provider="Aa Academie", cost_cents=95000,
                             items=("GC01",))
        tr_b = make_training(b, "TR05", title="Alleen in Bee", provider="Bee Academie", items=("GC02",))
        db.session.commit()
        return TwoRegions(a.id, b.id, coordinator_a.username, coordinator_b.username, admin.username,
                          tr_a.id, tr_b.id)


def _entry(app: Any, training_id: int) -> tuple[Any, ...]:
    with app.app_context():
        t = db.session.get(Training, training_id)
        return (t.region_id, t.code, t.title, t.provider, t.active, t.cost_cents,
                tuple(sorted(i.item_code for i in t.item_codes)))


def _codes(app: Any, region_id: int) -> dict[str, str]:
    with app.app_context():
        return dict(db.session.execute(
            select(Training.code, Training.title).where(Training.region_id == region_id)
        ).all())


def _upload(client: Any, data: bytes, url: str = "/catalogus/import") -> Any:
    return client.submit(url, {"file": (io.BytesIO(data), "catalogus.csv")},
                         content_type="multipart/form-data")


def _csv(*rows: str) -> bytes:
    return ("\n".join([HEADER_NL, *rows]) + "\n").encode("utf-8-sig")


# --- a coordinator ---

def test_the_list_shows_only_the_own_regions_entries(client: Any, world: TwoRegions) -> None:
    login(client, world.coordinator_b)
    for url in ("/catalogus/?toon=all", "/catalogus/", f"/catalogus/?toon=all&regio={world.a}"):
        page = client.get(url).get_data(as_text=True)
        assert "Alleen in Bee" in page, url
        # ?regio= is not a coordinator's to choose.
        assert "Alleen in Aa" not in page and "Aa Academie" not in page, url
        assert "De catalogus van Regio Bee" in page
        assert f"/catalogus/{world.tr_a}/" not in page


def test_another_regions_entry_is_not_found_and_stays_as_it_was(app: Any, client: Any,
                                                                 world: TwoRegions) -> None:
    before = _entry(app, world.tr_a)
    login(client, world.coordinator_b)
    edit = f"/catalogus/{world.tr_a}/wijzigen"
    assert client.get(edit).status_code == 404
    assert client.submit(edit, {**FORM, "title": "Overgenomen"}, page="/catalogus/").status_code == 404
    for action in ("deactiveren", "activeren"):
        response = client.submit(f"/catalogus/{world.tr_a}/{action}", page="/catalogus/")
        assert response.status_code == 404, action
    # The same answer as for an entry that does not exist: nothing tells that it exists.
    assert client.get("/catalogus/999999/wijzigen").status_code == 404
    assert _entry(app, world.tr_a) == before
    # The own region's entry can be changed as before.
    assert client.submit(f"/catalogus/{world.tr_b}/deactiveren", page="/catalogus/").status_code == 302
    assert _entry(app, world.tr_b)[4] is False


def test_the_exports_hold_only_the_own_region(client: Any, world: TwoRegions) -> None:
    login(client, world.coordinator_b)
    text = client.get("/catalogus/export.csv").get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert [r[0] for r in rows[1:]] == ["TR05"]
    book = load_workbook(io.BytesIO(client.get("/catalogus/export.xlsx").get_data()))
    assert [r[0] for r in book.worksheets[0].iter_rows(min_row=2, values_only=True)] == ["TR05"]


def test_an_import_goes_into_the_importers_region_and_matches_codes_there(app: Any, client: Any,
                                                                          world: TwoRegions) -> None:
    before = _entry(app, world.tr_a)
    login(client, world.coordinator_b)
    # TR01 is Aa's code: for Bee it is a new entry, and Aa's TR01 is not touched.
    page = _upload(client, _csv(
        "TR01;Overschreven door Bee;Bee Academie;training;;4;10;4;;;GC01;ja",
        "TR05;Alleen in Bee, gewijzigd;Bee Academie;training;;8;0;0;;;GC02;ja",
    )).get_data(as_text=True)
    assert "1 catalogusitem wordt toegevoegd" in page and "1 catalogusitem verandert" in page, page
    assert "Alleen in Aa" not in page
    done = client.submit("/catalogus/import/bevestigen", {"payload": PAYLOAD_RE.search(page).group(1)},
                         page="/catalogus/import", follow_redirects=True).get_data(as_text=True)
    assert "1 toegevoegd, 1 gewijzigd" in done
    assert _entry(app, world.tr_a) == before
    assert _codes(app, world.a) == {"TR01": "Alleen in Aa"}
    assert _codes(app, world.b) == {"TR01": "Overschreven door Bee", "TR05": "Alleen in Bee, gewijzigd"}


def test_the_same_code_may_exist_in_two_regions_but_once_per_region(app: Any, client: Any,
                                                                    world: TwoRegions) -> None:
    login(client, world.coordinator_b)
    assert client.submit("/catalogus/nieuw", FORM).status_code == 302  # TR01 exists in Aa only
    assert _codes(app, world.b)["TR01"] == "Eigen training van Bee"
    again = client.submit("/catalogus/nieuw", {**FORM, "title": "Nog een"})
    assert again.status_code == 200 and "Deze code is al in gebruik" in again.get_data(as_text=True)
    # Renaming Bee's TR05 to TR01 is refused too; Aa's TR01 does not count.
    response = client.submit(f"/catalogus/{world.tr_b}/wijzigen", {**FORM, "title": "Alleen in Bee"})
    assert "Deze code is al in gebruik" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Training.id)).where(Training.code == "TR01")) == 2
        # The database holds the rule as well.
        db.session.add(Training(region_id=world.a, code="TR01", title="Dubbel", type="training"))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_a_preview_of_one_region_is_not_confirmed_into_another(app: Any, client: Any,
                                                               world: TwoRegions) -> None:
    from scan.catalogue import services

    with app.test_request_context():
        row = {"code": "TR77", "title": "Ingeschoven", "type": "training"}
        for_a = services.sign_rows([(2, row)], world.a)
    login(client, world.coordinator_b)
    page = client.submit("/catalogus/import/bevestigen", {"payload": for_a}, page="/catalogus/import",
                         follow_redirects=True)
    assert page.status_code == 422 and "gegevens zijn gewijzigd" in page.get_data(as_text=True)
    assert "TR77" not in _codes(app, world.a) and "TR77" not in _codes(app, world.b)


def test_a_coordinator_without_a_region_has_no_catalogue(app: Any, client: Any, world: TwoRegions) -> None:
    with app.app_context():
        lost = make_user(Role.REGIOCOORDINATOR)
        lost.region = None
        db.session.commit()
        username = lost.username
    login(client, username)
    page = client.get("/catalogus/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Er is nog geen regio" in text and "Alleen in" not in text
    for url in ("/catalogus/nieuw", "/catalogus/export.csv", "/catalogus/import",
                f"/catalogus/{world.tr_b}/wijzigen"):
        assert client.get(url).status_code == 404, url


# --- the administrator: every region, one at a time ---

def test_the_administrator_chooses_the_region(app: Any, client: Any, world: TwoRegions) -> None:
    login(client, world.admin)
    first = client.get("/catalogus/?toon=all").get_data(as_text=True)
    assert "Alleen in Aa" in first and "Alleen in Bee" not in first  # the region with the lowest id
    assert f'<option value="{world.b}"' in first and "Regio Bee" in first
    page = client.get(f"/catalogus/?toon=all&regio={world.b}").get_data(as_text=True)
    assert "Alleen in Bee" in page and "Alleen in Aa" not in page
    assert f'href="/catalogus/nieuw?regio={world.b}"' in page
    assert f'href="/catalogus/export.csv?regio={world.b}"' in page
    assert f"/catalogus/{world.tr_b}/wijzigen?regio={world.b}" in page
    # Adding, exporting and importing work on the chosen region.
    response = client.submit(f"/catalogus/nieuw?regio={world.b}", {**FORM, "code": "TR09"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"?regio={world.b}")
    assert "TR09" in _codes(app, world.b) and "TR09" not in _codes(app, world.a)
    export = client.get(f"/catalogus/export.csv?regio={world.a}").get_data().decode("utf-8-sig")
    assert [r[0] for r in csv.reader(io.StringIO(export), delimiter=";")][1:] == ["TR01"]
    preview = _upload(client, _csv("TR05;Door beheer;Bee Academie;training;;8;0;0;;;GC02;ja"),
                      f"/catalogus/import?regio={world.b}").get_data(as_text=True)
    assert f'action="/catalogus/import/bevestigen?regio={world.b}"' in preview
    payload = PAYLOAD_RE.search(preview).group(1)
    # Confirmed on another region's page: refused, nothing written.
    refused = client.submit(f"/catalogus/import/bevestigen?regio={world.a}", {"payload": payload},
                            page="/catalogus/import")
    assert refused.status_code == 422 and "TR05" not in _codes(app, world.a)
    client.submit(f"/catalogus/import/bevestigen?regio={world.b}", {"payload": payload},
                  page="/catalogus/import")
    assert _codes(app, world.b)["TR05"] == "Door beheer"
    # Any region's entry can be changed; back to that region's list afterwards.
    assert client.get(f"/catalogus/{world.tr_a}/wijzigen").status_code == 200
    response = client.submit(f"/catalogus/{world.tr_a}/deactiveren", page="/catalogus/")
    assert response.headers["Location"].endswith(f"regio={world.a}")
    # A region that does not exist (or is no number) is not found.
    for wrong in ("999999", "abc", "-1", "99999999999999999999"):
        assert client.get(f"/catalogus/?regio={wrong}").status_code == 404, wrong
        assert client.get(f"/catalogus/nieuw?regio={wrong}").status_code == 404, wrong


def test_the_administrator_without_any_region_sees_why(app: Any, client: Any) -> None:
    with app.app_context():
        username = make_user(Role.BEHEERDER).username
        db.session.commit()
    login(client, username)
    page = client.get("/catalogus/")
    assert page.status_code == 200 and "Er is nog geen regio" in page.get_data(as_text=True)
    assert client.get("/catalogus/nieuw").status_code == 404
