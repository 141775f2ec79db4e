from flask import Blueprint

bp = Blueprint("teams", __name__, url_prefix="/teams")

from scan.teams import routes  # noqa: E402, F401
