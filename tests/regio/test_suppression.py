"""Small-cell suppression: attackers subtract visible cells from totals and must fail."""

from __future__ import annotations

import itertools
import random

import pytest

from scan.regio.disclosure.suppression import (
    OTHER,
    Suppressed,
    SuppressedTable,
    check_k,
    merge_small_groups,
    suppress_table,
    suppress_values,
)


def _lines(t: SuppressedTable) -> list[tuple[list[object], object]]:
    """Every line an attacker can subtract along: rows, columns, row totals and column totals."""
    rows = [(list(t.cells[i]), t.row_totals[i]) for i in range(len(t.cells))]
    cols = [([row[j] for row in t.cells], t.col_totals[j]) for j in range(len(t.col_totals))]
    return [*rows, *cols, (list(t.row_totals), t.grand_total), (list(t.col_totals), t.grand_total)]


def _recover_by_subtraction(t: SuppressedTable) -> list[int]:
    """The attack: in a line with a shown total and exactly one hidden member, total − visible = hidden."""
    recovered = []
    for members, total in _lines(t):
        hidden = [m for m in members if isinstance(m, Suppressed)]
        if len(hidden) == 1 and not isinstance(total, Suppressed):
            recovered.append(total - sum(m for m in members if not isinstance(m, Suppressed)))  # type: ignore[operator]
    return recovered


def _assert_safe(t: SuppressedTable, counts: list[list[int]]) -> None:
    k = t.k
    assert _recover_by_subtraction(t) == []
    shown = [c for row in t.cells for c in row] + list(t.row_totals) + list(t.col_totals) + [t.grand_total]
    assert all(c == 0 or c >= k for c in shown if not isinstance(c, Suppressed))
    # What is shown is the truth.
    for i, row in enumerate(t.cells):
        for j, c in enumerate(row):
            if not isinstance(c, Suppressed):
                assert c == counts[i][j]
            elif 0 < counts[i][j] < k:
                assert (i, j) in t.primary


def test_k_is_at_least_three() -> None:
    assert check_k(3) == 3
    for bad in (2, 1, 0, -5, True, 4.0):
        with pytest.raises(ValueError):
            check_k(bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        suppress_table([[1]], k=2)


def test_marker_renders_as_less_than_k() -> None:
    t = suppress_table([[3, 7, 8], [6, 9, 10]])
    assert str(t.cells[0][0]) == "<5" and t.cells[0][0].label == "<5"  # type: ignore[union-attr]
    assert str(suppress_table([[1, 9], [9, 9]], k=10).cells[0][0]) == "<10"


def test_small_cell_gets_a_complement_in_its_row_and_column() -> None:
    counts = [[3, 7, 8], [6, 9, 10]]
    t = suppress_table(counts)
    # 3 is small; its row's smallest other non-zero is 7, its column's is 6; then 9 closes the block.
    assert t.cells == ((Suppressed(5), Suppressed(5), 8), (Suppressed(5), Suppressed(5), 10))
    assert t.row_totals == (18, 25) and t.col_totals == (9, 16, 18) and t.grand_total == 43
    assert t.primary == frozenset({(0, 0)})
    _assert_safe(t, counts)


def test_two_by_two_block_leaves_a_free_direction() -> None:
    """Row and column sums of a 2×2 hidden block fix a+b, c+d, a+c, b+d: three independent equations
    for four unknowns. Every hidden cell still takes more than one value consistent with what is shown."""
    counts = [[3, 7, 8], [6, 9, 10]]
    t = suppress_table(counts)
    # What the attacker sees: the visible third column and all totals.
    r0, r1 = t.row_totals[0] - t.cells[0][2], t.row_totals[1] - t.cells[1][2]  # type: ignore[operator]
    c0, c1 = t.col_totals[0], t.col_totals[1]
    solutions = [
        (a, b, c, d)
        for a, b, c, d in itertools.product(range(30), repeat=4)
        if a + b == r0 and c + d == r1 and a + c == c0 and b + d == c1
    ]
    assert (3, 7, 6, 9) in solutions
    for position in range(4):
        assert len({s[position] for s in solutions}) > 1


def test_zero_is_shown_and_never_chosen_while_a_non_zero_cell_can_be() -> None:
    counts = [[2, 0, 6, 9], [7, 0, 8, 12]]
    t = suppress_table(counts)
    assert t.cells[0][1] == 0 and t.cells[1][1] == 0
    assert t.cells[0][2] == Suppressed(5)  # the smallest non-zero visible cell of the row
    _assert_safe(t, counts)


def test_only_zeros_left_then_a_zero_or_the_total_is_hidden() -> None:
    # Totals given (distinct people, not sums): the row holds one small cell and zeros.
    t = suppress_table([[2, 0]], row_totals=[6], col_totals=[6, 0], grand_total=6)
    assert _recover_by_subtraction(t) == []
    single = suppress_table([[2]], row_totals=[6], col_totals=[6], grand_total=6)
    assert single.row_totals == (Suppressed(5),) and single.col_totals == (Suppressed(5),)
    assert _recover_by_subtraction(single) == []


def test_small_totals_are_hidden_and_protected_against_the_grand_total() -> None:
    counts = [[1, 2], [20, 30], [15, 25]]
    t = suppress_table(counts)
    assert t.row_totals[0] == Suppressed(5)  # 3 people
    # The grand total minus the other row totals would give row 0's total: another row total is hidden.
    assert sum(isinstance(x, Suppressed) for x in t.row_totals) >= 2 or isinstance(t.grand_total, Suppressed)
    _assert_safe(t, counts)


def test_suppress_values_without_totals() -> None:
    assert suppress_values({"a": 0, "b": 4, "c": 5}) == {"a": 0, "b": Suppressed(5), "c": 5}


def test_rejects_ragged_or_negative_tables() -> None:
    with pytest.raises(ValueError):
        suppress_table([[1, 2], [3]])
    with pytest.raises(ValueError):
        suppress_table([[-1, 2]])
    with pytest.raises(ValueError):
        suppress_table([[1, 2]], row_totals=[3, 4])


def test_empty_table() -> None:
    t = suppress_table([])
    assert t.cells == () and t.grand_total == 0


@pytest.mark.parametrize("seed", range(6))
def test_random_tables_leave_nothing_to_subtract(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(60):
        k = rng.choice([3, 5, 5, 10])
        n_rows, n_cols = rng.randint(1, 7), rng.randint(1, 7)
        # Mostly small numbers and zeros: the hard case.
        counts = [[rng.choice([0, 0, rng.randint(1, k), rng.randint(1, 3 * k)]) for _ in range(n_cols)]
                  for _ in range(n_rows)]
        t = suppress_table(counts, k=k)
        _assert_safe(t, counts)
        for members, total in _lines(t):
            hidden = sum(isinstance(m, Suppressed) for m in members)
            assert hidden != 1 or isinstance(total, Suppressed)


@pytest.mark.parametrize("seed", range(3))
def test_random_tables_with_distinct_people_totals(seed: int) -> None:
    """Totals that are not sums (distinct people across columns) are protected the same way."""
    rng = random.Random(100 + seed)
    for _ in range(60):
        n_rows, n_cols = rng.randint(1, 5), rng.randint(1, 5)
        counts = [[rng.randint(0, 12) for _ in range(n_cols)] for _ in range(n_rows)]
        rows = [max(row, default=0) + rng.randint(0, 3) for row in counts]
        cols = [max((r[j] for r in counts), default=0) + rng.randint(0, 3) for j in range(n_cols)]
        t = suppress_table(counts, rows, cols, max(rows + cols) + 1)
        _assert_safe(t, counts)


def test_merge_small_groups() -> None:
    sizes = {"a": 12, "b": 3, "c": 2, "d": 4, "e": 9, "f": 2, "g": 0}
    parent = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2, "f": 3, "g": 1}
    mapping = merge_small_groups(sizes, parent, k=5)
    assert mapping == {"a": "a", "b": (1, OTHER), "c": (1, OTHER), "g": None,
                       # d alone is too small: the smallest big team joins the other group.
                       "d": (2, OTHER), "e": (2, OTHER),
                       "f": None}


def test_merged_groups_never_fall_below_k() -> None:
    rng = random.Random(7)
    for _ in range(300):
        k = rng.choice([3, 5, 8])
        sizes = {g: rng.randint(0, 2 * k) for g in range(rng.randint(1, 8))}
        parent = {g: rng.randint(1, 3) for g in sizes}
        mapping = merge_small_groups(sizes, parent, k=k)
        shown: dict[object, int] = {}
        for g, group in mapping.items():
            if group is not None:
                shown[group] = shown.get(group, 0) + sizes[g]
            if group == g:
                assert sizes[g] >= k
        assert all(n >= k for n in shown.values())
