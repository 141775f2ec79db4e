"""The members' side of the teamschouw: their team's plan, and their own vraagbaak requests.

Members see their team's priorities and the vraagbaak list (accepted requests only: a name and a
theme), never anyone's scores. Only the member who was asked answers a request.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from scan.access import Role, require
from scan.core import clock
from scan.db import load_or_404
from scan.extensions import db
from scan.teamschouw import services
from scan.teamschouw.forms import ActionForm
from scan.teamschouw.members import bp
from scan.teamschouw.models import Agreement, AgreementKind, ConsentStatus
from scan.teamschouw.permissions import can_see_team_plan
from scan.teamschouw.plan import queries as plan_queries


@bp.get("/mijn/team")
@require(Role.PROFESSIONAL)
def mine() -> str:
    team = current_user.team
    scan_round = plan_queries.plan_round(team.id, clock.today()) if team else None
    if scan_round is not None and not can_see_team_plan(current_user, scan_round):
        abort(403)
    own = plan_queries.own_agreements(current_user.id, team.id) if team else []
    return render_template(
        "team_plan/mine.html",
        team=team,
        scan_round=scan_round,
        priorities=plan_queries.priorities(scan_round.id) if scan_round else [],
        vraagbaak=plan_queries.accepted_vraagbaak(scan_round.id) if scan_round else [],
        requests=[a for a in own if a.kind == AgreementKind.VRAAGBAAK],
        growing=[a for a in own if a.kind == AgreementKind.GROW],
        pending=ConsentStatus.PENDING,
        accepted=ConsentStatus.ACCEPTED,
    )


def _answer(agreement_id: int, accept: bool) -> Response:
    agreement = load_or_404(Agreement, agreement_id)
    if not services.can_answer_request(current_user, agreement):
        abort(403)
    if ActionForm().validate():
        services.answer_request(agreement, current_user, accept)
        db.session.commit()
        if accept:
            flash(_("Thank you: you are now on your team's vraagbaak list for this theme."), "success")
        else:
            flash(_("Done: you are not on the vraagbaak list for this theme."), "success")
    return redirect(url_for("team_plan.mine", _anchor="requests-heading"))


@bp.post("/mijn/team/vraagbaak/<int:agreement_id>/accepteren")
@require(Role.PROFESSIONAL)
def accept(agreement_id: int) -> Response:
    return _answer(agreement_id, True)


@bp.post("/mijn/team/vraagbaak/<int:agreement_id>/afwijzen")
@require(Role.PROFESSIONAL)
def decline(agreement_id: int) -> Response:
    return _answer(agreement_id, False)
