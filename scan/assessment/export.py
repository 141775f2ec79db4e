"""Everything stored about one person, as JSON and as CSV (the AVG right of access).

Pure: plain data in, bytes out; no database, no request. Column headers and status words go through
gettext, so call these inside an application context (the request's language is used).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

from scan.access import Role, role_label

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# A spreadsheet treats a cell starting with one of these as a formula; tab and carriage return too.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class AccountData:
    username: str
    full_name: str
    role: str
    team: str | None
    municipality: str | None
    language: str | None
    created_at: datetime | None
    last_login_at: datetime | None
    region: str | None = None
    led_teams: tuple[str, ...] = ()


@dataclass(frozen=True)
class AnswerRecord:
    item_code: str
    item_title_nl: str
    item_title_en: str
    section_code: str
    level: int | None
    not_applicable: bool
    ambition: int | None
    note: str
    updated_at: datetime | None = None


@dataclass(frozen=True)
class EventRecord:
    kind: str  # "submitted" or "reopened"
    at: datetime
    actor_name: str | None
    reason: str = ""


@dataclass(frozen=True)
class CalibrationRecord:
    """A level agreed with the team leader (every change is kept, so every change is exported)."""

    item_code: str
    item_title_nl: str
    item_title_en: str
    agreed_level: int | None  # None: the agreement was withdrawn
    note: str
    set_at: datetime
    set_by: str | None


@dataclass(frozen=True)
class AgreementRecord:
    """A teamschouw agreement about this person (vraagbaak, growing into a specialism, other)."""

    round_title: str
    kind: str
    theme_code: str | None
    theme_title_nl: str | None
    theme_title_en: str | None
    text: str
    consent: str | None
    consent_at: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class SessionRecord:
    """A login: when it started, was last used and ended, and from which address."""

    started_at: datetime
    last_seen_at: datetime
    ended_at: datetime | None
    address: str | None


@dataclass(frozen=True)
class ScanRecord:
    round_title: str
    team: str
    opens_on: date
    closes_on: date
    status: str  # "draft" or "submitted"
    started_at: datetime | None
    updated_at: datetime | None
    submitted_at: datetime | None
    answers: tuple[AnswerRecord, ...] = ()
    events: tuple[EventRecord, ...] = ()
    calibrations: tuple[CalibrationRecord, ...] = ()


@dataclass(frozen=True)
class PersonalData:
    account: AccountData
    scans: tuple[ScanRecord, ...]
    exported_at: datetime
    agreements: tuple[AgreementRecord, ...] = ()
    sessions: tuple[SessionRecord, ...] = ()


def _when(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(AMSTERDAM).isoformat(timespec="seconds")
    return value.isoformat()


def as_dict(data: PersonalData) -> dict[str, Any]:
    account = data.account
    return {
        "exported_at": _when(data.exported_at),
        "account": {
            "username": account.username,
            "full_name": account.full_name,
            "role": account.role,
            "team": account.team,
            "municipality": account.municipality,
            "region": account.region,
            "led_teams": list(account.led_teams),
            "language": account.language,
            "created_at": _when(account.created_at),
            "last_login_at": _when(account.last_login_at),
        },
        "scans": [
            {
                "round": scan.round_title,
                "team": scan.team,
                "opens_on": _when(scan.opens_on),
                "closes_on": _when(scan.closes_on),
                "status": scan.status,
                "started_at": _when(scan.started_at),
                "updated_at": _when(scan.updated_at),
                "submitted_at": _when(scan.submitted_at),
                "answers": [
                    {
                        "item_code": a.item_code,
                        "section_code": a.section_code,
                        "item_title": {"nl": a.item_title_nl, "en": a.item_title_en},
                        "level": a.level,
                        "not_applicable": a.not_applicable,
                        "ambition": a.ambition,
                        "note": a.note,
                        "updated_at": _when(a.updated_at),
                    }
                    for a in scan.answers
                ],
                "events": [
                    {"kind": e.kind, "at": _when(e.at), "by": e.actor_name, "reason": e.reason}
                    for e in scan.events
                ],
                "agreed_levels": [
                    {
                        "item_code": c.item_code,
                        "item_title": {"nl": c.item_title_nl, "en": c.item_title_en},
                        "agreed_level": c.agreed_level,
                        "note": c.note,
                        "at": _when(c.set_at),
                        "by": c.set_by,
                    }
                    for c in scan.calibrations
                ],
            }
            for scan in data.scans
        ],
        "team_agreements": [
            {
                "round": g.round_title,
                "kind": g.kind,
                "theme_code": g.theme_code,
                "theme_title": {"nl": g.theme_title_nl, "en": g.theme_title_en} if g.theme_code else None,
                "text": g.text,
                "consent": g.consent,
                "consent_at": _when(g.consent_at),
                "created_at": _when(g.created_at),
            }
            for g in data.agreements
        ],
        "login_sessions": [
            {
                "started_at": _when(s.started_at),
                "last_seen_at": _when(s.last_seen_at),
                "ended_at": _when(s.ended_at),
                "address": s.address,
            }
            for s in data.sessions
        ],
    }


def render_json(data: PersonalData) -> bytes:
    return json.dumps(as_dict(data), ensure_ascii=False, indent=2).encode("utf-8")


def neutralise(value: Any) -> str:
    """A cell as text that a spreadsheet will not run as a formula."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


_ROW_ANSWER = _l("Answer")
_ROW_EVENT = _l("Scan event")
_ROW_SCAN = _l("Scan")
_ROW_ACCOUNT = _l("Account")
_ROW_CALIBRATION = _l("Agreed level")
_ROW_AGREEMENT = _l("Team agreement")
_ROW_SESSION = _l("Login session")
_AGREEMENT = {
    "vraagbaak": _l("Go-to colleague (vraagbaak)"),
    "grow": _l("Grows into a specialism"),
    "other": _l("Other agreement"),
}
_CONSENT = {"pending": _l("awaiting your answer"), "accepted": _l("accepted"), "declined": _l("declined")}
_STATUS = {"draft": _l("Draft"), "submitted": _l("Submitted")}
_EVENT = {"submitted": _l("Submitted"), "reopened": _l("Reopened")}

CSV_HEADER = (
    _l("Record"),
    _l("Username"),
    _l("Full name"),
    _l("Role"),
    _l("Team"),
    _l("Municipality"),
    _l("Language"),
    _l("Account created"),
    _l("Last login"),
    _l("Round"),
    _l("Team of the round"),
    _l("Opens on"),
    _l("Closes on"),
    _l("Scan status"),
    _l("Submitted at"),
    _l("Item code"),
    _l("Item"),
    _l("Level"),
    _l("Not applicable"),
    _l("Ambition"),
    _l("Note"),
    _l("Event"),
    _l("Event reason"),
    _l("Event at"),
    _l("Event by"),
)


def render_csv(data: PersonalData, lang: str = "nl") -> bytes:
    """One row per answer, with the account and round columns repeated; one row per scan event; a scan
    without answers or events still gets a row, and so does an account without scans. UTF-8 with a BOM
    and `;` between cells, as Dutch Excel expects."""
    a = data.account
    role = str(role_label(a.role)) if a.role in set(Role) else a.role
    account = [
        a.username,
        a.full_name,
        role,
        a.team,
        a.municipality,
        a.language,
        _when(a.created_at),
        _when(a.last_login_at),
    ]
    blank_round = [""] * 6
    blank_answer = [""] * 6
    blank_event = [""] * 4
    yes, no = str(_l("yes")), str(_l("no"))
    rows: list[list[Any]] = []
    for scan in data.scans:
        round_cells = [
            scan.round_title,
            scan.team,
            _when(scan.opens_on),
            _when(scan.closes_on),
            str(_STATUS.get(scan.status, scan.status)),
            _when(scan.submitted_at),
        ]
        for answer in scan.answers:
            title = answer.item_title_en if lang == "en" and answer.item_title_en else answer.item_title_nl
            rows.append(
                [
                    str(_ROW_ANSWER),
                    *account,
                    *round_cells,
                    answer.item_code,
                    title,
                    answer.level,
                    yes if answer.not_applicable else no,
                    answer.ambition,
                    answer.note,
                    *blank_event,
                ]
            )
        for event in scan.events:
            rows.append(
                [
                    str(_ROW_EVENT),
                    *account,
                    *round_cells,
                    *blank_answer,
                    str(_EVENT.get(event.kind, event.kind)),
                    event.reason,
                    _when(event.at),
                    event.actor_name,
                ]
            )
        for cal in scan.calibrations:
            title = cal.item_title_en if lang == "en" and cal.item_title_en else cal.item_title_nl
            rows.append(
                [
                    str(_ROW_CALIBRATION),
                    *account,
                    *round_cells,
                    cal.item_code,
                    title,
                    cal.agreed_level,
                    "",
                    "",
                    cal.note,
                    "",
                    "",
                    _when(cal.set_at),
                    cal.set_by,
                ]
            )
        if not scan.answers and not scan.events:
            rows.append([str(_ROW_SCAN), *account, *round_cells, *blank_answer, *blank_event])
    if not data.scans:
        rows.append([str(_ROW_ACCOUNT), *account, *blank_round, *blank_answer, *blank_event])
    for g in data.agreements:
        theme = (g.theme_title_en if lang == "en" and g.theme_title_en else g.theme_title_nl) or ""
        round_cells = [g.round_title, "", "", "", "", ""]
        rows.append(
            [
                str(_ROW_AGREEMENT),
                *account,
                *round_cells,
                g.theme_code or "",
                theme,
                "",
                "",
                "",
                g.text,
                str(_AGREEMENT.get(g.kind, g.kind)),
                str(_CONSENT.get(g.consent or "", "")),
                _when(g.created_at),
                "",
            ]
        )
    for s in data.sessions:
        rows.append(
            [
                str(_ROW_SESSION),
                *account,
                *blank_round,
                *blank_answer,
                str(_ROW_SESSION),
                s.address,
                _when(s.started_at),
                "",
            ]
        )

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(str(h)) for h in CSV_HEADER])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return out.getvalue().encode("utf-8-sig")
