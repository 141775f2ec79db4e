from flask import Blueprint

bp = Blueprint("catalogue", __name__, url_prefix="/catalogus")

from scan.catalogue import routes  # noqa: E402, F401
