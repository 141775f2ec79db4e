"""Forms of the self-assessment. The section form is built per section from the Kenniskaart."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from scan.assessment.services import AnswerInput
from scan.core.fields import DateField
from scan.kenniskaart.models import Item


def level_name(item: Item) -> str:
    return f"level-{item.code}"


def ambition_name(item: Item) -> str:
    return f"ambition-{item.code}"


def note_name(item: Item) -> str:
    return f"note-{item.code}"


class _SectionFormBase(FlaskForm):
    lock_version = HiddenField()


def section_form(items: list[Item]) -> type[FlaskForm]:
    """A form class with a level, an ambition and a note per item.

    Choices are not enforced by WTForms: the rules (levels on the scale, n.v.t.
    only where allowed, ambition above the level) live in services.check_section, which sees the whole item.
    """
    attrs: dict[str, object] = {}
    for item in items:
        # The template draws the radio buttons itself (with the level descriptors beside them).
        attrs[level_name(item)] = RadioField(item.code, validate_choice=False)
        attrs[ambition_name(item)] = RadioField(item.code, validate_choice=False)
        attrs[note_name(item)] = TextAreaField(item.code)
    return type("SectionForm", (_SectionFormBase,), attrs)


def given_answers(form: FlaskForm, items: list[Item]) -> dict[int, AnswerInput]:
    return {
        item.id: AnswerInput(
            level=form[level_name(item)].data or "",
            ambition=form[ambition_name(item)].data or "",
            note=form[note_name(item)].data or "",
        )
        for item in items
    }


class NewRoundForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[DataRequired(_l("Give the round a title.")), Length(max=200)],
    )
    opens_on = DateField(_l("Opens on"), validators=[InputRequired(_l("Enter a valid opening date."))])
    closes_on = DateField(
        _l("Closes on (last day to fill in)"), validators=[InputRequired(_l("Enter a valid closing date."))]
    )


class ReopenForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for reopening"),
        validators=[DataRequired(_l("Give a reason for reopening.")), Length(max=1000)],
    )


class SubmitForm(FlaskForm):
    pass
