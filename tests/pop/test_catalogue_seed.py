"""The default training catalogue: realistic entries from the outline, loaded once."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from scan.catalogue.activities import TRAINING_TYPES
from scan.catalogue.models import Training, TrainingItem
from scan.catalogue.seed import CATALOGUE, seed_catalogue
from scan.extensions import db
from scan.kenniskaart.models import Item
from scan.kenniskaart.queries import current_version
from scan.kenniskaart.services import ensure_default_kenniskaart
from tests.factories import make_kenniskaart, make_region

# The outline's deliberate gaps: items without any offer, so "no offer → ask a colleague" gets exercised.
UNCOVERED = {"LG02-S2", "LG03-S2", "LG05-A2", "LG08-S2", "LG11-S2", "LG12-S2"}


def test_the_catalogue_has_about_twenty_five_plausible_entries() -> None:
    assert 20 <= len(CATALOGUE) <= 25
    assert len({e.code for e in CATALOGUE}) == len(CATALOGUE)
    for e in CATALOGUE:
        assert e.type in TRAINING_TYPES and e.level in ("algemeen", "specialistisch"), e.code
        assert e.title and e.provider and e.item_codes, e.code
        assert Decimal("1") <= e.hours <= Decimal("40") and 0 <= e.cost_cents <= 200_000, e.code
        if e.type == "meelopen":
            assert e.points == 0 and e.cost_cents == 0, e.code
        else:
            # About one point per contact hour.
            assert abs(e.points - e.hours) <= 1, e.code
        if e.min_group is not None:
            assert e.max_group is not None and 1 <= e.min_group <= e.max_group, e.code
    assert {e.code for e in CATALOGUE if "intern" in e.provider} >= {"TR11", "TR12"}


def test_every_code_exists_in_the_shipped_kenniskaart_and_the_gaps_stay_open(app_ctx: Any) -> None:
    ensure_default_kenniskaart()
    version = current_version()
    assert version is not None
    codes = set(db.session.scalars(select(Item.code).where(Item.version_id == version.id)))
    addressed = {code for e in CATALOGUE for code in e.item_codes}
    assert addressed <= codes
    assert not addressed & UNCOVERED
    # Every generic competency and every leefgebied has at least one offer.
    assert {c.split("-")[0] for c in codes} <= {c.split("-")[0] for c in addressed}


def test_seeding_is_idempotent_and_keeps_existing_entries(app_ctx: Any) -> None:
    make_kenniskaart()
    region = make_region()
    existing = Training(
        region_id=region.id,
        code="TR03",
        title="Eigen meldcodecursus",
        provider="Eigen academie",
        type="training",
        hours=Decimal("2"),
    )
    db.session.add(existing)
    db.session.flush()
    assert seed_catalogue(region.id) == len(CATALOGUE) - 1
    assert seed_catalogue(region.id) == 0
    assert db.session.scalar(select(func.count(Training.id))) == len(CATALOGUE)
    assert db.session.get(Training, existing.id).title == "Eigen meldcodecursus"
    mg = db.session.scalar(select(Training).where(Training.code == "TR01"))
    assert mg.region_id == region.id
    assert mg.provider == "Lindewaard Academie" and mg.hours == Decimal("21") and mg.cost_cents == 95_000
    assert mg.points == 21 and (mg.min_group, mg.max_group) == (8, 14) and mg.active
    assert sorted(i.item_code for i in mg.item_codes) == ["GC01", "GC03", "LG07-A2", "LG07-S1"]
    links = db.session.scalar(select(func.count()).select_from(TrainingItem))
    assert links == sum(len(e.item_codes) for e in CATALOGUE if e.code != "TR03")


def test_each_region_gets_its_own_copy(app_ctx: Any) -> None:
    first, second, untouched = make_region(), make_region(), make_region()
    assert seed_catalogue(first.id) == len(CATALOGUE)
    assert db.session.scalar(select(func.count(Training.id)).where(Training.region_id == second.id)) == 0
    # Without a region: every region that lacks entries gets them, with the same codes.
    assert seed_catalogue() == 2 * len(CATALOGUE)
    for region in (first, second, untouched):
        codes = set(db.session.scalars(select(Training.code).where(Training.region_id == region.id)))
        assert codes == {e.code for e in CATALOGUE}
