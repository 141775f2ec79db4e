"""Reading a POP's versions; shared by drafting, signing, the PDF and the overviews."""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from scan.db import load_or_404
from scan.extensions import db
from scan.pop.models import Pop, PopAction, PopGoal, PopVersion
from scan.pop.permissions import can_view_pop, visible_versions


def load_pop(pop_id: int) -> Pop:
    """Load -> 404 -> permission (403), for every POP route."""
    pop = load_or_404(Pop, pop_id)
    if not can_view_pop(current_user, pop):
        abort(403)
    return pop


def latest_version(pop: Pop) -> PopVersion:
    return pop.versions[-1]


def shown_version(pop: Pop, number: int | None) -> PopVersion:
    """The version the current user asked for (`?versie=N`), else the newest they may read: the team
    leader never gets a draft (a re-plan being drafted shows them the last proposed one). 404 for a number
    that does not exist or is not theirs to read, so a draft's existence is not told either."""
    visible = visible_versions(current_user, pop)
    if number is None:
        return visible[-1]  # load_pop let the user in, so there is at least one
    version = next((v for v in visible if v.number == number), None)
    if version is None:
        abort(404)
    return version


def version_with_content(version_id: int) -> PopVersion:
    """A version with its goals, their items and actions (with training and colleague): a fixed number of
    queries, however many goals and actions."""
    return db.session.scalars(
        select(PopVersion)
        .where(PopVersion.id == version_id)
        .options(
            selectinload(PopVersion.goals).selectinload(PopGoal.item),
            selectinload(PopVersion.goals)
            .selectinload(PopGoal.actions)
            .options(selectinload(PopAction.training), selectinload(PopAction.colleague)),
        )
    ).one()
