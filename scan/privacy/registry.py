"""The one list of personal data: every feature's tables, export sections, retention kinds and erase
preview numbers, in one order.

Each feature declares its part in its `personal` module (scan.core.personal_data says how); the export,
the erasure and the retention check all read this list, and tests/privacy/test_personal_tables.py checks
it against the database's metadata, so a new table with a person in it cannot be forgotten.
"""

from __future__ import annotations

from types import ModuleType

from scan.assessment import personal as assessment
from scan.audit import personal as audit
from scan.auth import personal as auth
from scan.core.personal_data import ExportSection, PersonalTable, PreviewCount, RetentionKind
from scan.organisation import personal as organisation
from scan.pop import personal as pop
from scan.regio import personal as regio
from scan.teamschouw import personal as teamschouw

# Erasure runs in this order: auth last, since its account row is anonymised after everything that still
# finds a person's rows by the old username (failed logins).
CONTRIBUTORS: tuple[ModuleType, ...] = (assessment, teamschouw, pop, regio, organisation, audit, auth)


def tables() -> tuple[PersonalTable, ...]:
    return tuple(table for module in CONTRIBUTORS for table in module.TABLES)


def export_sections() -> tuple[ExportSection, ...]:
    return tuple(section for module in CONTRIBUTORS for section in getattr(module, "EXPORT", ()))


def retention_kinds() -> tuple[RetentionKind, ...]:
    """Every kind of record retention removes, in the order they are reported."""
    kinds = (kind for module in CONTRIBUTORS for kind in getattr(module, "RETENTION", ()))
    return tuple(sorted(kinds, key=lambda kind: kind.position))


def preview_counts() -> tuple[PreviewCount, ...]:
    return tuple(count for module in CONTRIBUTORS for count in getattr(module, "ERASE_PREVIEW", ()))
