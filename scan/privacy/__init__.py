"""Personal data (AVG), across every feature: "Mijn gegevens" (the right of access), erasing a leaver and
retention. Sits above the features; each feature contributes its part (scan.privacy.registry)."""

from flask import Blueprint

bp = Blueprint("privacy", __name__)

from scan.privacy import routes  # noqa: E402, F401
