"""The members' side of the teamschouw, on their own pages under /mijn/team (not under a team's round)."""

from flask import Blueprint

bp = Blueprint("team_plan", __name__)

from scan.teamschouw.members import routes  # noqa: E402, F401
