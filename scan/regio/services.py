"""Regional overview and scholingsplan for one selection: counts (SQL) → suppressed tables → plan."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from flask import current_app
from flask_babel import get_locale

from scan.core.clock import today
from scan.regio import cache, needs, queries
from scan.regio.overview import LeefgebiedTable, MunicipalityBlock, Overview, build_overview
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
    plan = build_plan(full, queries.active_offers(region_id))
    if selection.municipality_id is not None:
        plan = plan.for_municipality(selection.municipality_id)
    return full.for_municipality(selection.municipality_id), plan


# --- the pages: stored tables (scan.regio.cache), team rows only for a chosen municipality --------------

REGION = "region"
LEEFGEBIED_ONLY = "/leefgebied"


def _without_team_rows(full: Overview) -> Overview:
    """The region as a whole: municipality rows and the region row; the team rows are one click away (the
    municipality filter). Same suppressed numbers: nothing is counted or hidden again."""
    return replace(full, leefgebied={
        m: LeefgebiedTable(t.measure, t.k, t.columns,
                           tuple(MunicipalityBlock(b.row, ()) for b in t.blocks), t.region)
        for m, t in full.leefgebied.items()
    })


def _page_scopes(region_id: int, selection: Selection) -> dict[str, Overview]:
    """Every scope a page can ask for, from one count: the region, and each municipality with its teams."""
    counts = needs.region_needs(region_id, selection.period, level_kind=selection.level_kind)
    full = build_overview(counts, queries.labels(), k=min_cell())
    scopes = {REGION: _without_team_rows(full)}
    for block in full.leefgebied["goal"].blocks:
        municipality_id = block.row.municipality_id
        if municipality_id is not None:
            scopes[str(municipality_id)] = full.for_municipality(municipality_id)
    # The heat map page reads only the leefgebied tables: stored on their own, it does not load the item
    # tables (items × municipalities, the larger part in a region of many municipalities).
    scopes |= {f"{name}{LEEFGEBIED_ONLY}": replace(o, items={}) for name, o in scopes.items()}
    return scopes


def _page_key(region_id: int, selection: Selection) -> str:
    # The day matters (the latest round "by today"), k and the language of the labels too.
    period = f"{selection.period[0]:%Y%m%d}-{selection.period[1]:%Y%m%d}" if selection.period else "latest"
    return (f"{region_id}|{period}|{selection.level_kind or '-'}|{today():%Y%m%d}|k{min_cell()}|"
            f"{str(get_locale() or 'nl')[:2]}")


def page_overview(region_id: int, selection: Selection, *, leefgebied_only: bool = False) -> Overview:
    """The overview as the pages show it (see `_without_team_rows`), from the stored tables when the data
    has not changed since they were made; with `leefgebied_only`, without the item tables."""
    return _scoped(region_id, selection, selection.municipality_id, leefgebied_only)


def _scoped(region_id: int, selection: Selection, municipality_id: int | None,
            leefgebied_only: bool = False) -> Overview:
    base = REGION if municipality_id is None else str(municipality_id)
    name = base + (LEEFGEBIED_ONLY if leefgebied_only else "")

    def compute() -> dict[str, Overview]:
        scopes = _page_scopes(region_id, selection)
        # A municipality without a selected round: its (empty) tables, as the full overview gives them.
        if base not in scopes:
            scopes[base] = scopes[REGION].for_municipality(municipality_id)
            scopes[base + LEEFGEBIED_ONLY] = replace(scopes[base], items={})
        return scopes

    return cache.cached_scopes(_page_key(region_id, selection), name, compute)


def page_scholingsplan(region_id: int, selection: Selection) -> tuple[Overview, Scholingsplan]:
    """The scholingsplan page: the plan is matched on the region's tables, then narrowed (as the exports)."""
    region = _scoped(region_id, selection, None)
    plan = build_plan(region, queries.active_offers(region_id))
    if selection.municipality_id is None:
        return region, plan
    return _scoped(region_id, selection, selection.municipality_id), plan.for_municipality(
        selection.municipality_id
    )
