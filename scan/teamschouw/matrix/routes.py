"""The team matrix, the coverage per leefgebied and the team norms: only the team's own leader.

Each view: role check, load team and round (404) and check the leader (403), then read and render.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import Field, StringField
from wtforms.validators import StopValidation

from scan.access import Role, require
from scan.assessment.models import ScanRound
from scan.audit import actions as audit_actions
from scan.audit.services import record
from scan.core import clock
from scan.core.downloads import XLSX_MIME, attachment_name_part, download
from scan.core.files import Sheet, write_workbook
from scan.extensions import db
from scan.i18n import localized
from scan.kenniskaart import queries as kenniskaart_queries
from scan.kenniskaart.models import LEVEL_ALGEMEEN, LEVEL_GENERIC, LEVEL_SPECIALISTISCH
from scan.organisation.models import Team
from scan.teamschouw import bp, queries
from scan.teamschouw.coverage import queries as coverage_queries
from scan.teamschouw.coverage.build import (
    NORM_MAX,
    NORM_MIN,
    CoverageNorms,
    load_coverage,
    save_team_norms,
    status_labels,
)
from scan.teamschouw.coverage.queries import SectionRow
from scan.teamschouw.loading import team_round
from scan.teamschouw.matrix.build import LEVEL_ALL, Matrix, build_matrix, workbook_rows

PROJECTOR = "projector"


def _level_filters() -> list[tuple[str, str]]:
    return [
        (LEVEL_ALL, _("All kinds of items")),
        (LEVEL_GENERIC, _("Generic competencies")),
        (LEVEL_ALGEMEEN, _("General knowledge")),
        (LEVEL_SPECIALISTISCH, _("Specialist knowledge")),
    ]


PREVIOUS = "vorige"


def _matrix_for(scan_round: ScanRound, with_previous: bool) -> tuple[Matrix, ScanRound | None]:
    """The filtered matrix, with the previous round's levels beside each cell when asked for (and there
    is a previous round): a fixed number of queries whatever the team's size."""
    sections, items = coverage_queries.matrix_columns(scan_round.version_id)
    members = queries.submitted_members(scan_round)
    previous_round = queries.previous_round(scan_round) if with_previous else None
    previous = None
    if previous_round is not None:
        by_user = queries.previous_levels(previous_round, [m.user_id for m in members])
        scan_of = {m.user_id: m.scan_id for m in members}
        previous = {(scan_of[user_id], code): level for (user_id, code), level in by_user.items()}
    table = build_matrix(
        sections,
        items,
        members,
        queries.team_answers(scan_round),
        section_code=request.args.get("sectie"),
        level_kind=request.args.get("niveau"),
        previous=previous,
    )
    return table, previous_round


@bp.get("/matrix")
@require(Role.TEAMLEIDER)
def matrix(team_id: int, round_id: int) -> str:
    team, scan_round = team_round(team_id, round_id)
    with_previous = request.args.get(PREVIOUS) == "1"
    table, previous_round = _matrix_for(scan_round, with_previous)
    scale = kenniskaart_queries.scale(scan_round.version_id)
    filters = _level_filters()
    return render_template(
        "teamschouw/matrix.html",
        team=team,
        scan_round=scan_round,
        matrix=table,
        level_filters=filters,
        level_label=dict(filters)[table.level_kind],
        scale=scale,
        projector=request.args.get("weergave") == PROJECTOR,
        with_previous=with_previous,
        previous_round=previous_round,
    )


@bp.get("/matrix.xlsx")
@require(Role.TEAMLEIDER)
def matrix_xlsx(team_id: int, round_id: int) -> Response:
    """The matrix as a workbook: levels, ambitions, the previous round's levels and the items, as
    numbers. Only the team's own leader; recorded in the audit log like every export."""
    team, scan_round = team_round(team_id, round_id)
    table, previous_round = _matrix_for(scan_round, with_previous=True)
    header, levels, ambitions, previous = workbook_rows(table, _("n/a"))
    header[0] = _("Member")
    sheets = [
        Sheet(_("Levels"), header, levels, bold_header=True),
        Sheet(_("Ambitions"), header, ambitions, bold_header=True),
    ]
    if previous_round is not None:
        sheets.append(Sheet(_("Previous round"), header, previous, bold_header=True))
    sheets.append(Sheet(_("Items"), [_("Code"), _("Section"), _("Item")],
                        [[c.code, g.code, localized(c, "title")] for g in table.groups for c in g.columns],
                        bold_header=True))
    body = write_workbook(sheets)
    record(audit_actions.EXPORT, object_type="teamschouw.matrix.xlsx", object_id=team.id,
           facts={"round": scan_round.id})
    db.session.commit()
    code = attachment_name_part(team.code, "team")
    return download(body, f"teammatrix-{code}-{clock.today().isoformat()}.xlsx", XLSX_MIME)


class _NormsFormBase(FlaskForm):
    pass


def norm_field_name(code: str) -> str:
    return f"norm-{code}"


class _WholeNumberInRange:
    """A whole number from NORM_MIN to NORM_MAX, with the leefgebied named in the message."""

    def __init__(self, section_title: str) -> None:
        self.section_title = section_title

    def __call__(self, form: FlaskForm, field: Field) -> None:
        raw = (field.data or "").strip()
        if not raw:
            raise StopValidation(
                _("Enter how many specialists %(section)s needs, from %(min)d to %(max)d.",
                  section=self.section_title, min=NORM_MIN, max=NORM_MAX)
            )
        # ASCII digits only: str.isdigit() also accepts "²", which int() refuses.
        if not re.fullmatch(r"[0-9]{1,3}", raw) or not NORM_MIN <= int(raw) <= NORM_MAX:
            raise StopValidation(
                _("The number of specialists for %(section)s must be a whole number from %(min)d to %(max)d.",
                  section=self.section_title, min=NORM_MIN, max=NORM_MAX)
            )


def norms_form(sections: list[SectionRow], current: dict[str, int], default: int) -> Any:
    """One number field per leefgebied, labelled with its title, filled with the norm in force.

    A text input with inputmode="numeric" (set in the template), not type="number": a number input
    drops what was typed when it is not a number, and the page must show it back with the error.
    """
    attrs: dict[str, object] = {}
    for section in sections:
        title = localized(section, "title")
        attrs[norm_field_name(section.code)] = StringField(
            f"{section.code} · {title}",
            validators=[_WholeNumberInRange(title)],
            default=str(current.get(section.code, default)),
        )
    return type("TeamNormsForm", (_NormsFormBase,), attrs)()


@dataclass(frozen=True)
class _CoverageContext:
    sections: list[SectionRow]
    norms: dict[str, Any]
    rules: CoverageNorms
    team_norms: dict[str, int]


def _coverage_context(scan_round: ScanRound) -> _CoverageContext:
    norms = kenniskaart_queries.version_norms(scan_round.version_id)
    return _CoverageContext(
        sections=coverage_queries.leefgebied_sections(scan_round.version_id),
        norms=norms,
        rules=CoverageNorms.from_norms(norms),
        team_norms=coverage_queries.team_norms(scan_round.team_id),
    )


def _norms_form(ctx: _CoverageContext) -> Any:
    return norms_form(ctx.sections, ctx.team_norms, ctx.rules.specialists_min)


def _coverage_page(team: Team, scan_round: ScanRound, ctx: _CoverageContext) -> str:
    rows = load_coverage(scan_round, sections=ctx.sections, norms=ctx.norms, team_norms=ctx.team_norms)
    members = rows[0].members if rows else len(queries.submitted_members(scan_round))
    return render_template(
        "teamschouw/coverage.html",
        team=team,
        scan_round=scan_round,
        rows=rows,
        members=members,
        rules=ctx.rules,
        status_labels=status_labels(),
        chart_max=max([members, *(r.norm for r in rows), 1]),
        team_norms_set=bool(ctx.team_norms),
    )


def _norms_page(team: Team, scan_round: ScanRound, ctx: _CoverageContext, form: Any) -> str:
    return render_template(
        "teamschouw/norms.html",
        team=team,
        scan_round=scan_round,
        rules=ctx.rules,
        form=form,
        field_name=norm_field_name,
        sections=ctx.sections,
    )


@bp.get("/dekking")
@require(Role.TEAMLEIDER)
def coverage(team_id: int, round_id: int) -> str:
    team, scan_round = team_round(team_id, round_id)
    ctx = _coverage_context(scan_round)
    return _coverage_page(team, scan_round, ctx)


@bp.route("/normen", methods=["GET", "POST"])
@require(Role.TEAMLEIDER)
def norms(team_id: int, round_id: int) -> str | tuple[str, int] | Response:
    """The team norms on their own page: the coverage page links here and shows the result."""
    team, scan_round = team_round(team_id, round_id)
    ctx = _coverage_context(scan_round)
    form = _norms_form(ctx)
    if request.method == "GET":
        return _norms_page(team, scan_round, ctx, form)
    if form.validate_on_submit():
        values = {s.code: int(form[norm_field_name(s.code)].data.strip()) for s in ctx.sections}
        save_team_norms(team.id, values, current_user.id)
        db.session.commit()
        flash(_("The team norms are saved."), "success")
        return redirect(url_for("teamschouw.coverage", team_id=team.id, round_id=scan_round.id))
    return _norms_page(team, scan_round, ctx, form), 422
