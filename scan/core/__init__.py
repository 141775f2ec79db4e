from flask import Blueprint

bp = Blueprint("core", __name__)

from scan.core import routes, statements  # noqa: E402, F401
