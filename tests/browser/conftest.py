"""Browser tests: the session's app served on a free loopback port, driven by Debian's Chromium.

Playwright never downloads a browser here; it starts /usr/bin/chromium. Without it the tests are
skipped on a workstation and fail in CI (CI=true), where `.ci/run` installs it.

They run on the SQLite pass only. What they check happens in the browser (keyboard paths, focus, scripts,
accessibility with axe-core, what a form sends); the routes and the database work behind them are the same
on both databases and are run on PostgreSQL by the rest of the suite (the route matrix, the fuzzed forms,
the page tests), and concurrent requests on PostgreSQL by the production tests and the journey. Running
them twice cost CI about a quarter of an hour.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from scan.access import Role
from scan.extensions import db
from tests import factories
from tests.conftest import database_backend

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    # This machine's network is closed; without these Chromium keeps dialling Google's services.
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
# Generous enough for a loaded CI machine, short enough that a missing element fails quickly.
TIMEOUT_MS = 30_000  # generous: CI machines are shared and the demo-region pages are large


HERE = Path(__file__).resolve().parent
ON_ONE_DATABASE = "browser tests run on the SQLite pass only (why: tests/browser/conftest.py)"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Marked at collection, so neither Chromium nor the live server starts on the PostgreSQL pass.
    if database_backend() != "postgresql":
        return
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.skip(reason=ON_ONE_DATABASE))


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@dataclass(frozen=True)
class LiveServer:
    url: str

    def __call__(self, path: str = "/") -> str:
        return self.url + path


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[LiveServer]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield LiveServer(f"http://127.0.0.1:{server.server_port}")
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if in_ci():
            pytest.fail(
                "Chromium not installed (apt-get install chromium); browser tests must run when CI=true",
                pytrace=False,
            )
        pytest.skip("Chromium not installed (apt-get install chromium); browser tests skipped")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
    finally:
        playwright.stop()


@pytest.fixture
def page(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    """A fresh browser context per test: no cookies or language choice carried over."""
    # Reduced motion: the design system scrolls smoothly otherwise, and a focus check taken while a smooth
    # scroll is still under way on a busy machine sees the focused element off screen.
    context = browser.new_context(base_url=live_server.url, reduced_motion="reduce")
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    context.close()


@dataclass(frozen=True)
class Account:
    username: str
    role: Role
    start_path: str
    team_id: int | None = None


@pytest.fixture
def make_account(app: Flask) -> Callable[..., Account]:
    """Create a committed user of `role` (with a team or region) so the live server can see it."""

    def create(role: Role, **kwargs: Any) -> Account:
        with app.app_context():
            team_id = None
            if role is Role.PROFESSIONAL:
                user = factories.make_user(role, **kwargs)
                team_id = user.team_id
            elif role is Role.TEAMLEIDER:
                team = factories.make_team(name="Wijkteam Noord")
                factories.make_user(Role.PROFESSIONAL, team=team, full_name="Anna de Vries")
                factories.make_user(Role.PROFESSIONAL, team=team, full_name="Bram Jansen")
                user = factories.make_user(role, team=team, **kwargs)
                team_id = team.id
            elif role is Role.REGIOCOORDINATOR:
                team = factories.make_team()
                factories.make_user(Role.PROFESSIONAL, team=team)
                user = factories.make_user(role, region=team.municipality.region, **kwargs)
            else:
                factories.make_team()
                user = factories.make_user(role, **kwargs)
            db.session.commit()
            start = {
                Role.PROFESSIONAL: "/mijn",
                Role.TEAMLEIDER: "/teams/",
                Role.REGIOCOORDINATOR: "/regio/",
                Role.BEHEERDER: "/beheer/",
            }[role]
            return Account(username=user.username, role=role, start_path=start, team_id=team_id)

    return create


def log_in(page: Any, username: str, password: str) -> None:
    """Fill in the login form the way a visitor does and wait for the next page."""
    page.fill("#username", username)
    page.fill("#password", password)
    with page.expect_navigation():
        page.locator("main form[method=post] [type=submit]").click()


def switch_language(page: Any, lang: str) -> None:
    """Choose the language with the header's buttons (no-op when it is already the page's language)."""
    if page.locator("html").get_attribute("lang") == lang:
        return
    with page.expect_navigation():
        page.locator(f'header form[action$="/taal"] button[name="lang"][value="{lang}"]').click()
    assert page.locator("html").get_attribute("lang") == lang


AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines: list[str] = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    at {', '.join(str(t) for t in node['target'])}")
            lines.append(f"       {node['html'][:200]}")
            for summary_line in (node.get("failureSummary") or "").splitlines():
                lines.append(f"       {summary_line}")
    return "\n".join(lines)


def assert_accessible(page: Any, label: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    assert not violations, (
        f"{len(violations)} axe violation(s) on {label} ({page.url}):\n{format_violations(violations)}"
    )
