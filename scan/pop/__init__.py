from flask import Blueprint

bp = Blueprint("pop", __name__)

from scan.pop import leader_routes, pdf_routes, routes, signing_routes  # noqa: E402, F401
