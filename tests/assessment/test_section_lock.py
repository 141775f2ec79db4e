"""Each section of a scan is locked on its own: saving one section never makes an open page of another
section stale; a second save of the same section from a page loaded before the first is refused."""

import re

from sqlalchemy import select

from scan.assessment.models import Answer, Scan
from scan.extensions import db
from tests.assessment.test_scan import world  # noqa: F401  (fixture)
from tests.factories import login


def _lock(html: str) -> str:
    match = re.search(r'name="lock_version" type="hidden" value="(\d+)"', html)
    assert match, "no lock_version on the page"
    return match.group(1)


def _post(client, url, lock, data):
    return client.submit(url, {"lock_version": lock, "action": "save", **data}, page=url)


def _answers(app):
    with app.app_context():
        return {a.item.code: (a.level, a.note) for a in db.session.scalars(select(Answer))}


def _open(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return _lock(response.get_data(as_text=True))


def test_saving_one_section_leaves_an_open_page_of_another_section_saveable(app, client, world):  # noqa: F811
    login(client, world["pro"])
    gc, lg01 = f"/scan/{world['round']}/GC", f"/scan/{world['round']}/LG01"
    # A first save, so the scan exists and both pages below carry the same, non-zero lock version.
    assert _post(client, gc, _open(client, gc), {"level-GC01": "1"}).status_code == 302
    gc_lock, lg01_lock = _open(client, gc), _open(client, lg01)
    assert gc_lock == lg01_lock != "0"

    assert _post(client, gc, gc_lock, {"level-GC01": "2", "note-GC01": "eerst GC"}).status_code == 302
    # The LG01 page was opened before GC was saved: LG01 was not saved since, so it saves.
    response = _post(client, lg01, lg01_lock, {"level-LG01-A1": "3", "note-LG01-A1": "daarna LG01"})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _answers(app) == {"GC01": (2, "eerst GC"), "LG01-A1": (3, "daarna LG01")}

    # The GC page from before the GC save is stale: refused with the conflict message, typed input kept.
    response = _post(client, gc, gc_lock, {"level-GC01": "4", "note-GC01": "oude GC-pagina"})
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "ergens anders opgeslagen (in een ander tabblad of op een ander apparaat)" in html
    assert ">oude GC-pagina</textarea>" in html
    assert _answers(app) == {"GC01": (2, "eerst GC"), "LG01-A1": (3, "daarna LG01")}  # nothing lost
    # Saving again from the conflict page overwrites knowingly.
    again = _post(client, gc, _lock(html), {"level-GC01": "4", "note-GC01": "oude GC-pagina"})
    assert again.status_code == 302
    assert _answers(app)["GC01"] == (4, "oude GC-pagina")


def test_a_page_opened_before_the_scan_existed_saves_another_section(app, client, world):  # noqa: F811
    login(client, world["pro"])
    gc, lg01 = f"/scan/{world['round']}/GC", f"/scan/{world['round']}/LG01"
    gc_lock, lg01_lock = _open(client, gc), _open(client, lg01)
    assert gc_lock == lg01_lock == "0"
    assert _post(client, gc, gc_lock, {"level-GC01": "2"}).status_code == 302
    assert _post(client, lg01, lg01_lock, {"level-LG01-A1": "3"}).status_code == 302
    assert _post(client, gc, gc_lock, {"level-GC01": "4"}).status_code == 409
    assert _answers(app) == {"GC01": (2, ""), "LG01-A1": (3, "")}
    with app.app_context():
        scan = db.session.scalars(select(Scan)).one()
        assert scan.section_saves == {"GC": 2, "LG01": 3}
