"""The demo region's published periods: one per past season, so the regional pages have figures and trends.

Each closed season of the demo's rounds (see scan.demo.rounds.season) becomes a period spanning its half
year ("najaar 2025": 1 July to 31 December 2025), which holds exactly that season's rounds; the periods of
two seasons never overlap. Each is published as the daily job would (scan.regio.publish: counted, suppressed,
audited, stored). Flush, never commit: the command line commits.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from scan.assessment.models import ScanRound
from scan.demo import seed
from scan.demo.rounds import season
from scan.extensions import db
from scan.organisation.models import Municipality, Team
from scan.regio import periods, publish
from scan.regio.models import Period, Publication


def seed_demo_publications(today: date) -> list[Publication]:
    """Add and publish a period for every season of the demo region whose rounds have all closed before
    `today`, oldest first. Needs the rounds and the POPs; does nothing when the region has a period already
    or is not loaded."""
    region_id = seed.demo_region_id()
    if region_id is None or db.session.scalar(
        select(Period.id).where(Period.region_id == region_id).limit(1)
    ):
        return []
    openings = db.session.execute(
        select(ScanRound.opens_on, ScanRound.closes_on)
        .join(Team, Team.id == ScanRound.team_id)
        .join(Municipality, Municipality.id == Team.municipality_id)
        .where(Municipality.region_id == region_id)
    ).all()
    seasons = {season(opens_on) for opens_on, _closes_on in openings}
    published = []
    for half in sorted(seasons, key=lambda h: h.first_day):
        still_open = any(half.first_day <= opens_on <= half.last_day and closes_on >= today
                         for opens_on, closes_on in openings)
        if half.last_day >= today or still_open:
            continue  # not over yet, or a round in it is still open: the daily job publishes it later
        period = periods.add(region_id, half.name, half.first_day, half.last_day)
        published.append(publish.publish(period, None, today, source="flask demo seed"))
    return published
