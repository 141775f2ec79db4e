"""Read functions for "Mijn resultaat" and "Mijn gegevens". Each runs one query (two with selectinload),
whatever the number of items, answers or rounds."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import aliased, joinedload

from scan.assessment.export import (
    AnswerRecord,
    AttendanceRecord,
    AuditRecord,
    EventRecord,
    PopActionRecord,
    PopGoalRecord,
    PopRecord,
    PopVersionRecord,
)
from scan.assessment.models import Answer, Scan, ScanEvent, ScanRound
from scan.assessment.results import ItemSpec, Rating, SectionSpec
from scan.auth.models import User
from scan.extensions import db
from scan.kenniskaart.models import Item, Section
from scan.organisation.models import Team


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


def scans_of(user_id: int) -> list[Scan]:
    """Every scan of the user, drafts included, with round and the round's team; oldest round first."""
    return list(
        db.session.scalars(
            select(Scan)
            .join(ScanRound, ScanRound.id == Scan.round_id)
            .where(Scan.user_id == user_id)
            .options(joinedload(Scan.round).joinedload(ScanRound.team).joinedload(Team.municipality))
            .order_by(ScanRound.opens_on, Scan.id)
        )
    )


def answer_records(user_id: int) -> dict[int, list[AnswerRecord]]:
    """Every answer in the user's scans, per scan id, in Kenniskaart order (one query)."""
    rows = db.session.execute(
        select(
            Answer.scan_id,
            Item.code,
            Item.title_nl,
            Item.title_en,
            Section.code,
            Answer.level,
            Answer.not_applicable,
            Answer.ambition,
            Answer.note,
            Answer.updated_at,
        )
        .join(Scan, Scan.id == Answer.scan_id)
        .join(Item, Item.id == Answer.item_id)
        .join(Section, Section.id == Item.section_id)
        .where(Scan.user_id == user_id)
        .order_by(Answer.scan_id, Section.position, Item.position)
    ).all()
    result: dict[int, list[AnswerRecord]] = {}
    for scan_id, *fields in rows:
        result.setdefault(scan_id, []).append(AnswerRecord(*fields))
    return result


def event_records(user_id: int) -> dict[int, list[EventRecord]]:
    """Submitting and reopening of the user's scans, with only the actor's name (one query)."""
    actor = aliased(User)
    rows = db.session.execute(
        select(ScanEvent.scan_id, ScanEvent.kind, ScanEvent.at, actor.full_name, ScanEvent.reason)
        .join(Scan, Scan.id == ScanEvent.scan_id)
        .outerjoin(actor, actor.id == ScanEvent.actor_id)
        .where(Scan.user_id == user_id)
        .order_by(ScanEvent.at, ScanEvent.id)
    ).all()
    result: dict[int, list[EventRecord]] = {}
    for scan_id, kind, at, actor_name, reason in rows:
        result.setdefault(scan_id, []).append(EventRecord(kind, at, actor_name, reason or ""))
    return result


def pop_records(user_id: int) -> list[PopRecord]:
    """Every POP of the user with every version, goal and action (one query, flat rows folded here)."""
    from scan.catalogue.models import Training
    from scan.pop.models import Pop, PopAction, PopGoal, PopVersion

    agreed_by, signed_by, colleague = aliased(User), aliased(User), aliased(User)
    rows = db.session.execute(
        select(
            Pop.id, ScanRound.title, Team.name, Pop.created_at,
            PopVersion.id, PopVersion.number, PopVersion.status, PopVersion.created_at,
            PopVersion.proposed_at,
            PopVersion.leader_comment, PopVersion.agreed_at, agreed_by.full_name,
            PopVersion.professional_signed_at, PopVersion.leader_signed_at, signed_by.full_name,
            PopGoal.id, Item.code, Item.title_nl, Item.title_en, PopGoal.description, PopGoal.reason_kind,
            PopGoal.reason, PopGoal.target_level, PopGoal.reason_level, PopGoal.reason_ambition,
            PopGoal.reason_level_agreed,
            PopAction.id, PopAction.type, PopAction.description, Training.title, colleague.full_name,
            PopAction.planned_from, PopAction.planned_until, PopAction.hours, PopAction.points,
            PopAction.status, PopAction.reflection, PopAction.status_changed_at,
        )
        .join(ScanRound, ScanRound.id == Pop.round_id)
        .join(Team, Team.id == ScanRound.team_id)
        .join(PopVersion, PopVersion.pop_id == Pop.id)
        .outerjoin(agreed_by, agreed_by.id == PopVersion.agreed_by_id)
        .outerjoin(signed_by, signed_by.id == PopVersion.leader_signed_by_id)
        .outerjoin(PopGoal, PopGoal.version_id == PopVersion.id)
        .outerjoin(Item, Item.id == PopGoal.item_id)
        .outerjoin(PopAction, PopAction.goal_id == PopGoal.id)
        .outerjoin(Training, Training.id == PopAction.training_id)
        .outerjoin(colleague, colleague.id == PopAction.colleague_id)
        .where(Pop.user_id == user_id)
        .order_by(ScanRound.opens_on, Pop.id, PopVersion.number, PopGoal.position, PopGoal.id, PopAction.id)
    ).all()
    # Fold the joined rows back into the tree, keeping the query's order.
    pops: dict[int, tuple[tuple, dict[int, tuple[tuple, dict[int, tuple[tuple, list]]]]]] = {}  # type: ignore[type-arg]
    for r in rows:
        _, versions = pops.setdefault(r[0], (r[1:4], {}))
        _, goals = versions.setdefault(r[4], (r[5:15], {}))
        if r[15] is None:
            continue
        _, actions = goals.setdefault(r[15], (r[16:26], []))
        if r[26] is not None:
            actions.append(PopActionRecord(*r[27:38]))
    return [
        PopRecord(
            *pop_fields,
            versions=tuple(
                PopVersionRecord(
                    *version_fields,
                    goals=tuple(
                        PopGoalRecord(*fields, actions=tuple(acts)) for fields, acts in goals.values()
                    ),
                )
                for version_fields, goals in versions.values()
            ),
        )
        for pop_fields, versions in pops.values()
    ]


def audit_records(user_id: int) -> list[AuditRecord]:
    """What this person did according to the audit log, oldest first (one query)."""
    from scan.audit.models import AuditEvent

    rows = db.session.execute(
        select(
            AuditEvent.at,
            AuditEvent.action,
            AuditEvent.object_type,
            AuditEvent.object_id,
            AuditEvent.detail,
            AuditEvent.address,
        )
        .where(AuditEvent.actor_id == user_id)
        .order_by(AuditEvent.at, AuditEvent.id)
    ).all()
    return [AuditRecord(*row) for row in rows]


def attendance_records(user_id: int) -> list[AttendanceRecord]:
    """The teamschouw sessions this person attended (one query)."""
    from scan.teamschouw.models import TeamSession, session_attendee

    rows = db.session.execute(
        select(ScanRound.title, Team.name, TeamSession.held_on)
        .join(session_attendee, session_attendee.c.session_id == TeamSession.id)
        .join(ScanRound, ScanRound.id == TeamSession.round_id)
        .join(Team, Team.id == ScanRound.team_id)
        .where(session_attendee.c.user_id == user_id)
        .order_by(TeamSession.held_on, TeamSession.id)
    ).all()
    return [AttendanceRecord(*row) for row in rows]
