"""Entry point for gunicorn and `flask`: `gunicorn wsgi:app`."""

from scan import create_app

app = create_app()
