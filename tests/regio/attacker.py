"""An outside reviewer's attack on the regional downloads: an integer program built from what the tables mean.

The attacker holds every file the regional coordinator can download (each CSV view and the XLSX, for every
publication, municipality filter and level filter) and nothing else. It does not use the app's own layout of
positions and relations (scan.regio.disclosure.linked, audit, protection): it reads the cells by their labels
(municipality names, team codes, leefgebied and item codes, the filter it asked for) and writes down, by
itself, what the numbers mean:

- one integer ≥ 0 per distinct figure: people with a goal / a gap per (level, group, leefgebied), per
  (group, item), the row totals of each view and the item totals of each view, bounded by the size of the
  group (its "Professionals" column); the same figure read in several files is one variable; a leefgebied
  that is a column of one level's view only has its level count equal to its all-levels count; figures of
  different publications are different figures (periods count different rounds; a correction is its own
  publication, and `corrections` flags a figure shown in both that changed by 1..k−1);
- figures that exist but are never shown are variables too: per team, the people per item and per
  leefgebied and level; every relation below holds for them as well (sharper than reasoning about the
  shown groups only);
- team rows add up to their municipality row, municipality rows to the region row (every figure);
- a row total is the sum of the row's leefgebied cells in that view; an item total row the sum of the
  items of the view (an item not listed anywhere has no need anywhere), so the level totals add up to the
  all-levels total;
- the people with a need in a leefgebied (at one level or all) are at least as many as on any one of its
  items and at most their sum; "all levels" lies between the largest level and the sum of the levels;
- goal + gap on one item ≤ the group's size (a gap is a gap *without* a goal); and in a leefgebied,
  (people with a goal) + (people with a gap) − N is at most the number of people with a goal on one of its
  items and a gap on another (a transport from goal items to the other items' gaps);
- a plan line's hours and cost reveal its participants (total ÷ the training's amount per participant,
  read on any line of that training); a plan total that is not the sum of its shown lines reveals the sum
  of the hidden ones.

Solving (`Solver`): shown figures are fixed, the bounds are tightened along the relations (rounded inwards:
whole numbers), relations the bounds imply are dropped and the rest splits into independent parts. A hidden
figure is protected when some whole-number solution gives it a safe value (0 or k or more for a count of
1..k−1; less than N for one equal to its group's size N): whole-number vertices of the relaxation settle
most at once, the integer program (HiGHS) the rest. For a figure that is not protected the exact smallest
and largest value, and the relations that hold them, are reported. An infeasible program means a relation
above does not hold for the data: the attack then fails loudly.

The true values are never used to build the program: `attack()` takes a function that looks up the true
value of a figure the attacker identified, only to judge its intervals.
"""

from __future__ import annotations

import csv
import io
import math
import os
import random
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import highspy
import numpy as np

GOAL, GAP = "goal", "gap"
MEASURES = (GOAL, GAP)
ALL = "all"
LEVELS = ("generiek", "algemeen", "specialistisch")
REGION = ("r",)

# The views (CSV names; the XLSX has one sheet per view in this order) and the columns of the plan views.
PLAN_VIEWS = ("scholingsplan", "municipalities")
PLAN_WIDTH = 16  # Leefgebied, code, item, level, participants, potential, training code, training, provider,
# type, groups, below minimum, hours per participant, total hours, cost per participant, total cost


@dataclass(frozen=True)
class Hidden:
    """A cell shown as "<k"."""

    text: str

    def __str__(self) -> str:
        return self.text


def norm(value: Any) -> Any:
    """A cell as the attacker reads it from a CSV (text) or the XLSX (typed): None, int, Decimal, Hidden
    or text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else Decimal(repr(value))
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else value
    text = str(value).strip()
    if not text:
        return None
    if re.fullmatch(r"<\d+", text):
        return Hidden(text)
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+[.,]\d+", text):
        number = Decimal(text.replace(",", "."))
        return int(number) if number == number.to_integral_value() else number
    return text


def read_csv(data: bytes) -> tuple[list[str], list[list[Any]]]:
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    return rows[0], [[norm(v) for v in row] for row in rows[1:]]


def read_rows(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> tuple[list[str], list[list[Any]]]:
    return [str(h) for h in header], [[norm(v) for v in row] for row in rows]


def section_code(label: Any) -> str:
    """"LG04 – Wonen" → "LG04" (a label without a title is the code itself)."""
    return str(label).split(" – ", 1)[0].strip()


@dataclass
class Download:
    """One selection's views: publication (as the attacker asked for it), filters, and per view name the
    header and the normalised rows."""

    publication: str
    municipality: str | None
    level: str | None
    views: dict[str, tuple[list[str], list[list[Any]]]]
    source: str = "download"
    # Period name → the publication the trends view shows for it (the current one of that period when the
    # file was downloaded, as the publication filter named it then).
    periods: Mapping[str, str] | None = None

    def where(self, view: str) -> str:
        return (f"{self.source} publication={self.publication} municipality={self.municipality or '-'} "
                f"level={self.level or '-'} {view}")


Key = tuple[Any, ...]


def describe(key: Key) -> str:
    kind = key[0]
    if kind in ("both", "pair"):
        pair = f", paired on goal {key[5]} / gap {key[6]}" if kind == "pair" else ""
        return (f"pub {key[1]}: (never shown) people with a goal and a gap in {key[4]} ({key[2]}) · "
                f"{key[3]}{pair}")
    group = key[-2] if kind in ("s", "i") else key[-1]
    gtext = {"r": "region"}.get(group[0], "") or (
        f"municipality {group[1]}" if group[0] == "m" else f"team {group[2]} of {group[1]}")
    if kind == "s":
        return f"pub {key[1]}: people with a {key[2]} in {key[5]} ({key[3]} levels) · {gtext}"
    if kind == "st":
        return f"pub {key[1]}: row total of {key[2]} over the leefgebieden ({key[3]} view) · {gtext}"
    if kind == "i":
        return f"pub {key[1]}: people with a {key[2]} on item {key[4]} · {gtext}"
    return f"pub {key[1]}: total of {key[2]} over the items ({key[3]} view) · {gtext}"


@dataclass
class Reading:
    """Everything the attacker learnt from the downloads."""

    # figure → value (a number or Hidden) → where it was read
    obs: dict[Key, dict[Any, list[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    people: dict[tuple[str, tuple], dict[int, list[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    teams: dict[str, dict[str, set[tuple]]] = field(  # publication → municipality → its team rows
        default_factory=lambda: defaultdict(lambda: defaultdict(set)))
    columns: dict[tuple[str, str], set[tuple[str, ...]]] = field(default_factory=lambda: defaultdict(set))
    item_section: dict[tuple[str, str], str] = field(default_factory=dict)
    item_level_label: dict[tuple[str, str], str] = field(default_factory=dict)
    level_of_label: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    item_levels: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    view_items: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    publications: set[str] = field(default_factory=set)
    hours: dict[tuple[str, str], set[Decimal]] = field(default_factory=lambda: defaultdict(set))
    cost: dict[tuple[str, str], set[Decimal]] = field(default_factory=lambda: defaultdict(set))
    # (publication, [(key, has a training)], total, where): a plan total and its lines
    plan_totals: list[tuple[str, list[tuple[Key, bool]], Any, str]] = field(default_factory=list)
    # (figure, value, where): participants worked out from hours or cost
    derived: list[tuple[Key, Decimal, str]] = field(default_factory=list)
    pending_money: list[tuple[str, Key, str, Any, Any, str]] = field(default_factory=list)
    # Every shown number of professionals: (value, where) for the 1..k−1 check.
    counts: list[tuple[Any, str]] = field(default_factory=list)
    trend_cells: list[tuple[str, str, str, Any, str]] = field(default_factory=list)
    trend_people: list[tuple[str, Any, str]] = field(default_factory=list)
    # (publication, view, item, "municipalities with a goal on it", where)
    offers: list[tuple[str, str, str, Any, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    k: int | None = None

    # --- reading ---

    def observe(self, key: Key, value: Any, where: str) -> None:
        if value is None:
            self.problems.append(f"{where}: empty cell for {describe(key)}")
            return
        if isinstance(value, Hidden):
            k = int(value.text[1:])
            if self.k is not None and self.k != k:
                self.problems.append(f"{where}: {value} but k was {self.k}")
            self.k = k
            self.obs[key][value].append(where)
            return
        if not isinstance(value, int):
            self.problems.append(f"{where}: {value!r} is not a whole number ({describe(key)})")
            return
        self.obs[key][value].append(where)

    def count(self, value: Any, where: str) -> None:
        self.counts.append((value, where))

    def read(self, download: Download, period_publication: Mapping[str, str] | None = None) -> None:
        pub = download.publication
        self.publications.add(pub)
        view_level = download.level or ALL
        for name, (header, rows) in download.views.items():
            where = download.where(name)
            if name.startswith("leefgebied-"):
                self._leefgebied(pub, name.split("-", 1)[1], view_level, header, rows, where)
            elif name.startswith("items-"):
                self._items(pub, name.split("-", 1)[1], view_level, header, rows, where)
            elif name in PLAN_VIEWS:
                self._plan(pub, name, view_level, header, rows, where)
            elif name == "unmatched":
                for row in rows:
                    self.observe(("i", pub, GOAL, REGION, row[1]), row[4], where)
                    self.observe(("i", pub, GAP, REGION, row[1]), row[5], where)
                    self.count(row[4], where)
                    self.count(row[5], where)
            elif name == "offers":
                self._offers(pub, view_level, header, rows, where)
            elif name == "trends":
                self._trends(header, rows, where)
                if download.periods is not None:
                    self.resolve_trends(download.periods)

    def _leefgebied(self, pub: str, measure: str, view: str, header: list[str], rows: list[list[Any]],
                    where: str) -> None:
        sections = tuple(section_code(h) for h in header[2:-2])
        self.columns[(pub, view)].add(sections)
        if not rows:
            return
        all_teams = rows[-1][1]
        for n, row in enumerate(rows):
            if n == len(rows) - 1:
                group: tuple = REGION
            elif row[1] == all_teams:
                group = ("m", row[0])
            else:
                group = ("t", row[0], row[1])
                self.teams[pub][row[0]].add(group)
            at = f"{where} row {n + 2}"
            people = row[-1]
            if isinstance(people, int):
                self.people[(pub, group)][people].append(at)
            else:
                self.problems.append(f"{at}: professionals {people!r}")
            for s, v in zip(sections, row[2:-2], strict=True):
                self.observe(("s", pub, measure, view, group, s), v, at)
                self.count(v, at)
            self.observe(("st", pub, measure, view, group), row[-2], at)
            self.count(row[-2], at)
            self.count(people, at)

    def _items(self, pub: str, measure: str, view: str, header: list[str], rows: list[list[Any]],
               where: str) -> None:
        groups = [("m", name) for name in header[4:-1]] + [REGION]
        for n, row in enumerate(rows):
            at = f"{where} row {n + 2}"
            cells = row[4:]
            if n == len(rows) - 1:  # the totals row
                for g, v in zip(groups, cells, strict=True):
                    self.observe(("it", pub, measure, view, g), v, at)
                    self.count(v, at)
                continue
            item = str(row[1])
            self.item_section[(pub, item)] = section_code(row[0])
            self.view_items[(pub, view)].add(item)
            if view == ALL:
                self.item_level_label[(pub, item)] = str(row[3])
            else:
                self.item_levels[(pub, item)].add(view)
                self.level_of_label[str(row[3])].add(view)
            for g, v in zip(groups, cells, strict=True):
                self.observe(("i", pub, measure, g, item), v, at)
                self.count(v, at)

    def _plan(self, pub: str, name: str, view: str, header: list[str], rows: list[list[Any]],
              where: str) -> None:
        shift = 1 if name == "municipalities" else 0
        if len(header) != PLAN_WIDTH + shift:
            self.problems.append(f"{where}: {len(header)} columns, expected {PLAN_WIDTH + shift}")
            return
        lines: list[tuple[Key, bool]] = []
        for n, row in enumerate(rows):
            at = f"{where} row {n + 2}"
            group = ("m", row[0]) if shift else REGION
            r = row[shift:]
            if r[1] is None:  # a total row: [label, "", total label, "", participants, ...]
                self.plan_totals.append((pub, lines, r[4], at))
                self.count(r[4], at)
                lines = []
                continue
            item = str(r[1])
            goal, gap = ("i", pub, GOAL, group, item), ("i", pub, GAP, group, item)
            self.observe(goal, r[4], at)
            self.observe(gap, r[5], at)
            self.count(r[4], at)
            self.count(r[5], at)
            code = r[6]
            lines.append((goal, code is not None))
            if code is not None:
                if isinstance(r[12], int | Decimal):
                    self.hours[(pub, str(code))].add(Decimal(r[12]))
                if isinstance(r[14], int | Decimal):
                    self.cost[(pub, str(code))].add(Decimal(r[14]))
                self.pending_money.append((pub, goal, str(code), r[13], r[15], at))

    def _offers(self, pub: str, view: str, header: list[str], rows: list[list[Any]], where: str) -> None:
        for n, row in enumerate(rows):
            at = f"{where} row {n + 2}"
            goal = ("i", pub, GOAL, REGION, str(row[1]))
            self.observe(goal, row[4], at)
            self.count(row[4], at)
            self.offers.append((pub, view, str(row[1]), row[5], at))
            if row[6] is not None:
                self.pending_money.append((pub, goal, str(row[6]), row[12], row[13], at))

    def _trends(self, header: list[str], rows: list[list[Any]], where: str) -> None:
        periods = [h.rsplit(": ", 1)[0] for h in header[1::2]]
        for n, row in enumerate(rows):
            at = f"{where} row {n + 2}"
            last = n == len(rows) - 1
            for p, period in enumerate(periods):
                for m, measure in enumerate(MEASURES):
                    value = row[1 + 2 * p + m]
                    if last:
                        if m == 0:
                            self.trend_people.append((period, value, at))
                        continue
                    if value is not None:
                        self.trend_cells.append((period, measure, section_code(row[0]), value, at))
                        self.count(value, at)

    def resolve_trends(self, period_publication: Mapping[str, str]) -> None:
        """Trend cells are the region row of each period's current publication (named in the filter)."""
        for period, measure, section, value, at in self.trend_cells:
            pub = period_publication.get(period)
            if pub is None:
                self.problems.append(f"{at}: no publication for the period {period!r}")
                continue
            self.observe(("s", pub, measure, ALL, REGION, section), value, at)
        for period, value, at in self.trend_people:
            pub = period_publication.get(period)
            if pub is not None and isinstance(value, int):
                self.people[(pub, REGION)][value].append(at)
        self.trend_cells, self.trend_people = [], []

    def resolve_money(self) -> None:
        """Participants = total hours ÷ hours per participant (and the same with the cost), where the
        catalogue's amounts per participant are known from any plan line of that training."""
        for pub, goal, code, total_hours, total_cost, at in self.pending_money:
            for total, per in ((total_hours, self.hours.get((pub, code))),
                               (total_cost, self.cost.get((pub, code)))):
                if total is None or not per:
                    continue
                if len(per) > 1:
                    self.problems.append(f"{at}: training {code} has several amounts per participant {per}")
                    continue
                (amount,) = per
                if amount:
                    self.derived.append((goal, Decimal(total) / amount, at))
        self.pending_money = []


# --- the program ----------------------------------------------------------------------------------------


class Infeasible(Exception):
    pass


@dataclass
class Interval:
    key: Key
    low: int
    high: int
    exact: bool  # False: a bound came from the relaxation only (the integer interval lies inside it)
    binding: list[str] = field(default_factory=list)  # the relations that hold the bounds


class Program:
    """Integer variables with bounds and linear rows lo ≤ Σ coef·x ≤ hi, each row with a reason."""

    def __init__(self) -> None:
        self.index: dict[Key, int] = {}
        self.keys: list[Key] = []
        self.lb: list[float] = []
        self.ub: list[float] = []
        self.rows: list[tuple[dict[int, float], float, float, str]] = []
        self.helpers: set[int] = set()

    def var(self, key: Key, ub: float, *, whole: bool = True) -> int:
        """A variable ≥ 0. `whole=False`: a helper that need not be a whole number in the integer program
        (one whose rows always have a whole-number solution when the other variables are whole)."""
        n = self.index.get(key)
        if n is None:
            n = self.index[key] = len(self.keys)
            self.keys.append(key)
            self.lb.append(0.0)
            self.ub.append(float(ub))
            if not whole:
                self.helpers.add(n)
        else:
            self.ub[n] = min(self.ub[n], float(ub))
        return n

    def fix(self, n: int, value: int) -> None:
        if not (self.lb[n] - 1e-9 <= value <= self.ub[n] + 1e-9):
            raise Infeasible(f"{describe(self.keys[n])} is shown as {value}, outside "
                             f"[{self.lb[n]}, {self.ub[n]}]")
        self.lb[n] = self.ub[n] = float(value)

    def add(self, coefs: Mapping[int, float], lo: float, hi: float, why: str) -> None:
        merged: dict[int, float] = defaultdict(float)
        for n, c in coefs.items():
            merged[n] += c
        clean = {n: c for n, c in merged.items() if c}
        if clean:
            self.rows.append((clean, lo, hi, why))

    def equal(self, members: list[int], total: int, why: str) -> None:
        coefs: dict[int, float] = defaultdict(float)
        for m in members:
            coefs[m] += 1
        coefs[total] -= 1
        self.add(coefs, 0, 0, why)

    def at_most(self, coefs: Mapping[int, float], rhs: float, why: str) -> None:
        self.add(coefs, -highspy.kHighsInf, rhs, why)

    def fixed(self, n: int) -> bool:
        return self.lb[n] == self.ub[n]

    def row_text(self, r: int) -> str:
        coefs, lo, hi, why = self.rows[r]
        terms = []
        for n, c in coefs.items():
            value = f"={int(self.lb[n])}" if self.fixed(n) else "=?"
            sign = "+" if c > 0 else "-"
            terms.append(f"{sign}{'' if abs(c) == 1 else abs(c)}[{describe(self.keys[n])}{value}]")
        bound = (f"= {lo:g}" if lo == hi else f"≤ {hi:g}" if lo == -highspy.kHighsInf
                 else f"in [{lo:g}, {hi:g}]")
        return f"{why}: {' '.join(terms)} {bound}"


_quiet = False


def _highs() -> highspy.Highs:
    """A silent solver (HiGHS prints a banner, past sys.stdout, when the first one is made)."""
    global _quiet
    if _quiet:
        h = highspy.Highs()
    else:
        saved = os.dup(1)
        try:
            with open(os.devnull, "w") as null:
                os.dup2(null.fileno(), 1)
                h = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        _quiet = True
    h.setOptionValue("output_flag", False)
    return h


INF = highspy.kHighsInf
SMALL, EVERYONE = "small", "everyone"


class Solver:
    """The program solved with HiGHS: bounds tightened by the rows first (whole numbers: rounded inwards,
    which keeps every whole-number solution), rows the bounds already imply dropped, the rest split into
    parts that share no free variable. Each part has a relaxation (LP) and an integer program (MIP)."""

    MIP_SECONDS = 60.0  # for one integer program; a search that runs out of time is reported, never passed
    RANDOM_TRIES = 3  # other directions tried for a whole-number vertex of the relaxation

    def __init__(self, program: Program) -> None:
        self.p = program
        self.rng = random.Random(0)
        self.lp_solves = 0
        self.mip_solves = 0
        self.lb, self.ub = list(program.lb), list(program.ub)
        self._tighten()
        free = [n for n in range(len(program.keys)) if self.lb[n] < self.ub[n]]
        parent = {n: n for n in free}

        def find(n: int) -> int:
            while parent[n] != n:
                parent[n] = parent[parent[n]]
                n = parent[n]
            return n

        active = []
        for r, (coefs, lo, hi, _why) in enumerate(program.rows):
            low, high = self._activity(coefs)
            if low >= lo - 1e-9 and high <= hi + 1e-9:
                continue  # implied by the bounds
            active.append(r)
            inside = [n for n in coefs if n in parent]
            for n in inside[1:]:
                a, b = find(inside[0]), find(n)
                if a != b:
                    parent[a] = b
        self.component: dict[int, int] = {n: find(n) for n in free}
        self.members: dict[int, list[int]] = defaultdict(list)
        for n in free:
            self.members[self.component[n]].append(n)
        self.rows_of: dict[int, list[int]] = defaultdict(list)
        for r in active:
            inside = [n for n in program.rows[r][0] if n in parent]
            self.rows_of[self.component[inside[0]]].append(r)
        self.models: dict[tuple[int, bool], tuple[highspy.Highs, dict[int, int], list[int]]] = {}

    def _activity(self, coefs: Mapping[int, float]) -> tuple[float, float]:
        low = sum(c * (self.lb[n] if c > 0 else self.ub[n]) for n, c in coefs.items())
        high = sum(c * (self.ub[n] if c > 0 else self.lb[n]) for n, c in coefs.items())
        return low, high

    def _tighten(self) -> None:
        rows = self.p.rows
        of: dict[int, list[int]] = defaultdict(list)
        for r, (coefs, _lo, _hi, _why) in enumerate(rows):
            for n in coefs:
                of[n].append(r)
        queue = set(range(len(rows)))
        while queue:
            r = queue.pop()
            coefs, lo, hi, _why = rows[r]
            low, high = self._activity(coefs)
            if low > hi + 1e-6 or high < lo - 1e-6:
                raise Infeasible(self.p.row_text(r))
            for n, c in coefs.items():
                own_low = c * (self.lb[n] if c > 0 else self.ub[n])
                own_high = c * (self.ub[n] if c > 0 else self.lb[n])
                rest_low, rest_high = low - own_low, high - own_high
                new_lb, new_ub = self.lb[n], self.ub[n]
                if c > 0:
                    if hi < INF:
                        new_ub = min(new_ub, math.floor((hi - rest_low) / c + 1e-9))
                    if lo > -INF:
                        new_lb = max(new_lb, math.ceil((lo - rest_high) / c - 1e-9))
                else:
                    if hi < INF:
                        new_lb = max(new_lb, math.ceil((hi - rest_low) / c - 1e-9))
                    if lo > -INF:
                        new_ub = min(new_ub, math.floor((lo - rest_high) / c + 1e-9))
                if new_lb > new_ub:
                    raise Infeasible(f"{describe(self.p.keys[n])} has no value left ({self.p.row_text(r)})")
                if new_lb != self.lb[n] or new_ub != self.ub[n]:
                    self.lb[n], self.ub[n] = float(new_lb), float(new_ub)
                    queue.update(of[n])
                    low, high = self._activity(coefs)

    def _model(self, root: int, integer: bool) -> tuple[highspy.Highs, dict[int, int], list[int]]:
        if (root, integer) in self.models:
            return self.models[(root, integer)]
        cols = self.members[root]
        index = {n: i for i, n in enumerate(cols)}
        h = _highs()
        h.addVars(len(cols), np.array([self.lb[n] for n in cols]), np.array([self.ub[n] for n in cols]))
        rows = sorted(self.rows_of.get(root, []))
        for r in rows:
            coefs, lo, hi, _why = self.p.rows[r]
            constant = sum(c * self.lb[n] for n, c in coefs.items() if n not in index)
            idx = np.array([index[n] for n in coefs if n in index], dtype=np.int32)
            val = np.array([float(c) for n, c in coefs.items() if n in index])
            h.addRow(lo - constant, hi - constant, len(idx), idx, val)
        if integer:
            h.changeColsIntegrality(len(cols), np.arange(len(cols), dtype=np.int32), np.array(
                [highspy.HighsVarType.kContinuous if n in self.p.helpers else highspy.HighsVarType.kInteger
                 for n in cols]))
            h.setOptionValue("time_limit", self.MIP_SECONDS)
            h.setOptionValue("mip_rel_gap", 0.0)
            h.setOptionValue("mip_abs_gap", 1e-6)
        self.models[(root, integer)] = (h, index, rows)
        return self.models[(root, integer)]

    def _solve(self, root: int, cost: Mapping[int, float], sense: highspy.ObjSense, integer: bool,
               bounds: tuple[int, float, float] | None = None) -> tuple[str, float, dict[int, float]]:
        """(status, objective, point by variable) of one part with a linear objective; `bounds` narrows one
        variable for this solve only."""
        h, index, _rows = self._model(root, integer)
        size = len(index)
        vector = np.zeros(size)
        for n, c in cost.items():
            vector[index[n]] = c
        h.changeColsCost(size, np.arange(size, dtype=np.int32), vector)
        h.changeObjectiveSense(sense)
        if bounds is not None:
            h.changeColBounds(index[bounds[0]], bounds[1], bounds[2])
        h.run()
        if integer:
            self.mip_solves += 1
        else:
            self.lp_solves += 1
        status = h.getModelStatus()
        if bounds is not None:
            h.changeColBounds(index[bounds[0]], self.lb[bounds[0]], self.ub[bounds[0]])
        if status == highspy.HighsModelStatus.kInfeasible:
            return "infeasible", 0.0, {}
        point = dict(zip(index, np.asarray(h.getSolution().col_value), strict=True))
        if status != highspy.HighsModelStatus.kOptimal:
            if integer and h.getInfo().primal_solution_status == 2:  # out of time, with a solution
                return "feasible", h.getInfo().mip_dual_bound, point
            return h.modelStatusToString(status), 0.0, {}
        return "optimal", h.getInfo().objective_function_value, point

    def _whole(self, point: Mapping[int, float]) -> bool:
        helpers = self.p.helpers
        return all(abs(v - round(v)) < 1e-6 for n, v in point.items() if n not in helpers)

    def bounds(self, key: Key) -> tuple[int, int]:
        n = self.p.index[key]
        return int(self.lb[n]), int(self.ub[n])

    def protected(self, targets: Mapping[Key, tuple[str, int]], k: int) -> dict[Key, bool | None]:
        """Per target (reason, reference): whether some whole-number solution gives it a safe value —
        SMALL: 0 or at least k; EVERYONE (reference N): at most N − 1. None: the solver ran out of time."""
        result: dict[Key, bool | None] = {}
        pending: dict[int, dict[int, tuple[str, int, Key]]] = defaultdict(dict)

        def safe(reason: str, ref: int, value: float) -> bool:
            v = round(value)
            return (v == 0 or v >= k) if reason == SMALL else v <= ref - 1

        for key, (reason, ref) in targets.items():
            n = self.p.index[key]
            if n not in self.component:  # fixed by the bounds
                result[key] = safe(reason, ref, self.lb[n])
            else:
                pending[self.component[n]][n] = (reason, ref, key)

        def harvest(part: dict[int, tuple[str, int, Key]], point: Mapping[int, float]) -> None:
            if not point or not self._whole(point):
                return
            for n, (reason, ref, key) in list(part.items()):
                if safe(reason, ref, point[n]):
                    result[key] = True
                    del part[n]

        for root, part in pending.items():
            # One point for many: the smallest and the largest sum of the targets (the largest for the
            # small ones only), at a whole-number vertex of the relaxation where one is found, nudging the
            # direction at random; the integer program only for what is left.
            for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
                for attempt in range(1 + self.RANDOM_TRIES):
                    cost = {n: 1.0 for n, (reason, _r, _k) in part.items() if reason == SMALL or
                            sense == highspy.ObjSense.kMinimize}
                    if not cost:
                        break
                    if attempt:
                        for m in self.members[root]:
                            cost[m] = cost.get(m, 0.0) + self.rng.uniform(-0.2, 0.2)
                    _status, _obj, point = self._solve(root, cost, sense, False)
                    harvest(part, point)
            for n in list(part):
                if n not in part:
                    continue
                reason, ref, key = part[n]
                if reason == SMALL:
                    down = (n, self.lb[n], 0.0)
                    up = (n, float(k), self.ub[n]) if self.ub[n] >= k else None
                    tries = [down, up] if self.lb[n] <= 0 else [up]
                else:
                    tries = [(n, self.lb[n], float(ref - 1))] if self.lb[n] <= ref - 1 else []
                verdict: bool | None = False
                for t in tries:
                    if t is None:
                        continue
                    # The relaxation first: an infeasible relaxation settles it; a whole-number point too.
                    status, _obj, point = self._solve(root, {}, highspy.ObjSense.kMinimize, False, t)
                    if status == "infeasible":
                        continue
                    if status == "optimal" and self._whole(point):
                        harvest(part, point)
                        verdict = True
                        break
                    # Other vertices of the relaxation may be whole-number points: a few random directions.
                    for _ in range(self.RANDOM_TRIES):
                        cost = {m: self.rng.uniform(-1, 1) for m in self.members[root]}
                        status, _obj, point = self._solve(root, cost, highspy.ObjSense.kMinimize, False, t)
                        if status == "optimal" and self._whole(point):
                            break
                    if status == "optimal" and self._whole(point):
                        harvest(part, point)
                        verdict = True
                        break
                    status, _obj, point = self._solve(root, {}, highspy.ObjSense.kMinimize, True, t)
                    if status in ("optimal", "feasible"):
                        harvest(part, point)
                        verdict = True
                        break
                    if status != "infeasible":
                        verdict = None
                result[key] = verdict
                part.pop(n, None)
        return result

    def interval(self, key: Key, explain: bool = False) -> Interval:
        """The exact smallest and largest whole-number value; with `explain`, the relations that hold the
        bounds in the relaxation of the whole program (without the tightened bounds)."""
        n = self.p.index[key]
        binding = self._explain(n) if explain else []
        if n not in self.component:
            return Interval(key, int(self.lb[n]), int(self.ub[n]), True, binding)
        root = self.component[n]
        out = []
        exact = True
        for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
            status, value, point = self._solve(root, {n: 1.0}, sense, False)
            if status != "optimal":
                raise Infeasible(f"{describe(key)}: the relaxation is {status}")
            if not self._whole(point):
                status, mip_value, point = self._solve(root, {n: 1.0}, sense, True)
                if status in ("optimal", "feasible"):
                    value = mip_value  # the optimum, or the search's bound when it ran out of time
                exact = status == "optimal"
            out.append(math.ceil(value - 1e-6) if sense == highspy.ObjSense.kMinimize
                       else math.floor(value + 1e-6))
        return Interval(key, out[0], out[1], exact, binding)

    def _explain(self, n: int) -> list[str]:
        p = self.p
        free = [m for m in range(len(p.keys)) if not p.fixed(m)]
        index = {m: i for i, m in enumerate(free)}
        h = _highs()
        h.addVars(len(free), np.array([p.lb[m] for m in free]), np.array([p.ub[m] for m in free]))
        rows = []
        for r, (coefs, lo, hi, _why) in enumerate(p.rows):
            inside = [m for m in coefs if m in index]
            if not inside:
                continue
            constant = sum(c * p.lb[m] for m, c in coefs.items() if m not in index)
            h.addRow(lo - constant, hi - constant, len(inside),
                     np.array([index[m] for m in inside], dtype=np.int32),
                     np.array([float(coefs[m]) for m in inside]))
            rows.append(r)
        if n not in index:
            return ["(shown)"]
        binding: set[int] = set()
        cost = np.zeros(len(free))
        cost[index[n]] = 1.0
        h.changeColsCost(len(free), np.arange(len(free), dtype=np.int32), cost)
        for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
            h.changeObjectiveSense(sense)
            h.run()
            if h.getModelStatus() == highspy.HighsModelStatus.kOptimal:
                duals = np.asarray(h.getSolution().row_dual)
                binding.update(rows[i] for i in np.nonzero(np.abs(duals) > 1e-9)[0])
        return [p.row_text(r) for r in sorted(binding)]

    def relaxed(self, key: Key) -> tuple[float, float]:
        """The relaxation's interval only (it contains the whole-number one)."""
        n = self.p.index[key]
        if n not in self.component:
            return self.lb[n], self.ub[n]
        out = []
        for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
            status, value, _point = self._solve(self.component[n], {n: 1.0}, sense, False)
            if status != "optimal":
                raise Infeasible(describe(key))
            out.append(value)
        return out[0], out[1]


@dataclass
class Publication:
    """One publication's program: its figures, which are hidden, the group sizes."""

    name: str
    program: Program
    hidden: list[Key]  # figures shown as "<k" everywhere they appear
    shown: dict[Key, int]
    people: dict[tuple, int]  # group → size
    conflicts: list[str]  # hidden somewhere, but shown or worked out elsewhere
    problems: list[str]  # what the attacker could not make sense of
    solver: Solver | None = None

    def size(self, key: Key) -> int:
        group = key[-2] if key[0] in ("s", "i") else key[-1]
        return self.people[group]


def _one(values: Mapping[int, list[str]], what: str, problems: list[str]) -> int:
    if len(values) > 1:
        problems.append(f"{what}: different values {dict(values)}")
    return next(iter(values))


def build(reading: Reading, pub: str, *, pairs: bool = True, program: Program | None = None) -> Publication:
    """The program of one publication from what the attacker read (see the module docstring), in a program
    of its own or added to `program`."""
    problems: list[str] = []
    people = {group: _one(v, f"professionals of {group} in {pub}", problems)
              for (p, group), v in reading.people.items() if p == pub}
    municipalities = sorted(g for g in people if g[0] == "m")
    teams = {m: sorted(ts) for m, ts in reading.teams.get(pub, {}).items()}
    # What the people columns say about the groups: teams add up to their municipality, municipalities to
    # the region. Without it the sums below would be guesses.
    for m, ts in teams.items():
        if sum(people[t] for t in ts) != people[("m", m)]:
            problems.append(f"{pub}: team sizes of {m} do not add up to the municipality")
    if REGION in people and sum(people[m] for m in municipalities) != people[REGION]:
        problems.append(f"{pub}: municipality sizes do not add up to the region")

    # Leefgebieden, their levels (a leefgebied is a column of a level's view when it has items of that
    # level) and the items (with their leefgebied and level).
    views: dict[str, tuple[str, ...]] = {}
    for (p, view), variants in reading.columns.items():
        if p == pub:
            if len(variants) > 1:
                problems.append(f"{pub} {view}: different columns {variants}")
            views[view] = next(iter(variants))
    sections = list(views.get(ALL, ()))
    levels_of = {s: [lv for lv in LEVELS if s in views.get(lv, ())] for s in sections}
    items = sorted({item for (p, item) in reading.item_section if p == pub})
    section_of = {item: reading.item_section[(pub, item)] for item in items}
    level_of: dict[str, str] = {}
    for item in items:
        found = reading.item_levels.get((pub, item)) or reading.level_of_label.get(
            reading.item_level_label.get((pub, item), ""), set())
        if len(found) != 1:
            problems.append(f"{pub}: the level of item {item} is {found or 'unknown'}")
            continue
        level_of[item] = next(iter(found))

    def multi(s: str) -> bool:
        return len(levels_of.get(s, [])) > 1

    def level_key(level: str, s: str) -> str:
        """A leefgebied with items of one level only: its level count is its all-levels count."""
        return level if level != ALL and multi(s) else ALL

    def canon(key: Key) -> Key:
        if key[0] == "s":
            return ("s", key[1], key[2], level_key(key[3], key[5]), key[4], key[5])
        return key

    def view_items(view: str) -> list[str]:
        return [c for c in items if view == ALL or level_of.get(c) == view]

    prog = program if program is not None else Program()

    def S(m: str, level: str, g: tuple, s: str) -> int:
        return prog.var(canon(("s", pub, m, level, g, s)), people[g])

    def I(m: str, g: tuple, item: str) -> int:  # noqa: E743
        return prog.var(("i", pub, m, g, item), people[g])

    def ST(m: str, view: str, g: tuple) -> int:
        return prog.var(("st", pub, m, view, g), people[g] * max(1, len(views.get(view, ()))))

    def IT(m: str, view: str, g: tuple) -> int:
        return prog.var(("it", pub, m, view, g), people[g] * max(1, len(view_items(view))))

    wide = [*municipalities, REGION] if REGION in people else municipalities
    team_groups = [t for ts in teams.values() for t in ts]
    for m in MEASURES:
        for g in [*wide, *team_groups]:
            is_team = g[0] == "t"
            for s in sections:
                levels = [ALL, *(levels_of[s] if multi(s) else [])]
                for level in levels:
                    x = S(m, level, g, s)
                    codes = [c for c in items
                             if section_of[c] == s and (level == ALL or level_of.get(c) == level)]
                    for c in codes:
                        prog.at_most({I(m, g, c): 1, x: -1}, 0, "an item's people ≤ its leefgebied's")
                    prog.at_most({x: 1, **{I(m, g, c): -1 for c in codes}}, 0,
                                 "a leefgebied's people ≤ the sum over its items")
                    if level != ALL:
                        prog.at_most({x: 1, S(m, ALL, g, s): -1}, 0, "one level's people ≤ all levels'")
                if multi(s):
                    prog.at_most({S(m, ALL, g, s): 1, **{S(m, lv, g, s): -1 for lv in levels_of[s]}}, 0,
                                 "all levels' people ≤ the sum of the levels'")
            for view, cols in views.items():
                if is_team and view != ALL:
                    continue  # a team's level totals are never shown
                prog.equal([S(m, level_key(view, s), g, s) for s in cols], ST(m, view, g),
                           f"row total ({view} view) = sum of its leefgebieden")
            if not is_team:
                for view in (ALL, *LEVELS):  # no item of a level listed: its total is 0
                    prog.equal([I(m, g, c) for c in view_items(view)], IT(m, view, g),
                               f"item total ({view} view) = sum of its items")
        # Groups into their totals.
        parts: list[tuple[list[tuple], tuple, str]] = [
            (ts, ("m", mun), "teams add up to their municipality") for mun, ts in teams.items()]
        if REGION in people:
            parts.append((municipalities, REGION, "municipalities add up to the region"))
        for members, total, why in parts:
            teams_ = total != REGION
            for s in sections:
                for level in [ALL, *(levels_of[s] if multi(s) else [])]:
                    prog.equal([S(m, level, t, s) for t in members], S(m, level, total, s), why)
            for view in views:
                if not teams_ or view == ALL:
                    prog.equal([ST(m, view, t) for t in members], ST(m, view, total), why)
            for c in items:
                prog.equal([I(m, t, c) for t in members], I(m, total, c), why)
            if not teams_:
                for view in (ALL, *LEVELS):
                    if view_items(view):
                        prog.equal([IT(m, view, t) for t in members], IT(m, view, total), why)
    for g in [*wide, *team_groups]:
        for c in items:
            prog.at_most({I(GOAL, g, c): 1, I(GAP, g, c): 1}, people[g],
                         "goal + gap on one item ≤ group size")
        # The same in a leefgebied: someone counted with a goal *and* with a gap there has a goal on one of
        # its items and a gap on another. So (people with a goal) + (people with a gap) − N is at most the
        # number of people who can be paired that way: a transport from goal items to other gap items.
        if not pairs:
            continue
        for s in sections:
            for level in [ALL, *(levels_of[s] if multi(s) else [])]:
                codes = [c for c in items
                         if section_of[c] == s and (level == ALL or level_of.get(c) == level)]
                if len(codes) < 2:
                    continue  # one item: nobody is in both (goal + gap on one item ≤ N says it)
                both = prog.var(("both", pub, level, g, s), people[g], whole=False)
                y = {(a, b): prog.var(("pair", pub, level, g, s, a, b), people[g], whole=False)
                     for a in codes for b in codes if a != b}
                for a in codes:
                    prog.at_most({**{y[(a, b)]: 1 for b in codes if b != a}, I(GOAL, g, a): -1}, 0,
                                 "people paired on a goal item ≤ its goals")
                    prog.at_most({**{y[(b, a)]: 1 for b in codes if b != a}, I(GAP, g, a): -1}, 0,
                                 "people paired on a gap item ≤ its gaps")
                prog.at_most({both: 1, **{v: -1 for v in y.values()}}, 0,
                             "goal and gap in a leefgebied ≤ the people that can be paired")
                prog.at_most({both: 1, S(GOAL, level, g, s): -1}, 0, "goal and gap in a leefgebied ≤ goals")
                prog.at_most({both: 1, S(GAP, level, g, s): -1}, 0, "goal and gap in a leefgebied ≤ gaps")
                prog.at_most({S(GOAL, level, g, s): 1, S(GAP, level, g, s): 1, both: -1}, people[g],
                             "people with a goal or a gap in a leefgebied ≤ group size")

    # What was shown, what was hidden.
    shown: dict[Key, int] = {}
    hidden: list[Key] = []
    conflicts: list[str] = []
    hidden_at: dict[Key, str] = {}
    for raw, values in reading.obs.items():
        if raw[1] != pub:
            continue
        key = canon(raw)
        for v, where in values.items():
            if isinstance(v, int):
                if key in shown and shown[key] != v:
                    problems.append(f"{describe(key)}: shown as {shown[key]} and as {v} ({where[0]})")
                shown.setdefault(key, v)
            else:
                hidden_at.setdefault(key, where[0])
    for key, where in hidden_at.items():
        if key in shown:
            conflicts.append(f"{describe(key)}: hidden in {where}, shown as {shown[key]} elsewhere")
        else:
            hidden.append(key)
    for key, value in shown.items():
        n = prog.index.get(key)
        if n is None:
            problems.append(f"{describe(key)}: shown but not a figure of the program")
            continue
        try:
            prog.fix(n, value)
        except Infeasible as error:
            problems.append(str(error))
    for key in hidden:
        if key not in prog.index:
            problems.append(f"{describe(key)}: hidden but not a figure of the program")

    # Participants worked out from hours or cost.
    for raw, value, at in reading.derived:
        if raw[1] != pub:
            continue
        key = canon(raw)
        if value != value.to_integral_value():
            problems.append(f"{at}: {value} participants for {describe(key)}")
            continue
        if key in shown:
            if shown[key] != int(value):
                problems.append(f"{at}: hours/cost say {value} participants, the table {shown[key]}")
        else:
            conflicts.append(f"{describe(key)}: hidden, but hours/cost in {at} say {value}")
            prog.add({prog.index[key]: 1}, float(value), float(value), f"hours/cost in {at}")
    # Plan totals that are not the sum of their shown lines reveal the sum of the hidden ones.
    for p, lines, total, at in reading.plan_totals:
        if p != pub or not isinstance(total, int):
            continue
        shown_sum = sum(shown.get(canon(key), 0) for key, trained in lines if trained)
        rest = [prog.index[canon(key)] for key, trained in lines if trained and canon(key) not in shown]
        if total != shown_sum:
            if not rest:
                problems.append(f"{at}: total {total} ≠ {shown_sum}, the sum of its lines")
            else:
                conflicts.append(f"{at}: the total {total} includes hidden lines")
                prog.add(dict.fromkeys(rest, 1.0), total - shown_sum, total - shown_sum,
                         f"plan total in {at}")
    return Publication(pub, prog, hidden, shown, people, conflicts, problems)


# --- the verdicts ---------------------------------------------------------------------------------------


@dataclass
class Finding:
    key: Key
    truth: int
    size: int
    interval: Interval
    reason: str

    def text(self) -> str:
        lines = [f"{describe(self.key)}: true value {self.truth} (group of {self.size}) — {self.reason}: "
                 f"the downloads allow only {self.interval.low}..{self.interval.high}"
                 f"{'' if self.interval.exact else ' (bounds from the relaxation)'}"]
        lines += [f"    pinned by: {b}" for b in self.interval.binding[:40]]
        if len(self.interval.binding) > 40:
            lines.append(f"    ... and {len(self.interval.binding) - 40} more relations")
        return "\n".join(lines)


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)  # failures
    notes: list[str] = field(default_factory=list)  # reported, not failures
    failures: list[str] = field(default_factory=list)  # other failures (visible numbers, infeasible, ...)
    hidden: int = 0
    checked: int = 0
    pinned: list[str] = field(default_factory=list)
    lp_solves: int = 0
    mip_solves: int = 0
    seconds: float = 0.0

    def ok(self) -> bool:
        return not self.findings and not self.failures

    def text(self) -> str:
        problems = len(self.findings) + len(self.failures)
        out = [f"{problems} problem(s); {self.checked} sensitive of {self.hidden} "
               f"hidden figures checked, {self.lp_solves} LP and {self.mip_solves} MIP solves, "
               f"{self.seconds:.1f} s"]
        out += [f.text() for f in self.findings]
        out += self.failures
        return "\n".join(out)


def group_of(key: Key) -> tuple:
    """The group (a label tuple) a figure is about."""
    return key[3] if key[0] in ("i", "both", "pair") else key[4]


def attack(reading: Reading, truth: Callable[[Key], int | None], *, k: int | None = None,
           all_intervals: bool = False, together: Iterable[tuple[str, str]] = (),
           alone: bool = True) -> Report:
    """Judge every hidden figure of every publication read. `truth(key)` gives a figure's true value (looked
    up server-side by the caller, for a figure the attacker identified): a hidden figure of 1..k−1 fails
    when no whole-number solution of the program gives it 0 or k or more, one equal to its group's size
    when none gives it less. With `all_intervals`, every other hidden figure gets its relaxation's
    interval, to list the ones the downloads pin to one value.

    Each publication is attacked on its own. `together`: pairs (earlier, correction) of one period that
    are also attacked as one program, by a reader who assumes that a group of the same size in both did
    not change (true when a correction only takes people out or in; not in general, so these findings
    say so). `alone=False`: only those."""
    started = time.perf_counter()
    report = Report()
    reading.resolve_money()
    k = k or reading.k or 5
    if alone:
        report.failures += [f"reading: {p}" for p in reading.problems]
        for value, where in reading.counts:
            if isinstance(value, int) and 0 < value < k:
                report.failures.append(f"{where}: a number of professionals of {value} is shown")
    for pub in sorted(reading.publications) if alone else ():
        program = Program()
        result = build(reading, pub, program=program)
        report.failures += [f"inconsistent: {c}" for c in result.conflicts]
        report.failures += [f"reading: {c}" for c in result.problems]
        for key, value in result.shown.items():
            if key[0] in ("s", "i") and value > 0 and value == result.size(key):
                report.failures.append(f"{describe(key)}: shown as {value}, the whole group")
        _judge(report, reading, program, [result], truth, k, all_intervals, "")
    for earlier, later in together:
        program = Program()
        results = [build(reading, earlier, program=program), build(reading, later, program=program)]
        tied = _tie(program, results)
        _judge(report, reading, program, results, truth, k, False,
               f" [publications {earlier} and {later} together, assuming the {tied} groups of the same size "
               f"in both did not change]")
    report.seconds = time.perf_counter() - started
    return report


def _tie(program: Program, results: list[Publication]) -> int:
    """Equal figures for every group with the same size in both publications; the number of groups."""
    first, second = results
    same = {g for g, n in first.people.items() if second.people.get(g) == n}
    for key in list(program.keys):
        if key[1] != first.name or group_of(key) not in same:
            continue
        other = (key[0], second.name, *key[2:])
        if other in program.index:
            program.equal([program.index[key]], program.index[other], "the same group in both publications")
    return len(same)


EXPLAINED = 5  # unprotected figures per program that get their exact interval and the relations behind it


def _judge(report: Report, reading: Reading, program: Program, results: list[Publication],
           truth: Callable[[Key], int | None], k: int, all_intervals: bool, label: str) -> None:
    names = ", ".join(r.name for r in results)
    try:
        solver = Solver(program)
    except Infeasible as error:
        report.failures.append(f"{names}: the attacker's program is infeasible: {error}{label}")
        return
    targets: dict[Key, tuple[str, int]] = {}
    sizes: dict[Key, int] = {}
    for result in results:
        if not label:
            report.hidden += len(result.hidden)
        for key in result.hidden:
            value = truth(key)
            if value is None:
                report.failures.append(f"{describe(key)}: no true value found")
                continue
            size = result.size(key) if key[0] in ("s", "i") else None
            sizes[key] = size or 0
            lo, hi = solver.bounds(key)
            if not lo <= value <= hi:
                report.failures.append(f"{describe(key)}: true value {value} outside the attacker's bounds "
                                       f"{lo}..{hi}: a relation of the attacker does not hold{label}")
            if 0 < value < k:
                targets[key] = (SMALL, value)
            elif size is not None and value == size and value > 0:
                targets[key] = (EVERYONE, value)
            elif all_intervals:
                low, high = solver.relaxed(key)
                if math.ceil(low - 1e-6) == math.floor(high + 1e-6):
                    report.pinned.append(f"{describe(key)} = {value} (hidden, but the only value possible)")
    if not label:
        report.checked += len(targets)
    try:
        verdicts = solver.protected(targets, k)
    except Infeasible as error:
        report.failures.append(f"{names}: the attacker's program is infeasible: {error}{label}")
        return
    explained = 0
    for key, ok in verdicts.items():
        if ok:
            continue
        reason, value = targets[key]
        if explained < EXPLAINED:
            iv = solver.interval(key, explain=True)
            explained += 1
        else:  # the interval of the relaxation only (it holds the whole-number one)
            low, high = solver.relaxed(key)
            iv = Interval(key, math.ceil(low - 1e-6), math.floor(high + 1e-6), False)
        if not iv.low <= value <= iv.high:
            report.failures.append(f"{describe(key)}: true value {value} outside the attacker's "
                                   f"{iv.low}..{iv.high}: a relation of the attacker does not hold{label}")
        what = ("a count of 1..k−1 narrowed into 1..k−1" if reason == SMALL
                else "the whole group, recovered") + label
        if ok is None:
            what += " (undecided: the solver ran out of time)"
        report.findings.append(Finding(key, value, sizes[key], iv, what))
    report.lp_solves += solver.lp_solves
    report.mip_solves += solver.mip_solves
    if not label:
        report.notes += _offers_notes(reading, results[0], truth)


def _offers_notes(reading: Reading, result: Publication, truth: Callable[[Key], int | None]) -> list[str]:
    """The regional offers give per item the "municipalities with a goal on it". It counts every
    municipality whose goal count is shown above 0 *or hidden*, which is a function of the shown cells and
    reveals nothing; read literally, though, it says each hidden one has a goal. Noted where that literal
    reading is false."""
    notes = []
    municipalities = [g for g in result.people if g[0] == "m"]
    for pub, view, item, teams, at in reading.offers:
        if pub != result.name or not isinstance(teams, int):
            continue
        keys = [("i", pub, GOAL, g, item) for g in municipalities]
        hidden = [key for key in keys if key not in result.shown]
        shown_positive = sum(1 for key in keys if result.shown.get(key, 0) > 0)
        true_positive = sum(1 for key in keys if (truth(key) or 0) > 0)
        if teams != shown_positive + len(hidden):
            notes.append(f"{at}: {teams} municipalities with a goal on {item}, but {shown_positive} "
                         f"shown > 0 and {len(hidden)} hidden")
        elif teams != true_positive:
            notes.append(f"{at}: {teams} municipalities with a goal on {item} ({view} view), truly "
                         f"{true_positive}: hidden zeros are counted")
    return notes


def corrections(reading: Reading, period_of: Mapping[str, str], k: int) -> list[str]:
    """Figures shown in two publications of the same period whose values differ by 1..k−1."""
    by_period: dict[str, list[str]] = defaultdict(list)
    for pub in sorted(reading.publications):
        if pub in period_of:
            by_period[period_of[pub]].append(pub)
    out = []
    for period, pubs in by_period.items():
        shown = {}
        for pub in pubs:
            shown[pub] = {}
            for raw, values in reading.obs.items():
                if raw[1] == pub:
                    numbers = [v for v in values if isinstance(v, int)]
                    if numbers:
                        shown[pub][(raw[0], *raw[2:])] = numbers[0]
        for a in range(len(pubs)):
            for b in range(a + 1, len(pubs)):
                for fig, va in shown[pubs[a]].items():
                    vb = shown[pubs[b]].get(fig)
                    if vb is not None and 0 < abs(va - vb) < k:
                        out.append(f"{period}: {fig} shown as {va} in publication {pubs[a]} and {vb} in "
                                   f"{pubs[b]}: a change of {abs(va - vb)}")
    return out


def size_changes(reading: Reading, period_of: Mapping[str, str], k: int) -> list[str]:
    """Group sizes (the "Professionals" column) of two publications of the same period that differ by
    1..k−1: never hidden, so a correction tells which group gained or lost a few people (noted; the
    figures that changed with them are what must stay hidden)."""
    by_period: dict[str, list[str]] = defaultdict(list)
    for pub in sorted(reading.publications):
        if pub in period_of:
            by_period[period_of[pub]].append(pub)
    out = []
    for period, pubs in by_period.items():
        sizes = {pub: {g: next(iter(v)) for (p, g), v in reading.people.items() if p == pub} for pub in pubs}
        for a in range(len(pubs)):
            for b in range(a + 1, len(pubs)):
                for group, na in sizes[pubs[a]].items():
                    nb = sizes[pubs[b]].get(group)
                    if nb is not None and 0 < abs(na - nb) < k:
                        out.append(f"{period}: {group} has {na} professionals in publication {pubs[a]} and "
                                   f"{nb} in {pubs[b]}")
    return out
