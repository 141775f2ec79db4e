"""Read functions for the team matrix and the coverage per leefgebied.

Every function is one query, whatever the size of the team or the Kenniskaart; only submitted scans
ever count. Counting per member and leefgebied happens in the database (`member_section_facts`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, func, select

from scan.assessment.models import Answer, Scan, ScanRound, ScanStatus
from scan.extensions import db
from scan.kenniskaart.models import (
    LEVEL_ALGEMEEN,
    LEVEL_SPECIALISTISCH,
    SECTION_LEEFGEBIED,
    Item,
    Section,
)
from scan.teamschouw.coverage.build import MemberSectionFacts
from scan.teamschouw.models import Calibration, TeamNorm
from scan.teamschouw.queries import latest_calibration


@dataclass(frozen=True)
class SectionRow:
    id: int
    code: str
    kind: str
    title_nl: str
    title_en: str


@dataclass(frozen=True)
class ItemRow:
    id: int
    section_id: int
    code: str
    level_kind: str
    title_nl: str
    title_en: str
    retired: bool = False


def leefgebied_sections(version_id: int) -> list[SectionRow]:
    """The version's leefgebieden in Kenniskaart order (the generic section left out)."""
    rows = db.session.execute(
        select(Section.id, Section.code, Section.kind, Section.title_nl, Section.title_en)
        .where(Section.version_id == version_id, Section.kind == SECTION_LEEFGEBIED)
        .order_by(Section.position)
    ).all()
    return [SectionRow(*row) for row in rows]


def matrix_columns(version_id: int) -> tuple[list[SectionRow], list[ItemRow]]:
    """Every section and its scanned (not retired) items, in Kenniskaart order: one query.

    A section without items still appears (with no items), so the section filter can name it.
    """
    rows = db.session.execute(
        select(
            Section.id,
            Section.code,
            Section.kind,
            Section.title_nl,
            Section.title_en,
            Item.id,
            Item.code,
            Item.level_kind,
            Item.title_nl,
            Item.title_en,
        )
        .outerjoin(Item, and_(Item.section_id == Section.id, Item.retired.is_(False)))
        .where(Section.version_id == version_id)
        .order_by(Section.position, Item.position)
    ).all()
    sections: dict[int, SectionRow] = {}
    items = []
    for s_id, s_code, s_kind, s_nl, s_en, i_id, i_code, i_kind, i_nl, i_en in rows:
        sections.setdefault(s_id, SectionRow(s_id, s_code, s_kind, s_nl, s_en))
        if i_id is not None:
            items.append(ItemRow(i_id, s_id, i_code, i_kind, i_nl, i_en))
    return list(sections.values()), items


def team_norms(team_id: int) -> dict[str, int]:
    """section code -> the team's own minimum number of specialists."""
    rows = db.session.execute(
        select(TeamNorm.section_code, TeamNorm.min_specialists).where(TeamNorm.team_id == team_id)
    ).all()
    return {code: value for code, value in rows}


def member_section_facts(scan_round: ScanRound) -> list[MemberSectionFacts]:
    """Per submitted member and leefgebied: highest specialist level, answered algemeen items and their
    lowest level (effective levels: agreed, else self-assessed), and whether the member wants to grow.

    One GROUP BY query; n.v.t. counts as neither a level nor growth, retired items are left out.
    """
    latest = latest_calibration(round_id=scan_round.id)
    self_level = case((Answer.not_applicable.is_(True), None), else_=Answer.level)
    effective = func.coalesce(Calibration.agreed_level, self_level)
    specialist = case((Item.level_kind == LEVEL_SPECIALISTISCH, effective))
    algemeen = case((Item.level_kind == LEVEL_ALGEMEEN, effective))
    grows = case((and_(self_level.is_not(None), Answer.ambition > self_level), 1), else_=0)
    rows = db.session.execute(
        select(
            Answer.scan_id,
            Item.section_id,
            func.max(specialist),
            func.count(algemeen),
            func.min(algemeen),
            func.max(grows),
        )
        .join(Item, Item.id == Answer.item_id)
        .join(Section, Section.id == Item.section_id)
        .outerjoin(latest, and_(latest.c.scan_id == Answer.scan_id, latest.c.item_id == Answer.item_id))
        .outerjoin(Calibration, Calibration.id == latest.c.id)
        .where(
            # Start from this round's submitted scans (index on scan.round_id, then on the answers'
            # scan_id), so the work follows the team's size and not the region's.
            Answer.scan_id.in_(
                select(Scan.id).where(
                    Scan.round_id == scan_round.id, Scan.status == ScanStatus.SUBMITTED.value
                )
            ),
            Item.retired.is_(False),
            Section.kind == SECTION_LEEFGEBIED,
        )
        .group_by(Answer.scan_id, Item.section_id)
    ).all()
    return [
        MemberSectionFacts(scan_id, section_id, max_spec, int(alg_n or 0), alg_min, bool(grows_any))
        for scan_id, section_id, max_spec, alg_n, alg_min, grows_any in rows
    ]
