"""Read functions for "Mijn resultaat". Each runs one query (two with selectinload), whatever the number of
items, answers or rounds. (Mijn gegevens reads through scan.assessment.personal.)"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from scan.assessment.models import Answer, Scan, ScanRound
from scan.assessment.results.scores import ItemSpec, Rating, SectionSpec
from scan.extensions import db
from scan.kenniskaart.models import Item, Section


def own_scan(round_id: int, user_id: int) -> Scan | None:
    """The user's scan in a round, with its round, the round's team and its Kenniskaart version."""
    return db.session.scalars(
        select(Scan)
        .where(Scan.round_id == round_id, Scan.user_id == user_id)
        .options(
            joinedload(Scan.round).joinedload(ScanRound.team),
            joinedload(Scan.round).joinedload(ScanRound.version),
        )
    ).first()


def rated_sections(scan_id: int) -> tuple[list[SectionSpec], dict[int, Rating]]:
    """A scan's answers with their items and sections, as plain data for `results` (one query).

    Only sections and items that have an answer appear: enough for per-section averages, e.g. of the
    previous round, whose Kenniskaart version may differ from the current one.
    """
    rows = db.session.execute(
        select(
            Section.code,
            Section.kind,
            Section.title_nl,
            Section.title_en,
            Item.id,
            Item.code,
            Item.level_kind,
            Item.title_nl,
            Item.title_en,
            Item.required,
            Item.retired,
            Answer.level,
            Answer.not_applicable,
            Answer.ambition,
        )
        .join(Item, Item.id == Answer.item_id)
        .join(Section, Section.id == Item.section_id)
        .where(Answer.scan_id == scan_id)
        .order_by(Section.position, Item.position)
    ).all()
    sections: dict[str, tuple[tuple[str, str, str], list[ItemSpec]]] = {}
    ratings: dict[int, Rating] = {}
    for (
        s_code,
        s_kind,
        s_nl,
        s_en,
        i_id,
        i_code,
        kind,
        i_nl,
        i_en,
        required,
        retired,
        level,
        not_applicable,
        ambition,
    ) in rows:
        entry = sections.setdefault(s_code, ((s_kind, s_nl, s_en), []))
        entry[1].append(ItemSpec(i_id, i_code, kind, i_nl, i_en, required, retired))
        ratings[i_id] = Rating(level, not_applicable, ambition)
    specs = [
        SectionSpec(code, kind, tuple(items), title_nl, title_en)
        for code, ((kind, title_nl, title_en), items) in sections.items()
    ]
    return specs, ratings

