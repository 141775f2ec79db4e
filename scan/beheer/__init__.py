from flask import Blueprint

bp = Blueprint("beheer", __name__, url_prefix="/beheer")

from scan.beheer import accounts_routes, erase_routes, kenniskaart_routes, organisation_routes, routes  # noqa: E402, F401
