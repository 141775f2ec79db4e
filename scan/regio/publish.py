"""Publishing a period: count once, suppress once, audit once, store. Never commits (the caller does).

`publish(period, actor)` counts the period (scan.regio.needs), lays every number out as linked positions
(scan.regio.disclosure.linked), suppresses them together and audits the result with an integer program over
this
publication and the earlier publications of the same period (scan.regio.disclosure.protection,
scan.regio.disclosure.audit), and
stores the shown figures with the audit's outcome. Two servers publishing the same period at once: the
second insert of the same (period, number) fails on the unique constraint and the caller rolls back.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from scan.audit import actions as audit_actions
from scan.audit.services import record
from scan.auth.models import User
from scan.extensions import db
from scan.regio import needs, queries
from scan.regio.disclosure.linked import Linked, build
from scan.regio.disclosure.protection import CannotProtect, protect
from scan.regio.models import Period, Publication, PublicationPart
from scan.regio.parts import split


class AlreadyPublishing(Exception):
    """Another server stored this publication number of the period first."""


class NotPublishable(Exception):
    """A correction that cannot be published without giving a small number away (see CannotProtect)."""


class NotReady(Exception):
    """The period cannot be published yet (a round in it is still open, or the period has not ended)."""


@dataclass(frozen=True)
class Readiness:
    ended: bool
    open_rounds: int

    @property
    def ready(self) -> bool:
        return self.ended and self.open_rounds == 0


def readiness(period: Period, today: date) -> Readiness:
    return Readiness(period.last_day < today,
                     needs.open_rounds_in_period(period.region_id, period.first_day, period.last_day, today))


def payload(linked: Linked, hidden: set[str]) -> dict[str, object]:
    """What may be shown: the figures (None where hidden), the groups with their sizes, the columns."""
    return {
        "k": linked.k,
        "groups": [[g.key, g.kind, g.municipality_id, g.municipality_code, g.municipality_name, g.team_code,
                    g.people] for g in linked.groups],
        "sections": linked.sections,
        "section_levels": {s: list(v) for s, v in linked.section_levels.items()},
        "items": linked.items,
        "item_meta": {c: list(v) for c, v in linked.item_meta.items()},
        "shown": {p: (None if p in hidden else v) for p, v in linked.values.items()},
        "alias": linked.alias,
        "grouping": {str(team): key for team, key in linked.grouping.items()},
    }


def publish(period: Period, actor: User | None, today: date, *,
            source: str = "flask regio publish-due") -> Publication:
    """Count, suppress, audit and store the period's next publication. `source` names the command in the
    audit log when there is no actor (the daily job, the demo seed)."""
    state = readiness(period, today)
    if not state.ready:
        raise NotReady(state)
    k = int(current_app.config["REGIO_MIN_CELL"])
    labels = queries.labels()
    section_levels: dict[str, set[str]] = {}
    for item in labels.items:
        section_levels.setdefault(item.section_code, set()).add(item.level_kind)
    started = time.perf_counter()
    counts = needs.period_counts(
        period.region_id, period.first_day, period.last_day,
        section_order=[s.code for s in labels.sections],
        section_levels={s: tuple(v) for s, v in section_levels.items()},
        item_order=[i.code for i in labels.items],
    )
    counted = time.perf_counter() - started
    previous = period.publications[-1] if period.publications else None
    keep = {int(t): key for t, key in previous.data().get("grouping", {}).items()} if previous else None
    linked = build(counts, k, keep)
    earlier = [json.loads(p.truth) for p in period.publications]
    try:
        protection = protect(linked, earlier, [p.data()["shown"] for p in period.publications])
    except CannotProtect as error:
        raise NotPublishable(str(error)) from error
    findings = protection.report.findings
    number = (db.session.scalar(
        select(Publication.number).where(Publication.period_id == period.id)
        .order_by(Publication.number.desc()).limit(1)) or 0) + 1
    shown = payload(linked, protection.hidden)
    publication = Publication(
        period_id=period.id,
        number=number,
        published_by_id=actor.id if actor else None,
        k=k,
        professionals=sum(g.people for g in linked.groups if g.kind == "municipality"),
        groups=sum(1 for g in linked.groups if g.kind == "team") or len(linked.municipalities()),
        positions=len(linked.values),
        hidden=len(protection.hidden),
        primary=len(protection.primary),
        sensitive=len(findings),
        rounds=protection.rounds,
        lp_solves=protection.report.lp_solves,
        mip_solves=protection.report.mip_solves,
        count_seconds=round(counted, 3),
        audit_seconds=round(protection.seconds, 3),
        payload=json.dumps(shown, separators=(",", ":")),
        truth=json.dumps(linked.values, separators=(",", ":")),
        intervals=json.dumps({p: [[f.reason, f.low, f.high] for f in fs] for p, fs in findings.items()},
                             separators=(",", ":")),
    )
    db.session.add(publication)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as error:
        raise AlreadyPublishing() from error
    db.session.add_all(PublicationPart(publication_id=publication.id, scope=scope,
                                       body=json.dumps(body, separators=(",", ":")))
                       for scope, body in split(shown).items())
    record(audit_actions.REGIO_PUBLISH, object_type="regio_publication", object_id=publication.id,
           facts={"period": period.name, "number": number, "hidden": publication.hidden,
                  "positions": publication.positions},
           actor=actor, actor_name=None if actor else source)
    return publication


def due_periods(today: date) -> list[Period]:
    """Periods of every region that have ended, have no open round and were never published."""
    periods = db.session.scalars(
        select(Period).where(Period.last_day < today, ~Period.publications.any()).order_by(Period.id)
    ).all()
    return [p for p in periods if readiness(p, today).ready]
