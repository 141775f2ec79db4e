"""Teamschouw teams for the benchmark: a team of 10 and a team of 40 on a Kenniskaart of about 100 items.

The teamschouw pages (matrix, coverage, the team report PDF) should grow with the team and the
Kenniskaart, not with the region. So they are measured twice in the same run: the team of 40 at both
region sizes (next to the scan pages), and the team of 10 against the team of 40 in the large region.

The Kenniskaart is the shipped one extended in memory (competencies/wijkteam.yaml is never changed) with
extra items per leefgebied up to `KENNISKAART_ITEMS`, loaded under its own code so the region's rounds
keep the real one.
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine, select

from benchmarks.region import (
    BenchRegion,
    Page,
    RegionBuilder,
    _insert,
    _rows,
    counted_snapshot,
    insert_teamschouw_rows,
    teamschouw_rows,
)
from scan.access import Role
from scan.assessment.models import Answer, Scan, ScanEvent, ScanRound, ScanStatus
from scan.auth.models import User
from scan.demo.rounds import Entry, draw_answers, draw_profile
from scan.kenniskaart.models import SECTION_LEEFGEBIED, Section
from scan.organisation.models import Team, team_leaders
from scan.teamschouw.models import TeamSession

ROOT = Path(__file__).resolve().parent.parent
KENNISKAART_FILE = ROOT / "competencies" / "wijkteam.yaml"
KENNISKAART_CODE = "KK-BENCH-100"
KENNISKAART_ITEMS = 100
TEAM_SIZES = (10, 40)
ACCOUNT = "teamschouw"  # the key in BenchRegion.accounts of the leader of both teams


def kenniskaart_text(target_items: int = KENNISKAART_ITEMS) -> str:
    """The shipped Kenniskaart with extra items, round-robin over the leefgebieden, up to `target_items`.

    Each extra item copies an item of the same kind (algemeen, then specialistisch) in its leefgebied
    under a new code: same descriptors, so it passes the same validation.
    """
    data = yaml.safe_load(KENNISKAART_FILE.read_text(encoding="utf-8"))
    data["code"] = KENNISKAART_CODE
    data["title"] = {"nl": f"Benchmarkkaart ({target_items} items)",
                     "en": f"Benchmark map ({target_items} items)"}
    leefgebieden = data["leefgebieden"]
    total = len(data["generic_competencies"]["items"]) + sum(len(lg["items"]) for lg in leefgebieden)
    extra = 0
    while total < target_items:
        section = leefgebieden[extra % len(leefgebieden)]
        kind = "specialistisch" if (extra // len(leefgebieden)) % 2 else "algemeen"
        model = next((i for i in section["items"] if i.get("level") == kind), section["items"][0])
        item = copy.deepcopy(model)
        item["code"] = f"{section['code']}-X{extra + 1:02d}"
        item["title"] = {lang: f"{title} ({extra + 1})" for lang, title in model["title"].items()}
        item.pop("related", None)
        section["items"].append(item)
        extra += 1
        total += 1
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@dataclass(frozen=True)
class SchouwTeam:
    members: int
    team_id: int
    round_id: int


@dataclass
class TeamschouwTeams:
    items: int  # items in the Kenniskaart version of their rounds
    teams: dict[int, SchouwTeam] = field(default_factory=dict)  # by number of members

    def use(self, region: BenchRegion, members: int) -> None:
        """Point the teamschouw pages at the team with this many members."""
        team = self.teams[members]
        region.schouw_team_id, region.schouw_round_id, region.schouw_members = (
            team.team_id, team.round_id, team.members
        )


def build_teams(engine: Engine, builder: RegionBuilder, version_id: int, sections: list[Section],
                today: date, sizes: tuple[int, ...] = TEAM_SIZES) -> TeamschouwTeams:
    """One team leader ("bench.schouw") with a team per size in the region's first municipality. Every
    member has submitted a scan in the open round with every item answered; the teamschouw is under way
    (agreed levels, norms, priorities, agreements, the session), as `teamschouw_rows` makes it."""
    region = builder.region
    rng = random.Random("benchmark-teamschouw")
    now = datetime.now(UTC)
    at = now - timedelta(days=3)
    items = [i for s in sections for i in s.items if not i.retired]
    leefgebied_codes = [s.code for s in sections if s.kind == SECTION_LEEFGEBIED]
    result = TeamschouwTeams(len(items))
    rows: dict[str, list[dict[str, Any]]] = {}

    def add(model: Any, row: dict[str, Any]) -> None:
        rows.setdefault(_rows(model).name, []).append(row)

    with engine.begin() as conn:
        municipality_id = conn.scalar(select(Team.municipality_id).where(Team.id == region.team_id))
        leader = builder._user_row(conn, "bench.schouw", Role.TEAMLEIDER)
        add(User, leader)
        region.accounts[ACCOUNT] = leader["username"]
        schouw: dict[str, list[dict[str, Any]]] = {}
        for size in sizes:
            (team_id,) = builder._ids(conn, Team, 1)
            (round_id,) = builder._ids(conn, ScanRound, 1)
            add(Team, {"id": team_id, "municipality_id": municipality_id, "code": f"BS{size:03d}",
                       "name": f"Teamschouwteam {size}", "archived_at": None, "created_at": now})
            add(team_leaders, {"team_id": team_id, "user_id": leader["id"]})
            add(ScanRound, {"id": round_id, "team_id": team_id, "version_id": version_id,
                            "title": "Ontwikkelscan najaar", "opens_on": today - timedelta(days=14),
                            "closes_on": today + timedelta(days=30), "created_by_id": leader["id"],
                            "created_at": now})
            result.teams[size] = SchouwTeam(size, team_id, round_id)
            scans: list[tuple[int, int, dict[int, Entry]]] = []
            for m in range(size):
                user = builder._user_row(conn, f"bench.s{size:03d}.{m:02d}", Role.PROFESSIONAL,
                                         team_id=team_id, full_name=f"Collega {m + 1:02d} van team {size}")
                add(User, user)
                entries = draw_answers(rng, draw_profile(rng, leefgebied_codes), sections)
                for item in items:  # every item answered: the fullest matrix
                    if item.id not in entries:
                        level = rng.choice((1, 2))
                        entries[item.id] = (level, False, level, "")
                (scan_id,) = builder._ids(conn, Scan, 1)
                add(Scan, {"id": scan_id, "round_id": round_id, "user_id": user["id"],
                           "status": ScanStatus.SUBMITTED.value, "lock_version": 3, "started_at": at,
                           "updated_at": at, "submitted_at": at,
                           **counted_snapshot(True, team_id, municipality_id)})
                add(ScanEvent, {"scan_id": scan_id, "kind": "submitted", "actor_id": user["id"],
                                "reason": "", "at": at})
                for item_id, (level, na, ambition, note) in entries.items():
                    add(Answer, {"scan_id": scan_id, "item_id": item_id, "level": level,
                                 "not_applicable": na, "ambition": ambition, "note": note, "updated_at": at})
                scans.append((user["id"], scan_id, entries))
            (session_id,) = builder._ids(conn, TeamSession, 1)
            for name, table_rows in teamschouw_rows(
                rng, sections, team_id=team_id, round_id=round_id, leader_id=leader["id"], scans=scans,
                session_id=session_id, held_on=today - timedelta(days=1), now=now,
            ).items():
                schouw.setdefault(name, []).extend(table_rows)
        # Parents before children, for the foreign keys.
        for model in (Team, User, team_leaders, ScanRound, Scan, ScanEvent, Answer):
            _insert(conn, _rows(model), rows.get(_rows(model).name, []))
        insert_teamschouw_rows(conn, schouw)
        builder._finish(conn)
    return result


def _url(region: BenchRegion, page: str) -> str:
    return f"/teams/{region.schouw_team_id}/rondes/{region.schouw_round_id}/teamschouw/{page}"


# As the leader of the team in BenchRegion.schouw_team_id (see TeamschouwTeams.use).
PAGES: list[Page] = [
    Page("teamschouw matrix", ACCOUNT, lambda region: _url(region, "matrix")),
    Page("teamschouw coverage", ACCOUNT, lambda region: _url(region, "dekking")),
    Page("team report (PDF)", ACCOUNT, lambda region: _url(region, "rapport.pdf")),
]
