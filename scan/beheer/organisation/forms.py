"""Forms for municipalities and teams. They validate input shape only; the rules are in
scan.organisation.services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice


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


class OrganisationFilterForm(FlaskForm):
    """The GET filter of the list of municipalities and teams (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    q = StringField(_l("Search by name or code"))
    kind = SelectField(_l("Show"), choices=[SelectChoice("team", _l("Teams")),
                                            SelectChoice("municipality", _l("Municipalities"))],
                       default="team")
    status = SelectField(_l("Status"), choices=[SelectChoice("open", _l("Not archived")),
                                                SelectChoice("archived", _l("Archived")),
                                                SelectChoice("", _l("All"))], default="open")
