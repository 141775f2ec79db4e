"""The deployment files, checked as far as this machine allows without Docker.

The Dockerfile's instructions are read and its build context (what .dockerignore lets through) is copied
and run the way the image runs it: catalogs compiled, `gunicorn --check-config` with the image's command,
and the app answering from that copy. The gunicorn settings are loaded as gunicorn loads them.
"""

from __future__ import annotations

import fnmatch
import io
import json
import logging
import os
import re
import runpy
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from scan import create_app
from scan.config import from_environment, normalise_database_url
from tests.production.servers import GUNICORN_CONFIG, ROOT, free_port

DOCKERFILE = ROOT / "Dockerfile"
IMAGE_COMMAND = ["gunicorn", "-c", "deploy/gunicorn.conf.py", "wsgi:app"]
GUNICORN_ENV = ("GUNICORN_BIND", "WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_TIMEOUT",
                "GUNICORN_LOGLEVEL", "GUNICORN_CONTROL_SOCKET")
A_POSTGRES_URL = "postgres://ontwikkelscan@db.invalid/ontwikkelscan"  # never connected to


def _instructions() -> list[tuple[str, str]]:
    """The Dockerfile as (INSTRUCTION, arguments), continuation lines joined and comments dropped."""
    joined, current = [], ""
    for line in DOCKERFILE.read_text().splitlines():
        if line.strip().startswith("#") or not line.strip():
            continue
        current += line.rstrip("\\").strip() + " "
        if not line.rstrip().endswith("\\"):
            joined.append(current.strip())
            current = ""
    return [(word.upper(), rest) for word, _, rest in (entry.partition(" ") for entry in joined)]


def _only(name: str) -> str:
    found = [rest for word, rest in _instructions() if word == name]
    assert len(found) == 1, f"expected one {name} in the Dockerfile, found {found}"
    return found[0]


def _clean_env(**settings: str) -> dict[str, str]:
    dropped = (*GUNICORN_ENV, "SECRET_KEY", "DATABASE_URL", "TEST_DATABASE_URL", "SCAN_ENV")
    environment = {key: value for key, value in os.environ.items() if key not in dropped}
    environment.update(settings)
    return environment


# --- the Dockerfile ------------------------------------------------------------------------------------


def test_the_image_runs_gunicorn_with_the_shared_config_as_a_non_root_user():
    assert _only("FROM") == "python:3.11-slim"
    assert json.loads(_only("CMD")) == IMAGE_COMMAND
    assert _only("EXPOSE") == "8000"
    assert _only("USER") not in ("root", "0", "")
    run = " ".join(rest for word, rest in _instructions() if word == "RUN")
    assert "pip install -c constraints.txt ." in run
    assert "pybabel compile -d translations" in run


def test_the_image_checks_its_health_on_healthz():
    healthcheck = _only("HEALTHCHECK")
    assert "urllib.request" in healthcheck and "/healthz" in healthcheck
    assert re.search(r"--interval=\d+s", healthcheck) and re.search(r"--timeout=\d+s", healthcheck)


def test_no_secret_is_baked_into_the_image():
    for word, rest in _instructions():
        if word in ("ENV", "ARG", "LABEL"):
            assert not re.search(r"SECRET|PASSWORD|DATABASE_URL|TOKEN", rest, re.IGNORECASE), rest
    ignored = _dockerignore()
    for secretish in (".env", ".env.production", "instance", ".git", ".venv"):
        assert _is_ignored(secretish, ignored), f"{secretish} would be copied into the image"


def _dockerignore() -> list[str]:
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]


def _is_ignored(relative: str, patterns: list[str]) -> bool:
    """Docker's rule, as far as these simple patterns need: a pattern matches the path or a parent folder."""
    parts = Path(relative).parts
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    for pattern in patterns:
        options = [pattern, pattern[3:]] if pattern.startswith("**/") else [pattern]
        if any(fnmatch.fnmatchcase(c, option) for c in candidates for option in options):
            return True
    return False


@pytest.fixture(scope="module")
def build_context(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What `COPY . .` puts in /app, followed by the Dockerfile's `pybabel compile`."""
    target = tmp_path_factory.mktemp("image") / "app"
    patterns = _dockerignore()
    for folder, subfolders, files in os.walk(ROOT):
        here = Path(folder).relative_to(ROOT)
        # Never walk into what is ignored anyway (.git, .venv).
        subfolders[:] = [d for d in subfolders if not _is_ignored((here / d).as_posix(), patterns)]
        for name in files:
            relative = (here / name).as_posix()
            if not _is_ignored(relative, patterns):
                (target / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / relative, target / relative)
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run([str(pybabel), "compile", "-d", "translations"], cwd=target, check=True,
                   capture_output=True, timeout=120)
    return target


def test_the_build_context_holds_what_the_app_needs_and_nothing_local(build_context):
    for needed in ("wsgi.py", "pyproject.toml", "constraints.txt", "deploy/gunicorn.conf.py",
                   "migrations/env.py", "templates/base.html", "scan/__init__.py",
                   "competencies/wijkteam.yaml",
                   "translations/nl/LC_MESSAGES/messages.mo", "translations/en/LC_MESSAGES/messages.mo"):
        assert (build_context / needed).is_file(), f"{needed} is missing from the image"
    for absent in (".venv", ".git", "instance", "tests", ".ci"):
        assert not (build_context / absent).exists(), f"{absent} would be in the image"
    assert not list(build_context.rglob("__pycache__"))


def test_the_image_command_starts_the_app_from_the_build_context(build_context, tmp_path):
    """The image's CMD with --check-config, then the app from the copy: /healthz and the login page."""
    environment = _clean_env(PYTHONPATH=str(build_context), FLASK_APP="wsgi", INSTANCE_PATH=str(tmp_path),
                             DATABASE_URL=f"sqlite:///{tmp_path}/image.sqlite", SECRET_KEY="k" * 40)
    command = [sys.executable, "-m", *IMAGE_COMMAND, "--check-config"]
    result = subprocess.run(command, cwd=build_context, env=environment, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    probe = (
        "import scan, wsgi\n"
        "client = wsgi.app.test_client()\n"
        "health = client.get('/healthz')\n"
        "login = client.get('/inloggen').get_data(as_text=True)\n"
        "print(scan.__file__, health.status_code, 'Gebruikersnaam' in login, 'Wachtwoord' in login)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=build_context, env=environment,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    where, health, *dutch = result.stdout.split()[-4:]
    assert Path(where).is_relative_to(build_context), where
    assert health == "200" and dutch == ["True", "True"], result.stdout


def test_the_image_healthcheck_command_fails_when_nothing_answers():
    command = json.loads(_only("HEALTHCHECK").split("CMD", 1)[1])
    assert command[:2] == ["python", "-c"]
    port = free_port()  # nothing listens there
    result = subprocess.run([sys.executable, "-c", command[2]], env=_clean_env(GUNICORN_BIND=f":{port}"),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "Connection refused" in result.stderr


# --- deploy/gunicorn.conf.py ---------------------------------------------------------------------------


@pytest.fixture
def gunicorn_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in GUNICORN_ENV:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_gunicorn_settings_default_to_four_workers_on_port_8000(gunicorn_env):
    settings = runpy.run_path(str(GUNICORN_CONFIG))
    assert settings["bind"] == "0.0.0.0:8000"
    assert (settings["workers"], settings["threads"], settings["timeout"]) == (4, 1, 60)
    assert settings["accesslog"] == "-" and settings["errorlog"] == "-"
    # Each worker opens its own database pool.
    assert settings["preload_app"] is False
    assert settings["control_socket_disable"] is True and "control_socket" not in settings


def test_gunicorn_settings_come_from_the_environment(gunicorn_env):
    gunicorn_env.setenv("GUNICORN_BIND", "127.0.0.1:9000")
    gunicorn_env.setenv("WEB_CONCURRENCY", "9")
    gunicorn_env.setenv("GUNICORN_THREADS", "2")
    gunicorn_env.setenv("GUNICORN_TIMEOUT", "120")
    gunicorn_env.setenv("GUNICORN_CONTROL_SOCKET", "/run/ontwikkelscan/gunicorn.ctl")
    settings = runpy.run_path(str(GUNICORN_CONFIG))
    assert settings["bind"] == "127.0.0.1:9000"
    assert (settings["workers"], settings["threads"], settings["timeout"]) == (9, 2, 120)
    assert settings["control_socket_disable"] is False
    assert settings["control_socket"] == "/run/ontwikkelscan/gunicorn.ctl"


def _gunicorn_logger(name: str) -> tuple[object, logging.StreamHandler, io.StringIO]:  # type: ignore[type-arg]
    """Gunicorn's logger as the config sets it up; the handler it gives logger `name` (checked to write to
    stdout) now writes to the returned buffer."""
    from gunicorn.config import Config

    settings = runpy.run_path(str(GUNICORN_CONFIG))
    config = Config()
    for setting, value in settings.items():
        if setting in config.settings:
            config.set(setting, value)
    logger = config.logger_class(config)
    handlers = [h for h in logging.getLogger(name).handlers if getattr(h, "_gunicorn", False)]
    assert len(handlers) == 1 and isinstance(handlers[0], logging.StreamHandler)
    assert handlers[0].stream is sys.stdout, f"{name} writes to {handlers[0].stream}, not stdout"
    written = io.StringIO()
    handlers[0].setStream(written)
    return logger, handlers[0], written


@pytest.fixture
def gunicorn_loggers(gunicorn_env: pytest.MonkeyPatch) -> Iterator[None]:
    yield
    for name in ("gunicorn.error", "gunicorn.access"):
        logging.getLogger(name).handlers.clear()


@pytest.fixture
def access_log(gunicorn_loggers: None) -> tuple[object, io.StringIO]:
    """Gunicorn's logger as the config sets it up, and what its access handler (on stdout) writes."""
    logger, _handler, written = _gunicorn_logger("gunicorn.access")
    return logger, written


def _access(logger, path: str, request_id: str, status: str = "200 OK") -> None:  # type: ignore[no-untyped-def]
    environ = {"REQUEST_METHOD": "POST", "RAW_URI": path, "PATH_INFO": path, "QUERY_STRING": "q=geheim",
               "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "10.0.0.7"}
    response = SimpleNamespace(status=status, headers=[("X-Request-ID", request_id)], sent=1234)
    request = SimpleNamespace(headers=[("Cookie", "ontwikkelscan_session=geheim")])
    logger.access(response, request, environ, timedelta(milliseconds=42))


def test_access_log_lines_are_json_with_the_request_id(access_log):
    logger, written = access_log
    _access(logger, "/scan/3/GC", "abc123")
    line = written.getvalue().strip()
    entry = json.loads(line)
    assert entry["logger"] == "gunicorn.access" and entry["level"] == "info"
    assert entry["request_id"] == "abc123"
    assert (entry["method"], entry["path"], entry["status"]) == ("POST", "/scan/3/GC", "200")
    assert (entry["bytes"], entry["duration_ms"], entry["remote"]) == ("1234", "42", "10.0.0.7")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", entry["time"])
    # Neither the session cookie nor the query string is logged.
    assert "geheim" not in line


def test_access_log_lines_stay_one_valid_json_object_whatever_the_client_sends(access_log):
    logger, written = access_log
    # WSGI gives the path as Latin-1 decoded bytes: "/café" arrives as "/cafÃ©".
    nasty_path = '/a\\"b\nc/' + "/café".encode().decode("latin-1")
    forged_id = 'x\\", "status": "999'
    _access(logger, nasty_path, forged_id, status="404 NOT FOUND")
    lines = written.getvalue().splitlines()
    assert len(lines) == 1
    entry = json.loads(lines[0])
    assert entry["path"] == '/a\\"b\nc//café'
    assert entry["request_id"] == forged_id and entry["status"] == "404"


def test_gunicorns_own_messages_are_json_lines_on_stdout_through_the_apps_formatter(gunicorn_loggers):
    """Worker boots, timeouts and crashes: gunicorn.error goes through scan.core.logging's formatter."""
    from scan.core.logging import JsonFormatter

    logger, handler, written = _gunicorn_logger("gunicorn.error")
    assert isinstance(handler.formatter, JsonFormatter)
    logger.info("Booting worker with pid: %s", 4242)  # type: ignore[attr-defined]
    logger.critical("WORKER TIMEOUT (pid:%s)", 4242)  # type: ignore[attr-defined]
    try:
        raise RuntimeError("kapot")
    except RuntimeError:
        logger.exception("Exception in worker process")  # type: ignore[attr-defined]
    entries = [json.loads(line) for line in written.getvalue().splitlines()]
    assert [(e["logger"], e["level"], e["message"]) for e in entries] == [
        ("gunicorn.error", "info", "Booting worker with pid: 4242"),
        ("gunicorn.error", "critical", "WORKER TIMEOUT (pid:4242)"),
        ("gunicorn.error", "error", "Exception in worker process"),
    ]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", e["time"]) for e in entries)
    assert "Traceback" in entries[2]["exception"] and "RuntimeError: kapot" in entries[2]["exception"]
    assert "exception" not in entries[0]


def test_gunicorns_log_level_still_applies_to_its_json_messages(gunicorn_loggers, gunicorn_env):
    gunicorn_env.setenv("GUNICORN_LOGLEVEL", "warning")
    logger, _handler, written = _gunicorn_logger("gunicorn.error")
    logger.info("Booting worker with pid: %s", 4242)  # type: ignore[attr-defined]
    logger.warning("Worker with pid %s was terminated due to signal %s", 4242, 9)  # type: ignore[attr-defined]
    entries = [json.loads(line) for line in written.getvalue().splitlines()]
    assert [(e["level"], e["message"]) for e in entries] == [
        ("warning", "Worker with pid 4242 was terminated due to signal 9"),
    ]


def test_a_running_gunicorn_writes_only_json_lines_to_stdout_and_nothing_to_stderr(tmp_path):
    """gunicorn itself, started and stopped with the config: its start and stop messages, the app's
    lines and the access lines all on stdout as JSON; stderr stays empty."""
    port = free_port()
    environment = _clean_env(DATABASE_URL=f"sqlite:///{tmp_path}/gunicorn.sqlite", SECRET_KEY="s" * 40,
                             INSTANCE_PATH=str(tmp_path), GUNICORN_BIND=f"127.0.0.1:{port}",
                             WEB_CONCURRENCY="1", PYTHONUNBUFFERED="1")
    out_path, err_path = tmp_path / "stdout.log", tmp_path / "stderr.log"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONFIG), "wsgi:app"], cwd=ROOT,
            env=environment, stdin=subprocess.DEVNULL, stdout=out, stderr=err, start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and process.poll() is None:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    time.sleep(0.2)
            else:
                pytest.fail(f"gunicorn did not answer:\n{out_path.read_text()}\n{err_path.read_text()}")
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=30) == 0
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=30)
    stdout, stderr = out_path.read_text(), err_path.read_text()
    assert stderr == "", stderr
    entries = [json.loads(line) for line in stdout.splitlines()]
    own = [e["message"] for e in entries if e["logger"] == "gunicorn.error"]
    assert own[0].startswith("Starting gunicorn") and f"Listening at: http://127.0.0.1:{port}" in own[1]
    assert any(m.startswith("Booting worker with pid") for m in own)
    assert own[-1] == "Shutting down: Master"
    assert all(e["level"] == "info" for e in entries if e["logger"] == "gunicorn.error")
    access = [e for e in entries if e["logger"] == "gunicorn.access"]
    assert access and access[0]["path"] == "/healthz" and access[0]["status"] == "200"


def _check_config(environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "gunicorn", "--check-config", "-c", str(GUNICORN_CONFIG), "wsgi:app"]
    return subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)


def test_gunicorn_accepts_the_config_and_loads_the_app():
    result = _check_config(_clean_env(DATABASE_URL=A_POSTGRES_URL, SECRET_KEY="s" * 40))
    assert result.returncode == 0, result.stdout + result.stderr


def test_gunicorn_refuses_to_start_the_app_without_a_secret_key():
    result = _check_config(_clean_env(DATABASE_URL=A_POSTGRES_URL))
    assert result.returncode != 0
    assert "SECRET_KEY must be set outside development" in result.stdout + result.stderr


# --- configuration from the environment ----------------------------------------------------------------


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in list(os.environ):
        if name in ("SCAN_ENV", "SECRET_KEY", "DATABASE_URL") or name.startswith(
            ("SESSION_", "LOGIN_", "ARGON2_", "REGIO_", "RETENTION_", "AUDIT_", "PROXY_")
        ):
            monkeypatch.delenv(name)
    return monkeypatch


def test_production_refuses_to_start_without_a_secret_key(environment, tmp_path):
    with pytest.raises(RuntimeError, match="SECRET_KEY must be set outside development"):
        from_environment(str(tmp_path))
    environment.setenv("SCAN_ENV", "staging")  # anything but development is production
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()
    environment.setenv("SCAN_ENV", "development")
    assert from_environment(str(tmp_path))["SECRET_KEY"] == "development-only-secret-key-not-for-production"


@pytest.mark.parametrize(("given", "used"), [
    ("postgres://u:p@db.example:5432/scan", "postgresql+psycopg://u:p@db.example:5432/scan"),
    ("postgresql://u:p@db.example/scan?sslmode=require", "postgresql+psycopg://u:p@db.example/scan?sslmode=require"),
    ("postgresql+psycopg://u@db.example/scan", "postgresql+psycopg://u@db.example/scan"),
    ("sqlite:////srv/scan.sqlite", "sqlite:////srv/scan.sqlite"),
])
def test_the_database_url_is_read_from_the_environment_and_normalised(environment, tmp_path, given, used):
    environment.setenv("SECRET_KEY", "s" * 40)
    environment.setenv("DATABASE_URL", given)
    assert from_environment(str(tmp_path))["SQLALCHEMY_DATABASE_URI"] == used
    assert normalise_database_url(given) == used


def test_every_setting_comes_from_the_environment(environment, tmp_path):
    environment.setenv("SECRET_KEY", "s" * 40)
    defaults = from_environment(str(tmp_path))
    assert defaults["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/ontwikkelscan.sqlite"
    assert defaults["SESSION_COOKIE_SECURE"] is True and defaults["HSTS"] is True
    assert defaults["SECRET_KEY"] == "s" * 40 and defaults["ENV_NAME"] == "production"
    for name, value in {"SESSION_IDLE_MINUTES": 30, "LOGIN_MAX_FAILURES_PER_ACCOUNT": 3,
                        "LOGIN_THROTTLE_MINUTES": 5, "LOGIN_SLOWDOWN_AFTER": 40,
                        "LOGIN_SLOWDOWN_SECONDS": 12, "LOGIN_KNOWN_DEVICE_DAYS": 30,
                        "PROXY_FIX_HOPS": 2, "REGIO_MIN_CELL": 7, "RETENTION_MONTHS": 36,
                        "AUDIT_RETENTION_MONTHS": 12}.items():
        environment.setenv(name, str(value))
        assert from_environment(str(tmp_path))[name] == value, name


@pytest.fixture
def scan_logger() -> Iterator[logging.Logger]:
    """create_app outside testing points the shared "scan" logger at stdout; put it back afterwards."""
    logger = logging.getLogger("scan")
    handlers, level = logger.handlers[:], logger.level
    yield logger
    logger.handlers[:] = handlers
    logger.setLevel(level)


def test_production_on_a_sqlite_file_warns_in_a_json_log_line(environment, scan_logger, tmp_path, capsys):
    environment.setenv("SECRET_KEY", "s" * 40)
    environment.setenv("INSTANCE_PATH", str(tmp_path))
    create_app()
    warnings = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [w["level"] for w in warnings] == ["warning"]
    assert "DATABASE_URL does not point at PostgreSQL" in warnings[0]["message"]

    environment.setenv("DATABASE_URL", A_POSTGRES_URL)
    create_app()
    assert capsys.readouterr().out == ""
