"""Forms of calibration, priorities, agreements and the session. They validate, never write.

The priorities page holds several small forms; each has its own prefix so field ids never clash, and
none carries its own CSRF field: CSRFProtect checks every POST app-wide and the page puts one token in
each form (without an id, so ids stay unique).
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    Field,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, ValidationError

from scan.core.fields import DateField
from scan.core.forms import MaxChars, PageForm
from scan.kenniskaart.models import Item, ScaleLevel
from scan.teamschouw.services import (
    GROW_TEXT_MAX_LENGTH,
    OTHER_TEXT_MAX_LENGTH,
    REASON_MAX_LENGTH,
    SESSION_TEXT_MAX_LENGTH,
    CalibrationInput,
)

# --- calibration ------------------------------------------------------------------------------------


def agreed_name(item: Item) -> str:
    return f"agreed-{item.code}"


def note_name(item: Item) -> str:
    return f"note-{item.code}"


class _CalibrationFormBase(FlaskForm):
    # The newest calibration row when the page was loaded: a save based on an older one is refused.
    last_seen = HiddenField()


def calibration_form(items: list[Item], scale: list[ScaleLevel], level_title: Any) -> type[FlaskForm]:
    """A form class with an agreed level (a select: "no agreed level" or a level of the scale) and a
    note per item. Whether the level is on the scale is checked in services.check_calibration."""
    choices = [SelectChoice("", _l("No agreed level"))] + [
        SelectChoice(str(s.level), f"{s.level} · {level_title(s)}") for s in scale
    ]
    attrs: dict[str, object] = {}
    for item in items:
        attrs[agreed_name(item)] = SelectField(
            _l("Agreed level (%(code)s)", code=item.code), choices=choices, default="", validate_choice=False
        )
        attrs[note_name(item)] = TextAreaField(_l("Note on the agreed level (%(code)s)", code=item.code))
    return type("CalibrationForm", (_CalibrationFormBase,), attrs)


def given_calibrations(form: FlaskForm, items: list[Item]) -> dict[int, CalibrationInput]:
    return {
        item.id: CalibrationInput(
            level=form[agreed_name(item)].data or "", note=form[note_name(item)].data or ""
        )
        for item in items
    }


# --- priorities and agreements ---------------------------------------------------------------------


class PriorityForm(PageForm):
    target = SelectField(
        _l("Item or leefgebied"),
        validate_choice=False,
        validators=[DataRequired(_l("Choose an item or a leefgebied."))],
    )
    reason = TextAreaField(
        _l("Reason"),
        validators=[DataRequired(_l("Give a reason for this priority.")), MaxChars(REASON_MAX_LENGTH)],
    )


class AcceptSuggestionForm(PageForm):
    item_id = HiddenField(validators=[DataRequired()])


class MoveForm(PageForm):
    direction = HiddenField(validators=[DataRequired()])


class ActionForm(PageForm):
    """A button only (remove)."""


class VraagbaakForm(PageForm):
    member = SelectField(
        _l("Member"), validate_choice=False, validators=[DataRequired(_l("Choose a member of this team."))]
    )
    target = SelectField(
        _l("Theme: item or leefgebied"),
        validate_choice=False,
        validators=[DataRequired(_l("Choose an item or a leefgebied."))],
    )


class GrowForm(PageForm):
    member = SelectField(
        _l("Member"), validate_choice=False, validators=[DataRequired(_l("Choose a member of this team."))]
    )
    section = SelectField(
        _l("Leefgebied"), validate_choice=False, validators=[DataRequired(_l("Choose a leefgebied."))]
    )
    text = StringField(_l("What the member will do (optional)"), validators=[MaxChars(GROW_TEXT_MAX_LENGTH)])


class OtherAgreementForm(PageForm):
    text = TextAreaField(
        _l("Agreement"),
        validators=[DataRequired(_l("Describe the agreement.")), MaxChars(OTHER_TEXT_MAX_LENGTH)],
    )


# --- the session ---------------------------------------------------------------------------------------


class _DateField(DateField):
    def process_formdata(self, valuelist: list[Any]) -> None:
        if not any((v or "").strip() for v in valuelist):
            self.data = None  # empty: the form's own check says the date is missing
            return
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_("Enter a real date, for example 14-03-2027.")) from error


class SessionForm(FlaskForm):
    held_on = _DateField(_l("Date of the session"))
    attendees = SelectMultipleField(_l("Who attended"), coerce=str, validate_choice=False)
    notes = TextAreaField(_l("Notes"), validators=[MaxChars(SESSION_TEXT_MAX_LENGTH)])
    decisions = TextAreaField(_l("Decisions"), validators=[MaxChars(SESSION_TEXT_MAX_LENGTH)])

    def validate_held_on(self, field: Field) -> None:
        if field.data is None and not field.errors:
            raise ValidationError(_("Enter the date of the session."))

    def validate_attendees(self, field: Field) -> None:
        allowed = {choice.value for choice in self.attendees.choices or []}
        if any(value not in allowed for value in field.data or []):
            raise ValidationError(_("Choose from the team's members."))
