"""The regional pages' stored tables (scan.regio.cache): used while the data stands, never after it changed.

What raises the data version is tested on the hooks themselves (a submit, a calibration, a POP goal, a bulk
statement do; a draft save and a login do not); the pages are tested as a coordinator sees them: the second
view of a selection does not count again, and a change behind the numbers shows on the next view.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

import pytest
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from scan.access import Role
from scan.assessment.models import Answer, Scan, ScanStatus
from scan.extensions import db
from scan.organisation.models import Region, Team
from scan.regio import cache
from scan.regio.cache import DataVersion
from scan.regio.overview import build_overview
from scan.regio.suppression import Suppressed
from scan.teamschouw.models import Calibration
from tests.factories import login, make_user
from tests.regio.test_needs import _pop
from tests.regio.test_overview import LABELS, _needs, _team
from tests.regio.test_query_counts import _grow, coordinator  # noqa: F401 - the fixture

NEEDS = "/regio/behoefte"


def _version() -> int:
    return cache.current_version()


def _region_people(page: str) -> int:
    """The region row's number of professionals (the last cell of the footer row of the goal table)."""
    table = page.split('id="heatmap-goal-table"', 1)[1].split("</table>", 1)[0]
    footer = table.split("<tfoot", 1)[1]
    return int(re.findall(r'class="[^"]*app-people[^"]*"[^>]*>([\d.]+)<', footer)[-1].replace(".", ""))


def test_the_codec_gives_back_the_same_overview() -> None:
    teams = [_team(1, "T1", 12), _team(1, "T2", 3), _team(1, "T3", 4), _team(2, "T4", 9)]
    sections = {("T1", "GC"): (7, 2), ("T2", "GC"): (1, 3), ("T3", "LG01"): (2, 2), ("T4", "LG02"): (6, 1)}
    items = {("T1", "GC-A1"): (7, 2), ("T2", "GC-A2"): (1, 3), ("T4", "LG02-A1"): (6, 1)}
    overview = build_overview(_needs(teams, sections, items), LABELS, k=5)
    stored = cache.decode(cache.encode(overview))
    assert stored == overview
    hidden = [c for t in stored.leefgebied.values() for b in t.blocks for c in b.row.cells
              if isinstance(c, Suppressed)]
    assert hidden and all(c.k == 5 for c in hidden)


def test_a_stored_name_cannot_pick_another_class() -> None:
    with pytest.raises(KeyError):
        cache.decode({"@": "Popen", "args": ["true"]})


def test_what_raises_the_data_version(app_ctx: Any, coordinator: dict[str, Any]) -> None:  # noqa: F811
    scan = db.session.scalars(select(Scan)).first()
    assert scan is not None and scan.status == ScanStatus.SUBMITTED.value
    start = _version()

    # A draft save: an answer and the scan's lock version change, no count does.
    scan.lock_version += 1
    answer = db.session.scalars(select(Answer).where(Answer.scan_id == scan.id)).first()
    assert answer is not None
    answer.note = "Zelf bijgehouden"
    db.session.commit()
    assert _version() == start

    # A reopen (the status) does.
    scan.status = ScanStatus.DRAFT.value
    db.session.commit()
    assert _version() == start + 1

    # A calibration does.
    item_id = db.session.scalars(select(Answer.item_id).where(Answer.scan_id == scan.id)).first()
    assert item_id is not None
    db.session.add(Calibration(scan_id=scan.id, item_id=item_id, agreed_level=3, note=""))
    db.session.commit()
    assert _version() == start + 2

    # A failed savepoint after a change leaves the change in the transaction, and the version is raised.
    scan.status = ScanStatus.SUBMITTED.value
    db.session.flush()
    with contextlib.suppress(IntegrityError), db.session.begin_nested():
        db.session.execute(insert(DataVersion).values(id=1, number=0))  # the row exists: refused
    db.session.commit()
    assert _version() == start + 3
    start += 1

    # A bulk statement on a table the counts read does (retention blanks notes this way).
    db.session.execute(update(Answer).where(Answer.scan_id == scan.id).values(note=""))
    db.session.commit()
    assert _version() == start + 3


def test_the_second_view_does_not_count_again_and_a_change_shows_at_once(
    app: Any, client: Any, count_queries: Any, coordinator: dict[str, Any]  # noqa: F811
) -> None:
    login(client, coordinator["username"])
    count_queries.statements.clear()
    first = client.get(NEEDS).get_data(as_text=True)
    counted = [s for s in count_queries.statements if "answer" in s.lower()]
    assert counted, "the first view counts the answers"
    count_queries.statements.clear()
    second = client.get(NEEDS).get_data(as_text=True)
    assert not [s for s in count_queries.statements if "answer" in s.lower()], "counted again"
    assert count_queries.count < 8
    assert _region_people(second) == _region_people(first) == 12

    # More professionals submit and plan: the next view shows them, with no stale table in between.
    with app.app_context():
        from scan.kenniskaart.models import KenniskaartVersion

        region = db.session.get(Region, coordinator["region"])
        version = db.session.get(KenniskaartVersion, coordinator["version"])
        _grow(region, version, municipalities=1, teams=1, people=7, offset=1)
    assert _region_people(client.get(NEEDS).get_data(as_text=True)) == 19


def test_a_new_pop_goal_changes_the_page(app: Any, client: Any, coordinator: dict[str, Any]) -> None:  # noqa: F811
    login(client, coordinator["username"])
    before = client.get(NEEDS).get_data(as_text=True)
    with app.app_context():
        from scan.assessment.models import ScanRound

        scan = db.session.scalars(select(Scan)).first()
        assert scan is not None
        round_ = db.session.get(ScanRound, scan.round_id)
        start = _version()
        from scan.pop.models import PopStatus

        team = db.session.get(Team, round_.team_id)
        newcomer = make_user(Role.PROFESSIONAL, team=team)
        _pop(round_, newcomer, [(PopStatus.SIGNED, ["LG01-S1"])])
        db.session.commit()
        assert _version() > start
    assert client.get(NEEDS).get_data(as_text=True) != before
