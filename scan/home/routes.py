"""The professional's start page."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from scan.access import Role, require
from scan.home import bp


@bp.get("/mijn")
@require(Role.PROFESSIONAL)
def professional() -> str:
    team = current_user.team
    leaders = team.leaders if team else []
    return render_template("home/professional.html", team=team, leaders=leaders)
