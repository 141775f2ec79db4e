"""Drafting a POP: the professional's own page, the plan with its goals and actions, and progress.

Every view with an id: the role, then load_pop (404 / 403), then the permission for the change (403),
then the service, one commit, a redirect (or the page again with what was typed and the errors).
The team leader of the POP's team may read the plan; only its owner changes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from scan.access import Role, require
from scan.auth.models import User
from scan.catalogue.activities import ACTION_TYPE_LABELS
from scan.catalogue.models import Training
from scan.core import clock
from scan.core.fields import format_number
from scan.core.rules import RuleError, refuse
from scan.core.safety import whole_number
from scan.db import load_or_404
from scan.extensions import db
from scan.i18n import localized
from scan.kenniskaart.models import Item, Section
from scan.pop import bp, proposals, queries, services
from scan.pop.forms import COLLEAGUE_TYPES, ActionForm, AdoptForm, ButtonForm, GoalForm, ProgressForm
from scan.pop.labels import (
    ACTION_STATUS_LABELS,
    REASON_KIND_LABELS,
    SHARED_REASON_KIND_LABELS,
    VERSION_STATUS_LABELS,
)
from scan.pop.loading import latest_version, load_pop, shown_version, version_with_content
from scan.pop.models import Pop, PopAction, PopGoal, PopVersion
from scan.pop.permissions import can_edit_plan, can_update_progress, visible_versions

LABELS = {
    "action_types": ACTION_TYPE_LABELS,
    "action_statuses": ACTION_STATUS_LABELS,
    "reason_kinds": REASON_KIND_LABELS,
    "version_statuses": VERSION_STATUS_LABELS,
}

# The proposals shown first; one to three goals is usually enough, the rest are "more suggestions".
TOP_PROPOSALS = 3

# --- the professional's own page ---------------------------------------------------------------------


@bp.get("/mijn/pop")
@require(Role.PROFESSIONAL)
def mine() -> str:
    scan_round = queries.pop_round(current_user, clock.today())
    pops = queries.pops_of(current_user.id)
    current = next((p for p in pops if scan_round is not None and p.round_id == scan_round.id), None)
    content = version_with_content(latest_version(current).id) if current is not None else None
    submitted = (
        scan_round is not None and current is None and queries.submitted_scan(scan_round.id, current_user.id)
    )
    return render_template(
        "pop/mine.html",
        scan_round=scan_round,
        pop=current,
        version=content,
        totals=queries.totals(content) if content is not None else None,
        can_start=bool(submitted),
        earlier=[p for p in pops if p is not current],
        start_form=ButtonForm(formdata=None),
        **LABELS,
    )


@bp.post("/mijn/pop/starten")
@require(Role.PROFESSIONAL)
def start() -> Response:
    scan_round = queries.pop_round(current_user, clock.today())
    if scan_round is None or not ButtonForm().validate():
        flash(_("There is no round to start a POP for."), "error")
        return redirect(url_for("pop.mine"))
    try:
        pop = services.start_pop(scan_round, current_user)
    except RuleError as error:
        refuse(error)
        return redirect(url_for("pop.mine"))
    db.session.commit()
    flash(_("Your POP has been started. Choose your goals."), "success")
    return redirect(url_for("pop.detail", pop_id=pop.id))


# --- the plan ---------------------------------------------------------------------------------------


def _item_choices(sections: list[Section]) -> list[SelectChoice]:
    choices = [SelectChoice("", _("Choose an item"))]
    for section in sections:
        group = f"{section.code} {localized(section, 'title')}"
        choices.extend(
            SelectChoice(str(i.id), f"{i.code} {localized(i, 'title')}", optgroup=group)
            for i in section.items
            if not i.retired
        )
    return choices


@dataclass(frozen=True)
class ProposalView:
    proposal: proposals.Proposal
    reason: str
    adopted: bool


def _editable_latest(pop: Pop) -> PopVersion:
    """The latest version, when the current user may change its goals and actions; else 403."""
    version = latest_version(pop)
    if not can_edit_plan(current_user, pop, version):
        abort(403)
    return version


def _detail_page(
    pop: Pop, version: PopVersion, status: int = 200, failed: Any = None, **given: Any
) -> tuple[str, int]:
    """The whole plan page; after a failed POST, `given` holds that form (with what was typed)."""
    # The newest version this viewer may read: for the team leader, the last one proposed.
    visible = visible_versions(current_user, pop)
    is_latest = version.id == visible[-1].id
    is_owner = pop.user_id == current_user.id
    can_edit = is_latest and can_edit_plan(current_user, pop, version)
    content = version_with_content(version.id)
    can_progress = is_latest and can_update_progress(current_user, pop)
    proposal_views: list[ProposalView] = []
    goal_form = given.get("goal_form")
    if can_edit:
        sections = queries.version_items(pop.round.version_id)
        adopted = {g.item_id for g in content.goals}
        proposal_views = [
            ProposalView(p, services.proposal_reason(p), p.item_id in adopted)
            for p in queries.proposals_for(pop, sections)
        ]
        goal_form = goal_form or GoalForm(prefix="goal", formdata=None)
        goal_form.item.choices = _item_choices(sections)
    progress_forms: dict[int, ProgressForm] = {}
    if can_progress:
        failed_progress = given.get("progress_form")
        for goal in content.goals:
            for action in goal.actions:
                if failed_progress is not None and given.get("progress_action_id") == action.id:
                    progress_forms[action.id] = failed_progress
                else:
                    progress_forms[action.id] = ProgressForm(
                        prefix=f"progress-{action.id}",
                        formdata=None,
                        data={"status": action.status, "reflection": action.reflection},
                    )
    return render_template(
        "pop/detail.html",
        pop=pop,
        version=content,
        is_latest=is_latest,
        can_edit=can_edit,
        can_progress=can_progress,
        is_owner=is_owner,
        # The ranked proposals (scan.pop.proposals): the first few open, the rest behind "more suggestions".
        top_proposals=proposal_views[:TOP_PROPOSALS],
        more_proposals=proposal_views[TOP_PROPOSALS:],
        # The leader reads the plan they are shown while the professional drafts a newer version.
        newer_draft=not is_owner and len(visible) < len(pop.versions),
        versions=visible,
        goal_reasons=SHARED_REASON_KIND_LABELS if not is_owner else REASON_KIND_LABELS,
        goal_form=goal_form,
        progress_forms=progress_forms,
        totals=queries.totals(content),
        failed=failed,
        page_has_errors=bool(failed is not None and failed.errors),
        **LABELS,
    ), status


@bp.get("/pop/<int:pop_id>")
@require(Role.PROFESSIONAL, Role.TEAMLEIDER)
def detail(pop_id: int) -> tuple[str, int]:
    pop = load_pop(pop_id)
    return _detail_page(pop, shown_version(pop, request.args.get("versie", type=int)))


def _to_detail(pop: Pop, anchor: str | None = None) -> Response:
    return redirect(url_for("pop.detail", pop_id=pop.id, _anchor=anchor))


@bp.post("/pop/<int:pop_id>/voorgestelde-doelen/overnemen")
@require(Role.PROFESSIONAL, Role.TEAMLEIDER)
def adopt(pop_id: int) -> Response:
    pop = load_pop(pop_id)
    version = _editable_latest(pop)
    form = AdoptForm()
    wanted = form.item_id.data or ""
    # Proposals are computed again: the reason stored is the app's, not what the page sent.
    found = next(
        (
            p
            for p in queries.proposals_for(pop, queries.version_items(pop.round.version_id))
            if str(p.item_id) == wanted
        ),
        None,
    )
    if not form.validate() or found is None:
        flash(_("This proposal is no longer there; the page shows the current ones."), "error")
        return _to_detail(pop, "proposals-heading")
    try:
        goal = services.adopt(version, found)
    except RuleError as error:
        refuse(error)
        return _to_detail(pop, "proposals-heading")
    db.session.commit()
    flash(_("The goal has been added to your POP. Add what you will do for it."), "success")
    return _to_detail(pop, f"goal-{goal.id}")


def _item(value: str | None) -> Item | None:
    ident = whole_number(value)
    return db.session.get(Item, ident) if ident is not None else None


@bp.post("/pop/<int:pop_id>/doelen")
@require(Role.PROFESSIONAL, Role.TEAMLEIDER)
def add_goal(pop_id: int) -> Response | tuple[str, int]:
    pop = load_pop(pop_id)
    version = _editable_latest(pop)
    form = GoalForm(prefix="goal")
    if form.validate():
        try:
            goal = services.add_own_goal(version, _item(form.item.data), form.description.data or "")
        except RuleError as error:
            refuse(error, form, default="item")
        else:
            db.session.commit()
            flash(_("Your goal has been added. Add what you will do for it."), "success")
            return _to_detail(pop, f"goal-{goal.id}")
    return _detail_page(pop, version, status=422, failed=form, goal_form=form)


def _own_goal(pop: Pop, version: PopVersion, goal_id: int) -> PopGoal:
    goal = load_or_404(PopGoal, goal_id)
    if goal.version_id != version.id:
        abort(404)
    return goal


@bp.route("/pop/<int:pop_id>/doelen/<int:goal_id>/wijzigen", methods=["GET", "POST"])
@require(Role.PROFESSIONAL, Role.TEAMLEIDER)
def edit_goal(pop_id: int, goal_id: int) -> Response | tuple[str, int]:
    pop = load_pop(pop_id)
    version = _editable_latest(pop)
    goal = _own_goal(pop, version, goal_id)
    if request.method == "POST":
        form = GoalForm()
    else:
        form = GoalForm(formdata=None, data={"item": str(goal.item_id), "description": goal.description})
    form.item.choices = _item_choices(queries.version_items(pop.round.version_id))
    if request.method == "POST" and form.validate():
        try:
            services.update_goal(goal, _item(form.item.data), form.description.data or "")
        except RuleError as error:
            refuse(error, form, default="item")
        else:
            db.session.commit()
            flash(_("The goal has been changed."), "success")
            return _to_detail(pop, f"goal-{goal.id}")
    status = 422 if form.errors else 200
    return render_template("pop/goal_form.html", pop=pop, goal=goal, form=form, **LABELS), status


@bp.post("/pop/<int:pop_id>/doelen/<int:goal_id>/verwijderen")
@require(Role.PROFESSIONAL, Role.TEAMLEIDER)
def remove_goal(pop_id: int, goal_id: int) -> Response:
    pop = load_pop(pop_id)
    version = _editable_latest(pop)
    goal = _own_goal(pop, version, goal_id)
    services.remove_goal(goal)
    db.session.commit()
    flash(_("The goal and its activities have been removed."), "success")
    return _to_detail(pop, "goals-heading")


# --- actions ----------------------------------------------------------------------------------------


def _training_label(t: Training) -> str:
    return _(
        "%(title)s — %(provider)s (%(hours)s hours, %(points)d points)",
        title=t.title,
        provider=t.provider,
        hours=format_number(t.hours),
        points=t.points,
    )


@dataclass(frozen=True)
class Picker:
    trainings: list[Training]  # suggested for the goal's item, active
    colleagues: list[queries.Colleague]  # suggested vraagbaak colleagues


def _picker(pop: Pop, goal: PopGoal, form: ActionForm, current: PopAction | None) -> Picker:
    """Fill the training and colleague choices: the suggested ones first, then all others."""
    catalogue = queries.active_trainings(queries.catalogue_region_id(pop))
    if current is not None and current.training is not None and current.training not in catalogue:
        catalogue.append(current.training)  # an entry retired since keeps its place in this action
    addressing = queries.trainings_for(goal.item.code)
    suggested = [t for t in catalogue if t.id in addressing]
    others = [t for t in catalogue if t.id not in addressing]
    suggested_group = _("Suggested for %(code)s", code=goal.item.code)
    form.training.choices = [
        SelectChoice("", _("No training from the catalogue")),
        *(SelectChoice(str(t.id), _training_label(t), optgroup=suggested_group) for t in suggested),
        *(SelectChoice(str(t.id), _training_label(t), optgroup=_("Other trainings")) for t in others),
    ]
    colleagues = queries.vraagbaak_colleagues(pop.round_id, goal.item, pop.user_id)
    if (
        current is not None
        and current.colleague is not None
        and all(c.user_id != current.colleague_id for c in colleagues)
    ):
        colleagues.append(queries.Colleague(current.colleague.id, current.colleague.full_name, False))
    form.colleague.choices = [
        SelectChoice("", _("No colleague")),
        *(
            SelectChoice(
                str(c.user_id),
                c.name,
                optgroup=_("Vraagbaak for this theme") if c.suggested else _("Other vraagbaak colleagues"),
            )
            for c in colleagues
        ),
    ]
    return Picker(suggested, [c for c in colleagues if c.suggested])


def _chosen(form: ActionForm) -> tuple[Training | None, User | None]:
    """The training and colleague picked, checked against the choices offered; errors on the fields."""
    offered_trainings = {str(c.value) for c in form.training.choices if c.value}
    offered_colleagues = {str(c.value) for c in form.colleague.choices if c.value}
    training = colleague = None
    if form.training.data:
        if form.training.data not in offered_trainings:
            form.training.errors = [*form.training.errors, _("Choose a training from the list.")]
        else:
            training = db.session.get(Training, int(form.training.data))
    if form.colleague.data:
        if form.colleague.data not in offered_colleagues:
            form.colleague.errors = [*form.colleague.errors, _("Choose a colleague from the list.")]
        else:
            colleague = db.session.get(User, int(form.colleague.data))
    return training, colleague


def _action_page(
    pop: Pop, goal: PopGoal, action: PopAction | None, form: ActionForm, picker: Picker
) -> tuple[str, int]:
    return render_template(
        "pop/action_form.html",
        pop=pop,
        goal=goal,
        action=action,
        form=form,
        picker=picker,
        colleague_types=COLLEAGUE_TYPES,
        **LABELS,
    ), (422 if form.errors else 200)


def _save_action(pop: Pop, goal: PopGoal, action: PopAction | None) -> Response | tuple[str, int]:
    if request.method == "POST":
        form = ActionForm()
    elif action is not None:
        form = ActionForm(
            formdata=None,
            data={
                "type": action.type,
                "description": action.description,
                "training": str(action.training_id or ""),
                "colleague": str(action.colleague_id or ""),
                "planned_from": action.planned_from,
                "planned_until": action.planned_until,
                "hours": action.hours,
            },
        )
    else:
        form = ActionForm(formdata=None)
    picker = _picker(pop, goal, form, action)
    if request.method == "POST":
        valid = form.validate()
        training, colleague = _chosen(form)
        if valid and not form.errors:
            data = services.ActionInput(
                type=form.type.data or "",
                description=form.description.data or "",
                training=training,
                colleague=colleague,
                planned_from=form.planned_from.data,
                planned_until=form.planned_until.data,
                hours=form.hours.data,
            )
            try:
                if action is None:
                    action = services.add_action(goal, data)
                else:
                    services.update_action(action, data)
            except RuleError as error:
                refuse(error, form, default="type")
            else:
                db.session.commit()
                flash(_("The activity has been saved."), "success")
                return _to_detail(pop, f"action-{action.id}")
    return _action_page(pop, goal, action, form, picker)


@bp.route("/pop/<int:pop_id>/doelen/<int:goal_id>/acties/nieuw", methods=["GET", "POST"])
@require(Role.PROFESSIONAL, Role.TEAMLEIDER)
def new_action(pop_id: int, goal_id: int) -> Response | tuple[str, int]:
    pop = load_pop(pop_id)
    version = _editable_latest(pop)
    return _save_action(pop, _own_goal(pop, version, goal_id), None)


def _own_action(version: PopVersion, action_id: int) -> PopAction:
    action = load_or_404(PopAction, action_id)
    if action.goal.version_id != version.id:
        abort(404)
    return action


@bp.route("/pop/<int:pop_id>/acties/<int:action_id>/wijzigen", methods=["GET", "POST"])
@require(Role.PROFESSIONAL, Role.TEAMLEIDER)
def edit_action(pop_id: int, action_id: int) -> Response | tuple[str, int]:
    pop = load_pop(pop_id)
    version = _editable_latest(pop)
    action = _own_action(version, action_id)
    return _save_action(pop, action.goal, action)


@bp.post("/pop/<int:pop_id>/acties/<int:action_id>/verwijderen")
@require(Role.PROFESSIONAL, Role.TEAMLEIDER)
def remove_action(pop_id: int, action_id: int) -> Response:
    pop = load_pop(pop_id)
    version = _editable_latest(pop)
    action = _own_action(version, action_id)
    goal_id = action.goal_id
    services.remove_action(action)
    db.session.commit()
    flash(_("The activity has been removed."), "success")
    return _to_detail(pop, f"goal-{goal_id}")


# --- progress ---------------------------------------------------------------------------------------


@bp.post("/pop/<int:pop_id>/acties/<int:action_id>/voortgang")
@require(Role.PROFESSIONAL, Role.TEAMLEIDER)
def progress(pop_id: int, action_id: int) -> Response | tuple[str, int]:
    pop = load_pop(pop_id)
    if not can_update_progress(current_user, pop):
        abort(403)
    version = latest_version(pop)
    action = _own_action(version, action_id)
    form = ProgressForm(prefix=f"progress-{action.id}")
    if form.validate():
        try:
            services.update_progress(action, form.status.data or "", form.reflection.data or "")
        except RuleError as error:
            refuse(error, form, default="status")
        else:
            db.session.commit()
            flash(_("The progress has been saved."), "success")
            return _to_detail(pop, f"action-{action.id}")
    return _detail_page(
        pop, version, status=422, failed=form, progress_form=form, progress_action_id=action.id
    )
