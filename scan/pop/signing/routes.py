"""Proposing, reviewing, signing and new versions of a POP. Load -> check -> rule -> commit -> redirect."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from scan.auth import devices
from scan.core.rules import RuleError, refuse, show
from scan.core.safety import client_address
from scan.extensions import db
from scan.pop import bp
from scan.pop.loading import latest_version, load_pop
from scan.pop.models import Pop, PopStatus, PopVersion
from scan.pop.permissions import is_team_leader_of
from scan.pop.signing import services as signing
from scan.pop.signing.forms import SEND_BACK, ActionForm, ReviewForm, SignForm


@bp.app_context_processor
def _signing_helpers() -> dict[str, Any]:
    """For templates/pop/_signing.html, which is included with the parent's context only."""

    def pop_actions(pop: Pop, version: PopVersion) -> signing.PopActions:
        return signing.available_actions(current_user, pop, version)

    return {"pop_actions": pop_actions, "pop_status_label": signing.status_label}


def _to_detail(pop: Pop) -> Response:
    return redirect(url_for("pop.detail", pop_id=pop.id))


def _owners_post(pop_id: int) -> Pop:
    """The POP of a button only its professional may press: 403 for anyone else, 400 without a valid form."""
    pop = load_pop(pop_id)
    if not signing.is_owner(current_user, pop):
        abort(403)
    if not ActionForm().validate_on_submit():
        abort(400)
    return pop


@bp.post("/pop/<int:pop_id>/voorstellen")
def propose(pop_id: int) -> Response:
    pop = _owners_post(pop_id)
    try:
        signing.propose(pop, current_user)
    except RuleError as error:
        refuse(error)
    else:
        db.session.commit()
        flash(_("Your plan has been sent to your team leader."), "success")
    return _to_detail(pop)


@bp.route("/pop/<int:pop_id>/beoordelen", methods=["GET", "POST"])
def review(pop_id: int) -> str | Response | tuple[str, int]:
    pop = load_pop(pop_id)
    if not is_team_leader_of(current_user, pop):
        abort(403)
    version = latest_version(pop)
    if not signing.available_actions(current_user, pop, version).can_review:
        flash(_("This plan is not waiting for your review."), "info")
        return _to_detail(pop)
    form = ReviewForm()
    if form.validate_on_submit():
        try:
            if form.decision.data == SEND_BACK:
                signing.send_back(pop, current_user, form.comment.data or "")
                message = _("The plan has been sent back to %(name)s.", name=pop.user.display_name)
            else:
                signing.agree(pop, current_user, form.comment.data or "")
                message = _("You agreed to the plan. It can now be signed.")
        except RuleError as error:
            refuse(error, form, default="decision")
        else:
            db.session.commit()
            flash(message, "success")
            return _to_detail(pop)
    return render_template("pop/review.html", pop=pop, version=version, form=form), (
        422 if form.errors else 200
    )


@bp.route("/pop/<int:pop_id>/ondertekenen", methods=["GET", "POST"])
def sign(pop_id: int) -> str | Response | tuple[str, int]:
    pop = load_pop(pop_id)
    if not signing.can_sign_as_party(current_user, pop):
        abort(403)
    version = latest_version(pop)
    if not signing.available_actions(current_user, pop, version).can_sign:
        flash(_("There is nothing for you to sign in this plan now."), "info")
        return _to_detail(pop)
    form = SignForm()
    if form.validate_on_submit():
        try:
            signing.sign(
                pop, current_user, form.password.data or "", client_address(),
                device_cookie=request.cookies.get(devices.COOKIE),
            )
        except RuleError as error:
            # The rule wrote nothing but the throttle's count of a wrong password: keep that count.
            db.session.commit()
            show(error, form, default="password")
        else:
            db.session.commit()
            if version.status == PopStatus.SIGNED:
                flash(_("You signed the plan. Both have signed now: the plan is final."), "success")
            else:
                flash(_("You signed the plan. Waiting for the other signature."), "success")
            return _to_detail(pop)
    return render_template("pop/sign.html", pop=pop, version=version, form=form), (
        422 if form.errors else 200
    )


@bp.post("/pop/<int:pop_id>/nieuwe-versie")
def new_version(pop_id: int) -> Response:
    pop = _owners_post(pop_id)
    try:
        new = signing.start_new_version(pop, current_user)
    except RuleError as error:
        refuse(error)
        return _to_detail(pop)
    db.session.commit()
    flash(
        _("Version %(number)d has been started. Change it, then propose it again.", number=new.number),
        "success",
    )
    return _to_detail(pop)
