"""The periods a region publishes its figures for. Rules only; never commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import and_, select
from sqlalchemy.orm import selectinload

from scan.core.rules import RuleError
from scan.db import load_or_404
from scan.extensions import db
from scan.organisation.models import Region
from scan.regio.models import Period, Publication
from scan.regio.publish import Readiness, readiness


def add(region_id: int, name: str, first: date | None, last: date | None) -> Period:
    """A new period. Periods of a region never overlap: a round counted in two publications would let
    one be subtracted from the other."""
    name = name.strip()
    if not name:
        raise RuleError(_("Give the period a name."), "name")
    if first is None or last is None or first > last:
        raise RuleError(_("The last day cannot be before the first day."), "last_day")
    if db.session.scalar(select(Period.id).where(Period.region_id == region_id, Period.name == name)):
        raise RuleError(_("The region already has a period with this name."), "name")
    overlap = db.session.scalar(
        select(Period).where(Period.region_id == region_id,
                             and_(Period.first_day <= last, Period.last_day >= first))
    )
    if overlap is not None:
        raise RuleError(_("This overlaps the period %(name)s: a round may be counted in one period only.",
                            name=overlap.name), "first_day")
    period = Period(region_id=region_id, name=name, first_day=first, last_day=last)
    db.session.add(period)
    db.session.flush()
    return period


def get(region_id: int | None, period_id: int) -> Period:
    """The region's period, or 404 (also for another region's: never confirm it exists)."""
    period = load_or_404(Period, period_id)
    if period.region_id != region_id:
        abort(404)
    return period


@dataclass(frozen=True)
class AuditSummary:
    positions: int
    hidden: int
    primary: int
    sensitive: int
    rounds: int
    solves: int
    seconds: float


@dataclass(frozen=True)
class PeriodRow:
    period: Period
    region: Region
    state: Readiness
    publications: list[Publication]
    audits: list[AuditSummary]

    @property
    def current(self) -> Publication | None:
        return self.publications[-1] if self.publications else None


def _summary(p: Publication) -> AuditSummary:
    return AuditSummary(p.positions, p.hidden, p.primary, p.sensitive, p.rounds,
                        p.lp_solves + p.mip_solves, p.count_seconds + p.audit_seconds)


def overview(region_id: int | None, today: date) -> list[PeriodRow]:
    """Every period of the region (None: of every region), newest first, with its publications."""
    stmt = select(Period).options(selectinload(Period.publications)).order_by(
        Period.region_id, Period.first_day.desc(), Period.id.desc())
    if region_id is not None:
        stmt = stmt.where(Period.region_id == region_id)
    rows = []
    regions = {r.id: r for r in db.session.scalars(select(Region))}
    for period in db.session.scalars(stmt):
        pubs = list(period.publications)
        rows.append(PeriodRow(period, regions[period.region_id], readiness(period, today), pubs,
                              [_summary(p) for p in pubs]))
    return rows
