"""A broken business rule, and how a route shows it.

Services raise `RuleError(message, field)` when a rule is broken; they never commit. The route catches it
and calls `refuse(error, form)`: what the service wrote is rolled back and the message lands where the
visitor looks. The commit stays visible in the route, on the path where the rule held:

    try:
        services.do_it(...)
    except RuleError as error:
        refuse(error, form, default="name")
    else:
        db.session.commit()
        return redirect(...)
    return render_template(..., form=form), 422
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

from flask import flash
from flask_wtf import FlaskForm

from scan.extensions import db

T = TypeVar("T")


@dataclass
class ItemChecks(Generic[T]):
    """What was typed on a page with one row per Kenniskaart item, checked: the values that passed per item
    id, and per item id the messages per input ("level", "note", …). The page shows each message at its
    input; nothing is stored unless `ok`."""

    values: dict[int, T] = field(default_factory=dict)
    errors: dict[int, dict[str, str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


class RuleError(ValueError):
    """A business rule was broken; `field` names the form field the message belongs to, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def show(error: RuleError, form: FlaskForm | None = None, *, default: str | None = None) -> None:
    """Put the message where it belongs: on the form field it names, else on `default`, else on the
    form as a whole; without a form, as a flash message for the page redirected to."""
    if form is None:
        flash(error.message, "error")
        return
    name = error.field if error.field and error.field in form else default
    if name and name in form:
        field = form[name]
        # A field that was not validated holds its errors in a tuple.
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def refuse(error: RuleError, form: FlaskForm | None = None, *, default: str | None = None) -> None:
    """Undo what the refused action wrote, then show the message (see `show`)."""
    db.session.rollback()
    show(error, form, default=default)
