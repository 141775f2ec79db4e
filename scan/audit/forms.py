"""The audit log's filter: a GET form (bookmarkable, no CSRF: it changes nothing)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from scan.audit.actions import ACTIONS
from scan.core.fields import DateField

ALL = ""
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]  # the browser's date control, or typed the Dutch way
# A day outside these has no events, and its Amsterdam midnight in UTC (or the day after it) would not fit
# in a datetime at the ends of the calendar (year 1, year 9999).
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(9998, 12, 31)


class _Date(DateField):
    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_l("Enter a date such as 31-12-2027.")) from error


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    person = StringField(_l("Person (username)"), validators=[Optional(), Length(max=80)])
    action = SelectField(_l("Action"), choices=[], default=ALL)
    first = _Date(_l("From"), validators=[Optional()], format=DATE_FORMATS)
    last = _Date(_l("Up to and including"), validators=[Optional()], format=DATE_FORMATS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labelled = sorted((SelectChoice(key, str(label)) for key, label in ACTIONS.items()),
                          key=lambda c: c.label.lower())
        self.action.choices = [SelectChoice(ALL, str(_l("All actions"))), *labelled]

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        for field in (self.first, self.last):
            if field.data and not FIRST_DAY <= field.data <= LAST_DAY:
                field.errors = [*field.errors, _l("Enter a date such as 31-12-2027.")]
                field.data = None
                ok = False
        if self.first.data and self.last.data and self.first.data > self.last.data:
            self.last.errors = [*self.last.errors, _l("The last day cannot be before the first day.")]
            ok = False
        return ok
