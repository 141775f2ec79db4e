"""Calibration, team priorities and agreements, and the session record of a teamschouw.

Every view: the team leader role, then team_round (404 / 403), then the work. Only submitted scans
are shown or calibrated. Load -> check -> service -> commit -> redirect (or re-render with errors).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from scan.access import Role, require
from scan.assessment import queries as assessment_queries
from scan.assessment.models import NOTE_MAX_LENGTH, Answer, ScanRound, ScanStatus
from scan.auth.models import User
from scan.core.rules import RuleError, refuse
from scan.core.safety import whole_number
from scan.db import load_or_404
from scan.extensions import db
from scan.i18n import localized
from scan.kenniskaart import queries as kenniskaart_queries
from scan.kenniskaart.models import SECTION_LEEFGEBIED, Item, Section
from scan.organisation.models import Team
from scan.teamschouw import bp, queries, services
from scan.teamschouw.coverage.build import load_coverage
from scan.teamschouw.forms import (
    AcceptSuggestionForm,
    ActionForm,
    GrowForm,
    MoveForm,
    OtherAgreementForm,
    PriorityForm,
    SessionForm,
    VraagbaakForm,
    agreed_name,
    calibration_form,
    given_calibrations,
    note_name,
)
from scan.teamschouw.loading import team_round
from scan.teamschouw.models import Agreement, AgreementKind, Calibration, TeamPriority
from scan.teamschouw.plan import queries as plan_queries
from scan.teamschouw.plan import suggestions

MAX_SUGGESTIONS = 10

# --- calibration ------------------------------------------------------------------------------------


@bp.get("/kalibratie")
@require(Role.TEAMLEIDER)
def calibration(team_id: int, round_id: int) -> str:
    team, scan_round = team_round(team_id, round_id)
    members = queries.submitted_members(scan_round)
    counts = plan_queries.calibrated_counts(scan_round)
    return render_template(
        "teamschouw/calibration.html",
        team=team,
        scan_round=scan_round,
        members=[(m, counts.get(m.scan_id, 0)) for m in members],
        total_items=plan_queries.scanned_item_count(scan_round.version_id),
    )


@dataclass(frozen=True)
class CalibrationRow:
    """One item on the calibration page: what the member said, what is agreed, and the history."""

    item: Item
    answer: Answer | None
    agreed_field: str
    note_field: str
    current: Calibration | None
    history: list[services.HistoryEntry]


@bp.route("/kalibratie/<int:scan_id>", methods=["GET", "POST"])
@require(Role.TEAMLEIDER)
def calibrate(team_id: int, round_id: int, scan_id: int) -> str | Response | tuple[str, int]:
    team, scan_round = team_round(team_id, round_id)
    scan = plan_queries.round_scan(scan_round, scan_id)
    if scan is None:
        abort(404)
    list_url = url_for("teamschouw.calibration", team_id=team.id, round_id=scan_round.id)
    if scan.status != ScanStatus.SUBMITTED.value:
        # A draft (or reopened) scan is private: nothing of it is shown, nothing is calibrated.
        flash(
            _(
                "This scan is not submitted, so it cannot be calibrated. "
                "It can be once it is submitted again."
            ),
            "error",
        )
        return redirect(list_url)
    sections = kenniskaart_queries.sections_with_items(scan_round.version_id)
    code = request.args.get("sectie")
    shown = sections
    if code:
        shown = [s for s in sections if s.code == code]
        if not shown:
            abort(404)
    items = [i for s in shown for i in s.items if not i.retired]
    scale = kenniskaart_queries.scale(scan_round.version_id)
    rows = plan_queries.calibrations(scan.id)
    form = calibration_form(items, scale, lambda s: localized(s, "title"))()
    status = 200
    conflict = False
    if request.method == "POST":
        form.validate()
        checked = services.check_calibration(items, [s.level for s in scale], given_calibrations(form, items))
        for item in items:
            for key, message in checked.errors.get(item.id, {}).items():
                name = agreed_name(item) if key == "level" else note_name(item)
                form[name].errors = [*form[name].errors, message]
        if checked.ok:
            seen = form.last_seen.data or ""
            try:
                changed = services.calibrate(
                    scan, checked.values, current_user, _or_minus_one(whole_number(seen))
                )
            except services.StaleCalibration:
                db.session.rollback()
                rows = plan_queries.calibrations(scan.id)
                conflict = True
                status = 409
            except services.NotSubmitted:
                db.session.rollback()
                return redirect(list_url)
            else:
                db.session.commit()
                if changed:
                    flash(ngettext("%(num)d change saved.", "%(num)d changes saved.", changed), "success")
                else:
                    flash(_("Nothing changed."), "info")
                return redirect(
                    url_for(
                        "teamschouw.calibrate",
                        team_id=team.id,
                        round_id=scan_round.id,
                        scan_id=scan.id,
                        sectie=code or None,
                    )
                )
        else:
            status = 422
    current = services.current_calibrations(rows)
    if request.method == "GET":
        for item in items:
            row = current.get(item.id)
            if row is not None:
                form[agreed_name(item)].data = "" if row.agreed_level is None else str(row.agreed_level)
                form[note_name(item)].data = row.note
    # After a conflict the next save is based on what is stored now, so it overwrites knowingly.
    form.last_seen.data = str(max((r.id for r in rows), default=0))
    answers = assessment_queries.answers(scan.id)
    history = services.calibration_history(rows)
    groups = [
        (
            section,
            [
                CalibrationRow(
                    item,
                    answers.get(item.id),
                    agreed_name(item),
                    note_name(item),
                    current.get(item.id),
                    history.get(item.id, []),
                )
                for item in section.items
                if not item.retired
            ],
        )
        for section in shown
    ]
    return render_template(
        "teamschouw/calibration_scan.html",
        team=team,
        scan_round=scan_round,
        scan=scan,
        member=scan.user,
        sections=sections,
        current_code=code,
        groups=groups,
        form=form,
        conflict=conflict,
        level_names={s.level: localized(s, "title") for s in scale},
        note_max=NOTE_MAX_LENGTH,
    ), status


# --- priorities and agreements ---------------------------------------------------------------------


def _target_choices(sections: list[Section], placeholder: str) -> list[SelectChoice]:
    """A leefgebied as a whole, then its items, grouped per section."""
    choices = [SelectChoice("", placeholder)]
    for section in sections:
        group = f"{section.code} {localized(section, 'title')}"
        label = (
            _("Whole leefgebied: %(title)s", title=localized(section, "title"))
            if section.kind == SECTION_LEEFGEBIED
            else _("All of: %(title)s", title=localized(section, "title"))
        )
        choices.append(SelectChoice(f"section:{section.id}", label, optgroup=group))
        for item in section.items:
            if not item.retired:
                choices.append(
                    SelectChoice(f"item:{item.id}", f"{item.code} {localized(item, 'title')}", optgroup=group)
                )
    return choices


def _member_choices(members: list[User]) -> list[SelectChoice]:
    return [SelectChoice("", _("Choose a member")), *(SelectChoice(str(m.id), m.full_name) for m in members)]


@dataclass(frozen=True)
class SuggestionView:
    suggestion: suggestions.Suggestion
    reason: str
    accepted: bool


def _suggestions(scan_round: ScanRound, sections: list[Section]) -> tuple[list[suggestions.Suggestion], int]:
    """The ranked suggestions and the number of submitted members they are based on."""
    items = [
        suggestions.ItemInfo(i.id, i.code, s.code, i.level_kind, i.title_nl, i.title_en)
        for s in sections
        for i in s.items
        if not i.retired
    ]
    members = len(queries.submitted_members(scan_round))
    ranked = suggestions.rank(
        items, queries.team_answers(scan_round), members, scan_round.version.norms, load_coverage(scan_round)
    )
    return ranked, members


def _priorities_page(
    team: Team, scan_round: ScanRound, failed: Any = None, status: int = 200, **given: Any
) -> tuple[str, int]:
    """The whole page; after a failed POST, `given` holds that form (with what was typed)."""
    sections = kenniskaart_queries.sections_with_items(scan_round.version_id)
    members = plan_queries.team_members(team.id)
    forms = {
        "priority_form": PriorityForm(prefix="priority", formdata=None),
        "vraagbaak_form": VraagbaakForm(prefix="vraagbaak", formdata=None),
        "grow_form": GrowForm(prefix="grow", formdata=None),
        "other_form": OtherAgreementForm(prefix="other", formdata=None),
    }
    forms.update(given)
    forms["priority_form"].target.choices = _target_choices(sections, _("Choose an item or a leefgebied"))
    forms["vraagbaak_form"].target.choices = _target_choices(sections, _("Choose an item or a leefgebied"))
    forms["vraagbaak_form"].member.choices = _member_choices(members)
    forms["grow_form"].member.choices = _member_choices(members)
    forms["grow_form"].section.choices = [
        SelectChoice("", _("Choose a leefgebied")),
        *(
            SelectChoice(str(s.id), f"{s.code} {localized(s, 'title')}")
            for s in sections
            if s.kind == SECTION_LEEFGEBIED
        ),
    ]
    priorities = plan_queries.priorities(scan_round.id)
    prioritised = {p.item_id for p in priorities if p.item_id is not None}
    ranked, submitted = _suggestions(scan_round, sections)
    agreements = plan_queries.agreements(scan_round.id)
    return render_template(
        "teamschouw/priorities.html",
        team=team,
        scan_round=scan_round,
        priorities=priorities,
        suggestions=[
            SuggestionView(s, suggestions.reason(s), s.item_id in prioritised)
            for s in ranked[:MAX_SUGGESTIONS]
        ],
        suggestions_total=len(ranked),
        submitted=submitted,
        vraagbaak=[a for a in agreements if a.kind == AgreementKind.VRAAGBAAK],
        growing=[a for a in agreements if a.kind == AgreementKind.GROW],
        others=[a for a in agreements if a.kind == AgreementKind.OTHER],
        failed=failed,
        page_has_errors=bool(failed and failed.errors),
        **forms,
    ), status


def _get(model: type[Any], value: str) -> Any:
    """The row whose id the form sent, or None (also for text that is no id at all)."""
    ident = whole_number(value)
    return db.session.get(model, ident) if ident is not None else None


def _or_minus_one(value: int | None) -> int:
    return -1 if value is None else value


def _back(team: Team, scan_round: ScanRound, anchor: str) -> Response:
    return redirect(url_for("teamschouw.priorities", team_id=team.id, round_id=scan_round.id, _anchor=anchor))


@bp.get("/prioriteiten")
@require(Role.TEAMLEIDER)
def priorities(team_id: int, round_id: int) -> tuple[str, int]:
    team, scan_round = team_round(team_id, round_id)
    return _priorities_page(team, scan_round)


@bp.post("/prioriteiten/toevoegen")
@require(Role.TEAMLEIDER)
def add_priority(team_id: int, round_id: int) -> Response | tuple[str, int]:
    team, scan_round = team_round(team_id, round_id)
    form = PriorityForm(prefix="priority")
    if form.validate():
        try:
            item, section = services.target_of(scan_round, form.target.data or "")
            services.add_priority(
                scan_round, current_user, reason=form.reason.data or "", item=item, section=section
            )
        except RuleError as error:
            refuse(error, form, default="target")
        else:
            db.session.commit()
            flash(_("The priority has been added."), "success")
            return _back(team, scan_round, "priorities-heading")
    return _priorities_page(team, scan_round, failed=form, status=422, priority_form=form)


@bp.post("/prioriteiten/overnemen")
@require(Role.TEAMLEIDER)
def accept_suggestion(team_id: int, round_id: int) -> Response:
    team, scan_round = team_round(team_id, round_id)
    form = AcceptSuggestionForm()
    wanted = form.item_id.data or ""
    sections = kenniskaart_queries.sections_with_items(scan_round.version_id)
    # The suggestion is computed again here: the facts stored are the app's, not what the page sent.
    found = next((s for s in _suggestions(scan_round, sections)[0] if str(s.item_id) == wanted), None)
    if not form.validate() or found is None:
        flash(_("This suggestion is no longer there; the page shows the current ones."), "error")
        return _back(team, scan_round, "suggestions-heading")
    try:
        services.add_priority(
            scan_round,
            current_user,
            reason=suggestions.reason(found),
            item=db.session.get(Item, found.item_id),
            source=services.SOURCE_SUGGESTED,
            # Stored as facts, so every reader gets the reason in their own language.
            reason_facts=suggestions.facts(found),
        )
    except RuleError as error:
        refuse(error)
    else:
        db.session.commit()
        flash(_("%(code)s has been added to the priorities.", code=found.code), "success")
    return _back(team, scan_round, "suggestions-heading")


def _round_priority(scan_round: ScanRound, priority_id: int) -> TeamPriority:
    priority = load_or_404(TeamPriority, priority_id)
    if priority.round_id != scan_round.id:
        abort(404)
    return priority


@bp.post("/prioriteiten/<int:priority_id>/verplaatsen")
@require(Role.TEAMLEIDER)
def move_priority(team_id: int, round_id: int, priority_id: int) -> Response:
    team, scan_round = team_round(team_id, round_id)
    priority = _round_priority(scan_round, priority_id)
    form = MoveForm()
    if form.validate() and form.direction.data in ("up", "down"):
        services.move_priority(priority, up=form.direction.data == "up")
        db.session.commit()
    return _back(team, scan_round, f"priority-{priority.id}")


@bp.post("/prioriteiten/<int:priority_id>/verwijderen")
@require(Role.TEAMLEIDER)
def remove_priority(team_id: int, round_id: int, priority_id: int) -> Response:
    team, scan_round = team_round(team_id, round_id)
    priority = _round_priority(scan_round, priority_id)
    if ActionForm().validate():
        services.remove_priority(priority)
        db.session.commit()
        flash(_("The priority has been removed."), "success")
    return _back(team, scan_round, "priorities-heading")


@bp.post("/afspraken/vraagbaak")
@require(Role.TEAMLEIDER)
def add_vraagbaak(team_id: int, round_id: int) -> Response | tuple[str, int]:
    team, scan_round = team_round(team_id, round_id)
    form = VraagbaakForm(prefix="vraagbaak")
    if form.validate():
        try:
            item, section = services.target_of(scan_round, form.target.data or "")
            member_id = form.member.data or ""
            member = _get(User, member_id)
            agreement = services.add_vraagbaak(scan_round, member, current_user, item=item, section=section)
        except RuleError as error:
            refuse(error, form, default="member")
        else:
            db.session.commit()
            flash(
                _(
                    "%(name)s has been asked to be the go-to colleague. They appear on the list once they "
                    "accept in the app.",
                    name=agreement.member.full_name if agreement.member else "",
                ),
                "success",
            )
            return _back(team, scan_round, "vraagbaak-heading")
    return _priorities_page(team, scan_round, failed=form, status=422, vraagbaak_form=form)


@bp.post("/afspraken/groei")
@require(Role.TEAMLEIDER)
def add_grow(team_id: int, round_id: int) -> Response | tuple[str, int]:
    team, scan_round = team_round(team_id, round_id)
    form = GrowForm(prefix="grow")
    if form.validate():
        try:
            member_id, section_id = form.member.data or "", form.section.data or ""
            services.add_grow(
                scan_round,
                _get(User, member_id),
                _get(Section, section_id),
                form.text.data or "",
                current_user,
            )
        except RuleError as error:
            refuse(error, form, default="member")
        else:
            db.session.commit()
            flash(_("The agreement has been added."), "success")
            return _back(team, scan_round, "grow-heading")
    return _priorities_page(team, scan_round, failed=form, status=422, grow_form=form)


@bp.post("/afspraken/overig")
@require(Role.TEAMLEIDER)
def add_other(team_id: int, round_id: int) -> Response | tuple[str, int]:
    team, scan_round = team_round(team_id, round_id)
    form = OtherAgreementForm(prefix="other")
    if form.validate():
        try:
            services.add_other(scan_round, form.text.data or "", current_user)
        except RuleError as error:
            refuse(error, form, default="text")
        else:
            db.session.commit()
            flash(_("The agreement has been added."), "success")
            return _back(team, scan_round, "other-heading")
    return _priorities_page(team, scan_round, failed=form, status=422, other_form=form)


@bp.post("/afspraken/<int:agreement_id>/verwijderen")
@require(Role.TEAMLEIDER)
def remove_agreement(team_id: int, round_id: int, agreement_id: int) -> Response:
    team, scan_round = team_round(team_id, round_id)
    agreement = load_or_404(Agreement, agreement_id)
    if agreement.round_id != scan_round.id:
        abort(404)
    if ActionForm().validate():
        services.remove_agreement(agreement)
        db.session.commit()
        flash(_("The agreement has been removed."), "success")
    return _back(team, scan_round, "agreements-heading")


# --- the session ---------------------------------------------------------------------------------------


@bp.route("/sessie", methods=["GET", "POST"])
@require(Role.TEAMLEIDER)
def session(team_id: int, round_id: int) -> str | Response | tuple[str, int]:
    team, scan_round = team_round(team_id, round_id)
    saved = plan_queries.session_for(scan_round.id)
    members = plan_queries.team_members(team.id, also=[u.id for u in saved.attendees] if saved else None)
    form = SessionForm()
    form.attendees.choices = [SelectChoice(str(m.id), m.full_name) for m in members]
    if request.method == "GET" and saved is not None:
        form.held_on.data = saved.held_on
        form.attendees.data = [str(u.id) for u in saved.attendees]
        form.notes.data = saved.notes
        form.decisions.data = saved.decisions
    if form.validate_on_submit():
        chosen = set(form.attendees.data or [])
        try:
            services.save_session(
                scan_round,
                current_user,
                held_on=form.held_on.data,
                attendees=[m for m in members if str(m.id) in chosen],
                notes=form.notes.data or "",
                decisions=form.decisions.data or "",
            )
        except RuleError as error:
            refuse(error, form, default="notes")
        else:
            db.session.commit()
            flash(_("The session has been saved."), "success")
            return redirect(url_for("teamschouw.session", team_id=team.id, round_id=scan_round.id))
    return render_template(
        "teamschouw/session.html",
        team=team,
        scan_round=scan_round,
        form=form,
        members=members,
        saved=saved,
    ), (422 if request.method == "POST" else 200)
