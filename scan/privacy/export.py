"""Everything stored about one person, as JSON and as CSV (the AVG right of access).

The records come from the features (their `personal` modules, through scan.privacy.registry); this module
lays them out. Pure: plain data in, bytes out; no database, no request. Column headers and status words go
through gettext, so call these inside an application context (the request's language is used).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l

from scan.access import Role, role_label
from scan.assessment.personal import ScanRecord
from scan.audit.actions import ACTIONS as AUDIT_ACTIONS
from scan.audit.personal import AuditRecord
from scan.auth.personal import AccountData, SessionRecord
from scan.catalogue.activities import ACTION_TYPE_LABELS
from scan.core.clock import AMSTERDAM
from scan.core.files import neutralise
from scan.pop.labels import ACTION_STATUS_LABELS, VERSION_STATUS_LABELS
from scan.pop.personal import PopRecord
from scan.teamschouw.personal import AgreementRecord, AttendanceRecord


@dataclass(frozen=True)
class PersonalData:
    account: AccountData
    scans: tuple[ScanRecord, ...]
    exported_at: datetime
    agreements: tuple[AgreementRecord, ...] = ()
    sessions: tuple[SessionRecord, ...] = ()
    pops: tuple[PopRecord, ...] = ()
    audit: tuple[AuditRecord, ...] = ()
    attendance: tuple[AttendanceRecord, ...] = ()


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
        "pops": [
            {
                "round": p.round_title,
                "team": p.team,
                "created_at": _when(p.created_at),
                "versions": [
                    {
                        "number": v.number,
                        "status": v.status,
                        "created_at": _when(v.created_at),
                        "proposed_at": _when(v.proposed_at),
                        "leader_comment": v.leader_comment,
                        "agreed_at": _when(v.agreed_at),
                        "agreed_by": v.agreed_by,
                        "signed_by_you_at": _when(v.professional_signed_at),
                        "signed_by_leader_at": _when(v.leader_signed_at),
                        "signed_by_leader": v.leader_signed_by,
                        "goals": [
                            {
                                "item_code": g.item_code,
                                "item_title": {"nl": g.item_title_nl, "en": g.item_title_en},
                                "description": g.description,
                                "reason_kind": g.reason_kind,
                                "reason": g.reason,
                                "reason_level": g.reason_level,
                                "reason_ambition": g.reason_ambition,
                                "reason_level_agreed": g.reason_level_agreed,
                                "target_level": g.target_level,
                                "actions": [
                                    {
                                        "type": a.type,
                                        "description": a.description,
                                        "training": a.training,
                                        "colleague": a.colleague,
                                        "planned_from": _when(a.planned_from),
                                        "planned_until": _when(a.planned_until),
                                        "hours": _number(a.hours),
                                        "points": a.points,
                                        "status": a.status,
                                        "reflection": a.reflection,
                                        "status_changed_at": _when(a.status_changed_at),
                                    }
                                    for a in g.actions
                                ],
                            }
                            for g in v.goals
                        ],
                    }
                    for v in p.versions
                ],
            }
            for p in data.pops
        ],
        "teamschouw_attendance": [
            {"round": t.round_title, "team": t.team, "held_on": _when(t.held_on)} for t in data.attendance
        ],
        "audit_log": [
            {
                "at": _when(e.at),
                "action": e.action,
                "object_type": e.object_type,
                "object_id": e.object_id,
                "detail": e.detail,
                "address": e.address,
            }
            for e in data.audit
        ],
    }


def _number(value: Decimal | None) -> float | int | None:
    """Hours as a JSON number (Decimal is not JSON); whole hours without ".0"."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def render_json(data: PersonalData) -> bytes:
    return json.dumps(as_dict(data), ensure_ascii=False, indent=2).encode("utf-8")


_ROW_ANSWER = _l("Answer")
_ROW_EVENT = _l("Scan event")
_ROW_SCAN = _l("Scan")
_ROW_ACCOUNT = _l("Account")
_ROW_CALIBRATION = _l("Agreed level")
_ROW_AGREEMENT = _l("Team agreement")
_ROW_SESSION = _l("Login session")
_ROW_POP = _l("POP action")
_ROW_POP_GOAL = _l("POP goal")
_ROW_POP_VERSION = _l("POP version")
_ROW_ATTENDANCE = _l("Teamschouw session attended")
_ROW_AUDIT = _l("Audit log")
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
    # POP columns (each POP row also fills Round, Team of the round, Item code, Item).
    _l("POP version"),
    _l("POP status"),
    _l("Goal"),
    _l("Action type"),
    _l("Action"),
    _l("Action status"),
    _l("Reflection"),
    _l("Planned from"),
    _l("Planned until"),
    _l("Hours"),
    _l("Signed by you at"),
    _l("Signed by the team leader at"),
    _l("Signed by"),
    # Audit log rows: Event is the action, Event at the time.
    _l("Object"),
    _l("Address"),
)


_POP_COLUMNS = 13


def _pop_rows(data: PersonalData, account: list[Any], lang: str) -> list[list[Any]]:
    """One row per POP action (every version), a goal without actions or a version without goals still
    gets one."""
    rows: list[list[Any]] = []
    for pop in data.pops:
        for v in pop.versions:
            version_cells = [v.number, str(VERSION_STATUS_LABELS.get(v.status, v.status))]
            signatures = [_when(v.professional_signed_at), _when(v.leader_signed_at), v.leader_signed_by]
            head = [*account, pop.round_title, pop.team, "", "", "", ""]
            if not v.goals:
                rows.append(
                    [str(_ROW_POP_VERSION), *head, *[""] * 10, *version_cells, *[""] * 8, *signatures]
                )
            for g in v.goals:
                title = g.item_title_en if lang == "en" and g.item_title_en else g.item_title_nl
                goal_head = [*head, g.item_code, title, "", "", "", "", "", "", "", "", *version_cells,
                             g.description]
                if not g.actions:
                    rows.append([str(_ROW_POP_GOAL), *goal_head, *[""] * 7, *signatures])
                for act in g.actions:
                    what = act.description or act.training or ""
                    if act.colleague:
                        what = f"{what} ({act.colleague})" if what else act.colleague
                    rows.append(
                        [
                            str(_ROW_POP),
                            *goal_head,
                            str(ACTION_TYPE_LABELS.get(act.type, act.type)),
                            what,
                            str(ACTION_STATUS_LABELS.get(act.status, act.status)),
                            act.reflection,
                            _when(act.planned_from),
                            _when(act.planned_until),
                            act.hours,
                            *signatures,
                        ]
                    )
    return rows


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
    rows.extend(_pop_rows(data, account, lang))
    for t in data.attendance:
        rows.append(
            [str(_ROW_ATTENDANCE), *account, t.round_title, t.team, *[""] * 4, *blank_answer,
             str(_ROW_ATTENDANCE), "", _when(t.held_on), ""]
        )
    for e in data.audit:
        obj = f"{e.object_type} {e.object_id}".strip()
        action = str(AUDIT_ACTIONS.get(e.action, e.action))
        rows.append(
            [str(_ROW_AUDIT), *account, *blank_round, *blank_answer,
             action, e.detail, _when(e.at), a.username, *[""] * _POP_COLUMNS, obj, e.address]
        )

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(str(h)) for h in CSV_HEADER])
    for row in rows:
        # Rows stop at their last filled column; every row gets the header's width.
        row = row + [""] * (len(CSV_HEADER) - len(row))
        writer.writerow([neutralise(cell) for cell in row])
    return out.getvalue().encode("utf-8-sig")
