"""The exact audit of a publication: what can a reader work out about each hidden number? Pure.

A reader knows every shown number, every relation between the positions (`Linked.lines` and `Linked.rows`),
that counts are whole numbers ≥ 0, and the group sizes (upper bounds). For every hidden position that is
*sensitive* the audit computes, with an integer program over all of that, the smallest and the largest value
the position can have. The position is protected when that interval

- for a count n with 1 ≤ n < k: contains 0 or a value ≥ k;
- for a count of people with 1 ≤ N − n < k (all but a few of a group of N): contains N or a value ≤ N − k;
- for a count equal to its group's size N (everyone): contains a value below N;
- for a number that changed by d (1 ≤ |d| < k) since an earlier publication of the same period, which a
  reader holds too: allows a change of 0 or of at least k either way.

Only the hidden positions linked to each other through a relation can constrain each other, so the program
is split into connected components and solved per component with HiGHS: first the linear relaxation
(its interval contains the integer one); when the relaxation's optimum is not a whole-number point, the
integer program itself. Shown positions enter as constants.
"""

from __future__ import annotations

import math
import os
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

import highspy
import numpy as np

from scan.regio.disclosure.linked import Linked

# How far the integer program may search for one solution with a safe value before the position counts as
# unprotected (and one more position is hidden): the audit errs on the safe side, never the other. A node
# limit, not a time limit, so the same figures give the same publication on a busy or a quiet machine; the
# time limit only stops a runaway search.
MIP_NODES = 5_000
MIP_SECONDS = 60.0

SMALL = "small"
NEARLY_ALL = "nearly-all"
EVERYONE = "everyone"
CHANGE = "change"


@dataclass(frozen=True)
class Finding:
    position: str
    reason: str  # SMALL, NEARLY_ALL, EVERYONE or CHANGE
    value: int
    low: int
    high: int
    protected: bool
    # Relations (indexes into Relations.constraints) that hold the bounds where they are: hiding a shown
    # position of one of them is what can widen the interval.
    binding: tuple[int, ...] = ()


@dataclass
class Report:
    findings: dict[str, list[Finding]] = field(default_factory=dict)
    components: int = 0
    lp_solves: int = 0
    mip_solves: int = 0
    seconds: float = 0.0

    @property
    def unprotected(self) -> list[Finding]:
        return [f for fs in self.findings.values() for f in fs if not f.protected]


def reasons(linked: Linked, pos: str, earlier: Iterable[Mapping[str, int]] = ()) -> list[tuple[str, int]]:
    """Why a position must not be known exactly, if it were shown: (reason, reference value)."""
    k = linked.k
    value = linked.values[pos]
    out: list[tuple[str, int]] = []
    if 0 < value < k:
        out.append((SMALL, value))
    size = linked.people.get(pos)
    if size is not None and value > 0:
        if value == size:
            out.append((EVERYONE, value))
        elif size - value < k:
            out.append((NEARLY_ALL, value))
    for before in earlier:
        if pos in before and 0 < abs(value - before[pos]) < k:
            out.append((CHANGE, before[pos]))
    return out


def protected(reason: str, ref: int, low: int, high: int, k: int, size: int | None) -> bool:
    if reason == SMALL:
        return low <= 0 or high >= k
    if reason == NEARLY_ALL:
        assert size is not None
        return high >= size or low <= size - k
    if reason == EVERYONE:
        return low < ref
    # CHANGE: ref is the earlier value; the change can be 0, or k or more either way.
    return low <= ref <= high or high - ref >= k or ref - low >= k


_announced = False


def _highs() -> highspy.Highs:
    """A silent solver. HiGHS prints its banner to the process's standard output when the first one is
    made (from C++, past sys.stdout): that first time, standard output is pointed at /dev/null."""
    global _announced
    if _announced:
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
        _announced = True
    h.setOptionValue("output_flag", False)
    # The relaxation is solved again and again with another objective: without presolve the simplex starts
    # from the previous basis instead of from scratch.
    h.setOptionValue("presolve", "off")
    return h


def safe_values(reason: str, ref: int, k: int, size: int | None) -> list[tuple[float, float]]:
    """The values that, if the program can reach one, make a position protected (see `protected`)."""
    top = float(size) if size is not None else highspy.kHighsInf
    if reason == SMALL:
        return [(0, 0), (k, top)]
    if reason == NEARLY_ALL:
        assert size is not None
        return [(size, size), (0, size - k)]
    if reason == EVERYONE:
        return [(0, ref - 1)]
    return [(ref, ref), (ref + k, top), (0, ref - k)]


class Relations:
    """The relations of a publication indexed by position, to build the program of a set of positions."""

    def __init__(self, linked: Linked) -> None:
        self.linked = linked
        self.constraints: list[tuple[dict[str, int], float, float]] = []  # (coefs, low, high)
        for members, total in linked.lines:
            coefs: dict[str, int] = defaultdict(int)
            for m in members:
                coefs[m] += 1
            coefs[total] -= 1
            self.constraints.append((dict(coefs), 0.0, 0.0))
        for coefs, rhs in linked.rows:
            self.constraints.append((coefs, -highspy.kHighsInf, float(rhs)))
        self.of: dict[str, list[int]] = defaultdict(list)
        for n, (coefs, _lo, _hi) in enumerate(self.constraints):
            for pos in coefs:
                self.of[pos].append(n)

    def reduce(self, hidden: set[str], passes: int = 3) -> tuple[dict[str, list[float]], list[int]]:
        """Bounds of the hidden positions tightened by the relations (whole numbers: bounds are rounded
        inwards, which keeps every whole-number solution), and the relations that still restrict them
        beyond those bounds. Dropping a relation that the bounds already imply changes no solution; it
        splits the program into smaller, independent parts."""
        values = self.linked.values
        upper = self.linked.upper
        bounds = {p: [0.0, float(upper.get(p, highspy.kHighsInf))] for p in hidden}
        work = []
        for r, (coefs, low, high) in enumerate(self.constraints):
            inside = [(p, c) for p, c in coefs.items() if p in hidden]
            if not inside:
                continue
            constant = sum(c * values[p] for p, c in coefs.items() if p not in hidden)
            work.append((r, inside, low - constant, high - constant))
        inf = highspy.kHighsInf
        active: list[int] = []
        for last in range(passes):
            active = []
            for r, inside, low, high in work:
                lo_act = sum(c * bounds[p][0] if c > 0 else c * bounds[p][1] for p, c in inside)
                hi_act = sum(c * bounds[p][1] if c > 0 else c * bounds[p][0] for p, c in inside)
                if lo_act >= low - 1e-9 and hi_act <= high + 1e-9:
                    continue  # implied by the bounds
                if len(inside) > 1 or last == passes - 1:
                    active.append(r)
                for p, c in inside:
                    b = bounds[p]
                    rest_lo = lo_act - (c * b[0] if c > 0 else c * b[1])
                    rest_hi = hi_act - (c * b[1] if c > 0 else c * b[0])
                    if c > 0:
                        if high < inf and rest_lo > -inf:
                            b[1] = min(b[1], math.floor((high - rest_lo) / c + 1e-9))
                        if low > -inf and rest_hi < inf:
                            b[0] = max(b[0], math.ceil((low - rest_hi) / c - 1e-9))
                    else:
                        if high < inf and rest_lo > -inf:
                            b[0] = max(b[0], math.ceil((high - rest_lo) / c - 1e-9))
                        if low > -inf and rest_hi < inf:
                            b[1] = min(b[1], math.floor((low - rest_hi) / c + 1e-9))
        return bounds, active

    def components(self, hidden: set[str], active: list[int] | None = None) -> list[list[str]]:
        """Hidden positions grouped by the relations that hold two or more of them."""
        parent = {p: p for p in sorted(hidden)}

        def find(p: str) -> str:
            while parent[p] != p:
                parent[p] = parent[parent[p]]
                p = parent[p]
            return p

        rows = self.constraints if active is None else [self.constraints[r] for r in active]
        for coefs, _lo, _hi in rows:
            inside = [p for p in coefs if p in parent]
            for other in inside[1:]:
                a, b = find(inside[0]), find(other)
                if a != b:
                    parent[a] = b
        groups: dict[str, list[str]] = defaultdict(list)
        for p in sorted(hidden):  # sorted: the same figures give the same publication, whatever the hash seed
            groups[find(p)].append(p)
        return sorted((sorted(g) for g in groups.values()), key=lambda g: g[0])

    def neighbours(self, pos: str) -> list[list[str]]:
        """The positions in each relation that holds `pos`, lines (equalities) first."""
        out = []
        for n in sorted(self.of.get(pos, ()), key=lambda n: self.constraints[n][1] != self.constraints[n][2]):
            out.append([p for p in self.constraints[n][0] if p != pos])
        return out


def audit_component(relations: Relations, positions: list[str], hidden: set[str],
                    targets: Mapping[str, list[tuple[str, int]]], report: Report,
                    bounds: Mapping[str, list[float]] | None = None, active: list[int] | None = None
                    ) -> dict[str, list[Finding]]:
    """Interval of every target position of one component; the other hidden positions are free too."""
    linked = relations.linked
    index = {p: n for n, p in enumerate(positions)}
    n = len(positions)
    h = _highs()
    if bounds is None:
        bounds = {p: [0.0, float(linked.upper.get(p, highspy.kHighsInf))] for p in positions}
    h.addVars(n, np.array([bounds[p][0] for p in positions]), np.array([bounds[p][1] for p in positions]))
    rows: set[int] = set()
    for p in positions:
        rows.update(relations.of.get(p, ()))
    if active is not None:
        rows &= set(active)
    model_rows = sorted(rows)
    for r in model_rows:
        coefs, low, high = relations.constraints[r]
        constant = sum(c * linked.values[p] for p, c in coefs.items() if p not in hidden)
        idx = np.array([index[p] for p in coefs if p in hidden], dtype=np.int32)
        val = np.array([float(c) for p, c in coefs.items() if p in hidden])
        h.addRow(low - constant, high - constant, len(idx), idx, val)
    all_cols = np.arange(n, dtype=np.int32)
    integer = np.array([highspy.HighsVarType.kInteger] * n)
    continuous = np.array([highspy.HighsVarType.kContinuous] * n)

    def relaxed(col: int, sense: highspy.ObjSense) -> tuple[int, bool]:
        """The relaxation's optimum rounded inwards, and whether it is the integer program's optimum too
        (it is when the optimal point is a whole-number point)."""
        cost = np.zeros(n)
        cost[col] = 1.0
        h.changeColsCost(n, all_cols, cost)
        h.changeObjectiveSense(sense)
        h.run()
        report.lp_solves += 1
        solution = np.asarray(h.getSolution().col_value)
        value = h.getInfo().objective_function_value
        whole = bool(np.all(np.abs(solution - np.round(solution)) < 1e-6))
        rounded = math.ceil(value - 1e-6) if sense == highspy.ObjSense.kMinimize else math.floor(value + 1e-6)
        duals = np.asarray(h.getSolution().row_dual)
        binding_rows.update(model_rows[i] for i in np.nonzero(np.abs(duals) > 1e-9)[0])
        return rounded, whole

    lower_bounds = np.array([bounds[p][0] for p in positions])
    upper_bounds = np.array([bounds[p][1] for p in positions])

    def search() -> tuple[highspy.HighsModelStatus, bool, np.ndarray]:
        """Run the integer program on the model as it stands (limited: MIP_NODES), then make the model
        the relaxation again: (status, whether a whole-number point was found, that point). Read here,
        before the model changes back: changing it resets what the solver reports."""
        h.changeColsIntegrality(n, all_cols, integer)
        h.setOptionValue("time_limit", MIP_SECONDS)
        h.setOptionValue("mip_max_nodes", MIP_NODES)
        h.setOptionValue("presolve", "on")
        h.run()
        report.mip_solves += 1
        status = h.getModelStatus()
        found = h.getInfo().primal_solution_status == 2  # kSolutionStatusFeasible
        point = np.asarray(h.getSolution().col_value).copy()
        h.setOptionValue("time_limit", highspy.kHighsInf)
        h.setOptionValue("presolve", "off")
        h.changeColsIntegrality(n, all_cols, continuous)
        return status, found, point

    def reachable(col: int, low: float, high: float) -> bool:
        """Whether the integer program has a solution with the column in [low, high] (a search for one
        point, not an optimum). A search that runs out of time counts as "no": on the safe side."""
        low, high = max(low, lower_bounds[col]), min(high, upper_bounds[col])
        if low > high:
            return False
        h.changeColsCost(n, all_cols, np.zeros(n))
        h.changeColBounds(col, float(low), float(high))
        status, _found, _point = search()
        h.changeColBounds(col, float(lower_bounds[col]), float(upper_bounds[col]))
        return status == highspy.HighsModelStatus.kOptimal

    def verdicts(p: str, low: int, high: int) -> list[Finding]:
        size = linked.people.get(p)
        return [Finding(p, reason, linked.values[p], low, high,
                        protected(reason, ref, low, high, linked.k, size)) for reason, ref in targets[p]]

    found: dict[str, list[Finding]] = {}
    # Certificates first: one whole-number point of the program in which many positions take a safe value
    # (0 or at least k, ...) proves all of them protected at once; only the rest is solved one by one.
    pending = [p for p in positions if p in targets]
    for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
        for _ in range(4):
            if not pending:
                break
            cost = np.zeros(n)
            for p in pending:
                cost[index[p]] = 1.0
            h.changeColsCost(n, all_cols, cost)
            h.changeObjectiveSense(sense)
            h.run()
            report.lp_solves += 1
            point = np.asarray(h.getSolution().col_value)
            if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                break
            if not np.all(np.abs(point - np.round(point)) < 1e-6):
                # Not a whole-number point: any whole-number point the integer program finds (in the time
                # given; it need not be the best) serves as the certificate instead.
                _status, found_point, point = search()
                if not found_point or not np.all(np.abs(point - np.round(point)) < 1e-6):
                    break
            settled = []
            for p in pending:
                v, truth = round(point[index[p]]), linked.values[p]
                result = verdicts(p, min(v, truth), max(v, truth))
                if all(f.protected for f in result):
                    found[p] = result
                    settled.append(p)
            if not settled:
                break
            pending = [p for p in pending if p not in found]
    for p in pending:
        col = index[p]
        binding_rows: set[int] = set()
        low, low_exact = relaxed(col, highspy.ObjSense.kMinimize)
        high, high_exact = relaxed(col, highspy.ObjSense.kMaximize)
        result = verdicts(p, low, high)
        if not (low_exact and high_exact) and all(f.protected for f in result):
            # The integer interval lies inside the rounded relaxation's, and holds the true value: an
            # interval of the exact bounds widened to the true value is certainly inside it. Protected
            # there is final; otherwise the bounds that are not exact come from the integer program.
            value = linked.values[p]
            sure = verdicts(p, low if low_exact else value, high if high_exact else value)
            if not all(f.protected for f in sure):
                # Settle each reason with the integer program: is a safe value reachable at all?
                size = linked.people.get(p)
                result = [
                    Finding(p, reason, value, low, high, any(
                        reachable(col, lo, hi) for lo, hi in safe_values(reason, ref, linked.k, size)
                        if lo <= high and hi >= low))
                    for reason, ref in targets[p]
                ]
        if not all(f.protected for f in result):
            result = [replace(f, binding=tuple(sorted(binding_rows))) for f in result]
        found[p] = result
    return found


def audit(linked: Linked, hidden: set[str], earlier: Iterable[Mapping[str, int]] = (),
          relations: Relations | None = None, verified: dict[str, list[Finding]] | None = None) -> Report:
    """Intervals of every sensitive hidden position not yet `verified` (protected in an earlier round:
    hiding more only widens every interval, so a protected position stays protected)."""
    started = time.perf_counter()
    relations = relations or Relations(linked)
    earlier = list(earlier)
    verified = verified if verified is not None else {}
    report = Report()
    bounds, active = relations.reduce(hidden)
    for component in relations.components(hidden, active):
        targets = {p: r for p in component if p not in verified and (r := reasons(linked, p, earlier))}
        if not targets:
            continue
        report.components += 1
        report.findings.update(audit_component(relations, component, hidden, targets, report, bounds, active))
    for p, findings in report.findings.items():
        if all(f.protected for f in findings):
            verified[p] = findings
    report.findings = {**verified, **report.findings}
    report.seconds = time.perf_counter() - started
    return report
