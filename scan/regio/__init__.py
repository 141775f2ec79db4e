from flask import Blueprint

bp = Blueprint("regio", __name__, url_prefix="/regio")

from scan.regio import export_routes, pdf_routes, routes  # noqa: E402, F401
