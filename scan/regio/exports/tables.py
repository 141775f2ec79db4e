"""The regional overview and scholingsplan as flat tables for the XLSX and CSV exports. Pure but for gettext.

Every number comes from the suppressed `Overview` and `Scholingsplan` (scan.regio.overview, scan.regio.plan):
this module only lays them out. It never adds anything up itself (a total computed here could undo the
complementary suppression); the total rows copy the totals the plan and the tables already have. A hidden
cell is written as its text, "<k" (`str(Suppressed)`), in every format. No person is named anywhere: the
rows are items, teams (by code), municipalities and the region.

A view is one sheet of the workbook or one CSV file: a title, a header and rows of plain values (str, int,
Decimal, None), with a kind per column (text, count, number, hours, money) for the number formats. Money
is in euros as Decimal. Headers and labels are translated in the request's language.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from scan.catalogue.activities import ACTION_TYPE_LABELS
from scan.kenniskaart.models import LEVEL_ALGEMEEN, LEVEL_GENERIC, LEVEL_SPECIALISTISCH
from scan.regio.disclosure.suppression import Cell, Suppressed
from scan.regio.overview import (
    GAP,
    GOAL,
    CountRow,
    ItemRow,
    ItemTable,
    LeefgebiedTable,
    Overview,
    SectionLabel,
)
from scan.regio.plan import Option, PlanLine, PlanScope, Scholingsplan
from scan.regio.services import Selection
from scan.regio.trends import TrendTable

TEXT = "text"
COUNT = "count"  # a number of professionals (never 1..k-1: those are "<k")
NUMBER = "number"  # another whole number (groups, teams)
HOURS = "hours"
MONEY = "money"  # euros

LEVEL_LABELS: dict[str, Any] = {
    LEVEL_GENERIC: _l("Generic competencies"),
    LEVEL_ALGEMEEN: _l("General (algemeen)"),
    LEVEL_SPECIALISTISCH: _l("Specialist (specialistisch)"),
}

# The views in the order of the workbook's sheets; the names are the CSV files (/regio/export/<name>.csv).
VIEW_NAMES = (
    "scholingsplan",
    "municipalities",
    "leefgebied-goal",
    "leefgebied-gap",
    "items-goal",
    "items-gap",
    "unmatched",
    "offers",
    "trends",
    "about",
)


@dataclass(frozen=True)
class View:
    name: str
    title: str  # the sheet title (at most 31 characters, none of []:*?/\)
    header: list[str]
    kinds: list[str]  # per column: TEXT, COUNT, NUMBER, HOURS or MONEY
    rows: list[list[Any]]
    total_rows: frozenset[int] = frozenset()  # indexes into rows: totals and municipality/region rows


@dataclass(frozen=True)
class About:
    """What the export is of, for the "about" sheet."""

    region_name: str
    selection: Selection
    municipality_name: str  # "" for the whole region
    valid: bool  # False: the filter had errors, so the default selection was exported
    # Which publication: the period, its dates, the day it was published. No download date: the file is kept
    # and served again (scan.regio.exports.files); the day is in the download's file name.
    publication: str = ""
    trends: TrendTable | None = None  # the region's last publications side by side


def cell(value: Cell) -> int | str:
    """A count as it is shown: the number, or "<k" when it is hidden."""
    return str(value) if isinstance(value, Suppressed) else value


def euros(cents: int | None) -> Decimal | None:
    if cents is None:
        return None
    return (Decimal(cents) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def level_label(level_kind: str | None) -> str:
    if not level_kind:
        return ""
    label = LEVEL_LABELS.get(level_kind)
    return str(label) if label is not None else level_kind


def type_label(kind: str) -> str:
    label = ACTION_TYPE_LABELS.get(kind)
    return str(label) if label is not None else kind


def section_label(section: SectionLabel) -> str:
    if not section.title or section.title == section.code:
        return section.code
    return f"{section.code} – {section.title}"


def yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def build_views(overview: Overview, plan: Scholingsplan, about: About) -> list[View]:
    """Every view, in sheet order (VIEW_NAMES)."""
    return [BUILDERS[name](overview, plan, about) for name in VIEW_NAMES]


def build_view(name: str, overview: Overview, plan: Scholingsplan, about: About) -> View:
    """One view by name (KeyError for an unknown name)."""
    return BUILDERS[name](overview, plan, about)


# --- the scholingsplan: one line per need ---------------------------------------------------------------


def _item_columns() -> list[tuple[str, str]]:
    return [(_("Leefgebied"), TEXT), (_("Item code"), TEXT), (_("Item"), TEXT), (_("Level"), TEXT)]


def _need_columns() -> list[tuple[str, str]]:
    return [(_("Participants (POP goal)"), COUNT), (_("Potential (gap, no goal)"), COUNT)]


def _option_columns() -> list[tuple[str, str]]:
    """The columns of `_option_cells`."""
    return [
        (_("Training code"), TEXT),
        (_("Training"), TEXT),
        (_("Provider"), TEXT),
        (_("Type"), TEXT),
        (_("Groups"), NUMBER),
        (_("Group below the minimum size"), TEXT),
        (_("Hours per participant"), HOURS),
        (_("Total hours"), HOURS),
        (_("Cost per participant"), MONEY),
        (_("Total cost"), MONEY),
    ]


# The option's columns without the amounts per participant (hours and cost per participant).
TOTALS_ONLY = (0, 1, 2, 3, 4, 5, 7, 9)


def _plan_columns() -> list[tuple[str, str]]:
    return [*_item_columns(), *_need_columns(), *_option_columns()]


def _item_cells(line: PlanLine | ItemRow) -> list[Any]:
    return [section_label(line.section), line.item.code, line.item.title, level_label(line.item.level_kind)]


def _option_cells(option: Option | None) -> list[Any]:
    """Training code, title, provider, type, groups, below minimum, hours (per participant, total) and cost
    (per participant, total). Groups and totals are empty when the participant count is hidden or zero: the
    plan leaves them out."""
    if option is None:
        return [""] * 4 + [None, ""] + [None] * 4
    offer = option.offer
    counted = option.groups is not None
    return [
        offer.code,
        offer.title,
        offer.provider,
        type_label(offer.type),
        option.groups,
        yes_no(option.below_minimum) if counted else "",
        offer.hours,
        option.total_hours,
        euros(offer.cost_cents),
        euros(option.total_cost_cents),
    ]


def _view(name: str, title: str, columns: list[tuple[str, str]], rows: list[list[Any]],
          total_rows: frozenset[int] = frozenset()) -> View:
    """A view of (header, kind) columns."""
    return View(name, title, [c[0] for c in columns], [c[1] for c in columns], rows, total_rows)


def _plan_line(line: PlanLine) -> list[Any]:
    return [*_item_cells(line), cell(line.participants), cell(line.potential), *_option_cells(line.chosen)]


def _total_label(scope: PlanScope) -> str:
    if not scope.hidden_needs:
        return _("Total of the shown lines")
    return ngettext(
        "Total of the shown lines (%(num)d need with a hidden number of participants left out)",
        "Total of the shown lines (%(num)d needs with a hidden number of participants left out)",
        scope.hidden_needs,
    )


def _plan_total(scope: PlanScope, label: str) -> list[Any]:
    """The scope's own totals (the plan adds the counted lines); cells without a total stay empty."""
    return [
        label,
        "",
        _total_label(scope),
        "",
        scope.participants,
        None,  # the plan has no total of the potential: it is not added up here either
        "",
        "",
        "",
        "",
        scope.groups,
        "",
        None,
        scope.hours,
        None,
        euros(scope.cost_cents),
    ]


def _scholingsplan(overview: Overview, plan: Scholingsplan, about: About) -> View:
    columns = _plan_columns()
    rows = [_plan_line(line) for line in plan.region.lines]
    rows.append(_plan_total(plan.region, _("Total")))
    return _view("scholingsplan", _("Scholingsplan"), columns, rows, frozenset({len(rows) - 1}))


def _municipalities(overview: Overview, plan: Scholingsplan, about: About) -> View:
    columns = [(_("Municipality"), TEXT), *_plan_columns()]
    rows: list[list[Any]] = []
    totals: set[int] = set()
    for scope in plan.municipalities:
        rows.extend([scope.name, *_plan_line(line)] for line in scope.lines)
        totals.add(len(rows))
        rows.append([scope.name, *_plan_total(scope, _("Total"))])
    return _view("municipalities", _("Municipalities"), columns, rows, frozenset(totals))


# --- the overview tables ---------------------------------------------------------------------------------


def _leefgebied(measure: str) -> Callable[[Overview, Scholingsplan, About], View]:
    def build(overview: Overview, plan: Scholingsplan, about: About) -> View:
        table: LeefgebiedTable = overview.leefgebied[measure]
        header = [_("Municipality"), _("Team"), *(section_label(s) for s in table.columns), _("Total"),
                  _("Professionals")]
        kinds = [TEXT, TEXT, *(COUNT for _s in table.columns), COUNT, COUNT]

        def row(first: str, second: str, counts: CountRow) -> list[Any]:
            return [first, second, *(cell(c) for c in counts.cells), cell(counts.total), counts.people]

        rows: list[list[Any]] = []
        totals: set[int] = set()
        for block in table.blocks:
            for team in block.teams:
                rows.append(row(team.municipality_name, _("Other teams") if team.is_other else team.team_code,
                                team))
            totals.add(len(rows))
            rows.append(row(block.row.municipality_name, _("All teams"), block.row))
        totals.add(len(rows))
        rows.append(row(_("Whole region"), _("All teams"), table.region))
        title = _("Leefgebied – goals") if measure == GOAL else _("Leefgebied – gaps")
        return View(f"leefgebied-{measure}", title, header, kinds, rows, frozenset(totals))

    return build


def _items(measure: str) -> Callable[[Overview, Scholingsplan, About], View]:
    def build(overview: Overview, plan: Scholingsplan, about: About) -> View:
        table: ItemTable = overview.items[measure]
        columns = _item_columns()
        header = [c[0] for c in columns] + [c.name for c in table.columns] + [_("Whole region")]
        kinds = [c[1] for c in columns] + [COUNT for _c in table.columns] + [COUNT]
        rows: list[list[Any]] = [[*_item_cells(r), *(cell(c) for c in r.cells), cell(r.total)]
                                 for r in table.rows]
        rows.append([_("Total"), "", "", "", *(cell(c) for c in table.col_totals), cell(table.grand_total)])
        title = _("Items – goals") if measure == GOAL else _("Items – gaps")
        return View(f"items-{measure}", title, header, kinds, rows, frozenset({len(rows) - 1}))

    return build


# --- lists -----------------------------------------------------------------------------------------------


def _unmatched(overview: Overview, plan: Scholingsplan, about: About) -> View:
    columns = [*_item_columns(), *_need_columns()]
    rows = [[*_item_cells(line), cell(line.participants), cell(line.potential)] for line in plan.unmatched]
    return _view("unmatched", _("Without a training"), columns, rows)


def _offers(overview: Overview, plan: Scholingsplan, about: About) -> View:
    option_columns = _option_columns()
    columns = [
        *_item_columns(),
        (_("Participants (POP goal)"), COUNT),
        (_("Municipalities with a goal on it"), NUMBER),
        *(option_columns[n] for n in TOTALS_ONLY),
    ]
    rows = []
    for line in plan.regional_offers:
        option = _option_cells(line.chosen)
        rows.append([*_item_cells(line), cell(line.participants), line.teams,
                     *(option[n] for n in TOTALS_ONLY)])
    return _view("offers", _("Regional group offers"), columns, rows)


def _about(overview: Overview, plan: Scholingsplan, about: About) -> View:
    k = overview.k
    selection = about.selection
    rows: list[list[Any]] = [[_("Region"), about.region_name]]
    if not about.valid:
        rows.append([_("Filter"), _("The filter was not valid, so the default selection was exported.")])
    rows += [
        [_("Publication"), about.publication],
        [_("Municipality"), about.municipality_name or _("All municipalities")],
        [_("Level"), level_label(selection.level_kind) or _("All levels")],
        [_("Smallest number shown (k)"), k],
        [
            _("Legend"),
            _(
                "%(hidden)s: fewer than %(k)d, or hidden to protect a small number",
                hidden=str(Suppressed(k)),
                k=k,
            ),
        ],
        [
            _("Totals"),
            _(
                "Totals add the shown lines only: a need with a hidden number of participants is left out of "
                "them, and the total row says how many were left out."
            ),
        ],
        [_("Participants (POP goal)"), _("Professionals with a goal on the item in their POP.")],
        [
            _("Potential (gap, no goal)"),
            _("Professionals whose ambition on the item is above their level, without a goal on it."),
        ],
        [
            _("Teams"),
            _(
                "A team with fewer than %(k)d professionals is not shown on its own: the small teams of a "
                "municipality are shown together as “Other teams”. A municipality with fewer than %(k)d "
                "professionals in all is left out.",
                k=k,
            ),
        ],
        [_("Professionals behind the numbers (whole region)"), overview.people],
    ]
    return View("about", _("About this export"), [_("Subject"), _("Value")], [TEXT, NUMBER], rows)


def _trends(overview: Overview, plan: Scholingsplan, about: About) -> View:
    """The need per leefgebied in the region's last publications: per publication, goal and gap."""
    table = about.trends
    pubs = table.publications if table else ()
    columns = [(_("Leefgebied"), TEXT)]
    for pub in pubs:
        columns += [(_("%(period)s: POP goal", period=pub.period.name), COUNT),
                    (_("%(period)s: gap, no goal", period=pub.period.name), COUNT)]
    rows: list[list[Any]] = []
    for row in table.rows if table else ():
        values: list[Any] = [section_label(row.section)]
        for n in range(len(pubs)):
            for measure in (GOAL, GAP):
                value = row.cells[measure][n]
                values.append(None if value is None else cell(value))
        rows.append(values)
    if table:
        people = [_("Professionals counted")]
        for n in range(len(pubs)):
            people += [table.people[n], table.people[n]]
        rows.append(people)
    return _view("trends", _("Trends per leefgebied"), columns, rows,
                 frozenset({len(rows) - 1}) if table else frozenset())


BUILDERS: dict[str, Callable[[Overview, Scholingsplan, About], View]] = {
    "scholingsplan": _scholingsplan,
    "municipalities": _municipalities,
    f"leefgebied-{GOAL}": _leefgebied(GOAL),
    f"leefgebied-{GAP}": _leefgebied(GAP),
    f"items-{GOAL}": _items(GOAL),
    f"items-{GAP}": _items(GAP),
    "unmatched": _unmatched,
    "offers": _offers,
    "trends": _trends,
    "about": _about,
}
assert tuple(BUILDERS) == VIEW_NAMES


def count_columns(view: View) -> Sequence[int]:
    """The columns that hold numbers of professionals."""
    return [n for n, kind in enumerate(view.kinds) if kind == COUNT]
