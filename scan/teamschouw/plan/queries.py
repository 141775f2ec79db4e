"""Read functions for calibration, priorities, agreements, the session and the members' team plan.

Each runs a fixed number of queries, whatever the size of the team or the Kenniskaart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from scan.assessment.models import Scan, ScanRound, ScanStatus
from scan.auth.models import User
from scan.extensions import db
from scan.kenniskaart.models import Item, Section
from scan.organisation.queries import counts_as_member
from scan.teamschouw.models import (
    Agreement,
    AgreementKind,
    Calibration,
    ConsentStatus,
    TeamPriority,
    TeamSession,
)
from scan.teamschouw.queries import latest_calibration

# --- calibration ------------------------------------------------------------------------------------


def round_scan(scan_round: ScanRound, scan_id: int) -> Scan | None:
    """A scan of this round with its member; None when it belongs to another round (or does not exist)."""
    return db.session.scalars(
        select(Scan).where(Scan.id == scan_id, Scan.round_id == scan_round.id).options(joinedload(Scan.user))
    ).first()


def calibrated_counts(scan_round: ScanRound) -> dict[int, int]:
    """scan id -> number of items with a current agreed level, for the round's submitted scans (one query)."""
    latest = latest_calibration(round_id=scan_round.id)
    rows = db.session.execute(
        select(Calibration.scan_id, func.count(Calibration.id))
        .join(latest, latest.c.id == Calibration.id)
        .join(Scan, Scan.id == Calibration.scan_id)
        .where(
            Scan.round_id == scan_round.id,
            Scan.status == ScanStatus.SUBMITTED.value,
            Calibration.agreed_level.is_not(None),
        )
        .group_by(Calibration.scan_id)
    ).all()
    return {scan_id: count for scan_id, count in rows}


def scanned_item_count(version_id: int) -> int:
    return (
        db.session.scalar(
            select(func.count(Item.id)).where(Item.version_id == version_id, Item.retired.is_(False))
        )
        or 0
    )


def calibrations(scan_id: int) -> list[Calibration]:
    """Every calibration row of one scan, oldest first, with who set it (one query)."""
    return list(
        db.session.scalars(
            select(Calibration)
            .where(Calibration.scan_id == scan_id)
            .options(joinedload(Calibration.set_by))
            .order_by(Calibration.id)
        )
    )


def last_calibration_id(scan_id: int) -> int:
    """The newest calibration row of a scan (0 for none): changes when anyone saves a calibration."""
    return db.session.scalar(select(func.max(Calibration.id)).where(Calibration.scan_id == scan_id)) or 0


# --- the round's Kenniskaart and the team ------------------------------------------------------------


def team_members(team_id: int, also: list[int] | None = None) -> list[User]:
    """The team's active professionals by name, plus the given user ids (e.g. someone who attended
    the session and has since left), so a saved choice never silently disappears."""
    condition = counts_as_member(team_id)
    if also:
        condition = or_(condition, User.id.in_(also))
    return list(db.session.scalars(select(User).where(condition).order_by(User.full_name, User.id)))


# --- priorities and agreements ------------------------------------------------------------------------


def priorities(round_id: int) -> list[TeamPriority]:
    """The round's priorities in their order, with item (and its section) or leefgebied (two queries)."""
    return list(
        db.session.scalars(
            select(TeamPriority)
            .where(TeamPriority.round_id == round_id)
            .options(
                joinedload(TeamPriority.item).joinedload(Item.section),
                joinedload(TeamPriority.section),
            )
            .order_by(TeamPriority.position, TeamPriority.id)
        )
    )


def agreements(round_id: int) -> list[Agreement]:
    """Every agreement of the round, by kind and then in the order they were made (one query)."""
    return list(
        db.session.scalars(
            select(Agreement)
            .where(Agreement.round_id == round_id)
            .options(
                joinedload(Agreement.member),
                joinedload(Agreement.item).joinedload(Item.section),
                joinedload(Agreement.section),
            )
            .order_by(Agreement.kind, Agreement.id)
        )
    )


# --- the session ---------------------------------------------------------------------------------------


def session_for(round_id: int) -> TeamSession | None:
    return db.session.scalars(
        select(TeamSession)
        .where(TeamSession.round_id == round_id)
        .options(selectinload(TeamSession.attendees))
    ).first()


# --- the members' view -----------------------------------------------------------------------------------


def plan_round(team_id: int, today: date) -> ScanRound | None:
    """The round whose plan a member sees: the latest round of the team with any priority or accepted
    vraagbaak (the plan stays until the next teamschouw sets a new one), else the open round."""
    has_plan = or_(
        exists().where(TeamPriority.round_id == ScanRound.id),
        exists().where(
            Agreement.round_id == ScanRound.id,
            Agreement.kind == AgreementKind.VRAAGBAAK,
            Agreement.consent == ConsentStatus.ACCEPTED,
        ),
    )
    latest = db.session.scalars(
        select(ScanRound)
        .where(ScanRound.team_id == team_id, has_plan)
        .order_by(ScanRound.opens_on.desc(), ScanRound.id.desc())
        .limit(1)
    ).first()
    if latest is not None:
        return latest
    return db.session.scalars(
        select(ScanRound)
        .where(ScanRound.team_id == team_id, ScanRound.opens_on <= today, ScanRound.closes_on >= today)
        .order_by(ScanRound.opens_on.desc(), ScanRound.id.desc())
        .limit(1)
    ).first()


@dataclass(frozen=True)
class VraagbaakEntry:
    """One line of the public vraagbaak list: a name and a theme, nothing else."""

    name: str
    item: Item | None
    section: Section | None


def accepted_vraagbaak(round_id: int) -> list[VraagbaakEntry]:
    rows = db.session.scalars(
        select(Agreement)
        .join(User, User.id == Agreement.member_id)
        .where(
            Agreement.round_id == round_id,
            Agreement.kind == AgreementKind.VRAAGBAAK,
            Agreement.consent == ConsentStatus.ACCEPTED,
        )
        .options(
            joinedload(Agreement.member),
            joinedload(Agreement.item).joinedload(Item.section),
            joinedload(Agreement.section),
        )
        .order_by(User.full_name, Agreement.id)
    )
    return [VraagbaakEntry(a.member.full_name if a.member else "", a.item, a.section) for a in rows]


def own_agreements(user_id: int, team_id: int) -> list[Agreement]:
    """A member's own vraagbaak requests (any answer) and growth agreements in their team's rounds,
    newest round first (one query)."""
    return list(
        db.session.scalars(
            select(Agreement)
            .join(ScanRound, ScanRound.id == Agreement.round_id)
            .where(
                Agreement.member_id == user_id,
                ScanRound.team_id == team_id,
                Agreement.kind.in_([AgreementKind.VRAAGBAAK, AgreementKind.GROW]),
            )
            .options(
                joinedload(Agreement.round),
                joinedload(Agreement.item).joinedload(Item.section),
                joinedload(Agreement.section),
            )
            .order_by(ScanRound.opens_on.desc(), Agreement.id)
        )
    )
