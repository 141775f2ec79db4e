"""What the regional pages read besides the counts: labels, the active catalogue, the filter choices."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from scan.catalogue.models import Training, training_item_code
from scan.extensions import db
from scan.i18n import localized
from scan.kenniskaart.models import Item, Section
from scan.kenniskaart.queries import current_version
from scan.organisation.models import Municipality
from scan.regio.overview import ItemLabel, Labels, SectionLabel
from scan.regio.plan import Offer


def labels() -> Labels:
    """Section and item titles of the current Kenniskaart version, in the reader's language (two queries)."""
    version = current_version()
    if version is None:
        return Labels((), ())
    sections = db.session.scalars(
        select(Section).where(Section.version_id == version.id).order_by(Section.position)
    ).all()
    positions = {s.id: s.position for s in sections}
    codes = {s.id: s.code for s in sections}
    items = db.session.scalars(
        select(Item).where(Item.version_id == version.id).order_by(Item.section_id, Item.position)
    ).all()
    return Labels(
        tuple(SectionLabel(s.code, localized(s, "title"), s.kind, s.position) for s in sections),
        tuple(
            sorted(
                (
                    ItemLabel(
                        i.code,
                        localized(i, "title"),
                        codes[i.section_id],
                        i.level_kind,
                        positions[i.section_id] * 1000 + i.position,
                    )
                    for i in items
                ),
                key=lambda i: i.position,
            )
        ),
    )


def active_offers(region_id: int) -> list[Offer]:
    """The region's active catalogue entries with the item codes they address (two queries, not one per
    entry). Every region has its own catalogue."""
    trainings = db.session.execute(
        select(
            Training.id,
            Training.code,
            Training.title,
            Training.provider,
            Training.type,
            Training.level,
            Training.hours,
            Training.cost_cents,
            Training.min_group,
            Training.max_group,
        )
        .where(Training.region_id == region_id, Training.active.is_(True))
        .order_by(Training.code)
    ).all()
    codes: dict[int, set[str]] = defaultdict(set)
    for training_id, item_code in db.session.execute(
        select(training_item_code.c.training_id, training_item_code.c.item_code)
        .join(Training, Training.id == training_item_code.c.training_id)
        .where(Training.region_id == region_id, Training.active.is_(True))
    ):
        codes[training_id].add(item_code)
    return [
        Offer(
            t.code,
            t.title,
            t.provider,
            t.type,
            t.level,
            t.hours,
            t.cost_cents,
            t.min_group,
            t.max_group,
            frozenset(codes[t.id]),
        )
        for t in trainings
    ]


def municipalities(region_id: int | None) -> list[tuple[int, str]]:
    """(id, name) of the region's municipalities, by name: the filter's choices (no ORM objects: a
    national region has hundreds, and every regional page and download builds the filter)."""
    return [(m_id, name) for m_id, name in db.session.execute(
        select(Municipality.id, Municipality.name).where(Municipality.region_id == region_id)
        .order_by(Municipality.name))]
