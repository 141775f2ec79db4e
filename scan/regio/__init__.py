from flask import Blueprint

bp = Blueprint("regio", __name__, url_prefix="/regio")

from scan.regio import routes  # noqa: E402, F401
