from flask import Blueprint

bp = Blueprint("pop", __name__)

# contributions: what the POP shows on the scan pages (scan.assessment.hooks).
from scan.pop import contributions, routes  # noqa: E402, F401
from scan.pop.leader import routes as leader_routes  # noqa: E402, F401
from scan.pop.pdf import routes as pdf_routes  # noqa: E402, F401
from scan.pop.signing import routes as signing_routes  # noqa: E402, F401
