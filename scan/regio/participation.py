"""Live participation in the open scan rounds of a region: how many professionals have submitted, per
municipality. Counts of participation only, never needs: levels, gaps and goals are published per period,
after the rounds close.

`open_round_counts` counts in SQL (one query whatever the size of the region); the rest is pure:
`group_municipalities` decides which rows may be shown, `shown_count` which submitted counts, `build` ties
them into what the page displays.

The rules, with k = REGIO_MIN_CELL:
- a municipality with fewer than k professionals in open rounds is never a row of its own: such
  municipalities form one row "Other municipalities"; while that row is below k, the smallest other
  municipality joins it; a region below k in all shows no rows, only that there are too few;
- a shown row never shows a submitted or a not-yet-submitted count in 1..k−1: its submitted count is then
  "<k", and it gets no percentage (either would give the other count away by subtraction);
- there is no total row: a region total minus the shown rows would give a hidden count away.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from flask import current_app
from sqlalchemy import and_, case, func, select, union

from scan.access import Role
from scan.assessment.models import Scan, ScanRound, ScanStatus
from scan.auth.models import User
from scan.core import clock
from scan.extensions import db
from scan.organisation.models import Municipality, Team

DEFAULT_K = 5


@dataclass(frozen=True)
class MunicipalityCount:
    """Distinct professionals in the open rounds of a municipality's teams, and how many of them have a
    submitted scan in one of those rounds."""

    municipality_id: int
    name: str
    expected: int
    submitted: int


@dataclass(frozen=True)
class Hidden:
    """A count that may not be shown: fewer than k, or one that would give such a count away."""

    k: int

    def __str__(self) -> str:
        return f"<{self.k}"


@dataclass(frozen=True)
class Group:
    """One row to be: a single municipality, or the merged "other municipalities"."""

    members: tuple[MunicipalityCount, ...]
    other: bool = False

    @property
    def expected(self) -> int:
        return sum(m.expected for m in self.members)

    @property
    def submitted(self) -> int:
        return sum(m.submitted for m in self.members)


@dataclass(frozen=True)
class Row:
    """A row as the page shows it. `name` is None for the merged row, whose municipalities are `members`."""

    name: str | None
    members: tuple[str, ...]
    expected: int
    submitted: int | Hidden
    # A fraction for Babel's percent format; only when both the submitted and the not-yet count are shown.
    share: float | None

    @property
    def other(self) -> bool:
        return self.name is None


class State(StrEnum):
    NO_OPEN_ROUND = "no_open_round"
    TOO_FEW = "too_few"
    SHOWN = "shown"


@dataclass(frozen=True)
class Participation:
    state: State
    rows: tuple[Row, ...]
    k: int

    @property
    def hidden(self) -> bool:
        """Whether a row shows "<k" (the page then explains it)."""
        return any(isinstance(row.submitted, Hidden) for row in self.rows)

    @property
    def merged(self) -> bool:
        """Whether there is an "other municipalities" row (the page then explains it)."""
        return any(row.other for row in self.rows)


def _by_size(municipality: MunicipalityCount) -> tuple[int, str, int]:
    return (municipality.expected, municipality.name, municipality.municipality_id)


def group_municipalities(counts: Iterable[MunicipalityCount], k: int = DEFAULT_K) -> list[Group] | None:
    """The rows the region may show, by name with the merged row last; None when the region is below k.

    Municipalities without anyone in an open round are left out (there is nothing to show for them).
    """
    present = [c for c in counts if c.expected > 0]
    if sum(c.expected for c in present) < k:
        return None
    small = [c for c in present if c.expected < k]
    big = sorted((c for c in present if c.expected >= k), key=_by_size)
    if small:
        # A single big municipality is enough to lift the merged row to k; the smallest hides the least.
        while sum(c.expected for c in small) < k and big:
            small.append(big.pop(0))
    groups = [Group((c,)) for c in sorted(big, key=lambda c: (c.name, c.municipality_id))]
    if small:
        groups.append(Group(tuple(sorted(small, key=lambda c: (c.name, c.municipality_id))), other=True))
    return groups


def shown_count(submitted: int, expected: int, k: int = DEFAULT_K) -> int | Hidden:
    """The submitted count of a row, or Hidden when it or the not-yet-submitted count lies in 1..k−1."""
    not_yet = expected - submitted
    if 0 < submitted < k or 0 < not_yet < k:
        return Hidden(k)
    return submitted


def share(submitted: int | Hidden, expected: int) -> float | None:
    """The submitted share as a fraction in whole percents, never 0 % or 100 % unless exactly so."""
    if isinstance(submitted, Hidden) or expected <= 0:
        return None
    percent = round(100 * submitted / expected)
    if 0 < submitted < expected:
        percent = min(max(percent, 1), 99)
    return percent / 100


def build(counts: Sequence[MunicipalityCount], any_open: bool, k: int = DEFAULT_K) -> Participation:
    """What the start page shows. `any_open`: whether the region has an open round at all."""
    if not any_open:
        return Participation(State.NO_OPEN_ROUND, (), k)
    groups = group_municipalities(counts, k)
    if groups is None:
        return Participation(State.TOO_FEW, (), k)
    rows = []
    for group in groups:
        submitted = shown_count(group.submitted, group.expected, k)
        rows.append(
            Row(
                name=None if group.other else group.members[0].name,
                members=tuple(m.name for m in group.members) if group.other else (),
                expected=group.expected,
                submitted=submitted,
                share=share(submitted, group.expected),
            )
        )
    return Participation(State.SHOWN, tuple(rows), k)


def open_round_counts(region_id: int, today: date) -> list[MunicipalityCount]:
    """Per municipality of the region with an open round on `today` (one query, grouped in SQL).

    A round's professionals are those the team leader's round page lists (scan.assessment.queries.
    member_statuses): the team's active professionals, plus anyone who has a scan in the round. Teams that
    are archived are left out. A person counts once per municipality.
    """
    rounds = (
        select(
            ScanRound.id.label("round_id"),
            ScanRound.team_id.label("team_id"),
            Team.municipality_id.label("municipality_id"),
        )
        .join(Team, Team.id == ScanRound.team_id)
        .join(Municipality, Municipality.id == Team.municipality_id)
        .where(
            Municipality.region_id == region_id,
            Team.archived_at.is_(None),
            ScanRound.opens_on <= today,
            ScanRound.closes_on >= today,
        )
        .subquery()
    )
    members = union(
        select(rounds.c.round_id, User.id.label("user_id"))
        .join(User, User.team_id == rounds.c.team_id)
        .where(User.role == Role.PROFESSIONAL.value, User.active.is_(True)),
        select(rounds.c.round_id, Scan.user_id.label("user_id"))
        .join(Scan, Scan.round_id == rounds.c.round_id),
    ).subquery()
    submitted_user = case((Scan.status == ScanStatus.SUBMITTED.value, members.c.user_id))
    rows = db.session.execute(
        select(
            Municipality.id,
            Municipality.name,
            func.count(func.distinct(members.c.user_id)),
            func.count(func.distinct(submitted_user)),
        )
        .select_from(rounds)
        .join(Municipality, Municipality.id == rounds.c.municipality_id)
        .outerjoin(members, members.c.round_id == rounds.c.round_id)
        .outerjoin(Scan, and_(Scan.round_id == members.c.round_id, Scan.user_id == members.c.user_id))
        .group_by(Municipality.id, Municipality.name)
        .order_by(Municipality.name, Municipality.id)
    ).all()
    return [MunicipalityCount(mid, name, expected, submitted) for mid, name, expected, submitted in rows]


def for_region(region_id: int | None) -> Participation:
    """The start page's participation section for the region, as of today, with the configured k."""
    k = int(current_app.config.get("REGIO_MIN_CELL", DEFAULT_K))
    counts = [] if region_id is None else open_round_counts(region_id, clock.today())
    # Every municipality with an open round has a row (its count may be 0), so no rows means no open round.
    return build(counts, any_open=bool(counts), k=k)
