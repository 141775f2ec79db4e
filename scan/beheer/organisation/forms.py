"""Forms for municipalities and teams. They validate input shape only; the rules are in
scan.organisation.services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField


class MunicipalityForm(FlaskForm):
    region = SelectField(_l("Region"), choices=[], coerce=int)
    code = StringField(_l("Code"))
    name = StringField(_l("Name"))


class TeamForm(FlaskForm):
    municipality = SelectField(_l("Municipality"), choices=[], coerce=int)
    code = StringField(_l("Code"))
    name = StringField(_l("Name"))


class ArchiveForm(FlaskForm):
    """Archive: only the CSRF token."""
