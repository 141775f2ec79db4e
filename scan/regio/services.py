"""Regional overview and scholingsplan for one selection: counts (SQL) → suppressed tables → plan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app

from scan.regio import needs, queries
from scan.regio.overview import Overview, build_overview
from scan.regio.plan import Scholingsplan, build_plan


@dataclass(frozen=True)
class Selection:
    period: tuple[date, date] | None = None  # None: the latest round of each team
    municipality_id: int | None = None  # None: the whole region
    level_kind: str | None = None  # None: every level

    def query_args(self) -> dict[str, str]:
        """The selection as the filter form's query string (for export links)."""
        args: dict[str, str] = {}
        if self.period:
            args |= {
                "rounds": "period",
                "first": self.period[0].isoformat(),
                "last": self.period[1].isoformat(),
            }
        if self.municipality_id:
            args["municipality"] = str(self.municipality_id)
        if self.level_kind:
            args["level"] = self.level_kind
        return args


def min_cell() -> int:
    return int(current_app.config["REGIO_MIN_CELL"])


def overview(region_id: int, selection: Selection) -> Overview:
    """Suppressed tables for the whole region, then narrowed to the municipality (never suppressed again).
    Seven queries: five for the counts, two for the labels."""
    counts = needs.region_needs(region_id, selection.period, level_kind=selection.level_kind)
    full = build_overview(counts, queries.labels(), k=min_cell())
    return full.for_municipality(selection.municipality_id)


def scholingsplan(region_id: int, selection: Selection) -> tuple[Overview, Scholingsplan]:
    """The overview plus the plan matched to the active catalogue (two more queries)."""
    counts = needs.region_needs(region_id, selection.period, level_kind=selection.level_kind)
    full = build_overview(counts, queries.labels(), k=min_cell())
    plan = build_plan(full, queries.active_offers())
    if selection.municipality_id is not None:
        plan = plan.for_municipality(selection.municipality_id)
    return full.for_municipality(selection.municipality_id), plan
