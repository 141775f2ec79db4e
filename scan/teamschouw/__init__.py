from flask import Blueprint

bp = Blueprint("teamschouw", __name__, url_prefix="/teams/<int:team_id>/rondes/<int:round_id>/teamschouw")

# contributions: what the teamschouw shows on the scan pages (scan.assessment.hooks).
from scan.teamschouw import contributions, routes  # noqa: E402, F401
from scan.teamschouw.matrix import routes as matrix_routes  # noqa: E402, F401
from scan.teamschouw.plan import routes as plan_routes  # noqa: E402, F401
from scan.teamschouw.report import routes as report_routes  # noqa: E402, F401
