"""The one way a route refuses a broken rule: roll back, then show the message where it belongs."""

from __future__ import annotations

from flask import Flask, get_flashed_messages
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import StringField

from scan.core.rules import RuleError, refuse, show
from scan.extensions import db
from scan.organisation.models import Region


class _Form(FlaskForm):
    class Meta:
        csrf = False

    name = StringField()
    code = StringField()


def _add_region() -> None:
    db.session.add(Region(code="RULE1", name="Regio regel"))
    db.session.flush()


def _region_there() -> bool:
    return db.session.scalar(select(Region.id).where(Region.code == "RULE1")) is not None


def test_the_message_lands_on_the_named_field_and_the_writes_are_gone(app: Flask) -> None:
    with app.test_request_context(method="POST", data={"name": "typed"}):
        form = _Form()
        _add_region()
        assert _region_there()
        refuse(RuleError("Not like this.", "name"), form, default="code")
        assert not _region_there()
        assert form.name.errors == ["Not like this."]
        assert not form.code.errors and not form.form_errors
        assert form.name.data == "typed"


def test_an_unknown_field_goes_to_the_default_then_to_the_form(app: Flask) -> None:
    with app.test_request_context(method="POST"):
        form = _Form()
        show(RuleError("To the default.", "nonsense"), form, default="code")
        show(RuleError("No field named."), form, default="code")
        show(RuleError("To the form.", "nonsense"), form)
        assert form.code.errors == ["To the default.", "No field named."]
        assert form.form_errors == ["To the form."]
        assert ["To the form."] in form.errors.values()


def test_without_a_form_the_message_is_flashed(app: Flask) -> None:
    with app.test_request_context(method="POST"):
        _add_region()
        refuse(RuleError("Flashed."))
        assert not _region_there()
        assert get_flashed_messages(with_categories=True) == [("error", "Flashed.")]
