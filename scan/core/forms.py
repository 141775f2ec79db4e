"""What several features' forms share: a length limit that says the number, and the form base for pages
that hold several small forms."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import Field
from wtforms.validators import ValidationError


def clean_text(value: str | None) -> str:
    """Typed text as stored: trimmed, with one newline per line break (a browser sends CR LF)."""
    return (value or "").strip().replace("\r\n", "\n")


def too_long(text: str, n: int) -> str | None:
    """The message when `text` (cleaned) has more than `n` characters, with the number used; else None."""
    used = len(text)
    return _("Use at most %(n)d characters; you used %(used)d.", n=n, used=used) if used > n else None


class MaxChars:
    """At most `n` characters (after trimming), with the number used in the message."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __call__(self, form: FlaskForm, field: Field) -> None:
        message = too_long(clean_text(field.data), self.n)
        if message:
            raise ValidationError(message)


class PageForm(FlaskForm):
    """One of several small forms on a page. None carries its own CSRF field: CSRFProtect checks every POST
    app-wide and the page has one token (without an id, so ids stay unique)."""

    class Meta:
        csrf = False
