"""Real app servers for the production tests, and a small browser to talk to them.

`AppServer` starts `gunicorn -c deploy/gunicorn.conf.py wsgi:app` as a separate process in production mode
(Secure cookies, HSTS, JSON logs on stdout), on its own free loopback port, against the test database.
`Browser` keeps one cookie jar across servers, the way a browser behind a load balancer does. The
production session cookie is `Secure`, which the standard library's cookie jar never sends over plain
http, so the cookies are parsed from `Set-Cookie` and sent back by hand.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
GUNICORN_CONFIG = ROOT / "deploy" / "gunicorn.conf.py"
START_TIMEOUT = 60.0  # seconds for a server to answer /healthz; shared CI machines can be slow
REQUEST_TIMEOUT = 30.0
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')

# Passed explicitly so a setting in the caller's environment cannot change what the tests expect.
SERVER_SETTINGS = {
    "SCAN_ENV": "production",
    "WEB_CONCURRENCY": "1",
    "GUNICORN_THREADS": "1",
    "GUNICORN_TIMEOUT": "60",
    "LOGIN_MAX_FAILURES_PER_ACCOUNT": "5",
    "LOGIN_THROTTLE_MINUTES": "15",
    "LOGIN_SLOWDOWN_AFTER": "10",
    "LOGIN_SLOWDOWN_SECONDS": "30",
    "LOGIN_KNOWN_DEVICE_DAYS": "90",
    "SESSION_IDLE_MINUTES": "60",
    "PROXY_FIX_HOPS": "0",
    # Log lines reach the files at once, so a failure message shows the latest.
    "PYTHONUNBUFFERED": "1",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class AppServer:
    """One gunicorn server (master and one worker) in its own process group."""

    def __init__(self, name: str, database_url: str, secret_key: str, workdir: Path) -> None:
        self.name = name
        self.database_url = database_url
        self.secret_key = secret_key
        self.workdir = workdir
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self.stdout_path = workdir / f"{name}.stdout.log"
        self.stderr_path = workdir / f"{name}.stderr.log"

    def start(self) -> None:
        """Start the server; a port taken between choosing and binding it is retried on another."""
        last_error = ""
        for _attempt in range(3):
            self.port = free_port()
            self._spawn()
            try:
                self._wait_until_healthy()
                return
            except RuntimeError as error:
                last_error = str(error)
                self.stop()
                # gunicorn logs the bind failure as JSON on stdout; a crash before logging goes to stderr.
                if "Address already in use" not in self.stdout() + self.stderr():
                    break
        raise RuntimeError(f"server {self.name} did not start: {last_error}\n{self.logs()}")

    def _spawn(self) -> None:
        environment = {
            key: value for key, value in os.environ.items()
            if not key.startswith(("GUNICORN_", "FLASK_"))
            and key not in ("TEST_DATABASE_URL", "DATABASE_URL")
        }
        environment.update(SERVER_SETTINGS)
        environment.update({
            "DATABASE_URL": self.database_url,
            "SECRET_KEY": self.secret_key,
            "INSTANCE_PATH": str(self.workdir / f"{self.name}-instance"),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
        })
        # Appending keeps what an earlier attempt wrote, for the failure message.
        with self.stdout_path.open("ab") as out, self.stderr_path.open("ab") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONFIG), "wsgi:app"],
                cwd=ROOT,
                env=environment,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                # Its own process group: stopping it stops the worker too, never anything else.
                start_new_session=True,
            )

    def _wait_until_healthy(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"exited with status {self.process.returncode}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/healthz")
                response = connection.getresponse()
                body = response.read()
                connection.close()
            except OSError:
                time.sleep(0.1)
                continue
            if response.status == 200 and json.loads(body) == {"status": "ok", "database": "ok"}:
                return
            time.sleep(0.2)
        raise RuntimeError(f"no healthy /healthz within {START_TIMEOUT:.0f} s")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)
        except ProcessLookupError:
            pass

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stdout(self) -> str:
        return self.stdout_path.read_text(errors="replace") if self.stdout_path.exists() else ""

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace") if self.stderr_path.exists() else ""

    def logs(self, lines: int = 40) -> str:
        """The end of both logs, for a failure message."""
        out = "\n".join(self.stdout().splitlines()[-lines:])
        err = "\n".join(self.stderr().splitlines()[-lines:])
        return f"--- {self.name} stdout (last {lines} lines) ---\n{out}\n--- {self.name} stderr ---\n{err}"

    def __repr__(self) -> str:
        return f"AppServer({self.name}, {self.url})"


@dataclass
class Page:
    status: int
    headers: list[tuple[str, str]]
    text: str
    server: AppServer

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    def header_all(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k.lower() == name.lower()]

    @property
    def location(self) -> str:
        return self.header("Location") or ""

    def csrf_token(self) -> str:
        match = CSRF_RE.search(self.text)
        assert match, f"no CSRF token on the page from {self.server.name}:\n{self.text[:2000]}"
        return match.group(1)

    def form(self) -> FormState:
        state = FormState()
        state.feed(self.text)
        return state

    def context(self) -> str:
        """What to print when an assertion about this page fails."""
        return f"{self.status} from {self.server.name}\n{self.text[:3000]}\n{self.server.logs()}"


@dataclass
class Browser:
    """One user's browser: a single cookie jar, whichever server answers."""

    cookies: dict[str, str] = field(default_factory=dict)
    set_cookie_headers: list[str] = field(default_factory=list)

    def request(self, server: AppServer, method: str, path: str, form: dict[str, Any] | None = None,
                headers: dict[str, str] | None = None) -> Page:
        sent = dict(headers or {})
        body = None
        if form is not None:
            body = urlencode(form, doseq=True).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=REQUEST_TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
            page = Page(response.status, response.getheaders(), text, server)
        except OSError as error:
            message = f"{method} {path} on {server.name} failed: {error}\n{server.logs()}"
            raise AssertionError(message) from error
        finally:
            connection.close()
        for header in page.header_all("Set-Cookie"):
            self._store(header)
        return page

    def _store(self, header: str) -> None:
        self.set_cookie_headers.append(header)
        jar: SimpleCookie = SimpleCookie()
        jar.load(header)
        for name, morsel in jar.items():
            expired = morsel["max-age"] == "0" or (
                morsel["expires"] and parsedate_to_datetime(morsel["expires"]).timestamp() < time.time()
            )
            if expired:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value

    def get(self, server: AppServer, path: str, **kwargs: Any) -> Page:
        return self.request(server, "GET", path, **kwargs)

    def submit(self, server: AppServer, path: str, data: dict[str, Any], page: str | None = None) -> Page:
        """Post a form the way a browser does: with the CSRF token of the page it was on (on that server)."""
        token = self.get(server, page or path).csrf_token()
        return self.request(server, "POST", path, form={"csrf_token": token, **data})


class FormState(HTMLParser):
    """The form fields of a page as a user sees them: checked radios, typed text, hidden values."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.checked: dict[str, str] = {}
        self.values: dict[str, str] = {}
        self.textareas: dict[str, str] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        name = attributes.get("name") or ""
        if tag == "input" and name:
            kind = (attributes.get("type") or "text").lower()
            if kind in ("radio", "checkbox"):
                if "checked" in attributes:
                    self.checked[name] = attributes.get("value") or ""
            else:
                self.values[name] = attributes.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.textareas[name] = ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self.textareas[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
