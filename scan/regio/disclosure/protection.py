"""One suppression for a whole publication, checked by the exact audit until nothing can be worked out. Pure.

1. Primary: every position the audit would call sensitive if it were shown
(scan.regio.disclosure.audit.reasons):
   counts of 1..k−1, counts of people equal to their group's size or within k of it, and numbers that
   changed by 1..k−1 since an earlier publication of the same period.
2. Lines: while a line (members and total) has exactly one hidden position, hide one more member
   (scan.regio.disclosure.suppression.suppress_lines).
3. Audit (scan.regio.disclosure.audit): the interval of every sensitive hidden position over all relations,
as an
   integer program. For each position still unprotected, hide the smallest non-zero shown position that
   shares a relation with it (an equality first), go back to 2 and audit the changed components again.
It ends: every round hides at least one more position, and with everything hidden nothing is exposed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from scan.regio.disclosure.audit import Finding, Relations, Report, audit, reasons
from scan.regio.disclosure.linked import Linked
from scan.regio.disclosure.suppression import suppress_lines


@dataclass
class Protection:
    hidden: set[str]
    primary: set[str]
    report: Report
    rounds: int
    seconds: float


class CannotProtect(Exception):
    """Nothing shown is left to hide that could protect an exposed position: only figures an earlier
    publication of the period already showed pin it (a correction that would give a small number away).
    Nothing is published then."""


def primary(linked: Linked, earlier: Iterable[Mapping[str, int]] = ()) -> set[str]:
    earlier = list(earlier)
    return {pos for pos in linked.values if reasons(linked, pos, earlier)}


def _next_to_hide(relations: Relations, finding: Finding, hidden: set[str]) -> str | None:
    """A shown position to hide so the finding's interval can widen: the smallest non-zero shown position
    of a relation that holds its bounds (from the solver's duals), else of any relation through it
    (equalities first); zeros only when nothing else is left."""
    values = relations.linked.values
    pos = finding.position
    groups = [[p for p in relations.constraints[r][0] if p != pos] for r in finding.binding]
    for others in (*groups, *relations.neighbours(pos)):
        shown = [p for p in others if p not in hidden]
        if shown:
            return min(shown, key=lambda p: (values[p] == 0, values[p], p))
    # Every neighbour is hidden (or known): widen through the hidden positions, relation by relation, to the
    # nearest shown ones; hiding one of them frees the chain that pins this position.
    seen, layer = {pos}, [pos]
    while layer:
        following: list[str] = []
        for p in layer:
            for others in relations.neighbours(p):
                for q in others:
                    if q not in seen:
                        seen.add(q)
                        following.append(q)
        shown = [q for q in following if q not in hidden]
        if shown:
            return min(shown, key=lambda p: (values[p] == 0, values[p], p))
        layer = following
    return None


def protect(linked: Linked, earlier: Iterable[Mapping[str, int]] = (),
            shown_before: Iterable[Mapping[str, int | None]] = ()) -> Protection:
    """`earlier`: the true values of the earlier publications of the same period; `shown_before`: what
    they showed (None: hidden). A correction hides at least what an earlier one hid (showing it now would
    add an equation to the earlier ones), and what an earlier one showed with the same value is known to
    the reader: a constant in the audit, never a position to hide (hiding it protects nothing)."""
    import time

    started = time.perf_counter()
    earlier = list(earlier)
    known: set[str] = set()
    hidden_before: set[str] = set()
    for shown in shown_before:
        for pos, value in shown.items():
            if pos not in linked.values:
                continue
            if value is None:
                hidden_before.add(pos)
            elif linked.values[pos] == value:
                known.add(pos)
    relations = Relations(linked)
    first = primary(linked, earlier) | (hidden_before - known)
    hidden = suppress_lines(linked.values, linked.lines, k=linked.k, hidden=first, fixed=known)
    verified: dict = {}  # type: ignore[type-arg]
    rounds = 0
    solves = [0, 0]
    stubborn: dict[str, int] = {}
    while True:
        rounds += 1
        report = audit(linked, hidden - known, earlier, relations, verified)
        solves[0] += report.lp_solves
        solves[1] += report.mip_solves
        bad = report.unprotected
        if not bad:
            break
        more: set[str] = set()
        for finding in bad:
            # A position still exposed after earlier rounds gets more neighbours hidden at once (1, 2, 4,
            # ...): the rounds stay few even where one neighbour at a time would take dozens.
            stubborn[finding.position] = stubborn.get(finding.position, 0) + 1
            for _ in range(2 ** (stubborn[finding.position] - 1)):
                choice = _next_to_hide(relations, finding, hidden | more | known)
                if choice is None:
                    if more:
                        break
                    raise CannotProtect(finding.position)
                more.add(choice)
        hidden = suppress_lines(linked.values, linked.lines, k=linked.k, hidden=hidden | more, fixed=known)
    report.lp_solves, report.mip_solves = solves
    seconds = time.perf_counter() - started
    report.seconds = seconds
    return Protection(hidden, first, report, rounds, seconds)
