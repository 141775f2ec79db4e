"""The audit log: who did what, on which object, when, from which address. Append-only."""

from flask import Blueprint

bp = Blueprint("audit", __name__, url_prefix="/beheer/logboek")

from scan.audit import routes  # noqa: E402, F401
