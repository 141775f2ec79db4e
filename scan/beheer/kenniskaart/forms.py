"""Forms of the Kenniskaart upload: the file, and the confirmation that carries the checked content."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField


class KenniskaartUploadForm(FlaskForm):
    file = FileField(_l("Kenniskaart file (YAML or XLSX)"))


class KenniskaartPublishForm(FlaskForm):
    payload = HiddenField()
