"""The POP (personal development plan) as a PDF: one version, as the professional and team leader agreed it.

Pure: plain data in, bytes out; no database, no request. Labels go through flask_babel inside
`force_locale(lang)`, so call `render_pop` inside an application context; the same `lang` picks the
Dutch or English titles of the Kenniskaart items and is written into the PDF as its language. Signing
times are stored in UTC and printed in Europe/Amsterdam.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from babel.numbers import format_decimal
from flask_babel import force_locale
from flask_babel import gettext as _
from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table

from scan.catalogue.activities import ACTION_TYPE_LABELS
from scan.core.downloads import attachment_name_part
from scan.core.pdf import (
    Styles,
    build_document,
    data_table,
    label_table,
    pick,
    register_fonts,
    user_text,
)
from scan.i18n import format_day, format_moment
from scan.pop.labels import ACTION_STATUS_LABELS, SHARED_REASON_KIND_LABELS, VERSION_STATUS_LABELS
from scan.pop.models import PopStatus
from scan.pop.reasons import reason_sentence

# Actions that no longer happen do not count towards the plan's hours and points.
NOT_COUNTED = frozenset({"vervallen"})


@dataclass(frozen=True)
class ActionRow:
    type: str  # one of ACTION_TYPES
    description: str
    status: str  # one of ACTION_STATUSES
    hours: Decimal = Decimal("0")
    points: int = 0
    training_title: str = ""
    training_provider: str = ""
    colleague: str = ""  # a vraagbaak colleague's name for meelopen or coaching
    planned_from: date | None = None
    planned_until: date | None = None
    reflection: str = ""


@dataclass(frozen=True)
class GoalRow:
    item_code: str
    title_nl: str
    title_en: str
    reason_kind: str  # "team_priority", "ambition" or "own"
    reason: str = ""  # typed (or legacy) text; see scan.pop.reasons
    description: str = ""
    target_level: int | None = None
    actions: tuple[ActionRow, ...] = ()
    # The facts the reason sentence is built from, in the document's language.
    reason_level: int | None = None
    reason_ambition: int | None = None
    reason_level_agreed: bool | None = None
    reason_facts: Mapping[str, Any] | None = None  # a team priority's facts (scan.teamschouw.reasons)


@dataclass(frozen=True)
class Signature:
    name: str
    signed_at: datetime | None  # UTC; None when not signed yet


@dataclass(frozen=True)
class PopPdfData:
    professional: str
    username: str
    team_name: str
    team_code: str
    round_title: str
    opens_on: date
    closes_on: date
    kenniskaart_code: str
    kenniskaart_number: int
    kenniskaart_label: str
    kenniskaart_title_nl: str
    kenniskaart_title_en: str
    version_number: int
    version_count: int
    status: str  # a PopStatus value
    generated_on: date
    professional_signature: Signature
    leader_signature: Signature
    leader_comment: str = ""
    goals: tuple[GoalRow, ...] = ()


def pop_filename(data: PopPdfData) -> str:
    """`pop-<username>-<round opening date>-v<N>.pdf`, safe inside a quoted header value."""
    name = attachment_name_part(data.username, "pop")
    return f"pop-{name}-{data.opens_on.isoformat()}-v{data.version_number}.pdf"


def totals(goals: tuple[GoalRow, ...]) -> tuple[Decimal, int]:
    """Planned hours and accreditation points of every action that has not been dropped."""
    counted = [a for g in goals for a in g.actions if a.status not in NOT_COUNTED]
    return sum((a.hours for a in counted), Decimal("0")), sum(a.points for a in counted)


def _labels(labels: dict[str, Any]) -> dict[str, str]:
    """The drafting pages' labels (lazy strings), in the current locale: paper and screen say the same."""
    return {key: str(label) for key, label in labels.items()}


def action_type_labels() -> dict[str, str]:
    return _labels(ACTION_TYPE_LABELS)


def action_status_labels() -> dict[str, str]:
    return _labels(ACTION_STATUS_LABELS)


def reason_labels() -> dict[str, str]:
    """The reason kinds as both signers read them (never "your own ambition": the leader prints it too)."""
    return _labels(SHARED_REASON_KIND_LABELS)


def pop_status_labels() -> dict[str, str]:
    return _labels(VERSION_STATUS_LABELS)




class _Format:
    """Dates, times and numbers in the document's language, without a request."""

    def __init__(self, lang: str) -> None:
        self.locale = "en_GB" if lang == "en" else "nl_NL"

    def date(self, value: date) -> str:
        return format_day(value, locale=self.locale)

    def short_date(self, value: date) -> str:
        return format_day(value, locale=self.locale)

    def moment(self, value: datetime) -> str:
        """The one moment format of scan.i18n ("20 maart 2027, 10:15"), in Dutch time."""
        return format_moment(value, locale=self.locale)

    def hours(self, value: Decimal) -> str:
        return format_decimal(value, "#,##0.#", locale=self.locale)


def _label_table(rows: list[tuple[str, str]], s: Styles) -> Table:
    return label_table([(label, user_text(value) or "–") for label, value in rows], s)


def _meta(data: PopPdfData, lang: str, s: Styles, f: _Format) -> Table:
    kenniskaart = _("%(title)s – %(code)s, version %(number)d (%(label)s)",
                    title=pick(lang, data.kenniskaart_title_nl, data.kenniskaart_title_en),
                    code=data.kenniskaart_code, number=data.kenniskaart_number, label=data.kenniskaart_label)
    period = _("%(start)s to %(end)s", start=f.date(data.opens_on), end=f.date(data.closes_on))
    version = _("Version %(number)d of %(count)d: %(status)s", number=data.version_number,
                count=data.version_count, status=pop_status_labels().get(data.status, data.status))
    rows = [
        (_("Name"), data.professional),
        (_("Team"), f"{data.team_name} ({data.team_code})"),
        (_("Round"), f"{data.round_title} ({period})"),
        (_("Kenniskaart"), kenniskaart),
        (_("Plan version"), version),
    ]
    if data.leader_comment and data.status in (PopStatus.RETURNED, PopStatus.AGREED, PopStatus.SIGNED):
        rows.append((_("Comment of the team leader"), data.leader_comment))
    rows.append((_("Printed on"), f.date(data.generated_on)))
    return _label_table(rows, s)


def _period(action: ActionRow, f: _Format) -> str:
    start = f.short_date(action.planned_from) if action.planned_from else ""
    end = f.short_date(action.planned_until) if action.planned_until else ""
    if start and end:
        return f"{start} – {end}"
    return start or end or "–"


def _action_cell(action: ActionRow, s: Styles) -> list[Any]:
    type_label = action_type_labels().get(action.type, action.type)
    parts: list[Any] = [Paragraph(escape(type_label), s.cell_bold)]
    if action.description:
        parts.append(Paragraph(user_text(action.description), s.cell))
    if action.training_title:
        training = action.training_title
        if action.training_provider:
            training = _("%(title)s (%(provider)s)", title=action.training_title,
                         provider=action.training_provider)
        label = _("Training from the catalogue")
        parts.append(Paragraph(f"{escape(label)}: {escape(training)}", s.cell))
    if action.colleague:
        label = _("Colleague")
        parts.append(Paragraph(f"{escape(label)}: {escape(action.colleague)}", s.cell))
    if action.reflection:
        label = _("Reflection")
        parts.append(Paragraph(f"<b>{escape(label)}:</b> {user_text(action.reflection)}", s.cell))
    return parts


def _actions_table(goal: GoalRow, s: Styles, f: _Format) -> Table:
    header = [_("Action"), _("Planned period"), _("Hours"), _("Points"), _("Status")]
    rows: list[list[Any]] = [[Paragraph(escape(h), s.cell_bold) for h in header]]
    statuses = action_status_labels()
    for action in goal.actions:
        rows.append([
            _action_cell(action, s),
            Paragraph(escape(_period(action, f)), s.cell),
            f.hours(action.hours),
            str(action.points),
            Paragraph(escape(statuses.get(action.status, action.status)), s.cell),
        ])
    widths = [6.7 * cm, 3.4 * cm, 1.6 * cm, 1.8 * cm, 3.5 * cm]
    # Hours and points right-aligned; the status after them is text.
    return data_table(rows, widths, extra=[("ALIGN", (2, 1), (3, -1), "RIGHT")])


def _goals(data: PopPdfData, lang: str, s: Styles, f: _Format) -> list[Any]:
    if not data.goals:
        return [Paragraph(escape(_("No goals in this version.")), s.body)]
    reasons = reason_labels()
    reason_label, goal_label, target_label = _("Reason"), _("Learning goal"), _("Target level")
    parts: list[Any] = []
    for n, goal in enumerate(data.goals, start=1):
        heading = _("Goal %(number)d: %(code)s %(title)s", number=n, code=goal.item_code,
                    title=pick(lang, goal.title_nl, goal.title_en))
        reason = reasons.get(goal.reason_kind, goal.reason_kind)
        sentence = reason_sentence(goal.reason_kind, goal.reason, goal.reason_level, goal.reason_ambition,
                                   goal.reason_level_agreed, shared=True, facts=goal.reason_facts)
        if sentence:
            reason = f"{reason} – {sentence}"
        block: list[Any] = [
            Paragraph(escape(heading), s.h3),
            Paragraph(f"<b>{escape(reason_label)}:</b> {user_text(reason)}", s.body),
        ]
        if goal.description:
            block.append(Paragraph(f"<b>{escape(goal_label)}:</b> {user_text(goal.description)}", s.body))
        if goal.target_level is not None:
            block.append(Paragraph(f"<b>{escape(target_label)}:</b> {goal.target_level}", s.body))
        if goal.actions:
            block.append(_actions_table(goal, s, f))
        else:
            block.append(Paragraph(escape(_("No actions yet.")), s.body))
        # The heading stays with its first lines; a long table may still break over pages.
        parts.append(KeepTogether(block[:3]))
        parts.extend(block[3:])
    return parts


def _totals(data: PopPdfData, s: Styles, f: _Format) -> list[Any]:
    hours, points = totals(data.goals)
    return [
        _label_table([(_("Planned hours"), f.hours(hours)), (_("Accreditation points"), str(points))], s),
        Paragraph(escape(_("Dropped actions are not counted. Whether points count for re-registration "
                           "(SKJ, Registerplein) is checked per register.")), s.small),
    ]


def _signatures(data: PopPdfData, s: Styles, f: _Format) -> list[Any]:
    rows = []
    for role, signature in ((_("Professional"), data.professional_signature),
                            (_("Team leader"), data.leader_signature)):
        if signature.signed_at is None:
            when = _("not signed yet")
        else:
            when = _("signed on %(moment)s", moment=f.moment(signature.signed_at))
        rows.append((role, f"{signature.name}: {when}" if signature.name else when))
    return [_label_table(rows, s)]


def render_pop(data: PopPdfData, lang: str) -> bytes:
    """One POP version as PDF bytes, in `lang` ("nl" or "en"). Needs an application context."""
    register_fonts()
    with force_locale(lang):
        s = Styles()
        f = _Format(lang)
        title = _("Personal development plan %(name)s – %(round)s", name=data.professional,
                  round=data.round_title)
        version = _("version %(number)d", number=data.version_number)
        footer_left = f"{data.professional} · {data.round_title} · {version}"
        story: list[Any] = [
            Paragraph(user_text(title), s.title),
            _meta(data, lang, s, f),
            Paragraph(escape(_("Goals and actions")), s.h2),
            *_goals(data, lang, s, f),
            Spacer(1, 6),
            Paragraph(escape(_("Totals")), s.h2),
            *_totals(data, s, f),
            Paragraph(escape(_("Signatures")), s.h2),
            *_signatures(data, s, f),
        ]
        return build_document(story, title=title, subject=_("Personal development plan"), lang=lang,
                              footer_left=footer_left)
