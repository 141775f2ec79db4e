"""The README's tour: screenshots of each role's main pages at 375 and 1280 px, taken from the demo region.

`make tour` runs this: a fresh demo database in a temporary folder (as `make run` loads it), the app on a
free local port, Debian's Chromium through Playwright, one screenshot per page and width into docs/tour/,
and the README's tour section (between the two `tour` markers) written anew from the same list. So the
pictures and the text always show the app as it is; tests/test_tour.py checks that the README names every
page of TOUR and that each picture is there.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "tour"
README = ROOT / "README.md"
WIDTHS = (375, 1280)
START, END = "<!-- tour:start -->", "<!-- tour:end -->"


@dataclass(frozen=True)
class Stop:
    """One page of the tour: who looks at it, what the README calls it, and how to find its address in the
    demo data (a function of the visitor's account, run inside the app)."""

    role: str
    slug: str
    title: str
    path: Callable[[Any], str]


def _team_round(user: Any) -> tuple[int, int]:
    """The leader's first team and its latest round that has submitted scans."""
    from sqlalchemy import select

    from scan.assessment.models import Scan, ScanRound, ScanStatus
    from scan.extensions import db

    team = user.led_teams[0]
    round_id = db.session.scalar(
        select(ScanRound.id).join(Scan, Scan.round_id == ScanRound.id)
        .where(ScanRound.team_id == team.id, Scan.status == ScanStatus.SUBMITTED.value)
        .order_by(ScanRound.opens_on.desc()).limit(1)
    )
    return team.id, int(round_id or 0)


def _teamschouw(suffix: str) -> Callable[[Any], str]:
    def path(user: Any) -> str:
        team_id, round_id = _team_round(user)
        return f"/teams/{team_id}/rondes/{round_id}/teamschouw{suffix}"

    return path


TOUR: tuple[Stop, ...] = (
    Stop("professional", "start", "Start page: what to do now", lambda u: "/"),
    Stop("professional", "scan", "The self-assessment", lambda u: "/scan"),
    Stop("professional", "result", "The result", lambda u: "/mijn/resultaat"),
    Stop("professional", "pop", "The POP", lambda u: "/mijn/pop"),
    Stop("teamleider", "teams", "The team leader's teams", lambda u: "/teams/"),
    Stop("teamleider", "teamschouw", "The teamschouw, step by step", _teamschouw("/")),
    Stop("teamleider", "matrix", "The team matrix", _teamschouw("/matrix")),
    Stop("regiocoordinator", "region", "The regional overview", lambda u: "/regio/"),
    Stop("regiocoordinator", "scholingsplan", "The scholingsplan", lambda u: "/regio/scholingsplan"),
    Stop("beheerder", "administration", "Administration", lambda u: "/beheer/"),
    Stop("beheerder", "accounts", "Accounts", lambda u: "/beheer/accounts"),
)
ROLE_TITLES = {
    "professional": "Professional",
    "teamleider": "Team leader",
    "regiocoordinator": "Regional coordinator",
    "beheerder": "Administrator",
}


def image_name(stop: Stop, width: int) -> str:
    return f"{stop.role}-{stop.slug}-{width}.png"


def readme_section() -> str:
    """The tour as the README shows it: per role a table of its pages, the phone and the laptop side by
    side (the pictures link to themselves at full size)."""
    lines = [START, ""]
    for role, title in ROLE_TITLES.items():
        lines += [f"**{title}**", "", "| page | 375 px | 1280 px |", "| --- | --- | --- |"]
        for stop in (s for s in TOUR if s.role == role):
            cells = [f"[<img src=\"docs/tour/{image_name(stop, w)}\" alt=\"{stop.title} at {w} px\" "
                     f"width=\"{160 if w == 375 else 360}\">](docs/tour/{image_name(stop, w)})"
                     for w in WIDTHS]
            lines.append(f"| {stop.title} | {cells[0]} | {cells[1]} |")
        lines.append("")
    lines.append(END)
    return "\n".join(lines)


def write_readme() -> None:
    text = README.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    if not pattern.search(text):
        sys.exit(f"README.md has no {START} … {END} section to write the tour into")
    README.write_text(pattern.sub(lambda _m: readme_section(), text), encoding="utf-8")


def take_screenshots() -> None:
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    folder = tempfile.mkdtemp(prefix="ontwikkelscan-tour-")
    os.environ.update(SCAN_ENV="development", INSTANCE_PATH=folder,
                      DATABASE_URL=f"sqlite:///{folder}/tour.sqlite")
    from flask_migrate import upgrade

    from scan import create_app
    from scan.demo import seed

    app = create_app()
    with app.app_context():
        upgrade()
    result = app.test_cli_runner().invoke(args=["demo", "seed"])
    if result.exit_code != 0:
        sys.exit(result.output)
    with app.app_context():
        visitors = {}
        for account, user in seed.existing_demo_accounts():
            visitors.setdefault(str(user.role), (account.username, account.password, user))
        paths = {stop: stop.path(visitors[stop.role][2]) for stop in TOUR}

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per picture, not per request
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    OUT.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, log_in

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        for role in ROLE_TITLES:
            username, password, _user = visitors[role]
            context = browser.new_context(base_url=base, reduced_motion="reduce")
            page = context.new_page()
            page.goto("/inloggen")
            log_in(page, username, password)
            for stop in (s for s in TOUR if s.role == role):
                for width in WIDTHS:
                    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 760})
                    page.goto(paths[stop])
                    page.screenshot(path=str(OUT / image_name(stop, width)))
                    print(f"docs/tour/{image_name(stop, width)}  {paths[stop]}")
            context.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    take_screenshots()
    write_readme()
    print("README.md: tour section written")
