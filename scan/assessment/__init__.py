from flask import Blueprint

bp = Blueprint("assessment", __name__)

from scan.assessment import result_routes, routes  # noqa: E402, F401
