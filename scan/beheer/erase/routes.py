"""The administrator erases a leaver's account: a confirmation page, the username typed to confirm."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as BaseResponse
from wtforms import StringField

from scan.access import Role, require, role_label
from scan.auth.models import User
from scan.beheer import bp
from scan.db import load_or_404
from scan.extensions import db
from scan.privacy import erasure


class EraseForm(FlaskForm):
    confirm_username = StringField(_l("Username of the account to erase"))


@bp.route("/accounts/<int:user_id>/wissen", methods=["GET", "POST"])
@require(Role.BEHEERDER)
def account_erase(user_id: int) -> str | tuple[str, int] | BaseResponse:
    user = load_or_404(User, user_id)
    form = EraseForm()
    refused = None
    try:
        erasure.check_erasable(user, current_user)
    except erasure.ErasureRefused as error:
        refused = str(error)
    if refused is None and form.validate_on_submit():
        if (form.confirm_username.data or "").strip().lower() != user.username:
            form.confirm_username.errors.append(
                _("Type the username %(username)s exactly to confirm.", username=user.username)
            )
        else:
            username = user.username
            erasure.erase_account(user, current_user)
            db.session.commit()
            flash(_("The account %(username)s has been erased; it is now %(new)s. "
                    "Regional counts are unchanged.", username=username, new=user.username), "success")
            return redirect(url_for("beheer.index"))
    page = render_template("beheer/account_erase.html", user=user, form=form, refused=refused,
                           preview=erasure.erase_preview(user), role=role_label(user.role))
    return page, (422 if form.errors or (refused and form.is_submitted()) else 200)
