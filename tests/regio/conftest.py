"""Shared fixtures of the regional tests: the demo region with rounds, POPs and the catalogue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from scan.auth.models import User
from scan.catalogue.seed import seed_catalogue
from scan.demo import seed
from scan.demo.pops import seed_demo_pops
from scan.demo.rounds import seed_demo_rounds
from scan.extensions import db
from scan.kenniskaart.services import ensure_default_kenniskaart
from scan.organisation.models import Region

# The demo's closed round (autumn 2026) lies in PERIOD; its open round (spring 2027) does not.
DEMO_TODAY = date(2027, 3, 15)
PERIOD = ("najaar 2026", date(2026, 7, 1), date(2026, 12, 31))


@dataclass(frozen=True)
class DemoRegion:
    region_id: int
    # Every string that would identify a professional: full names, first and last names, usernames, emails.
    names: frozenset[str]


def load_demo_region(today: date = DEMO_TODAY) -> DemoRegion:
    ensure_default_kenniskaart()
    seed.seed_demo_region()
    seed_demo_rounds(today)
    seed_catalogue()
    seed_demo_pops(today)
    # No ANALYZE needed on PostgreSQL: the clean-up between tests is TRUNCATE (tests/conftest.py), so the
    # planner sizes the demo's tables by what they hold (counting takes well under a second).
    db.session.commit()
    region_id = db.session.scalars(select(Region.id)).one()
    names: set[str] = set()
    for user in db.session.scalars(select(User)):
        for value in (user.username, getattr(user, "full_name", ""), getattr(user, "email", "")):
            if value:
                names.add(value)
                names.update(part for part in value.split() if len(part) > 3)
    return DemoRegion(region_id, frozenset(names))


_PROTECTED: dict[str, Any] = {}


def _memo_protect(linked: Any, earlier: Any = (), shown_before: Any = ()) -> Any:
    """scan.regio.disclosure.protection.protect, remembered per set of figures for the length of the test
    run: the
    page tests publish the same demo period again and again, and the audit itself is tested on its own."""
    import json

    from scan.regio.disclosure.protection import protect

    earlier, shown_before = list(earlier), list(shown_before)
    key = json.dumps([sorted(linked.values.items()), [sorted(e.items()) for e in earlier],
                      [sorted(s.items()) for s in shown_before]])
    if key not in _PROTECTED:
        _PROTECTED[key] = protect(linked, earlier, shown_before)
    return _PROTECTED[key]


def publish_demo_period(region_id: int) -> Any:
    """The demo's autumn 2026 period, published as of DEMO_TODAY (committed)."""
    from unittest import mock

    from scan.regio import periods, publish

    period = periods.add(region_id, *PERIOD)
    with mock.patch("scan.regio.publish.protect", _memo_protect):
        publication = publish.publish(period, None, DEMO_TODAY)
    db.session.commit()
    return publication


@pytest.fixture
def demo_region(app_ctx: Any) -> DemoRegion:
    """The demo region as of DEMO_TODAY, with its autumn 2026 period published."""
    region = load_demo_region()
    publish_demo_period(region.region_id)
    return region


def names_in(text: str, names: frozenset[str]) -> list[str]:
    """The names that occur in text as whole words (case-sensitive: "Jong" is a name, "jongeren" is not)."""
    import re

    return sorted(n for n in names if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text))


def small_numbers(values: list[Any], k: int = 5) -> list[Any]:
    """Numbers that must never be shown: 1 .. k−1."""
    return [v for v in values if isinstance(v, int | float) and not isinstance(v, bool) and 0 < v < k]


# --- pure publications: counts → linked positions → suppression and audit → stored payload -------------

def counts_of(teams: list[Any], goals: dict[tuple[str, str], int], gaps: dict[tuple[str, str], int],
              labels: Any) -> Any:
    """Counts for teams (scan.regio.disclosure.linked.TeamCount) from per (team code, item code) numbers.
    The people
    per leefgebied are taken as the sum over its items (as if nobody had a need on two items of one)."""
    from scan.regio.disclosure.linked import ALL, Counts

    by_code = {t.team_code: t for t in teams}
    meta = {i.code: (i.section_code, i.level_kind) for i in labels.items}
    items: dict[tuple[str, int, str], int] = {}
    sections: dict[tuple[str, int, str, str], int] = {}
    for measure, table in (("goal", goals), ("gap", gaps)):
        for (team, code), n in table.items():
            if not n:
                continue
            team_id = by_code[team].team_id
            items[(measure, team_id, code)] = n
            section, level = meta[code]
            for lv in (ALL, level):
                key = (measure, team_id, section, lv)
                sections[key] = sections.get(key, 0) + n
    levels: dict[str, set[str]] = {}
    for section, level in meta.values():
        levels.setdefault(section, set()).add(level)
    return Counts(tuple(teams), items, sections, meta,
                  {s: tuple(sorted(v, key=("generiek", "algemeen", "specialistisch").index))
                   for s, v in levels.items()},
                  tuple(s.code for s in labels.sections), tuple(i.code for i in labels.items))


def publish_pure(counts: Any, k: int = 5) -> dict[str, Any]:
    """The payload a publication of these counts would store (scan.regio.publish.payload), as the pages
    read it back: from its stored parts, every municipality (scan.regio.parts.whole)."""
    import json

    from scan.regio.disclosure.linked import build
    from scan.regio.disclosure.protection import protect
    from scan.regio.parts import whole
    from scan.regio.publish import payload

    linked = build(counts, k)
    return whole(json.loads(json.dumps(payload(linked, protect(linked).hidden))))
