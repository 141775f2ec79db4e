"""The professional's scan and the team leader's round management. Load -> check -> act -> commit."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from scan.access import Role, require
from scan.assessment import bp, hooks, permissions, queries, services
from scan.assessment.forms import (
    NewRoundForm,
    ReopenForm,
    SubmitForm,
    given_answers,
    level_name,
    section_form,
)
from scan.assessment.models import NOTE_MAX_LENGTH, Scan, ScanRound, ScanStatus
from scan.assessment.view_models import fill_form_from_answers, item_views
from scan.core import clock
from scan.core.rules import RuleError, refuse
from scan.core.safety import whole_number
from scan.db import load_or_404
from scan.extensions import db
from scan.i18n import localized
from scan.kenniskaart import queries as kenniskaart_queries
from scan.kenniskaart.models import Item, Section
from scan.organisation.models import Team
from scan.organisation.permissions import leads_team


def _own_round(round_id: int) -> ScanRound:
    """A round of the professional's own team, or 404/403."""
    scan_round = load_or_404(ScanRound, round_id)
    if scan_round.team_id != current_user.team_id:
        abort(403)
    return scan_round


@bp.get("/scan")
@require(Role.PROFESSIONAL)
def overview() -> str:
    today = clock.today()
    team = current_user.team
    scan_round = queries.open_round_for_team(team.id, today) if team else None
    scan = queries.scan_for(scan_round.id, current_user.id) if scan_round else None
    progress = queries.progress(scan_round.version_id, scan.id if scan else None) if scan_round else []
    totals = (sum(p.answered for p in progress), sum(p.total for p in progress))
    required = (sum(p.required_answered for p in progress), sum(p.required for p in progress))
    # Continue where the professional left off: the first part with required items still open.
    unfinished = [p for p in progress if p.required_answered < p.required]
    continue_code = (unfinished or progress)[0].code if progress else None
    # The cycle closes: the POP of the previous round beside the new scan (contributed by the POP).
    previous = hooks.ask(hooks.previous_plan, current_user.id, before=scan_round) if scan_round else None
    return render_template(
        "assessment/overview.html",
        scan_round=scan_round,
        scan=scan,
        progress=progress,
        totals=totals,
        required=required,
        continue_code=continue_code,
        part_states=part_states(progress),
        unfinished=unfinished,
        history=queries.submitted_scans_of(current_user.id),
        submitted=scan is not None and scan.status == ScanStatus.SUBMITTED.value,
        **(previous or {"previous_plan": None}),
    )


@bp.route("/scan/<int:round_id>/<section_code>", methods=["GET", "POST"])
@require(Role.PROFESSIONAL)
def section(round_id: int, section_code: str) -> str | Response | tuple[str, int]:
    scan_round = _own_round(round_id)
    today = clock.today()
    sections = kenniskaart_queries.section_list(scan_round.version_id)
    index = next((i for i, s in enumerate(sections) if s.code == section_code), None)
    if index is None:
        abort(404)
    current = sections[index]
    items = kenniskaart_queries.section_items(current.id)
    scale = kenniskaart_queries.scale(scan_round.version_id)
    levels = [s.level for s in scale]
    scan = queries.scan_for(scan_round.id, current_user.id)
    editable = permissions.can_fill_in(current_user, scan_round, today) and (
        scan is None or scan.status == ScanStatus.DRAFT.value
    )
    saved = queries.answers(scan.id if scan else None)
    form = section_form(items)()
    status = 200
    conflict = False
    if request.method == "POST":
        if not editable:
            flash(_("This scan can no longer be changed."), "error")
            return redirect(url_for("assessment.overview"))
        form.validate()
        checked = services.check_section(items, levels, given_answers(form, items))
        for item in items:
            for key, message in checked.errors.get(item.id, {}).items():
                form[f"{key}-{item.code}"].errors = [*form[f"{key}-{item.code}"].errors, message]
        if checked.ok:
            try:
                if scan is None:
                    scan = services.start_scan(scan_round, current_user)
                    # A page loaded before the scan existed: nothing of the scan was saved before it.
                    expected = 0 if form.lock_version.data in ("", "0", None) else -1
                else:
                    expected = whole_number(form.lock_version.data)
                    expected = -1 if expected is None else expected
                services.save_section(scan, current.code, checked.values, expected, today)
                db.session.commit()
            except (services.StaleScan, IntegrityError):
                db.session.rollback()
                scan = queries.scan_for(scan_round.id, current_user.id)
                conflict = True
                status = 409
            else:
                flash(_("Saved."), "success")
                return redirect(_after_save(scan_round, sections, index, request.form.get("action", "save")))
        else:
            status = 422
    elif scan is not None:
        fill_form_from_answers(form, items, saved)
    # After a conflict the next save is based on what is stored now, so it overwrites knowingly.
    form.lock_version.data = str(scan.lock_version) if scan else "0"
    return render_template(
        "assessment/section.html",
        scan_round=scan_round,
        section=current,
        sections=sections,
        # Done / busy / not started per part, for the part navigation (one query).
        part_states=part_states(queries.progress(scan_round.version_id, scan.id if scan else None)),
        index=index,
        items=item_views(items, scale, saved),
        form=form,
        editable=editable,
        scan=scan,
        conflict=conflict,
        note_max=NOTE_MAX_LENGTH,
        # Goals of the previous POP, beside the items they were about, while scoring.
        previous_goals=hooks.ask(hooks.previous_goals, current_user.id, before=scan_round),
        previous_section=sections[index - 1] if index > 0 else None,
        next_section=sections[index + 1] if index + 1 < len(sections) else None,
    ), status


def part_states(progress: list[queries.SectionProgress]) -> dict[str, str]:
    """Per part code: "done" (every required item filled in; every item where none is required),
    "busy" (something filled in) or "todo" (nothing yet)."""
    states = {}
    for p in progress:
        finished = p.required_answered >= p.required if p.required else p.answered >= p.total
        states[p.code] = "done" if finished and p.answered else "busy" if p.answered else "todo"
    return states


def _after_save(scan_round: ScanRound, sections: list[Section], index: int, action: str) -> str:
    if action == "save_next":
        if index + 1 < len(sections):
            return url_for(
                "assessment.section", round_id=scan_round.id, section_code=sections[index + 1].code
            )
        return url_for("assessment.submit", round_id=scan_round.id)
    if action == "save_previous" and index > 0:
        return url_for("assessment.section", round_id=scan_round.id, section_code=sections[index - 1].code)
    return url_for("assessment.section", round_id=scan_round.id, section_code=sections[index].code)


@bp.route("/scan/<int:round_id>/indienen", methods=["GET", "POST"])
@require(Role.PROFESSIONAL)
def submit(round_id: int) -> str | Response | tuple[str, int]:
    scan_round = _own_round(round_id)
    today = clock.today()
    scan = queries.scan_for(scan_round.id, current_user.id)
    form = SubmitForm()
    if scan is not None and scan.status == ScanStatus.SUBMITTED.value:
        return redirect(url_for("assessment.result", round_id=scan_round.id))
    missing = queries.missing_required(scan_round.version_id, scan.id if scan else None)
    can_submit = permissions.can_fill_in(current_user, scan_round, today)
    if request.method == "POST" and form.validate():
        if not can_submit:
            flash(_("This scan can no longer be changed."), "error")
            return redirect(url_for("assessment.overview"))
        # A scan never started is simply incomplete: the page below lists every missing item.
        if scan is not None:
            try:
                services.submit(scan, current_user, today)
            except services.IncompleteScan as incomplete:
                db.session.rollback()
                missing = incomplete.missing
            else:
                db.session.commit()
                flash(_("Your scan has been submitted. Your team leader can now see it."), "success")
                return redirect(url_for("assessment.result", round_id=scan_round.id))
    # Check your answers: every part with what was filled in, once nothing required is left.
    sections = [] if missing else kenniskaart_queries.sections_with_items(scan_round.version_id)
    scale = [] if missing else kenniskaart_queries.scale(scan_round.version_id)
    return render_template(
        "assessment/submit.html",
        scan_round=scan_round,
        scan=scan,
        missing=missing,
        missing_by_part=_group_missing(missing),
        sections=sections,
        answers=queries.answers(scan.id if scan else None) if not missing else {},
        level_names={s.level: localized(s, "title") for s in scale},
        form=form,
        can_submit=can_submit,
        level_name=level_name,
    ), (422 if request.method == "POST" else 200)


def _group_missing(missing: list[tuple[Section, Item]]) -> list[tuple[Section, list[Item]]]:
    """The missing required items per part, in Kenniskaart order."""
    groups: dict[int, tuple[Section, list[Item]]] = {}
    for part, item in missing:
        groups.setdefault(part.id, (part, []))[1].append(item)
    return list(groups.values())


# --- team leader: rounds and statuses ------------------------------------------------------------


@bp.route("/teams/<int:team_id>/rondes/nieuw", methods=["GET", "POST"])
@require(Role.TEAMLEIDER, Role.BEHEERDER)
def new_round(team_id: int) -> str | Response | tuple[str, int]:
    team = load_or_404(Team, team_id)
    if not permissions.can_manage_rounds(current_user, team):
        abort(403)
    form = NewRoundForm()
    if form.validate_on_submit():
        try:
            scan_round = services.open_round(
                team,
                form.title.data or "",
                form.opens_on.data,
                form.closes_on.data,
                current_user,
                clock.today(),
            )
        except RuleError as error:
            refuse(error, form, default="title")
        else:
            db.session.commit()
            flash(_("The round “%(title)s” has been opened.", title=scan_round.title), "success")
            return redirect(url_for("assessment.round_status", team_id=team.id, round_id=scan_round.id))
    return render_template("assessment/new_round.html", team=team, form=form), (422 if form.errors else 200)


@bp.get("/teams/<int:team_id>/rondes/<int:round_id>")
@require(Role.TEAMLEIDER, Role.BEHEERDER)
def round_status(team_id: int, round_id: int) -> str:
    team = load_or_404(Team, team_id)
    scan_round = load_or_404(ScanRound, round_id)
    if scan_round.team_id != team.id:
        abort(404)
    if not permissions.can_manage_rounds(current_user, team):
        abort(403)
    members = queries.member_statuses(scan_round)
    return render_template(
        "assessment/round_status.html",
        team=team,
        scan_round=scan_round,
        status=scan_round.status(clock.today()).value,
        members=members,
        submitted=sum(1 for m in members if m.status is ScanStatus.SUBMITTED),
        can_reopen=leads_team(current_user, team.id),
    )


@bp.get("/scans/<int:scan_id>/antwoorden")
@require(Role.TEAMLEIDER)
def member_scan(scan_id: int) -> str:
    """A member's submitted answers with their notes ("toelichting of bewijs"), for their team leader."""
    scan = load_or_404(Scan, scan_id)
    if not permissions.can_view_submitted(current_user, scan):
        abort(403)
    scan_round = scan.round
    scale = kenniskaart_queries.scale(scan_round.version_id)
    return render_template(
        "assessment/member_scan.html",
        scan=scan,
        scan_round=scan_round,
        member=scan.user,
        sections=kenniskaart_queries.sections_with_items(scan_round.version_id),
        answers=queries.answers(scan.id),
        level_names={s.level: localized(s, "title") for s in scale},
    )


@bp.route("/scans/<int:scan_id>/heropenen", methods=["GET", "POST"])
@require(Role.TEAMLEIDER)
def reopen(scan_id: int) -> str | Response | tuple[str, int]:
    scan = load_or_404(Scan, scan_id)
    if not permissions.can_reopen(current_user, scan):
        abort(403)
    form = ReopenForm()
    if form.validate_on_submit():
        try:
            services.reopen(scan, current_user, form.reason.data or "", clock.today())
        except RuleError as error:
            refuse(error, form, default="reason")
        else:
            db.session.commit()
            flash(_("The scan of %(name)s has been reopened.", name=scan.user.display_name), "success")
            return redirect(
                url_for("assessment.round_status", team_id=scan.round.team_id, round_id=scan.round_id)
            )
    return render_template("assessment/reopen.html", scan=scan, form=form, history=queries.events(scan.id)), (
        422 if form.errors else 200
    )
