from flask import Blueprint

bp = Blueprint("beheer", __name__, url_prefix="/beheer")

from scan.beheer import audit_names, routes  # noqa: E402, F401  (audit_names: the log's names for objects)
from scan.beheer.accounts import routes as accounts_routes  # noqa: E402, F401
from scan.beheer.erase import routes as erase_routes  # noqa: E402, F401
from scan.beheer.kenniskaart import routes as kenniskaart_routes  # noqa: E402, F401
from scan.beheer.organisation import routes as organisation_routes  # noqa: E402, F401
