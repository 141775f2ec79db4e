"""What the regional pages and exports show: one view of a stored publication, and its scholingsplan.

Nothing here counts: every figure comes from a publication (scan.regio.publish), read in one query and laid
out by scan.regio.overview. A selection names the publication (default: the region's newest) and what to
pick out of it: a municipality (with its team rows) and a level.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from scan.extensions import db
from scan.regio import queries
from scan.regio.models import Period, Publication
from scan.regio.overview import Overview, from_publication
from scan.regio.plan import Scholingsplan, build_plan


@dataclass(frozen=True)
class Selection:
    publication_id: int | None = None  # None: the region's newest publication
    municipality_id: int | None = None  # None: the whole region
    level_kind: str | None = None  # None: every level

    def query_args(self) -> dict[str, str]:
        """The selection as the filter form's query string (for export links)."""
        args: dict[str, str] = {}
        if self.publication_id:
            args["publication"] = str(self.publication_id)
        if self.municipality_id:
            args["municipality"] = str(self.municipality_id)
        if self.level_kind:
            args["level"] = self.level_kind
        return args


def current_publications(region_id: int | None) -> list[Publication]:
    """The newest publication of each published period of the region, newest period first (one query)."""
    if region_id is None:
        return []
    rows = db.session.scalars(
        select(Publication).join(Period, Period.id == Publication.period_id)
        .options(contains_eager(Publication.period))
        .where(Period.region_id == region_id)
        .order_by(Period.first_day.desc(), Period.id.desc(), Publication.number.desc())
    ).all()
    seen: set[int] = set()
    out = []
    for p in rows:
        if p.period_id not in seen:
            seen.add(p.period_id)
            out.append(p)
    return out


def publication(region_id: int | None, publication_id: int | None) -> Publication | None:
    """The chosen publication if it is the region's (any number, also an earlier one), else the newest."""
    if region_id is None:
        return None
    stmt = select(Publication).join(Period, Period.id == Publication.period_id).options(
        contains_eager(Publication.period)).where(Period.region_id == region_id)
    if publication_id is not None:
        return db.session.scalar(stmt.where(Publication.id == publication_id))
    return db.session.scalar(stmt.order_by(Period.first_day.desc(), Period.id.desc(),
                                           Publication.number.desc()).limit(1))


def overview(pub: Publication | None, selection: Selection) -> Overview | None:
    if pub is None:
        return None
    return from_publication(pub.data(), queries.labels(), selection.level_kind, selection.municipality_id)


def scholingsplan(pub: Publication | None, selection: Selection,
                  region_id: int) -> tuple[Overview, Scholingsplan] | None:
    """The plan is matched on the region's tables (every municipality), then narrowed to the selection."""
    if pub is None:
        return None
    data, labels = pub.data(), queries.labels()
    region = from_publication(data, labels, selection.level_kind, None, all_teams=True)
    plan = build_plan(region, queries.active_offers(region_id))
    if selection.municipality_id is None:
        return region, plan
    return (from_publication(data, labels, selection.level_kind, selection.municipality_id),
            plan.for_municipality(selection.municipality_id))
