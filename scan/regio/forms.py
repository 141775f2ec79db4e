"""The filter of the regional pages: a GET form (bookmarkable, no CSRF: it changes nothing)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField
from wtforms.validators import Optional

from scan.kenniskaart.models import LEVEL_ALGEMEEN, LEVEL_GENERIC, LEVEL_SPECIALISTISCH
from scan.regio.services import Selection

LATEST = "latest"
PERIOD = "period"


class FilterForm(FlaskForm):
    class Meta:
        csrf = False

    rounds = RadioField(
        _l("Rounds"),
        choices=[
            (LATEST, _l("The latest round of each team")),
            (PERIOD, _l("Rounds that opened in a period")),
        ],
        default=LATEST,
    )
    first = DateField(_l("From (first opening date)"), validators=[Optional()])
    last = DateField(_l("Up to and including"), validators=[Optional()])
    municipality = SelectField(_l("Municipality"), choices=[], coerce=int, default=0)
    level = SelectField(
        _l("Level"),
        choices=[
            ("", _l("All levels")),
            (LEVEL_GENERIC, _l("Generic competencies")),
            (LEVEL_ALGEMEEN, _l("General (algemeen)")),
            (LEVEL_SPECIALISTISCH, _l("Specialist (specialistisch)")),
        ],
        default="",
    )

    def __init__(
        self, *args: Any, municipalities: list[tuple[int, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.municipality.choices = [(0, str(_l("All municipalities"))), *(municipalities or [])]

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if self.rounds.data == PERIOD:
            if self.first.data is None and not self.first.errors:
                self.first.errors = [
                    *self.first.errors,
                    _l("Enter the first day of the period, e.g. 1-1-2027."),
                ]
                ok = False
            if self.last.data is None and not self.last.errors:
                self.last.errors = [
                    *self.last.errors,
                    _l("Enter the last day of the period, e.g. 31-12-2027."),
                ]
                ok = False
            if self.first.data and self.last.data and self.first.data > self.last.data:
                self.last.errors = [*self.last.errors, _l("The last day cannot be before the first day.")]
                ok = False
        return ok

    def selection(self) -> Selection:
        """What to show; the default (latest rounds, everything) when the form is not valid."""
        period: tuple[date, date] | None = None
        if (
            self.rounds.data == PERIOD
            and self.first.data
            and self.last.data
            and self.first.data <= self.last.data
        ):
            period = (self.first.data, self.last.data)
        return Selection(
            period=period, municipality_id=self.municipality.data or None, level_kind=self.level.data or None
        )


def filter_form(region_id: int | None) -> tuple[FilterForm, Selection, bool]:
    """The filter from the query string: (form, selection to show, whether the filter was valid).

    An invalid filter (e.g. a period without an end) shows the default selection and the form's errors;
    the typed values stay in the form.
    """
    from flask import request

    from scan.regio import queries

    form = FilterForm(
        request.args, municipalities=[(m.id, m.name) for m in queries.municipalities(region_id)]
    )
    valid = form.validate() if request.args else True
    return form, (form.selection() if valid else Selection()), valid
