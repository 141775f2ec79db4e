"""Today's date where the teams work. Round dates are calendar days in Europe/Amsterdam."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def today() -> date:
    return datetime.now(AMSTERDAM).date()


def utcnow() -> datetime:
    """The current moment in UTC, for rules that count time (login throttling); tests move it by patching
    this function instead of sleeping."""
    return datetime.now(UTC)
