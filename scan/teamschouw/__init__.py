from flask import Blueprint

bp = Blueprint("teamschouw", __name__, url_prefix="/teams/<int:team_id>/rondes/<int:round_id>/teamschouw")

from scan.teamschouw import matrix_routes, plan_routes, report_routes, routes  # noqa: E402, F401
