"""What several features' forms share: a length limit that says the number, and the form base for pages
that hold several small forms."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import Field
from wtforms.validators import ValidationError


class MaxChars:
    """At most `n` characters (after trimming), with the number used in the message."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __call__(self, form: FlaskForm, field: Field) -> None:
        used = len((field.data or "").strip().replace("\r\n", "\n"))
        if used > self.n:
            raise ValidationError(_("Use at most %(n)d characters; you used %(used)d.", n=self.n, used=used))


class PageForm(FlaskForm):
    """One of several small forms on a page. None carries its own CSRF field: CSRFProtect checks every POST
    app-wide and the page has one token (without an id, so ids stay unique)."""

    class Meta:
        csrf = False
