"""GET filters with random query strings: the regional pages and their exports, the audit log and its
exports, the account list and the teamschouw matrix. A filter never writes (an export records itself in the
audit log, which is its purpose) and never fails."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from scan.access import Role
from scan.assessment.models import ScanRound
from scan.audit.actions import ACTIONS
from scan.audit.models import AuditEvent
from scan.core.clock import today
from scan.extensions import db
from scan.organisation.models import Team
from scan.regio import periods, publish
from scan.regio.exports.tables import VIEW_NAMES
from scan.regio.models import PublicationFile
from tests.factories import make_scan, make_user
from tests.fuzz.helpers import date, fields, number, one_of_or_any, query, send_and_check, text
from tests.teamschouw.plan_world import base

# An export is recorded in the audit log: that is its purpose.
EXPORT_RECORD = ("audit_event",)
# The regional pages read a stored publication: a view of them writes nothing at all, an export its audit
# event and, the first time its selection is downloaded, its kept file (scan.regio.exports.files; at most
# one; none
# for a filter with errors: tests/regio/test_kept_files.py).
REGIO_EXPORT_WRITES = (*EXPORT_RECORD, "regio_publication_file")
REGIO_VIEWS = ("/regio/behoefte", "/regio/behoefte/items", "/regio/scholingsplan")
REGIO_EXPORTS = ("/regio/scholingsplan.xlsx", "/regio/scholingsplan.pdf",
                 *(f"/regio/export/{view}.csv" for view in VIEW_NAMES))
AUDIT_PAGES = ("/beheer/logboek/", "/beheer/logboek/export.csv", "/beheer/logboek/export.xlsx")


def _query(spec: dict[str, st.SearchStrategy]) -> st.SearchStrategy:
    return fields({**spec, "page": number(), "pagina": number()})


@pytest.fixture
def coordinator(app: Any, world: dict[str, Any]) -> dict[str, Any]:
    """A regional coordinator of the world's region, and a publication of that region to look at: the
    world's round (two submitted scans) and six more professionals' scans in it, published after the round
    closed."""
    with app.app_context():
        team = db.session.get(Team, world["team"])
        scan_round = db.session.get(ScanRound, world["round"])
        for n in range(6):
            colleague = make_user(Role.PROFESSIONAL, team=team)
            make_scan(scan_round, colleague, {"GC01": (1, 3), "LG01-A1": (n % 3 + 1, 3)}, submitted=True)
        region = team.municipality.region
        user = make_user(Role.REGIOCOORDINATOR, region=region)
        period = periods.add(region.id, "fuzz", scan_round.opens_on, scan_round.opens_on)
        publication = publish.publish(period, None, scan_round.closes_on + timedelta(days=1))
        assert scan_round.closes_on >= today()  # published "later": the pages never look at the clock
        assert publication.professionals == 8  # Anna, Bert and the six (Cor's scan is a draft)
        db.session.commit()
        return {"username": user.username, "publication": publication.id,
                "municipality": team.municipality_id}


def _audit_events(app: Any) -> int:
    with app.app_context():
        n = db.session.scalar(select(func.count()).select_from(AuditEvent)) or 0
        db.session.rollback()
        return n


def _kept_files(app: Any) -> int:
    with app.app_context():
        n = db.session.scalar(select(func.count()).select_from(PublicationFile)) or 0
        db.session.rollback()
        return n


@given(data=st.data())
def test_regional_pages_and_exports(app, world, coordinator, browser, data):
    client, _token = browser(coordinator["username"])
    path = data.draw(st.sampled_from(REGIO_VIEWS + REGIO_EXPORTS))
    pairs = data.draw(_query({
        "publication": one_of_or_any(0, coordinator["publication"], 2**63),
        "municipality": one_of_or_any(0, coordinator["municipality"], 1, 2**63),
        "level": one_of_or_any("", "generiek", "algemeen", "specialistisch"),
        # The period filter is gone: its old fields must be ignored, never fail.
        "rounds": one_of_or_any("latest", "period"), "first": date(), "last": date(),
    }))
    export = path in REGIO_EXPORTS
    before, kept = _audit_events(app), _kept_files(app)
    response = send_and_check(app, client, lambda: query(client, path, pairs), pairs,
                              ignore=REGIO_EXPORT_WRITES if export else (), never_writes=True)
    assert _kept_files(app) - kept in ((0, 1) if export else (0,)), (path, pairs)
    # Whatever the filter, the region's publication is shown (an invalid filter: the default selection),
    # unless the request is refused whole (a NUL character: 400). A view writes nothing at all; an export
    # that was answered records exactly one audit event.
    assert response.status_code in (200, 400), (path, pairs, response.status_code)
    answered = response.status_code == 200
    assert _audit_events(app) - before == (1 if export and answered else 0), (path, pairs)


@given(data=st.data())
def test_audit_log_and_exports(app, world, browser, data):
    client, _token = browser(world["admin"])
    path = data.draw(st.sampled_from(AUDIT_PAGES))
    pairs = data.draw(_query({"person": one_of_or_any("beheer", "%", "_", "a\\"),
                              "action": one_of_or_any(*ACTIONS), "first": date(), "last": date()}))
    send_and_check(app, client, lambda: query(client, path, pairs), pairs, ignore=EXPORT_RECORD,
                   never_writes=True)


@given(data=st.data())
def test_account_list(app, world, browser, data):
    client, _token = browser(world["admin"])
    pairs = data.draw(_query({"q": text(), "role": one_of_or_any("professional", "beheerder"),
                              "team": one_of_or_any("", world["team"]),
                              "active": one_of_or_any("yes", "no")}))
    send_and_check(app, client, lambda: query(client, "/beheer/accounts", pairs), pairs, never_writes=True)


@given(data=st.data())
def test_teamschouw_matrix_and_calibration_list(app, world, browser, data):
    client, _token = browser(world["leader"])
    path = data.draw(st.sampled_from(("matrix", "kalibratie", "dekking", "prioriteiten", "sessie",
                                      f"kalibratie/{world['anna_scan']}")))
    pairs = data.draw(_query({"sectie": one_of_or_any("GC", "LG01"), "niveau": one_of_or_any("generiek"),
                              "weergave": one_of_or_any("projector")}))
    send_and_check(app, client, lambda: query(client, f"{base(world)}/{path}", pairs), pairs,
                   never_writes=True)
