"""The plain data of the POP PDF: a fixed number of queries, however many goals and actions.

The POP and its round are already loaded (and checked) by `load_pop`; here one query reads the header
(professional, team, Kenniskaart version, the signing team leader) and `version_with_content` reads the
goals with their items and actions with their trainings and colleagues.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import literal, select
from sqlalchemy.orm import aliased

from scan.assessment.models import ScanRound
from scan.auth.models import User
from scan.extensions import db
from scan.kenniskaart.models import KenniskaartVersion
from scan.organisation.models import Team
from scan.pop.loading import version_with_content
from scan.pop.models import Pop, PopVersion
from scan.pop.pdf.render import ActionRow, GoalRow, PopPdfData, Signature


def pop_pdf_data(pop: Pop, version: PopVersion, today: date, version_count: int | None = None) -> PopPdfData:
    """`version_count`: how many versions the reader may read (the team leader never counts a draft);
    all of them when not given."""
    signer = aliased(User)
    # Only a signed version has a signer: never compare with NULL, which would read every account.
    leader_name = (
        select(signer.full_name).where(signer.id == version.leader_signed_by_id).scalar_subquery()
        if version.leader_signed_by_id is not None else literal("")
    )
    header = db.session.execute(
        select(User.full_name, User.username, Team.name, Team.code, ScanRound.title, ScanRound.opens_on,
               ScanRound.closes_on, KenniskaartVersion.code, KenniskaartVersion.number,
               KenniskaartVersion.label, KenniskaartVersion.title_nl, KenniskaartVersion.title_en,
               leader_name)
        .select_from(ScanRound)
        .join(Team, Team.id == ScanRound.team_id)
        .join(KenniskaartVersion, KenniskaartVersion.id == ScanRound.version_id)
        .join(User, User.id == pop.user_id)
        .where(ScanRound.id == pop.round_id)
    ).one()
    (name, username, team_name, team_code, round_title, opens_on, closes_on, kk_code, kk_number, kk_label,
     kk_nl, kk_en, leader_name) = header
    content = version_with_content(version.id)
    goals = tuple(
        GoalRow(
            item_code=goal.item.code,
            title_nl=goal.item.title_nl,
            title_en=goal.item.title_en,
            reason_kind=goal.reason_kind,
            reason=goal.reason,
            description=goal.description,
            target_level=goal.target_level,
            actions=tuple(
                ActionRow(
                    type=action.type,
                    description=action.description,
                    status=action.status,
                    hours=action.hours,
                    points=action.points,
                    training_title=action.training.title if action.training else "",
                    training_provider=action.training.provider if action.training else "",
                    colleague=action.colleague.full_name if action.colleague else "",
                    planned_from=action.planned_from,
                    planned_until=action.planned_until,
                    reflection=action.reflection,
                )
                for action in goal.actions
            ),
            reason_level=goal.reason_level,
            reason_ambition=goal.reason_ambition,
            reason_level_agreed=goal.reason_level_agreed,
            reason_facts=goal.reason_facts,
        )
        for goal in content.goals
    )
    return PopPdfData(
        professional=name,
        username=username,
        team_name=team_name,
        team_code=team_code,
        round_title=round_title,
        opens_on=opens_on,
        closes_on=closes_on,
        kenniskaart_code=kk_code,
        kenniskaart_number=kk_number,
        kenniskaart_label=kk_label,
        kenniskaart_title_nl=kk_nl,
        kenniskaart_title_en=kk_en,
        version_number=version.number,
        version_count=len(pop.versions) if version_count is None else version_count,
        status=version.status,
        generated_on=today,
        professional_signature=Signature(name, version.professional_signed_at),
        leader_signature=Signature(leader_name or "", version.leader_signed_at),
        leader_comment=version.leader_comment,
        goals=goals,
    )
