"""Forms for accounts. They validate input shape only; the rules are in scan.auth.accounts (create, change),
scan.auth.account_import (the import) and scan.beheer.accounts.services (deactivate, temporary password)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField
from wtforms.widgets import CheckboxInput, ListWidget

from scan.core.safety import whole_number


def _int_or_none(value: object) -> int | None:
    if value in (None, "", "None"):
        return None
    if isinstance(value, int):
        return value
    number = whole_number(value)
    if number is None:  # WTForms shows this as an invalid choice; an id out of range never reaches SQL
        raise ValueError(value)
    return number


class AccountForm(FlaskForm):
    username = StringField(_l("Username"))
    full_name = StringField(_l("Full name"))
    role = SelectField(_l("Role"), choices=[])
    team = SelectField(_l("Team (professional)"), choices=[], coerce=_int_or_none, validate_choice=False)
    led_teams = SelectMultipleField(_l("Teams led (team leader)"), choices=[], coerce=_int_or_none,
                                    widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    region = SelectField(_l("Region (regional coordinator)"), choices=[], coerce=_int_or_none,
                         validate_choice=False)


class FilterForm(FlaskForm):
    """The GET filter of the account list (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    q = StringField(_l("Search by username or name"))
    role = SelectField(_l("Role"), choices=[])
    team = StringField(_l("Team (code or name)"))
    active = SelectField(_l("Status"), choices=[])


class PostForm(FlaskForm):
    """Deactivate, reactivate, temporary password: only the CSRF token."""


class ImportForm(FlaskForm):
    file = FileField(_l("CSV or XLSX file"))


class ConfirmImportForm(FlaskForm):
    payload = HiddenField()
