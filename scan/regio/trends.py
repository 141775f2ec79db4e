"""The need per leefgebied across the region's publications, side by side (the last three periods).

Every figure is the region row of a stored publication, exactly as that publication shows it (hidden
stays hidden): publications of different periods count different rounds, so there is nothing to add up or
subtract between them, and each was audited when it was published.
"""

from __future__ import annotations

from dataclasses import dataclass

from scan.regio import queries, services
from scan.regio.disclosure.suppression import Cell
from scan.regio.models import Publication
from scan.regio.overview import MEASURES, SectionLabel, from_publication

LAST = 3


@dataclass(frozen=True)
class TrendRow:
    section: SectionLabel
    cells: dict[str, tuple[Cell | None, ...]]  # per measure, one per publication (None: not in that one)


@dataclass(frozen=True)
class TrendTable:
    publications: tuple[Publication, ...]  # oldest first
    rows: tuple[TrendRow, ...]
    people: tuple[int, ...]
    k: int


def for_region(region_id: int | None, last: int = LAST) -> TrendTable:
    pubs = tuple(reversed(services.current_publications(region_id)[:last]))
    labels = queries.labels()
    views = [from_publication(data, labels, None, None, team_rows=False)
             for data in services.region_payloads([p.id for p in pubs])]
    sections: dict[str, SectionLabel] = {}
    for v in views:
        for s in v.leefgebied[MEASURES[0]].columns:
            sections.setdefault(s.code, s)
    rows = []
    for code, label in sorted(sections.items(), key=lambda kv: (kv[1].position, kv[0])):
        cells: dict[str, tuple[Cell | None, ...]] = {}
        for m in MEASURES:
            values: list[Cell | None] = []
            for v in views:
                table = v.leefgebied[m]
                codes = [c.code for c in table.columns]
                values.append(table.region.cells[codes.index(code)] if code in codes else None)
            cells[m] = tuple(values)
        rows.append(TrendRow(label, cells))
    return TrendTable(pubs, tuple(rows), tuple(v.people for v in views),
                      views[-1].k if views else 5)
