"""What the section page shows per item: plain data for the template, built from the Kenniskaart."""

from __future__ import annotations

from dataclasses import dataclass

from flask_wtf import FlaskForm

from scan.assessment.forms import ambition_name, level_name, note_name
from scan.assessment.models import Answer
from scan.i18n import localized
from scan.kenniskaart.models import Item, ScaleLevel


@dataclass(frozen=True)
class LevelChoice:
    value: str
    level: int
    title: str
    descriptor: str


@dataclass(frozen=True)
class ItemView:
    item: Item
    code: str
    title: str
    description: str
    level_kind: str
    required: bool
    not_applicable_allowed: bool
    levels: list[LevelChoice]
    level_field: str
    ambition_field: str
    note_field: str
    answer: Answer | None


def item_views(items: list[Item], scale: list[ScaleLevel], answers: dict[int, Answer]) -> list[ItemView]:
    """Each item with its level choices; the item's own descriptor where the Kenniskaart has one."""
    views = []
    for item in items:
        own = {d.level: localized(d, "text") for d in item.descriptors}
        choices = [
            LevelChoice(
                str(s.level), s.level, localized(s, "title"), own.get(s.level) or localized(s, "description")
            )
            for s in scale
        ]
        views.append(
            ItemView(
                item=item,
                code=item.code,
                title=localized(item, "title"),
                description=localized(item, "description"),
                level_kind=item.level_kind,
                required=item.required,
                not_applicable_allowed=item.not_applicable_allowed,
                levels=choices,
                level_field=level_name(item),
                ambition_field=ambition_name(item),
                note_field=note_name(item),
                answer=answers.get(item.id),
            )
        )
    return views


def fill_form_from_answers(form: FlaskForm, items: list[Item], answers: dict[int, Answer]) -> None:
    """Show what was saved before (GET); after a POST the form keeps what was typed instead."""
    from scan.assessment.services import NOT_APPLICABLE, STAY

    for item in items:
        answer = answers.get(item.id)
        if answer is None:
            continue
        form[level_name(item)].data = (
            NOT_APPLICABLE
            if answer.not_applicable
            else (str(answer.level) if answer.level is not None else "")
        )
        if answer.ambition is not None and answer.level is not None and answer.ambition > answer.level:
            form[ambition_name(item)].data = str(answer.ambition)
        elif answer.level is not None or answer.not_applicable:
            form[ambition_name(item)].data = STAY
        form[note_name(item)].data = answer.note
