"""GET filters with random query strings: the regional pages and their exports, the audit log and its
exports, the account list and the teamschouw matrix. A filter never writes (an export records itself in the
audit log, which is its purpose) and never fails."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scan.access import Role
from scan.audit.actions import ACTIONS
from scan.extensions import db
from scan.organisation.models import Team
from scan.regio.tables import VIEW_NAMES
from tests.factories import make_user
from tests.fuzz.helpers import date, fields, number, one_of_or_any, query, send_and_check, text
from tests.teamschouw.plan_world import base

# An export is recorded in the audit log: that is its purpose.
EXPORT_RECORD = ("audit_event",)
# The regional pages store the tables they show (scan.regio.cache): the only write a view of them makes.
REGIO_STORED = ("regio_overview_cache", "regio_data_version")
REGIO_PAGES = ("/regio/behoefte", "/regio/behoefte/items", "/regio/scholingsplan",
               "/regio/scholingsplan.xlsx", "/regio/scholingsplan.pdf",
               *(f"/regio/export/{view}.csv" for view in VIEW_NAMES))
AUDIT_PAGES = ("/beheer/logboek/", "/beheer/logboek/export.csv", "/beheer/logboek/export.xlsx")


def _query(spec: dict[str, st.SearchStrategy]) -> st.SearchStrategy:
    return fields({**spec, "page": number(), "pagina": number()})


@pytest.fixture
def coordinator(app: Any, world: dict[str, Any]) -> str:
    """A regional coordinator of the world's region (its team has two submitted scans)."""
    with app.app_context():
        team = db.session.get(Team, world["team"])
        user = make_user(Role.REGIOCOORDINATOR, region=team.municipality.region)
        db.session.commit()
        return user.username


@given(data=st.data())
def test_regional_pages_and_exports(app, world, coordinator, browser, data):
    client, _token = browser(coordinator)
    path = data.draw(st.sampled_from(REGIO_PAGES))
    pairs = data.draw(_query({
        "rounds": one_of_or_any("latest", "period"), "first": date(), "last": date(),
        "municipality": one_of_or_any(0, 1, 2**63), "level": one_of_or_any("", "generiek", "algemeen",
                                                                             "specialistisch"),
    }))
    send_and_check(app, client, lambda: query(client, path, pairs), pairs,
                   ignore=EXPORT_RECORD + REGIO_STORED, never_writes=True)


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
