"""The contract by which a feature declares its personal data (AVG), for scan.privacy to collect.

Each feature that stores something about a person has a `personal` module with
`TABLES: tuple[PersonalTable, ...]` (every table of it that names or describes a person) and
`EXPORT: tuple[ExportSection, ...]` (its part of "Mijn gegevens"). The feature writes its own queries and
statements; scan.privacy only iterates them, so the export and the erasure work from one list. The types
live here, below every feature, because a feature may not import scan.privacy (it sits above them all).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy import Select


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
