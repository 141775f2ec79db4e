"""Forms of agreeing and signing. They validate; the rules in scan.pop.signing.services decide and write."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

AGREE = "agree"
SEND_BACK = "send_back"


class ActionForm(FlaskForm):
    """A button that only posts (propose, new version): the CSRF token and nothing else."""


class ReviewForm(FlaskForm):
    decision = RadioField(
        _l("Your decision"),
        choices=[
            SelectChoice(AGREE, _l("Agree to the plan")),
            SelectChoice(SEND_BACK, _l("Send the plan back with a comment")),
        ],
        validators=[InputRequired(_l("Choose whether you agree or send the plan back."))],
    )
    # Required only when sending back: that rule is in signing.send_back.
    comment = TextAreaField(_l("Comment for the professional"))


class SignForm(FlaskForm):
    password = PasswordField(
        _l("Your password"), validators=[InputRequired(_l("Enter your password to sign."))]
    )
