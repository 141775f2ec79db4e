"""Entry point for gunicorn and `flask`: `gunicorn wsgi:app`."""

from scan import create_app
from scan.config import ConfigError

try:
    app = create_app()
except ConfigError as error:
    # A missing setting is the operator's to fix: say which, in one line, instead of a traceback.
    raise SystemExit(f"Ontwikkelscan: {error}") from None
