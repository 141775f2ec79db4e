"""Gunicorn settings for production: `gunicorn -c deploy/gunicorn.conf.py wsgi:app`.

Everything comes from environment variables, so one file serves every environment:

- `GUNICORN_BIND` (default `0.0.0.0:8000`), `WEB_CONCURRENCY` (workers, default 4),
  `GUNICORN_THREADS` (default 1), `GUNICORN_TIMEOUT` (seconds, default 60),
  `GUNICORN_LOGLEVEL` (default `info`), `GUNICORN_CONTROL_SOCKET` (a path; none by default).

The app keeps no state in the process (sessions and login throttling live in the database), so any
number of workers, and any number of servers behind a load balancer, can share one PostgreSQL.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from typing import Any

from gunicorn.glogging import Logger, SafeAtoms

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
# Gunicorn's control socket (for `gunicornc`) defaults to one path per user, $HOME/.gunicorn/gunicorn.ctl:
# two servers on one machine would take it from each other, and a read-only container may have no writable
# home. Off unless GUNICORN_CONTROL_SOCKET names a path.
control_socket_disable = not os.environ.get("GUNICORN_CONTROL_SOCKET")
if not control_socket_disable:
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]

# Logs on stdout, one JSON object a line, like the app's own log lines: the access log (format below) and
# gunicorn's own messages (start and stop, worker timeouts and crashes; see JsonLogger.setup).
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


class _JsonAtoms(SafeAtoms):
    """Every value escaped for a JSON string.

    Gunicorn only escapes double quotes, so a path such as `/a%5C%22b` or `/a%0Ab` (the path is logged
    decoded) or an `X-Request-ID` header with a backslash would break the line or forge a field.
    """

    def __init__(self, atoms: dict[str, object]) -> None:
        dict.__init__(self)
        for key, value in atoms.items():
            text = value if isinstance(value, str) else str(value)
            if key == "U":
                # WSGI hands the path over as Latin-1 decoded bytes; log what the client sent (UTF-8).
                text = text.encode("latin-1", "replace").decode("utf-8", "replace")
            self[key] = json.dumps(text, ensure_ascii=False)[1:-1]


class JsonLogger(Logger):
    """Gunicorn's logger with JSON lines: the access log through `access_log_format`, and gunicorn.error
    (gunicorn's own messages) through the app's formatter, on stdout rather than gunicorn's text on stderr.
    """

    atoms_wrapper_class = _JsonAtoms

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)  # also when the configuration is reloaded (SIGHUP): it replaces its handlers
        # Imported here, not at the top: gunicorn reads this file before it puts its folder on sys.path.
        from scan.core.logging import JsonFormatter

        for handler in self.error_log.handlers:
            if not getattr(handler, "_gunicorn", False):
                continue
            handler.setFormatter(JsonFormatter())
            # errorlog "-": gunicorn's handler writes to stderr; one stream for every log line instead.
            if cfg.errorlog == "-" and type(handler) is logging.StreamHandler:
                handler.setStream(sys.stdout)

    def now(self) -> str:
        """ISO 8601 in UTC with milliseconds, like the `time` of the app's log lines."""
        now = time.time()
        return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + f".{int(now % 1 * 1000):03d}+00:00"


logger_class = JsonLogger
