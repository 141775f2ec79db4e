"""The contract by which a feature declares its personal data (AVG), for scan.privacy to collect.

Each feature that stores something about a person has a `personal` module with
`TABLES: tuple[PersonalTable, ...]` (every table of it that names or describes a person) and
`EXPORT: tuple[ExportSection, ...]` (its part of "Mijn gegevens"), and where it applies
`RETENTION: tuple[RetentionKind, ...]` (what retention removes of it after a term) and
`ERASE_PREVIEW: tuple[PreviewCount, ...]` (its numbers on the page that confirms an erasure). The feature
writes its own queries and statements; scan.privacy only iterates them, so the export, the erasure and the
retention work from one list. The types live here, below every feature, because a feature may not import
scan.privacy (it sits above them all).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy import Select, delete

from scan.extensions import db


class Person(Protocol):
    """The account being exported or erased (scan.auth.models.User; core may not import auth)."""

    id: int
    username: str


class Erasure(StrEnum):
    DELETE = "delete"  # the person's rows are removed
    ANONYMISE = "anonymise"  # the rows stay (counts rest on them); `blanked` columns are emptied
    KEEP = "keep"  # nothing to do for this table; `reason` says why


@dataclass(frozen=True)
class PersonalTable:
    """One table's part in the export, the erasure and the retention of personal data.

    table:     the table's name in Base.metadata.
    rows_of:   user id -> a select of the primary key of the person's rows. None when the table only
               mentions people (`mentions`) and holds no rows of its own about anyone.
    person_columns: the foreign keys to user_account that make a row this person's.
    mentions:  the foreign keys to user_account that only say who did something in someone else's record
               (who set, signed, created); kept, since the name leaves with the anonymised account.
    export:    where the rows appear in the JSON export ("scans.answers"), or None with `reason`.
    erasure:   what erasing the person does to their rows; `erase(person, replacement)` does it (one or two
               statements, flushed, never committed). `blanked` lists the columns anonymising empties (or
               sets to the replacement name).
    retention: the kinds of scan.privacy.retention that remove these rows after their term, or () with
               `reason`.
    reason:    why a table is kept, not exported or not under retention.
    """

    table: str
    rows_of: Callable[[int], Select[Any]] | None
    erasure: Erasure
    export: str | None = None
    erase: Callable[[Any, str], object] | None = None
    person_columns: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    blanked: tuple[str, ...] = ()
    retention: tuple[str, ...] = ()
    reason: str = ""


@dataclass(frozen=True)
class ExportSection:
    """A part of the export: `load(person)` returns the records of one field of privacy's PersonalData.

    One query per section (two with selectinload), however many rows the person has.
    """

    key: str
    load: Callable[[Any], Any]


@dataclass(frozen=True)
class PreviewCount:
    """A feature's part of one number on the page that confirms an erasure (scan.privacy's ErasePreview).

    field: the ErasePreview field it counts towards ("notes"); the parts of one field are added up.
    rows:  user id -> a select of the rows counted (one row, one unit).
    """

    field: str
    rows: Callable[[int], Select[Any]]


@dataclass(frozen=True)
class RetentionCutoffs:
    """The moments before which retention removes records by age."""

    audit: datetime  # audit log entries from before this
    sessions: datetime  # login sessions that ended before this
    session_idle: timedelta  # a session unused this long has ended
    failures: datetime  # failed logins from before this


@dataclass(frozen=True)
class RetentionKind:
    """One kind of record that retention removes, declared by the feature whose table holds it.

    name:       the kind's key in the plan and in PersonalTable.retention ("answers").
    label:      how `flask retention` names it (a lazy_gettext string).
    position:   the order in which kinds are reported: the plan, the command's lines, the audit detail.
    with_round: the ids of rounds that closed long ago -> a select of the ids of the rows that go with them;
    by_age:     or, the cutoffs -> a select of the ids of the rows past their term (exactly one of the two).
    removal:    the order of removing: lower first. Children go before their parents, also because their
                selects find them through the parents.
    model:      the mapped class whose rows with the selected ids are deleted; `first(ids)` runs before
                each batch (link rows that point at them).
    purge:      or, the cutoffs -> removes the rows itself and says how many (the append-only audit log,
                through its own service); exactly one of `model` and `purge`.
    """

    name: str
    label: Any
    position: int
    removal: int
    with_round: Callable[[Sequence[int]], Select[Any]] | None = None
    by_age: Callable[[RetentionCutoffs], Select[Any]] | None = None
    model: Any = None
    first: Callable[[list[int]], object] | None = None
    purge: Callable[[RetentionCutoffs], int] | None = None

    def remove(self, rows: Select[Any], cutoffs: RetentionCutoffs) -> int:
        """Delete the rows whose ids `rows` selects, in batches (flushed by the caller, never committed)."""
        if self.purge is not None:
            return self.purge(cutoffs)
        ids = list(db.session.scalars(rows))
        count = 0
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            if self.first is not None:
                self.first(chunk)
            count += db.session.execute(delete(self.model).where(self.model.id.in_(chunk))).rowcount or 0
        return count
