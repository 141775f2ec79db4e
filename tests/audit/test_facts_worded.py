"""Every audit entry the features record is stored as facts and worded in the reader's language (issue 16):
a Dutch administrator reads no raw English, on the page or in the export; an English one reads English.

One entry of every action whose detail the features word as facts, with the facts their code records."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest

from scan.access import Role
from scan.audit import actions
from scan.audit.services import record
from scan.catalogue.services import COMPARED
from scan.extensions import db
from scan.privacy.registry import retention_kinds
from tests.audit.test_log_page import _rows
from tests.factories import login, make_user

# (action, object type, facts): as scan/*/ records them.
ENTRIES: list[tuple[str, str, dict[str, Any]]] = [
    (actions.POP_SIGN, "pop", {"version": 3, "signed_as": Role.TEAMLEIDER.value}),
    (actions.POP_SIGN, "pop", {"version": 3, "signed_as": Role.PROFESSIONAL.value}),
    (actions.EXPORT, "pop.pdf", {"version": 3}),
    (actions.REGIO_PUBLISH, "regio_publication",
     {"period": "voorjaar 2027", "number": 2, "hidden": 3, "positions": 40}),
    (actions.EXPORT, "regio.xlsx", {"publication": "5", "level": "algemeen"}),
    (actions.EXPORT, "regio.pdf", {"selection": "default"}),
    (actions.ACCOUNT_CREATE, "account", {"role": Role.TEAMLEIDER.value, "via": "import"}),
    (actions.ACCOUNT_CREATE, "account", {"role": Role.REGIOCOORDINATOR.value}),
    (actions.ACCOUNT_UPDATE, "account",
     {"fields": ["name", "role", "team", "teams led", "region"], "via": "import"}),
    (actions.LOGIN_FAILED, "", {"reason": "throttled"}),
    (actions.ACCOUNT_IMPORT, "account", {"created": 4, "changed": 1}),
    (actions.SCAN_SUBMIT, "scan", {"round": 7}),
    (actions.SCAN_REOPEN, "scan", {"round": 7}),
    (actions.EXPORT, "teamschouw.pdf", {"round": 7}),
    (actions.EXPORT, "teamschouw.matrix.xlsx", {"round": 7}),
    (actions.CALIBRATE, "scan", {"items": 2}),
    (actions.MUNICIPALITY_CREATE, "municipality", {"code": "GM0344"}),
    (actions.MUNICIPALITY_UPDATE, "municipality", {"fields": ["name"]}),
    (actions.MUNICIPALITY_ARCHIVE, "municipality", {"code": "GM0344"}),
    (actions.TEAM_CREATE, "team", {"code": "NOORD1", "municipality": "GM0344"}),
    (actions.TEAM_UPDATE, "team",
     {"fields": ["municipality", "name"], "moved_from": "GM0344", "moved_to": "GM0345"}),
    (actions.TEAM_ARCHIVE, "team", {"code": "NOORD1"}),
    (actions.RETENTION_APPLY, "retention", {"rounds": 1} | {kind.name: 2 for kind in retention_kinds()}),
    (actions.CATALOGUE_CHANGE, "training", {"change": "created", "code": "TR26"}),
    (actions.CATALOGUE_CHANGE, "training", {"code": "TR01", "fields": ["code", *COMPARED]}),
    (actions.CATALOGUE_CHANGE, "training", {"code": "TR01", "fields": ["none"]}),
    (actions.CATALOGUE_CHANGE, "training", {"change": "deactivated", "code": "TR01"}),
    (actions.CATALOGUE_CHANGE, "training", {"change": "activated", "code": "TR01"}),
    (actions.EXPORT, "catalogue.csv", {"rows": 12}),
    (actions.CATALOGUE_CHANGE, "catalogue.import", {"added": 1, "changed": 0, "unchanged": 5}),
    (actions.KENNISKAART_PUBLISH, "kenniskaart_version", {"code": "LG", "version": 2, "label": "2027"}),
]

# The English words of the facts' keys and worded values; none may reach a Dutch reader. (Words that are
# the same in Dutch - code, team, type, label, items, import, via, Professional - are not listed.)
ENGLISH = [
    "version", "signed as", "team leader", "period", "number", "hidden", "figures", "total", "publication",
    "level", "selection", "default", "role", "regional coordinator", "fields", "changed", "name", "teams led",
    "region", "reason", "throttled", "too many attempts", "created", "round", "rounds",
    "municipality",
    "moved from", "moved to", "change", "activated", "deactivated", "none", "rows", "added", "unchanged",
    "title", "provider", "hours", "cost", "accreditation points", "minimum group size", "maximum group size",
    "active", "answers", "agreed levels", "audit log entries",
]


@pytest.fixture
def recorded(app: Any, client: Any) -> None:
    with app.app_context():
        admin = make_user(Role.BEHEERDER, username="beheer.feit")
        for action, object_type, facts in ENTRIES:
            record(action, object_type=object_type, object_id="", actor=admin, facts=facts)
        db.session.commit()
    login(client, "beheer.feit")


def _details(client: Any) -> list[str]:
    body = client.get("/beheer/logboek/export.csv?person=beheer.feit&action=").get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    column = rows[0].index("Detail") if "Detail" in rows[0] else 6
    details = [row[column] for row in rows[1:] if row[column]]  # the login itself has no detail
    assert len(details) == len(ENTRIES)
    return details


def _words(details: list[str]) -> str:
    return "\n".join(details).lower()


def test_no_english_reaches_a_dutch_administrator(client: Any, recorded: None) -> None:
    details = _details(client)
    text = _words(details)
    for word in ENGLISH:
        assert not re.search(rf"\b{re.escape(word)}\b", text), (word, text)
    # No fact shown as stored: no JSON, no key with an underscore (signed_as, min_group, scan_events).
    assert "{" not in text and "_" not in text
    for expected in ("versie: 3; ondertekend als: teamleider", "reden: te veel pogingen",
                     "gewijzigde velden: naam, rol, team", "wijziging: gedeactiveerd; code: tr01",
                     "verplaatst van: gm0344; verplaatst naar: gm0345", "cijfers verborgen: 3",
                     "rol: regiocoördinator", "minimale groepsgrootte"):
        assert expected in text, (expected, text)
    # The page shows the same wording as the export.
    page = "\n".join(_rows(client.get("/beheer/logboek/?person=beheer.feit&action=").get_data(as_text=True)))
    for detail in details:
        assert detail.split("; ")[0] in page


def test_an_english_administrator_reads_english(client: Any, recorded: None) -> None:
    client.submit("/taal", {"lang": "en", "next": "/beheer/logboek/"}, page="/beheer/logboek/")
    text = _words(_details(client))
    for word in ENGLISH:
        if word == "throttled":  # the stored value, worded "too many attempts"
            continue
        assert re.search(rf"\b{re.escape(word)}\b", text), (word, text)
    assert "version: 3; signed as: team leader" in text
    assert "change: activated; code: tr01" in text
