from flask import Blueprint

bp = Blueprint("assessment", __name__)

# snapshot: the session hook that keeps where a scan was submitted (scan.assessment.snapshot).
from scan.assessment import routes, snapshot  # noqa: E402, F401
from scan.assessment.results import routes as result_routes  # noqa: E402, F401
