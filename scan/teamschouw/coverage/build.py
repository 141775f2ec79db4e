"""Coverage per leefgebied: who is a specialist, who has the general knowledge, who wants to grow.

`compute_coverage` is the definition, a pure function on plain data (no database, no request):

- members: the submitted scans counted (anything with `.scan_id`, or plain scan ids);
- specialists: members whose effective level (agreed, else self-assessed) on ANY specialistisch item
  of the leefgebied is at least the version's team `specialist_level` (default 3);
- general: members who answered at least one algemeen item of the leefgebied and whose effective level
  on EVERY answered algemeen item is at least the individual `algemeen_min_level` (default 2);
- growing: members whose ambition is above their self-assessed level on any item of the leefgebied;
- norm: the team's own norm for the section code, else the version's team `specialists_min` (default 2);
- status: "none" (no specialist), "single" (rests on one person), "thin" (below the norm) or "ok".

"Not applicable" counts as neither a level nor growth (unless the team leader agreed a level on that
item: an agreed level always counts). Only leefgebieden count, never the generic section, and retired
items are left out. Inputs may be the models themselves or any plain objects with those attributes;
`kind`, `retired` and `agreed_level` may be missing (then: leefgebied, not retired, nothing agreed).

`load_coverage` gets the same per-member-per-leefgebied facts from one GROUP BY query and counts them
with the same code (`coverage_from_facts`), so the page and this definition cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import select

from scan.assessment.models import ScanRound
from scan.db import utcnow
from scan.extensions import db
from scan.kenniskaart import queries as kenniskaart_queries
from scan.kenniskaart.models import LEVEL_ALGEMEEN, LEVEL_SPECIALISTISCH, SECTION_LEEFGEBIED
from scan.teamschouw.answers import AnswerLike, SectionLike, effective_level
from scan.teamschouw.models import TeamNorm

DEFAULT_SPECIALIST_LEVEL = 3
DEFAULT_SPECIALISTS_MIN = 2
DEFAULT_ALGEMEEN_MIN_LEVEL = 2
NORM_MIN = 1
NORM_MAX = 20

STATUS_NONE = "none"
STATUS_SINGLE = "single"
STATUS_THIN = "thin"
STATUS_OK = "ok"


def status_labels() -> dict[str, str]:
    """The words for each status, shared by the coverage page and the team report."""
    from flask_babel import gettext as _

    return {
        STATUS_NONE: _("Nobody at specialist level"),
        STATUS_SINGLE: _("Rests on one person"),
        STATUS_THIN: _("Thin: fewer specialists than the norm"),
        STATUS_OK: _("Meets the norm"),
    }


@dataclass(frozen=True)
class SectionCoverage:
    section_id: int
    code: str
    title_nl: str
    title_en: str
    members: int
    specialists: int
    general: int
    growing: int
    norm: int
    status: str


class ItemLike(Protocol):
    id: int
    section_id: int
    level_kind: str
    retired: bool


@dataclass(frozen=True)
class CoverageNorms:
    """What the Kenniskaart version says, with the defaults where it says nothing."""

    specialist_level: int = DEFAULT_SPECIALIST_LEVEL
    specialists_min: int = DEFAULT_SPECIALISTS_MIN
    algemeen_min_level: int = DEFAULT_ALGEMEEN_MIN_LEVEL

    @classmethod
    def from_norms(cls, norms: Mapping[str, Any] | None) -> CoverageNorms:
        team = (norms or {}).get("team") or {}
        individual = (norms or {}).get("individual") or {}

        def whole(value: Any, default: int) -> int:
            return value if isinstance(value, int) and not isinstance(value, bool) else default

        return cls(
            specialist_level=whole(team.get("specialist_level"), DEFAULT_SPECIALIST_LEVEL),
            specialists_min=whole(team.get("specialists_min"), DEFAULT_SPECIALISTS_MIN),
            algemeen_min_level=whole(individual.get("algemeen_min_level"), DEFAULT_ALGEMEEN_MIN_LEVEL),
        )


@dataclass(frozen=True)
class MemberSectionFacts:
    """One member in one leefgebied, summarised: what the counting needs and nothing more."""

    scan_id: int
    section_id: int
    max_specialist_level: int | None  # highest effective level on a specialistisch item
    algemeen_answered: int  # algemeen items with an effective level (n.v.t. and empty left out)
    min_algemeen_level: int | None  # lowest effective level on those
    growing: bool  # ambition above the self-assessed level on any item


def status_for(specialists: int, norm: int) -> str:
    if specialists == 0:
        return STATUS_NONE
    if specialists == 1:
        return STATUS_SINGLE
    if specialists < norm:
        return STATUS_THIN
    return STATUS_OK


def _scan_id(member: Any) -> int:
    return member if isinstance(member, int) else member.scan_id


def summarise_answers(items: Iterable[ItemLike], answers: Iterable[AnswerLike],
                      scan_ids: Iterable[int] | None = None) -> list[MemberSectionFacts]:
    """Per member and section: the facts `coverage_from_facts` counts (what the SQL query computes)."""
    by_id = {item.id: item for item in items if not getattr(item, "retired", False)}
    wanted = None if scan_ids is None else set(scan_ids)
    acc: dict[tuple[int, int], dict[str, Any]] = {}
    for answer in answers:
        item = by_id.get(answer.item_id)
        if item is None or (wanted is not None and answer.scan_id not in wanted):
            continue
        facts = acc.setdefault(
            (answer.scan_id, item.section_id),
            {"spec": None, "alg_n": 0, "alg_min": None, "growing": False},
        )
        level = effective_level(answer)
        if level is not None and item.level_kind == LEVEL_SPECIALISTISCH:
            facts["spec"] = level if facts["spec"] is None else max(facts["spec"], level)
        if level is not None and item.level_kind == LEVEL_ALGEMEEN:
            facts["alg_n"] += 1
            facts["alg_min"] = level if facts["alg_min"] is None else min(facts["alg_min"], level)
        self_level = None if answer.not_applicable else answer.level
        if self_level is not None and answer.ambition is not None and answer.ambition > self_level:
            facts["growing"] = True
    return [
        MemberSectionFacts(scan_id, section_id, f["spec"], f["alg_n"], f["alg_min"], f["growing"])
        for (scan_id, section_id), f in acc.items()
    ]


def coverage_from_facts(sections: Iterable[SectionLike], members: Sequence[Any],
                        facts: Iterable[MemberSectionFacts], norms: Mapping[str, Any] | None,
                        team_norms: Mapping[str, int]) -> list[SectionCoverage]:
    """Count specialists, general and growing members per leefgebied from per-member facts."""
    rules = CoverageNorms.from_norms(norms)
    scan_ids = {_scan_id(m) for m in members}
    per_section: dict[int, list[MemberSectionFacts]] = {}
    for fact in facts:
        if fact.scan_id in scan_ids:
            per_section.setdefault(fact.section_id, []).append(fact)
    result = []
    for section in sections:
        if getattr(section, "kind", SECTION_LEEFGEBIED) != SECTION_LEEFGEBIED:
            continue
        rows = per_section.get(section.id, [])
        specialists = sum(
            1 for f in rows
            if f.max_specialist_level is not None and f.max_specialist_level >= rules.specialist_level
        )
        general = sum(
            1 for f in rows
            if f.algemeen_answered > 0
            and f.min_algemeen_level is not None
            and f.min_algemeen_level >= rules.algemeen_min_level
        )
        growing = sum(1 for f in rows if f.growing)
        norm = team_norms.get(section.code, rules.specialists_min)
        result.append(
            SectionCoverage(
                section_id=section.id,
                code=section.code,
                title_nl=section.title_nl,
                title_en=section.title_en,
                members=len(scan_ids),
                specialists=specialists,
                general=general,
                growing=growing,
                norm=norm,
                status=status_for(specialists, norm),
            )
        )
    return result


def compute_coverage(sections: Iterable[SectionLike], items: Iterable[ItemLike], members: Sequence[Any],
                     answers: Iterable[AnswerLike], norms: Mapping[str, Any] | None,
                     team_norms: Mapping[str, int]) -> list[SectionCoverage]:
    """Coverage per leefgebied, in Kenniskaart order, from plain answers (see the module docstring).

    members: the submitted members (objects with `.scan_id`, or scan ids); answers of anyone else are
    ignored. team_norms: section code -> the team's minimum number of specialists.
    """
    scan_ids = [_scan_id(m) for m in members]
    facts = summarise_answers(items, answers, scan_ids)
    return coverage_from_facts(sections, scan_ids, facts, norms, team_norms)


def load_coverage(scan_round: ScanRound, *, sections: Sequence[SectionLike] | None = None,
                  norms: Mapping[str, Any] | None = None,
                  team_norms: Mapping[str, int] | None = None) -> list[SectionCoverage]:
    """Coverage for a round from the database: five queries, whatever the team's size.

    A page that has already loaded the leefgebieden, the version's norms or the team norms passes
    them in and saves those queries.
    """
    # Imported here: coverage_queries builds this module's MemberSectionFacts.
    from scan.teamschouw import queries
    from scan.teamschouw.coverage import queries as coverage_queries

    if sections is None:
        sections = coverage_queries.leefgebied_sections(scan_round.version_id)
    if norms is None:
        norms = kenniskaart_queries.version_norms(scan_round.version_id)
    if team_norms is None:
        team_norms = coverage_queries.team_norms(scan_round.team_id)
    members = queries.submitted_members(scan_round)
    facts = coverage_queries.member_section_facts(scan_round)
    return coverage_from_facts(sections, members, facts, norms, team_norms)


def save_team_norms(team_id: int, values: Mapping[str, int], user_id: int) -> list[str]:
    """Upsert the team's norm per section code; who and when change only where the value changed.

    Flushes, never commits. Returns the codes whose norm changed.
    """
    existing = {
        n.section_code: n
        for n in db.session.scalars(
            select(TeamNorm).where(TeamNorm.team_id == team_id, TeamNorm.section_code.in_(list(values)))
        )
    }
    changed = []
    now = utcnow()
    for code, value in values.items():
        if not NORM_MIN <= value <= NORM_MAX:
            raise ValueError(f"norm for {code} out of range: {value}")
        row = existing.get(code)
        if row is None:
            db.session.add(TeamNorm(team_id=team_id, section_code=code, min_specialists=value,
                                    set_by_id=user_id, set_at=now))
            changed.append(code)
        elif row.min_specialists != value:
            row.min_specialists = value
            row.set_by_id = user_id
            row.set_at = now
            changed.append(code)
    db.session.flush()
    return changed
