"""Every command the README gives works as written in a `make run` checkout, or says in one line why not.

The commands run as a person types them: the virtualenv's `flask`, in a directory holding `wsgi.py` and the
`.flaskenv` that `make run` writes, with no SECRET_KEY in the environment.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import database_backend

ROOT = Path(__file__).resolve().parent.parent
FLASK = Path(sys.executable).parent / "flask"

pytestmark = pytest.mark.skipif(
    database_backend() != "sqlite", reason="runs the CLI on its own SQLite file; once per suite is enough"
)

# What a person fills in for the README's placeholders, in the demo region.
PLACEHOLDERS = {
    "FILE.csv": "accounts.csv",
    "FILE": str(ROOT / "competencies" / "wijkteam.yaml"),
    "USERNAME": "s.bakker",
    "PERIOD_ID": "1",
    "ROLE": "professional",
    '"FULL NAME"': '"Nieuwe Collega"',
    "--region CODE": "",  # a professional belongs to a team, not a region
    "CODE": "LW-CENTRUM",
    "PASSWORD": '"een lange zin als wachtwoord 2026"',
}


def _readme_commands() -> list[str]:
    """The `flask ...` commands of the README's command-line table, placeholders filled in."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Command line", 1)[1].split("\n## ", 1)[0]
    commands: list[str] = []
    for row in re.findall(r"^\| (`flask .*?) \|", section, flags=re.MULTILINE):
        for variant in re.findall(r"`(flask [^`]+)`", row):
            command = re.sub(r"\[([^\]]*)\](\.\.\.)?", r"\1", variant)  # optional parts: given once
            if command.startswith("flask users add"):
                command = command.replace("USERNAME", "n.nieuw", 1)
            for placeholder, value in PLACEHOLDERS.items():
                command = re.sub(rf"(?<![\w-]){re.escape(placeholder)}(?![\w-])", value, command)
            command = " ".join(command.split())
            commands.append(command)
    return commands


def _checkout(tmp_path: Path, *, demo: bool) -> tuple[Path, dict[str, str]]:
    """A directory like a checkout: wsgi.py, and after `make run` its .flaskenv; the app from the repo."""
    directory = tmp_path / "checkout"
    (directory / "instance").mkdir(parents=True)
    shutil.copy(ROOT / "wsgi.py", directory / "wsgi.py")
    if demo:
        makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
        assert "SCAN_ENV=development" in makefile.split(".flaskenv:", 1)[1].split("\n\n", 1)[0]
        (directory / ".flaskenv").write_text("SCAN_ENV=development\n", encoding="utf-8")
    (directory / "accounts.csv").write_text(
        "username,role,name,team,region,password\n"
        "n.collega,professional,Nieuwe Collega,LW-CENTRUM,,een lange zin als wachtwoord 2026\n",
        encoding="utf-8",
    )
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
    environment = {name: os.environ[name] for name in keep if name in os.environ}
    environment |= {"PYTHONPATH": str(ROOT), "INSTANCE_PATH": str(directory / "instance")}
    return directory, environment


def _run(command: str, directory: Path, environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    import shlex

    words = shlex.split(command)
    assert words[0] == "flask"
    return subprocess.run(
        [str(FLASK), *words[1:]], cwd=directory, env=environment, capture_output=True, text=True,
        timeout=120, stdin=subprocess.DEVNULL,
    )


def test_the_readme_lists_the_commands_this_test_runs():
    commands = _readme_commands()
    assert "flask demo accounts" in commands
    assert "flask users deactivate s.bakker" in commands and "flask users activate s.bakker" in commands
    assert len(commands) >= 15, commands


def test_every_readme_command_works_after_make_run(tmp_path):
    directory, environment = _checkout(tmp_path, demo=True)
    # What `make run` does first, then every command of the table in the README's order.
    for command in ["flask db upgrade", "flask demo seed --if-empty", *_readme_commands()]:
        result = _run(command, directory, environment)
        output = result.stdout + result.stderr
        assert "Traceback" not in output, f"{command}\n{output}"
        assert result.returncode == 0, f"{command} ended with {result.returncode}\n{output}"
        assert output.strip(), f"{command} printed nothing"
        if command == "flask demo accounts":
            assert "s.bakker" in result.stdout and "zelfscan-demo-2026" in result.stdout
        if command.startswith("flask users import"):
            assert "Import klaar: 1 account aangemaakt, 0 accounts gewijzigd." in result.stdout


def test_without_the_demo_settings_a_command_says_in_one_line_what_is_missing(tmp_path):
    directory, environment = _checkout(tmp_path, demo=False)
    result = _run("flask demo accounts", directory, environment)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert "SECRET_KEY must be set outside development" in lines[0] and "make run" in lines[0]


def test_a_setting_that_is_not_a_number_is_named_in_one_line(tmp_path):
    directory, environment = _checkout(tmp_path, demo=True)
    environment["SESSION_IDLE_MINUTES"] = "een uur"
    result = _run("flask demo accounts", directory, environment)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "SESSION_IDLE_MINUTES must be a whole number, not 'een uur'" in result.stderr
