"""Log in, log out, change password. Thin: the rules live in services."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from scan.access import public, start_endpoint
from scan.audit import actions as audit_actions
from scan.audit.services import record
from scan.auth import bp, devices, services, sessions, throttle
from scan.auth.forms import ChangePasswordForm, LoginForm
from scan.auth.models import User
from scan.core.rules import RuleError, show
from scan.core.safety import client_address, safe_next
from scan.extensions import db


@bp.route("/inloggen", methods=["GET", "POST"])
@public
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for(start_endpoint(current_user.role)))
    form = LoginForm()
    if form.validate_on_submit():
        result = services.log_in(
            form.username.data or "", form.password.data or "", client_address(),
            request.cookies.get(devices.COOKIE),
        )
        db.session.commit()
        if result.outcome is services.LoginOutcome.OK and result.user and result.token:
            lang = session.get("lang")
            # A fresh cookie at every login, so an id planted before login is worthless.
            session.clear()
            if lang:
                session["lang"] = lang
            session["sid"] = result.token
            login_user(result.user)
            if result.user.must_change_password:
                flash(_("You were given a temporary password. Choose your own password now."), "info")
                response = redirect(url_for("auth.change_password"))
            else:
                response = redirect(
                    safe_next(request.args.get("next")) or url_for(start_endpoint(result.user.role))
                )
            return _remember_device(response, result.user)
        if result.outcome is services.LoginOutcome.THROTTLED and result.verdict:
            message = throttle.refusal_message(result.verdict)
        else:
            message = _("The username or password is not correct.")
        form.password.errors.append(message)
    return render_template("auth/login.html", form=form)


def _remember_device(response: Response, user: User) -> Response:
    """Mark this browser as known for the account: the login throttle lets it through (scan.auth.devices)."""
    response.set_cookie(
        devices.COOKIE,
        devices.remember(request.cookies.get(devices.COOKIE), user),
        max_age=int(devices.lifetime().total_seconds()),
        secure=bool(current_app.config["SESSION_COOKIE_SECURE"]),
        httponly=True,
        samesite="Lax",
    )
    return response


@bp.post("/uitloggen")
def logout() -> Response:
    record(audit_actions.LOGOUT)
    sessions.end_session(session.get("sid"))
    db.session.commit()
    logout_user()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("You have been logged out."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/account/wachtwoord", methods=["GET", "POST"])
def change_password() -> str | Response:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                current_user, form.current_password.data or "", form.password.data or "", session.get("sid"),
                client_address(), request.cookies.get(devices.COOKIE),
            )
        except RuleError as error:
            # The rule wrote nothing but the throttle's count: keep that count.
            db.session.commit()
            show(error, form, default="password")
        else:
            db.session.commit()
            flash(_("Your password has been changed."), "success")
            return redirect(url_for(start_endpoint(current_user.role)))
    return render_template("auth/change_password.html", form=form)
