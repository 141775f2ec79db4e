"""The forms of the regional pages: the filter (a GET form: bookmarkable, no CSRF, changes nothing) and
the period a coordinator defines and publishes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length
from wtforms.widgets import Select

from scan.core.fields import DateField
from scan.i18n import format_day
from scan.kenniskaart.models import LEVEL_ALGEMEEN, LEVEL_GENERIC, LEVEL_SPECIALISTISCH
from scan.regio.services import Selection

LEVEL_CHOICES = [
    SelectChoice("", _l("All levels")),
    SelectChoice(LEVEL_GENERIC, _l("Generic competencies")),
    SelectChoice(LEVEL_ALGEMEEN, _l("General (algemeen)")),
    SelectChoice(LEVEL_SPECIALISTISCH, _l("Specialist (specialistisch)")),
]


class QuickSelect(Select):
    """WTForms' select, its plain options written without html_params: the filter lists every municipality
    of the region on every regional page and download (hundreds in a national region), and the per-option
    attribute handling took 4 ms for 200 options, a fifth of a page's time. The same HTML."""

    @classmethod
    def render_option(cls, choice: Any, **kwargs: Any) -> Markup:
        if kwargs or choice.render_kw or isinstance(choice.value, bool):
            return super().render_option(choice, **kwargs)
        selected = "selected " if choice.selected else ""
        label = choice.label or choice.value
        return Markup(f'<option {selected}value="{escape(choice.value)}">{escape(label)}</option>')


class FilterForm(FlaskForm):
    class Meta:
        csrf = False

    publication = SelectField(_l("Publication"), choices=[], coerce=int, default=0, widget=QuickSelect())
    municipality = SelectField(_l("Municipality"), choices=[], coerce=int, default=0, widget=QuickSelect())
    level = SelectField(_l("Level"), choices=LEVEL_CHOICES, default="")

    def __init__(self, *args: Any, municipalities: list[tuple[int, str]] | None = None,
                 publications: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.municipality.choices = [SelectChoice(0, str(_l("All municipalities"))),
                                     *(SelectChoice(value, label) for value, label in municipalities or [])]
        self.publication.choices = [SelectChoice(0, str(_l("The newest publication"))),
                                    *(SelectChoice(value, label) for value, label in publications or [])]

    def selection(self) -> Selection:
        return Selection(publication_id=self.publication.data or None,
                         municipality_id=self.municipality.data or None, level_kind=self.level.data or None)


def publication_label(pub: Any) -> str:
    label = pub.period.name
    if pub.number > 1:
        label += " " + str(_l("(correction %(number)d)", number=pub.number - 1))
    return label


def filter_form(region_id: int | None) -> tuple[FilterForm, Selection, bool]:
    """The filter from the query string: (form, selection to show, whether the filter was valid).

    An invalid filter (a municipality or publication that is not the region's) shows the default selection
    and the form's errors; the typed values stay in the form.
    """
    from flask import request

    from scan.regio import queries, services

    form = FilterForm(
        request.args,
        municipalities=queries.municipalities(region_id),
        publications=[(p.id, publication_label(p)) for p in services.current_publications(region_id)],
    )
    valid = form.validate() if request.args else True
    selection = form.selection() if valid else Selection()
    # The page of municipalities is not a filter: a number that is not one shows the first page.
    number = request.args.get("page", default=1, type=int) or 1
    return form, replace(selection, page=max(number, 1)), valid


class PeriodForm(FlaskForm):
    name = StringField(_l("Name of the period"), validators=[DataRequired(), Length(max=100)],
                       description=_l("For example “najaar 2026”."))
    first_day = DateField(_l("First opening date"), validators=[DataRequired()])
    last_day = DateField(_l("Last opening date"), validators=[DataRequired()],
                         description=_l("Every round of the region's teams that opened from the first up to "
                                        "and including this day is counted in the period."))

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if self.first_day.data and self.last_day.data and self.first_day.data > self.last_day.data:
            self.last_day.errors = [*self.last_day.errors, _l("The last day cannot be before the first day.")]
            ok = False
        return ok


def period_text(first: date, last: date) -> str:
    return f"{format_day(first)} – {format_day(last)}"
