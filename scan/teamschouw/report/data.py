"""The plain data of the team report: a fixed number of queries, whatever the size of the team.

Only what the team's pages show: coverage from submitted scans, the priorities in order, the agreements
(a vraagbaak only once the member accepted it) and the session of the round.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, func, or_, select, union

from scan.assessment.models import Scan, ScanRound, ScanStatus
from scan.auth.models import User
from scan.extensions import db
from scan.kenniskaart.models import Item, KenniskaartVersion, Section
from scan.organisation.models import Municipality, Team
from scan.organisation.queries import member_ids
from scan.teamschouw.coverage.build import load_coverage
from scan.teamschouw.models import (
    Agreement,
    AgreementKind,
    ConsentStatus,
    TeamPriority,
    TeamSession,
    session_attendee,
)
from scan.teamschouw.report.pdf import AgreementRow, CoverageRow, PriorityRow, SessionRecord, TeamReportData


def _header(team: Team, scan_round: ScanRound) -> tuple[str, str, str, str, int]:
    """Municipality name and the round's Kenniskaart version (titles, label, number): one query."""
    row = db.session.execute(
        select(Municipality.name, KenniskaartVersion.title_nl, KenniskaartVersion.title_en,
               KenniskaartVersion.label, KenniskaartVersion.number)
        .select_from(Team)
        .join(Municipality, Municipality.id == Team.municipality_id)
        .join(KenniskaartVersion, KenniskaartVersion.id == scan_round.version_id)
        .where(Team.id == team.id)
    ).one()
    return row[0], row[1], row[2], row[3], row[4]


def member_counts(scan_round: ScanRound) -> tuple[int, int]:
    """(members, submitted) as the start page counts them: the team's active professionals plus anyone
    with a scan in the round; one query through the indexes on the team and the round (never a scan of
    every account in the region)."""
    members = union(
        member_ids(scan_round.team_id),
        select(Scan.user_id).where(Scan.round_id == scan_round.id),
    ).subquery()
    submitted = (
        select(func.count(Scan.id))
        .where(Scan.round_id == scan_round.id, Scan.status == ScanStatus.SUBMITTED.value)
        .scalar_subquery()
    )
    total, done = db.session.execute(select(func.count(), submitted).select_from(members)).one()
    return total, done


def priorities(scan_round: ScanRound) -> list[PriorityRow]:
    """The team's priorities in their order, each an item or a whole leefgebied: one query."""
    rows = db.session.execute(
        select(TeamPriority.position, TeamPriority.reason, TeamPriority.reason_facts, TeamPriority.item_id,
               Item.code, Item.title_nl, Item.title_en, Section.code, Section.title_nl, Section.title_en)
        .outerjoin(Item, Item.id == TeamPriority.item_id)
        .outerjoin(Section, Section.id == TeamPriority.section_id)
        .where(TeamPriority.round_id == scan_round.id)
        .order_by(TeamPriority.position, TeamPriority.id)
    ).all()
    result = []
    for position, reason, facts, item_id, i_code, i_nl, i_en, s_code, s_nl, s_en in rows:
        if item_id is not None:
            result.append(PriorityRow(position, i_code, i_nl, i_en, False, reason, facts))
        else:
            result.append(PriorityRow(position, s_code or "", s_nl or "", s_en or "", True, reason, facts))
    return result


def agreements(scan_round: ScanRound) -> list[AgreementRow]:
    """Vraagbaak agreements the member accepted, and every grow and other agreement: one query."""
    rows = db.session.execute(
        select(Agreement.kind, User.full_name, Agreement.text,
               Item.code, Item.title_nl, Item.title_en, Section.code, Section.title_nl, Section.title_en)
        .outerjoin(User, User.id == Agreement.member_id)
        .outerjoin(Item, Item.id == Agreement.item_id)
        .outerjoin(Section, Section.id == Agreement.section_id)
        .where(
            Agreement.round_id == scan_round.id,
            or_(
                Agreement.kind != AgreementKind.VRAAGBAAK,
                and_(Agreement.kind == AgreementKind.VRAAGBAAK, Agreement.consent == ConsentStatus.ACCEPTED),
            ),
        )
        .order_by(Agreement.kind, User.full_name, Agreement.id)
    ).all()
    result = []
    for kind, member, text, i_code, i_nl, i_en, s_code, s_nl, s_en in rows:
        if i_code is not None:
            code, nl, en = i_code, i_nl, i_en
        else:
            code, nl, en = s_code or "", s_nl or "", s_en or ""
        result.append(AgreementRow(kind, member or "", code, nl, en, text))
    return result


def session_record(scan_round: ScanRound) -> SessionRecord | None:
    """The round's session with its attendees by name: one query (a row per attendee)."""
    rows = db.session.execute(
        select(TeamSession.held_on, TeamSession.notes, TeamSession.decisions, User.full_name)
        .outerjoin(session_attendee, session_attendee.c.session_id == TeamSession.id)
        .outerjoin(User, User.id == session_attendee.c.user_id)
        .where(TeamSession.round_id == scan_round.id)
        .order_by(User.full_name, User.id)
    ).all()
    if not rows:
        return None
    held_on, notes, decisions, _name = rows[0]
    return SessionRecord(held_on, tuple(name for *_rest, name in rows if name is not None), notes, decisions)


def team_report_data(team: Team, scan_round: ScanRound, today: date) -> TeamReportData:
    """Everything the team report shows, as plain data for `render_team_report`."""
    municipality, kk_nl, kk_en, kk_label, kk_number = _header(team, scan_round)
    members, submitted = member_counts(scan_round)
    coverage = tuple(
        CoverageRow(c.code, c.title_nl, c.title_en, c.specialists, c.general, c.growing, c.norm, c.status)
        for c in load_coverage(scan_round)
    )
    return TeamReportData(
        team_name=team.name,
        team_code=team.code,
        municipality=municipality,
        round_title=scan_round.title,
        opens_on=scan_round.opens_on,
        closes_on=scan_round.closes_on,
        kenniskaart_title_nl=kk_nl,
        kenniskaart_title_en=kk_en,
        kenniskaart_label=kk_label,
        kenniskaart_number=kk_number,
        generated_on=today,
        members=members,
        submitted=submitted,
        coverage=coverage,
        priorities=tuple(priorities(scan_round)),
        agreements=tuple(agreements(scan_round)),
        session=session_record(scan_round),
    )
