"""Gunicorn settings for production: `gunicorn -c deploy/gunicorn.conf.py wsgi:app`.

Everything comes from environment variables, so one file serves every environment:

- `GUNICORN_BIND` (default `0.0.0.0:8000`), `WEB_CONCURRENCY` (workers, default 4),
  `GUNICORN_THREADS` (default 1), `GUNICORN_TIMEOUT` (seconds, default 60).

The app keeps no state in the process (sessions and login throttling live in the database), so any
number of workers, and any number of servers behind a load balancer, can share one PostgreSQL.
"""

from __future__ import annotations

import json
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Recycle workers now and then so a slow leak can never take a server down.
max_requests = 2000
max_requests_jitter = 200
# Behind a load balancer or proxy that keeps connections open.
keepalive = 5
# Load the app in each worker (not in the master): a database connection pool must never be shared
# across a fork.
preload_app = False

# Logs on stdout/stderr, one JSON object a line, like the app's own log lines.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
access_log_format = json.dumps({
    "time": "%(t)s",
    "level": "info",
    "logger": "gunicorn.access",
    "request_id": "%({x-request-id}o)s",
    "method": "%(m)s",
    "path": "%(U)s",
    "status": "%(s)s",
    "bytes": "%(B)s",
    "duration_ms": "%(M)s",
    "remote": "%(h)s",
})
# No session cookie or query string with filter values in the access log.
