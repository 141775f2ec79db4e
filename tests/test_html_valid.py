"""Every HTML page of the route matrix, as each role and anonymously, passes the Nu HTML Checker (vnu):
errors fail the test, warnings may stay. One Java start checks all pages at once.

The checker is npm's vnu-jar, pinned in tests/vnu_jar.py and fetched by `make test`; it needs a Java runtime
(Debian's default-jre-headless, which `.ci/run` installs). Without either the test is skipped on a
workstation and fails in CI (CI=true). It runs on the SQLite pass only: the HTML does not depend on the
database. Besides the pages that answer 200, the error pages (403, 404) and a form refused with its
messages (422) are checked too.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from scan.access import Role
from scan.catalogue.models import Training
from scan.extensions import db
from tests import vnu_jar
from tests.conftest import database_backend
from tests.factories import login
from tests.test_route_permissions import ALL_ROLES, ANON, MATRIX, build_world

pytestmark = pytest.mark.skipif(database_backend() != "sqlite",
                                reason="the HTML is checked on the SQLite pass")


def _vnu() -> list[str]:
    """The command that starts the checker, or a skip (a failure in CI) naming what is missing."""
    java = shutil.which("java")
    jar = vnu_jar.jar_path()
    missing = []
    if java is None:
        missing.append("a Java runtime (Debian: apt-get install default-jre-headless)")
    if not jar.exists():
        missing.append(f"{jar} (make test fetches it: python tests/vnu_jar.py)")
    if missing:
        message = "the Nu HTML Checker needs " + " and ".join(missing)
        if vnu_jar.in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return [java, "-Xss8m", "-jar", str(jar)]  # type: ignore[list-item]


def _pages(app: Any, tmp_path: Path) -> dict[Path, str]:
    """Every GET of the matrix that answers 200 with HTML, as every visitor allowed to open it, written to
    files: file -> "visitor GET path"."""
    world = build_world(app)
    with app.app_context():
        # A second catalogue entry: the catalogue page has a form per entry (their tokens once had one id).
        first = db.session.get(Training, world.ids["training"])
        assert first is not None
        db.session.add(Training(region_id=first.region_id, code="TR02", title="Huiselijk geweld",
                                type="training"))
        db.session.commit()
    pages: dict[Path, str] = {}
    for who in (ANON, *ALL_ROLES):
        client = app.test_client()
        if who != ANON:
            assert login(client, world.names[who]).status_code == 302
        for endpoint, (methods, _path, allowed) in MATRIX.items():
            if "GET" not in methods.split() or who not in allowed:
                continue
            url = world.url(endpoint)
            response = client.get(url)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            path = tmp_path / f"{len(pages):03d}-{who}-{endpoint}.html"
            path.write_bytes(response.data)
            pages[path] = f"{who} GET {url}"
        # What a visitor sees when refused: a page that does not exist, a page of another role, and (for
        # the team leader) a form sent back with its messages.
        refused = [("GET", "/bestaat-niet", 404)]
        if who != ANON:
            other = next(e for e, (m, _p, allowed) in MATRIX.items()
                         if "GET" in m.split() and who not in allowed and ANON not in allowed)
            refused.append(("GET", world.url(other), 403))
        if who == Role.TEAMLEIDER:
            refused.append(("POST", world.url("assessment.new_round"), 422))
        for method, url, status in refused:
            if method == "GET":
                response = client.get(url)
            else:
                token = client.csrf_token(url)  # type: ignore[attr-defined]
                response = client.post(url, data={"csrf_token": token, "title": "", "opens_on": "31-02-2027"})
            assert response.status_code == status and response.mimetype == "text/html", (who, method, url)
            path = tmp_path / f"{len(pages):03d}-{who}-{status}.html"
            path.write_bytes(response.data)
            pages[path] = f"{who} {method} {url} ({status})"
    return pages


def test_every_page_passes_the_nu_html_checker(app: Any, tmp_path: Path) -> None:
    command = _vnu()
    pages = _pages(app, tmp_path)
    assert len(pages) > 40  # the matrix's pages, not an empty run
    result = subprocess.run([*command, "--format", "json", *map(str, pages)], capture_output=True,
                            timeout=300, check=False)
    report = json.loads(result.stderr.decode("utf-8") or result.stdout.decode("utf-8"))
    errors = [
        f"{pages[Path(m['url'].removeprefix('file:'))]} line {m.get('lastLine')}: {m['message']} "
        f"[{m.get('extract', '').strip()}]"
        for m in report["messages"]
        if m["type"] in ("error", "non-document-error")
    ]
    assert not errors, f"{len(errors)} errors:\n" + "\n".join(errors)
