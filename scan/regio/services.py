"""What the regional pages and exports show: one view of a stored publication, and its scholingsplan.

Nothing here counts: every figure comes from a publication (scan.regio.publish), read in one query and laid
out by scan.regio.overview. A selection names the publication (default: the region's newest) and what to
pick out of it: a municipality (with its team rows) and a level.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from scan.extensions import db
from scan.regio import parts, queries
from scan.regio.models import Period, Publication, PublicationPart
from scan.regio.overview import Overview, from_publication
from scan.regio.plan import Offer, Scholingsplan, build_plan


@dataclass(frozen=True)
class Selection:
    publication_id: int | None = None  # None: the region's newest publication
    municipality_id: int | None = None  # None: the whole region
    level_kind: str | None = None  # None: every level
    page: int = 1  # of the municipalities, on the region-wide pages (see Pager)

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

    def region_args(self) -> dict[str, str]:
        """The same selection for the whole region (no municipality chosen)."""
        return {k: v for k, v in self.query_args().items() if k != "municipality"}

    def page_args(self, number: int) -> dict[str, str]:
        """The query string of another page of the same selection."""
        return self.query_args() | ({"page": str(number)} if number > 1 else {})


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


PAGE_SIZE = 5  # municipalities per page of the region-wide pages (rows, item columns, plans)


@dataclass(frozen=True)
class Pager:
    """Which municipalities a region-wide page shows: `number` of `count` pages, `first`..`last` of
    `total` (1-based). The exports show every municipality; a chosen municipality is one page."""

    number: int
    count: int
    first: int
    last: int
    total: int


@dataclass(frozen=True)
class Shown:
    overview: Overview
    plan: Scholingsplan | None
    pager: Pager | None


def _parts(publication_id: int, scopes: list[str] | None) -> dict[str, dict[str, Any]]:
    stmt = select(PublicationPart).where(PublicationPart.publication_id == publication_id)
    if scopes is not None:
        stmt = stmt.where(PublicationPart.scope.in_(scopes))
    return {p.scope: p.data() for p in db.session.scalars(stmt)}


def payload(pub: Publication, municipality_ids: Sequence[int] | None = None) -> dict[str, Any]:
    """The publication's payload with every municipality (None) or only these (one query)."""
    scopes = None if municipality_ids is None else [parts.META, *map(parts.scope, municipality_ids)]
    found = _parts(pub.id, scopes)
    meta = found.pop(parts.META)
    return parts.merge(meta, (found[parts.scope(m[0])] for m in meta["municipalities"]
                              if parts.scope(m[0]) in found))


def region_payloads(publication_ids: Sequence[int]) -> list[dict[str, Any]]:
    """The region's own figures (no municipality) of each of these publications, in their order."""
    found = {p.publication_id: p.data() for p in db.session.scalars(select(PublicationPart).where(
        PublicationPart.publication_id.in_(publication_ids), PublicationPart.scope == parts.META))}
    return [parts.merge(found[i], ()) for i in publication_ids if i in found]


def page(pub: Publication | None, selection: Selection, region_id: int, *,
         plan: bool = False) -> Shown | None:
    """What a region-wide page shows: one page of municipalities (or the chosen one), with the region."""
    if pub is None:
        return None
    meta = _parts(pub.id, [parts.META])[parts.META]
    ids = [m[0] for m in meta["municipalities"]]
    pager = None
    if selection.municipality_id is not None:
        chosen = [selection.municipality_id] if selection.municipality_id in ids else []
    else:
        count = max(1, -(-len(ids) // PAGE_SIZE))
        number = min(max(selection.page, 1), count)
        chosen = ids[(number - 1) * PAGE_SIZE:number * PAGE_SIZE]
        pager = Pager(number, count, (number - 1) * PAGE_SIZE + 1 if ids else 0,
                      (number - 1) * PAGE_SIZE + len(chosen), len(ids))
    found = _parts(pub.id, [parts.scope(m) for m in chosen]) if chosen else {}
    data = parts.merge(meta, (found[parts.scope(m)] for m in chosen if parts.scope(m) in found))
    labels = queries.labels()
    view = from_publication(data, labels, selection.level_kind, selection.municipality_id)
    if not plan:
        return Shown(view, None, pager)
    region = view if selection.municipality_id is None else from_publication(
        data, labels, selection.level_kind, None, team_rows=False)
    return Shown(view, build_plan(region, queries.active_offers(region_id)).for_municipality(
        selection.municipality_id), pager)


def plan_of(data: dict[str, Any], selection: Selection,
            offers: Sequence[Offer]) -> tuple[Overview, Scholingsplan]:
    """The plan is matched on the region's tables (every municipality of `data`), then narrowed to the
    selection."""
    labels = queries.labels()
    region = from_publication(data, labels, selection.level_kind, None, all_teams=True)
    plan = build_plan(region, offers)
    if selection.municipality_id is None:
        return region, plan
    return (from_publication(data, labels, selection.level_kind, selection.municipality_id),
            plan.for_municipality(selection.municipality_id))


def scholingsplan(pub: Publication | None, selection: Selection,
                  region_id: int) -> tuple[Overview, Scholingsplan] | None:
    """The selection with every municipality and its plan (the exports)."""
    if pub is None:
        return None
    return plan_of(payload(pub), selection, queries.active_offers(region_id))
