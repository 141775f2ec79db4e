"""Small-cell suppression for the regional overview: pure functions, no database, no request.

A table of counts (rows × columns, e.g. municipality × leefgebied) with its row, column and grand totals
goes in; the same table comes out with every count that rests on fewer than k professionals replaced by a
`Suppressed` marker, plus enough further cells (complementary suppression) that no marker can be undone by
subtracting the visible cells of its row or column from the shown total. See scan/regio/README.md.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

DEFAULT_K = 5
MIN_K = 3


def check_k(k: int) -> int:
    """k as given, or ValueError: below 3 the protection is meaningless (a pair can subtract each other)."""
    if isinstance(k, bool) or not isinstance(k, int) or k < MIN_K:
        raise ValueError(f"k must be a whole number of at least {MIN_K}, got {k!r}")
    return k


@dataclass(frozen=True)
class Suppressed:
    """A hidden count. Renders as "<k". The same marker for primary and complementary cells on purpose:
    telling them apart would tell a reader which hidden cells are 0 or at least k."""

    k: int

    def __str__(self) -> str:
        return f"<{self.k}"

    @property
    def label(self) -> str:
        return str(self)


Cell = int | Suppressed


def is_small(value: int, k: int) -> bool:
    """A count that must never be shown: 1 .. k−1. Zero is shown (see README: "0 is safe")."""
    return 0 < value < k


@dataclass(frozen=True)
class SuppressedTable:
    """The result of `suppress_table`. `cells[i][j]`, `row_totals[i]`, `col_totals[j]`, `grand_total`
    are ints or `Suppressed`. `primary` holds the positions hidden because they were small, for tests and
    audits only: never render it (it would separate small cells from complementary ones)."""

    k: int
    cells: tuple[tuple[Cell, ...], ...]
    row_totals: tuple[Cell, ...]
    col_totals: tuple[Cell, ...]
    grand_total: Cell
    primary: frozenset[tuple[int, int]]

    def is_suppressed(self, i: int, j: int) -> bool:
        return isinstance(self.cells[i][j], Suppressed)

    @property
    def suppressed_count(self) -> int:
        return sum(isinstance(c, Suppressed) for row in self.cells for c in row)


# A "line" is a list of member positions plus the position of its total. Positions are ("c", i, j) for a
# cell, ("r", i) for a row total, ("k", j) for a column total and ("g",) for the grand total.
_Pos = tuple


def suppress_table(
    counts: Sequence[Sequence[int]],
    row_totals: Sequence[int] | None = None,
    col_totals: Sequence[int] | None = None,
    grand_total: int | None = None,
    *,
    k: int = DEFAULT_K,
) -> SuppressedTable:
    """Suppress small counts and their complements. Totals default to the sums of the cells.

    Totals may be given when they are not plain sums (e.g. distinct people across leefgebieden); they are
    protected as if they were sums, which is the cautious assumption.

    Method (primary, then complementary until stable):
    1. every cell and every total with 1 <= value < k is hidden;
    2. a line (a row with its total, a column with its total, the row totals with the grand total, the
       column totals with the grand total) whose total is visible and that holds exactly one hidden member
       is "exposed": the hidden value is total − visible members. Hide one more member of that line: the
       smallest non-zero visible one (ties: one whose crossing line already has a hidden member, then the
       first); if only zeros are left, a zero; if nothing is left, the total;
    3. repeat 2 until no line is exposed (it ends: every step hides one more position).
    """
    check_k(k)
    n_rows = len(counts)
    n_cols = len(counts[0]) if n_rows else 0
    if any(len(row) != n_cols for row in counts):
        raise ValueError("every row must have the same number of columns")
    if any(v < 0 for row in counts for v in row):
        raise ValueError("counts cannot be negative")
    rt = list(row_totals) if row_totals is not None else [sum(row) for row in counts]
    ct = list(col_totals) if col_totals is not None else [sum(counts[i][j] for i in range(n_rows))
                                                          for j in range(n_cols)]
    if len(rt) != n_rows or len(ct) != n_cols:
        raise ValueError("one total per row and per column")
    gt = grand_total if grand_total is not None else sum(rt)

    value: dict[_Pos, int] = {("g",): gt}
    for i in range(n_rows):
        value[("r", i)] = rt[i]
        for j in range(n_cols):
            value[("c", i, j)] = counts[i][j]
    for j in range(n_cols):
        value[("k", j)] = ct[j]

    lines: list[tuple[list[_Pos], _Pos]] = []
    for i in range(n_rows):
        lines.append(([("c", i, j) for j in range(n_cols)], ("r", i)))
    for j in range(n_cols):
        lines.append(([("c", i, j) for i in range(n_rows)], ("k", j)))
    lines.append(([("r", i) for i in range(n_rows)], ("g",)))
    lines.append(([("k", j) for j in range(n_cols)], ("g",)))
    hidden = suppress_lines(value, lines, k=k)
    primary = frozenset((p[1], p[2]) for p, v in value.items() if p[0] == "c" and is_small(v, k))

    def show(pos: _Pos) -> Cell:
        return Suppressed(k) if pos in hidden else value[pos]

    return SuppressedTable(
        k=k,
        cells=tuple(tuple(show(("c", i, j)) for j in range(n_cols)) for i in range(n_rows)),
        row_totals=tuple(show(("r", i)) for i in range(n_rows)),
        col_totals=tuple(show(("k", j)) for j in range(n_cols)),
        grand_total=show(("g",)),
        primary=primary,
    )


def suppress_lines(
    values: Mapping[Hashable, int],
    lines: Sequence[tuple[Sequence[Hashable], Hashable]],
    *,
    k: int = DEFAULT_K,
    hidden: set[Hashable] | None = None,
    fixed: set[Hashable] | frozenset[Hashable] = frozenset(),
) -> set[Hashable]:
    """The positions to hide, for any set of additive relations ("lines": members that add up to a total).

    `values` maps every position to its count; `lines` lists (members, total) pairs. A position may sit in
    several lines (a team cell adds up along its row and into its municipality's cell): this is how linked
    tables are protected together, so that a cell hidden in one cannot be recovered from another. Starts
    from `hidden` (default: every small position), then, while a line has exactly one hidden position
    (a member, or its total: then the total is the sum of the members), hides one more member: the smallest
    non-zero shown one, preferring one that sits in another line with a hidden position; then a zero; then
    the total. `fixed` positions count as shown whatever happens (the reader knows them already) and are
    never chosen.
    """
    check_k(k)
    hidden = set(hidden) if hidden is not None else {pos for pos, v in values.items() if is_small(v, k)}
    lines = [(list(members), total) for members, total in lines]
    lines_of: dict[Hashable, list[int]] = {}
    for n, (members, total) in enumerate(lines):
        for m in (*members, total):
            lines_of.setdefault(m, []).append(n)

    def crossing_hidden(pos: Hashable, line: int) -> bool:
        """Whether another line through pos already has a hidden position: one more hide protects both."""
        return any(
            any(m in hidden for m in (*lines[n][0], lines[n][1]) if m != pos)
            for n in lines_of.get(pos, ()) if n != line
        )

    todo = set(range(len(lines)))
    while todo:
        n = todo.pop()
        members, total = lines[n]
        exposed = [p for p in (*members, total) if p in hidden and p not in fixed]
        if len(exposed) != 1:
            continue
        visible = [m for m in members if m not in hidden and m not in fixed]
        nonzero = [m for m in visible if values[m] > 0]
        pool = nonzero or visible
        if pool:
            added = min(pool, key=lambda m, n=n: (values[m], not crossing_hidden(m, n)))
        elif total not in hidden and total not in fixed:
            added = total
        else:
            continue  # every other position of the line is known already: the audit decides
        hidden.add(added)
        todo.update(lines_of.get(added, ()))
    return hidden


def suppress_values(values: Mapping[Hashable, int], *, k: int = DEFAULT_K) -> dict[Hashable, Cell]:
    """Primary suppression only, for a list of counts shown without any total (e.g. a ranking of needs).

    Do not use it when a total of these values is shown: use `suppress_table` with one row then.
    """
    check_k(k)
    return {key: Suppressed(k) if is_small(v, k) else v for key, v in values.items()}


OTHER = "other"


def merge_small_groups(
    sizes: Mapping[Hashable, int], parent: Mapping[Hashable, Hashable], *, k: int = DEFAULT_K
) -> dict[Hashable, Hashable | None]:
    """Map each group (e.g. a team) to the group it is shown as, so that no shown group has fewer than k.

    `sizes[g]` is the number of people behind group g; `parent[g]` its parent (e.g. the municipality).
    A group with k or more stays itself. Smaller groups of one parent merge into `(parent, OTHER)`
    ("other teams"); while that merge is still smaller than k, the smallest remaining group of the parent
    joins it. If the whole parent has fewer than k, its groups map to None: leave them out (the parent's
    own row is then small and gets suppressed by `suppress_table` anyway).
    A merge of exactly one small group with big ones is fine: the big one's own row is shown, but the
    "other" row is at least k, so the small group's numbers are never shown alone.
    """
    check_k(k)
    by_parent: dict[Hashable, list[Hashable]] = {}
    for g in sizes:
        by_parent.setdefault(parent[g], []).append(g)
    result: dict[Hashable, Hashable | None] = {}
    for p, groups in by_parent.items():
        if sum(sizes[g] for g in groups) < k:
            result.update(dict.fromkeys(groups))
            continue
        # Groups without anyone behind them carry no numbers: leave them out rather than merge them.
        result.update({g: None for g in groups if sizes[g] == 0})
        small = [g for g in groups if 0 < sizes[g] < k]
        big = sorted((g for g in groups if sizes[g] >= k), key=lambda g: (sizes[g], str(g)))
        while small and sum(sizes[g] for g in small) < k:
            small.append(big.pop(0))
        for g in groups:
            if sizes[g] > 0:
                result[g] = (p, OTHER) if g in small else g
    return result
