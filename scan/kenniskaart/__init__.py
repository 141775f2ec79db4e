from flask import Blueprint

bp = Blueprint("kenniskaart", __name__)

from scan.kenniskaart import routes  # noqa: E402, F401
