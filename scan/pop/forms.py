"""Forms of the POP drafting pages, and the labels of the POP's fixed values. Forms validate, never write.

A page may hold several small forms; none carries its own CSRF field: CSRFProtect checks every POST
app-wide and each form on the page gets one token (without an id, so ids stay unique).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import Field, HiddenField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, NumberRange, Optional, ValidationError

from scan.catalogue.activities import ACTION_TYPE_LABELS
from scan.core.fields import DateField, LocaleDecimalField
from scan.core.forms import MaxChars, PageForm
from scan.pop.labels import ACTION_STATUS_LABELS

DESCRIPTION_MAX_LENGTH = 1000
REFLECTION_MAX_LENGTH = 2000
MAX_HOURS = Decimal("999")

# Actions with a colleague: the picker suggests the team's vraagbaak colleagues for these.
COLLEAGUE_TYPES = ("meelopen", "coaching")


class _Date(DateField):
    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_("Give a valid date.")) from error


class ButtonForm(PageForm):
    """A button only (start, remove)."""


class AdoptForm(PageForm):
    item_id = HiddenField(validators=[DataRequired()])


class GoalForm(PageForm):
    item = SelectField(
        _l("Kenniskaart item"),
        validate_choice=False,
        validators=[DataRequired(_l("Choose a Kenniskaart item."))],
    )
    description = TextAreaField(
        _l("What do you want to learn?"),
        validators=[DataRequired(_l("Describe your goal.")), MaxChars(DESCRIPTION_MAX_LENGTH)],
    )


class ActionForm(PageForm):
    type = SelectField(
        _l("Kind of activity"),
        choices=[
            SelectChoice("", _l("Choose a kind of activity")),
            *(SelectChoice(k, v) for k, v in ACTION_TYPE_LABELS.items()),
        ],
        validators=[DataRequired(_l("Choose a kind of activity."))],
    )
    description = TextAreaField(
        _l("Description"),
        validators=[DataRequired(_l("Describe the activity.")), MaxChars(DESCRIPTION_MAX_LENGTH)],
    )
    training = SelectField(_l("Training from the catalogue (optional)"), validate_choice=False)
    colleague = SelectField(_l("Colleague (optional)"), validate_choice=False)
    planned_from = _Date(_l("Planned from"), validators=[Optional()])
    planned_until = _Date(_l("Planned until"), validators=[Optional()])
    hours = LocaleDecimalField(
        _l("Hours (optional)"),
        places=1,
        message=_l("Give a number of hours from 0 to 999."),
        validators=[
            Optional(),
            NumberRange(min=0, max=MAX_HOURS, message=_l("Give a number of hours from 0 to 999.")),
        ],
    )

    def validate_planned_until(self, field: Field) -> None:
        if field.data and self.planned_from.data and field.data < self.planned_from.data:
            raise ValidationError(_("The end date cannot be before the start date."))


class ProgressForm(PageForm):
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice(k, v) for k, v in ACTION_STATUS_LABELS.items()],
        validators=[DataRequired(_l("Choose a status."))],
    )
    reflection = TextAreaField(_l("Reflection"), validators=[MaxChars(REFLECTION_MAX_LENGTH)])

    def validate_reflection(self, field: Field) -> None:
        if self.status.data == "afgerond" and not (field.data or "").strip():
            raise ValidationError(_("Write a short reflection: what did you learn?"))
