"""The load-and-fault journey (issue 9): gunicorn with 4 workers on PostgreSQL, 50 professionals at once.

    .venv/bin/python benchmarks/journey.py                    the full journey (or: make journey)
    .venv/bin/python benchmarks/journey.py --short --faults   the CI form: shorter, with a database restart
                                                              and a killed worker in the middle

What it does, with nothing but the Debian `postgresql` package installed:

1. starts a throw-away PostgreSQL cluster (benchmarks/pgcluster.py), builds the schema with `flask db
   upgrade` and loads, through the app's own services, the shipped Kenniskaart, a region with one
   municipality and one team of 50 professionals (journey.p01 ... journey.p50), its team leader
   (journey.teamleider), the regional coordinator (journey.regio) and an open scan round;
2. starts gunicorn as production runs it (`deploy/gunicorn.conf.py`, `wsgi:app`, WEB_CONCURRENCY=4, no
   SCAN_ENV) on a free loopback port and waits for /healthz;
3. lets every professional, each in its own thread, log in, open "Mijn scan", fill in and save the
   sections (the first one twice, as a draft and then for real) with answers derived from the person and
   the item, and submit; meanwhile the team leader keeps opening the teamschouw matrix and the regional
   coordinator keeps downloading the scholingsplan (XLSX and CSV);
4. with --faults, restarts PostgreSQL a quarter of the way through (stop -m fast, a pause, start) and
   SIGKILLs one gunicorn worker at 60 %; requests during the outage must get the translated 503 page,
   users retry what was not confirmed, and the same gunicorn must carry on;
5. checks the database: every save confirmed to a user (a redirect after the POST) is there with exactly
   the values that user posted, nobody's answers are in another's scan, every confirmed submit is
   submitted (once); and no answer was a 5xx except the translated 503s during the outage.

It prints per page the requests, median and 95th-percentile latency (what the client waited, queueing in
gunicorn's backlog included) and the errors, and ends with "journey: OK ..." (exit 0) or
"journey: FAILED: ..." (exit 1). The cluster and gunicorn are always stopped and removed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.pgcluster import PgCluster, free_port  # noqa: E402

PASSWORD = "journey-wachtwoord-2026"
USER_PREFIX = "journey"
# The translated 503 page, in Dutch (the default language); see templates/errors/503.html.
UNAVAILABLE_NL = "De dienst is even niet beschikbaar"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]*)"')
LOCK_RE = re.compile(r'name="lock_version"[^>]*value="([^"]*)"')
LEVEL_RE = re.compile(r'name="level-([^"]+)" value="([^"]+)"')
SECTION_LINK_RE = re.compile(r'href="/scan/(\d+)/([A-Za-z0-9_.-]+)"')
# How long a simulated user keeps retrying one step (a save, a login) before giving up.
RETRY_FOR_SECONDS = 120.0
REQUEST_TIMEOUT = 120.0


class Abort(Exception):
    """A simulated user cannot go on (an unexpected answer); the journey fails."""


# --- what happened: every request, every problem ------------------------------------------------------


@dataclass
class Sample:
    page: str
    status: int  # 0: the connection broke before an answer came
    start: float  # time.monotonic()
    end: float
    expected: bool  # the answer this step expects (a 503 or a broken connection never is)
    request_id: str = ""  # sent as X-Request-ID, so gunicorn's access log line can be found

    @property
    def ms(self) -> float:
        return (self.end - self.start) * 1000


@dataclass
class Window:
    """A fault: when it began and ended (monotonic), and what was seen."""

    start: float = 0.0
    end: float = 0.0
    facts: dict[str, Any] = field(default_factory=dict)

    def covers(self, sample: Sample, grace: float) -> bool:
        return bool(self.start) and sample.end >= self.start and sample.start <= self.end + grace


class Record:
    """Thread-safe: the requests, the problems and the progress of the journey."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.samples: list[Sample] = []
        self.problems: list[str] = []
        self.retries: Counter[str] = Counter()
        self.saves_confirmed = 0
        self.started = time.monotonic()

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)

    def problem(self, text: str) -> None:
        with self.lock:
            self.problems.append(text)
        say(f"problem: {text}")

    def retry(self, what: str) -> None:
        with self.lock:
            self.retries[what] += 1

    def confirmed_save(self) -> None:
        with self.lock:
            self.saves_confirmed += 1


START = time.monotonic()


def say(text: str) -> None:
    print(f"[journey {time.monotonic() - START:6.1f}s] {text}", flush=True)


# --- a browser: cookies by hand (production cookies are Secure, and this is plain http on loopback) ---------


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        return urllib.parse.urlsplit(self.headers.get("location", "")).path

    @property
    def retryable(self) -> bool:
        return self.status in (0, 503)


class Browser:
    """One person's browser: a cookie jar and one request at a time. gunicorn's sync workers close every
    connection after the answer, so each request opens its own."""

    def __init__(self, port: int, who: str, record: Record) -> None:
        self.port = port
        self.who = who
        self.record = record
        self.cookies: dict[str, str] = {}
        self.count = 0

    def _store_cookies(self, headers: list[str]) -> None:
        for header in headers:
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def request(self, page: str, method: str, path: str, form: dict[str, str] | None = None,
                expect: Iterable[int] = (200,)) -> Reply:
        """One attempt. A 503 must be the translated page; anything else unexpected is a problem."""
        self.count += 1
        headers = {"X-Request-ID": f"{self.who}-{self.count}", "User-Agent": "ontwikkelscan-journey"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        start = time.monotonic()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            reply = Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, data)
            self._store_cookies(response.headers.get_all("Set-Cookie") or [])
        except (OSError, http.client.HTTPException):
            reply = Reply(0, {}, b"")
        finally:
            connection.close()
        expected = reply.status in tuple(expect)
        request_id = headers["X-Request-ID"]
        self.record.add(Sample(page, reply.status, start, time.monotonic(), expected, request_id))
        if reply.status == 503:
            self._check_unavailable_page(page, reply)
        elif not expected and reply.status != 0:
            snippet = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", reply.text))[:160]
            self.record.problem(f"{self.who}: {method} {path} ({page}) answered {reply.status}: {snippet}")
        return reply

    def _check_unavailable_page(self, page: str, reply: Reply) -> None:
        text = reply.text
        if UNAVAILABLE_NL not in text or "Traceback" in text or not reply.headers.get("retry-after"):
            self.record.problem(f"{self.who}: a 503 on {page} is not the translated page: {text[:160]!r}")

    def get(self, page: str, path: str, expect: Iterable[int] = (200,)) -> Reply:
        return self.request(page, "GET", path, expect=expect)

    def post(self, page: str, path: str, form: dict[str, str], expect: Iterable[int] = (302,)) -> Reply:
        return self.request(page, "POST", path, form, expect)


def scrape(pattern: re.Pattern[str], html: str, what: str) -> str:
    match = pattern.search(html)
    if not match:
        raise Abort(f"no {what} on the page")
    return match.group(1)


def retrying(record: Record, what: str, step: Callable[[], bool]) -> None:
    """Run `step` until it returns True; False means "not confirmed, try again" (a 503, a broken connection).
    Like a person: wait a moment, go back to the page, do it again."""
    deadline = time.monotonic() + RETRY_FOR_SECONDS
    while not step():
        record.retry(what)
        if time.monotonic() > deadline:
            raise Abort(f"{what}: still not confirmed after {RETRY_FOR_SECONDS:.0f} s of retrying")
        time.sleep(0.4 + random.random() * 0.4)


def log_in(browser: Browser, username: str, start_page: str) -> None:
    """Log in as a browser does (the form for its CSRF token, then the POST) and open the start page."""
    landing = ""

    def attempt() -> bool:
        nonlocal landing
        page = browser.get("login page", "/inloggen", expect=(200, 302))
        if page.retryable:
            return False
        if page.status == 302:  # an earlier, unconfirmed attempt did log in
            landing = page.location
            return True
        form = {"csrf_token": scrape(CSRF_RE, page.text, "CSRF token"), "username": username,
                "password": PASSWORD}
        reply = browser.post("login (POST)", "/inloggen", form)
        if reply.retryable:
            return False
        if reply.status != 302 or reply.location.startswith("/inloggen"):
            raise Abort(f"login of {username} refused ({reply.status})")
        landing = reply.location
        return True

    retrying(browser.record, "login", attempt)
    retrying(browser.record, "start page", lambda: not browser.get(start_page, landing).retryable)


# --- the answers: derived from the person, the item and the revision, so each is checkable later ------------


@dataclass(frozen=True)
class Stored:
    """An answer as the database must hold it (scan_answer)."""

    level: int | None
    not_applicable: bool
    ambition: int | None
    note: str


def answer_for(user: int, code: str, revision: int, nvt_allowed: bool) -> tuple[dict[str, str], Stored]:
    """The form fields for one item and what they must become in the database."""
    h = zlib.crc32(f"{user}/{code}/{revision}".encode())
    note = f"Intervisie p{user:02d} · {code} · r{revision}"
    if nvt_allowed and h % 11 == 0:
        return {"level": "nvt", "ambition": "stay", "note": note}, Stored(None, True, None, note)
    level = 1 + h % 4
    if level == 4 or (h >> 8) % 3 == 0:
        return {"level": str(level), "ambition": "stay", "note": note}, Stored(level, False, level, note)
    ambition = level + 1 + (h >> 12) % (4 - level)
    fields = {"level": str(level), "ambition": str(ambition), "note": note}
    return fields, Stored(level, False, ambition, note)


# --- the simulated people ----------------------------------------------------------------------------------


@dataclass
class Plan:
    """The world the journey runs in, as the seeding made it."""

    round_id: int
    team_id: int
    sections: list[str]  # section codes in order
    items: dict[str, list[str]]  # section code -> item codes in page order
    professionals: int
    port: int = 0


@dataclass
class Outcome:
    """What one professional was told, and what they tried without being told."""

    # item code -> what the last confirmed save of it wrote
    confirmed: dict[str, Stored] = field(default_factory=dict)
    # item code -> values of later saves that got no confirmation (they may or may not have committed)
    unconfirmed: dict[str, list[Stored]] = field(default_factory=lambda: defaultdict(list))
    saves_confirmed: int = 0
    saves_attempted: int = 0  # POSTs that reached a worker or might have (every attempt that was not refused)
    submit_confirmed: bool = False
    submit_attempted: bool = False
    finished: bool = False


class Professional:
    def __init__(self, n: int, plan: Plan, record: Record, sections: list[str], submit: bool) -> None:
        self.n = n
        self.username = f"{USER_PREFIX}.p{n:02d}"
        self.plan = plan
        self.record = record
        self.sections = sections
        self.submit = submit
        self.browser = Browser(plan.port, f"p{n:02d}", record)
        self.outcome = Outcome()

    def run(self) -> None:
        try:
            log_in(self.browser, self.username, "start page: professional")
            retrying(self.record, "my scan", self.open_scan)
            # The first section twice: saved as a draft, then changed and saved for real.
            steps = [(self.sections[0], 0, "save")] + [(code, 1, "save_next") for code in self.sections]
            for code, revision, action in steps:
                retrying(self.record, "save", lambda c=code, r=revision, a=action: self.save(c, r, a))
            if self.submit:
                retrying(self.record, "submit", self.submit_scan)
            self.outcome.finished = True
        except Abort as error:
            self.record.problem(f"{self.username}: {error}")
        except Exception as error:  # a bug in the journey itself must fail the run, not hang it
            self.record.problem(f"{self.username}: {type(error).__name__}: {error}")

    def open_scan(self) -> bool:
        reply = self.browser.get("my scan (/scan)", "/scan")
        if reply.retryable:
            return False
        links = {(int(r), code) for r, code in SECTION_LINK_RE.findall(reply.text)}
        if (self.plan.round_id, self.plan.sections[0]) not in links:
            raise Abort("'Mijn scan' does not link to the first section of the open round")
        return True

    def save(self, code: str, revision: int, action: str) -> bool:
        path = f"/scan/{self.plan.round_id}/{code}"
        page = self.browser.get("section (GET)", path)
        if page.retryable:
            return False
        html = page.text
        choices: dict[str, set[str]] = defaultdict(set)
        for item, value in LEVEL_RE.findall(html):
            choices[item].add(value)
        if list(choices) != self.plan.items[code]:
            raise Abort(f"section {code} shows items {list(choices)}, expected {self.plan.items[code]}")
        self._check_shown(code, html)
        form = {
            "csrf_token": scrape(CSRF_RE, html, "CSRF token"),
            "lock_version": scrape(LOCK_RE, html, "lock_version"),
            "action": action,
        }
        stored: dict[str, Stored] = {}
        for item, values in choices.items():
            fields, stored[item] = answer_for(self.n, item, revision, "nvt" in values)
            for key, value in fields.items():
                form[f"{key}-{item}"] = value
        self.outcome.saves_attempted += 1
        reply = self.browser.post("section save (POST)", path, form)
        if reply.retryable:
            for item, value in stored.items():
                self.outcome.unconfirmed[item].append(value)
            return False
        if reply.status != 302:
            raise Abort(f"saving {code} answered {reply.status}")
        expected = self._after_save(code, action)
        if reply.location != expected:
            raise Abort(f"saving {code} led to {reply.location}, expected {expected}")
        for item, value in stored.items():
            self.outcome.confirmed[item] = value
            self.outcome.unconfirmed.pop(item, None)
        self.outcome.saves_confirmed += 1
        self.record.confirmed_save()
        return True

    def _check_shown(self, code: str, html: str) -> None:
        """The page shows what this person saved last (their own answers, not someone else's)."""
        for item in self.plan.items[code]:
            confirmed = self.outcome.confirmed.get(item)
            if confirmed is None or item in self.outcome.unconfirmed:
                continue
            value = "nvt" if confirmed.not_applicable else str(confirmed.level)
            if not re.search(rf'name="level-{re.escape(item)}" value="{value}"[^>]*checked', html):
                raise Abort(f"section {code} does not show the saved level {value} of {item}")

    def _after_save(self, code: str, action: str) -> str:
        if action == "save":
            return f"/scan/{self.plan.round_id}/{code}"
        index = self.plan.sections.index(code)
        if index + 1 < len(self.plan.sections):
            return f"/scan/{self.plan.round_id}/{self.plan.sections[index + 1]}"
        return f"/scan/{self.plan.round_id}/indienen"

    def submit_scan(self) -> bool:
        path = f"/scan/{self.plan.round_id}/indienen"
        result = f"/mijn/resultaat/{self.plan.round_id}"
        page = self.browser.get("submit page (GET)", path, expect=(200, 302) if self.outcome.submit_attempted
                                else (200,))
        if page.retryable:
            return False
        if page.status == 302:  # the earlier, unconfirmed attempt did submit: the page says so
            if page.location != result:
                raise Abort(f"the submit page led to {page.location}")
        else:
            self.outcome.submit_attempted = True
            form = {"csrf_token": scrape(CSRF_RE, page.text, "CSRF token")}
            reply = self.browser.post("submit (POST)", path, form)
            if reply.retryable:
                return False
            if reply.status != 302 or reply.location != result:
                raise Abort(f"submitting answered {reply.status} {reply.location}")
        self.outcome.submit_confirmed = True
        shown = self.browser.get("my result", result)
        # The result page itself failing after a confirmed submit is only a reload away; not retried here.
        return shown.status == 200 or shown.retryable


class Watcher:
    """The team leader (the matrix) or the regional coordinator (the exports), over and over until the
    professionals are done."""

    def __init__(self, kind: str, plan: Plan, record: Record, done: threading.Event, pause: float) -> None:
        self.kind = kind
        self.plan = plan
        self.record = record
        self.done = done
        self.pause = pause
        self.username = f"{USER_PREFIX}.{kind}"
        self.browser = Browser(plan.port, kind, record)
        self.views = 0

    def run(self) -> None:
        try:
            start = "start page: team leader" if self.kind == "teamleider" else "start page: coordinator"
            log_in(self.browser, self.username, start)
            turn = 0
            while not self.done.is_set():
                ok = self._matrix() if self.kind == "teamleider" else self._export(turn)
                self.views += ok
                turn += 1
                self.done.wait(self.pause)
        except Abort as error:
            self.record.problem(f"{self.username}: {error}")
        except Exception as error:
            self.record.problem(f"{self.username}: {type(error).__name__}: {error}")

    def _matrix(self) -> bool:
        reply = self.browser.get(
            "teamschouw matrix", f"/teams/{self.plan.team_id}/rondes/{self.plan.round_id}/teamschouw/matrix")
        return reply.status == 200

    def _export(self, turn: int) -> bool:
        if turn % 2 == 0:
            reply = self.browser.get("regional export (XLSX)", "/regio/scholingsplan.xlsx")
            if reply.status == 200 and not reply.body.startswith(b"PK"):
                self.record.problem("the regional XLSX export is not a workbook")
        else:
            reply = self.browser.get("regional export (CSV)", "/regio/export/scholingsplan.csv")
            if reply.status == 200 and "text/csv" not in reply.headers.get("content-type", ""):
                self.record.problem("the regional CSV export is not CSV")
        return reply.status == 200


# --- seeding through the app's own services -----------------------------------------------------------------


def build_world(app: Any, professionals: int, real_argon2: bool) -> Plan:
    """The Kenniskaart, a region, a municipality, one team with its people, an open round. Committed."""
    from sqlalchemy import select

    from scan.access import Role
    from scan.assessment import services as assessment_services
    from scan.auth.models import User
    from scan.auth.passwords import hash_password
    from scan.core import clock
    from scan.extensions import db
    from scan.kenniskaart import queries as kenniskaart_queries
    from scan.kenniskaart.services import DEFAULT_FILE, load_kenniskaart
    from scan.organisation import services as org

    with app.app_context():
        if not real_argon2:
            # The journey times the pages, not Argon2: a cheap hash (verification reads its parameters from
            # the hash, so the server checks it cheaply too). --real-argon2 uses the production cost.
            app.config.update(ARGON2_TIME_COST=1, ARGON2_MEMORY_COST=1024)
        loaded = load_kenniskaart(DEFAULT_FILE)
        if not loaded.ok or loaded.version is None:
            raise RuntimeError(f"the shipped Kenniskaart does not load: {loaded.report.lines()}")
        region = org.create_region("JOURNEY", "Regio Journey")
        municipality = org.create_municipality(region, "GM-JOURNEY", "Gemeente Journey")
        team = org.create_team(municipality, "JOURNEY-1", "Wijkteam Journey")
        # One hash for all (as the demo seed does): hashing 52 passwords would only time Argon2.
        password_hash = hash_password(PASSWORD)

        def account(username: str, role: Role, **links: Any) -> User:
            user = User(username=username, full_name=username.replace(".", " ").title(),
                        password_hash=password_hash, role=role.value, **links)
            db.session.add(user)
            return user

        for n in range(1, professionals + 1):
            account(f"{USER_PREFIX}.p{n:02d}", Role.PROFESSIONAL, team=team)
        leader = account(f"{USER_PREFIX}.teamleider", Role.TEAMLEIDER, led_teams=[team])
        account(f"{USER_PREFIX}.regio", Role.REGIOCOORDINATOR, region=region)
        db.session.flush()
        today = clock.today()
        scan_round = assessment_services.open_round(team, "Ontwikkelscan journey", today - timedelta(days=1),
                                                    today + timedelta(days=30), leader, today)
        # The coordinator's downloads read a publication: an earlier period, published (nothing in it; the
        # open round is never counted).
        from scan.regio import periods, publish

        period = periods.add(region.id, "vorig halfjaar", today - timedelta(days=200),
                             today - timedelta(days=20))
        publish.publish(period, None, today)
        db.session.commit()
        sections = kenniskaart_queries.section_list(scan_round.version_id)
        items = {
            s.code: [i.code for i in kenniskaart_queries.section_items(s.id)] for s in sections
        }
        plan = Plan(scan_round.id, team.id, [s.code for s in sections], items, professionals)
        assert db.session.scalar(select(User.id).where(User.username == f"{USER_PREFIX}.p01"))
        return plan


# --- the database afterwards ------------------------------------------------------------------------------


def check_database(app: Any, plan: Plan, people: list[Professional], record: Record) -> str:
    """Every confirmed save and submit is there, exactly; nothing else is. Returns a summary line."""
    from sqlalchemy import func, select

    from scan.assessment.models import Answer, Scan, ScanEvent, ScanStatus
    from scan.auth.models import User
    from scan.extensions import db
    from scan.kenniskaart.models import Item

    problems: list[str] = []
    with app.app_context():
        db.engine.dispose()  # connections from before the restart
        users = dict(db.session.execute(select(User.username, User.id)).all())
        scans = {s.user_id: s for s in db.session.scalars(select(Scan).where(Scan.round_id == plan.round_id))}
        rows: dict[int, dict[str, Stored]] = defaultdict(dict)
        for scan_id, code, level, na, ambition, note in db.session.execute(
            select(Answer.scan_id, Item.code, Answer.level, Answer.not_applicable, Answer.ambition,
                   Answer.note)
            .join(Item, Item.id == Answer.item_id)
            .join(Scan, Scan.id == Answer.scan_id)
            .where(Scan.round_id == plan.round_id)
        ):
            rows[scan_id][code] = Stored(level, na, ambition, note)
        events = Counter(db.session.scalars(
            select(ScanEvent.scan_id).join(Scan, Scan.id == ScanEvent.scan_id)
            .where(Scan.round_id == plan.round_id, ScanEvent.kind == "submitted")
        ))
        answers_checked = 0
        known_ids = set()
        for person in people:
            outcome = person.outcome
            user_id = users[person.username]
            known_ids.add(user_id)
            scan = scans.get(user_id)
            who = person.username
            if scan is None:
                if outcome.saves_confirmed:
                    problems.append(f"{who}: {outcome.saves_confirmed} confirmed saves but no scan")
                continue
            stored = rows.get(scan.id, {})
            for code, value in outcome.confirmed.items():
                allowed = [value, *outcome.unconfirmed.get(code, [])]
                if stored.get(code) not in allowed:
                    problems.append(f"{who}: {code} is {stored.get(code)}, the confirmed save wrote {value}")
                answers_checked += 1
            for code, value in stored.items():
                if code not in outcome.confirmed and value not in outcome.unconfirmed.get(code, []):
                    problems.append(f"{who}: {code} holds {value}, which this person never saved")
            # Every confirmed save was its own commit: the lock version counts them.
            submits = 1 if scan.status == ScanStatus.SUBMITTED.value else 0
            low = 1 + outcome.saves_confirmed + submits
            high = 1 + outcome.saves_attempted + submits
            if not low <= scan.lock_version <= high:
                problems.append(f"{who}: lock_version {scan.lock_version}, expected {low}..{high}")
            if outcome.submit_confirmed:
                if scan.status != ScanStatus.SUBMITTED.value or scan.submitted_at is None:
                    problems.append(f"{who}: the confirmed submit is not stored (status {scan.status})")
                if events.get(scan.id, 0) != 1:
                    problems.append(f"{who}: {events.get(scan.id, 0)} submit events, expected 1")
            elif not outcome.submit_attempted and scan.status != ScanStatus.DRAFT.value:
                problems.append(f"{who}: status {scan.status} without a submit")
        strangers = set(scans) - known_ids
        if strangers:
            problems.append(f"scans of people outside the journey: {sorted(strangers)}")
        total_answers = db.session.scalar(
            select(func.count(Answer.id)).join(Scan, Scan.id == Answer.scan_id)
            .where(Scan.round_id == plan.round_id))
        submitted = sum(1 for s in scans.values() if s.status == ScanStatus.SUBMITTED.value)
        db.session.rollback()
    for text in problems[:20]:
        record.problem(f"database: {text}")
    if len(problems) > 20:
        record.problem(f"database: ... and {len(problems) - 20} more")
    verdict = "all as confirmed" if not problems else f"{len(problems)} differences"
    return (f"database: {len(scans)} scans, {total_answers} answers ({answers_checked} confirmed answers "
            f"checked), {submitted} submitted; {verdict}")


# --- gunicorn ----------------------------------------------------------------------------------------------


class Gunicorn:
    def __init__(self, env: dict[str, str], workers: int, log_path: Path) -> None:
        self.port = free_port()
        self.workers = workers
        self.log_path = log_path
        self.log = open(log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "wsgi:app"],
            cwd=ROOT,
            env={**env, "GUNICORN_BIND": f"127.0.0.1:{self.port}", "WEB_CONCURRENCY": str(workers)},
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def worker_pids(self) -> list[int]:
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # pid (comm) state ppid ...: comm may hold spaces, so split after its closing parenthesis
            if int(stat.rsplit(")", 1)[1].split()[1]) == self.pid:
                pids.append(int(entry.name))
        return sorted(pids)

    def health(self) -> int:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", "/healthz")
            return connection.getresponse().status
        except (OSError, http.client.HTTPException):
            return 0
        finally:
            connection.close()

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                raise RuntimeError(f"gunicorn exited ({self.process.returncode}):\n{self.tail()}")
            if self.health() == 200 and len(self.worker_pids()) == self.workers:
                return
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn not ready after {timeout:.0f} s:\n{self.tail()}")

    def tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=35)
            except subprocess.TimeoutExpired:
                os.killpg(self.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()

    def access_log(self) -> tuple[Counter[int], dict[str, float], int]:
        """From gunicorn's log: the statuses, the time each request took in the worker (by request id) and
        the app's 'database unavailable' warnings."""
        statuses: Counter[int] = Counter()
        durations: dict[str, float] = {}
        warnings = 0
        for line in self.log_path.read_text(errors="replace").splitlines():
            if not line.startswith("{"):
                continue
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if entry.get("logger") == "gunicorn.access":
                statuses[int(entry.get("status") or 0)] += 1
                if str(entry.get("duration_ms", "")).isdigit() and entry.get("request_id"):
                    durations[entry["request_id"]] = float(entry["duration_ms"])
            elif "database unavailable" in str(entry.get("message", "")):
                warnings += 1
        return statuses, durations, warnings


# --- faults ------------------------------------------------------------------------------------------------


class Faults:
    """Restart PostgreSQL at a quarter of the saves, SIGKILL a gunicorn worker at 60 %."""

    def __init__(self, cluster: PgCluster, server: Gunicorn, record: Record, total_saves: int, pause: float,
                 done: threading.Event) -> None:
        self.cluster = cluster
        self.server = server
        self.record = record
        self.total = total_saves
        self.pause = pause
        self.done = done
        self.outage = Window()
        self.kill = Window()
        self.error: str | None = None

    def _wait_for(self, fraction: float) -> bool:
        while not self.done.is_set():
            if self.record.saves_confirmed >= fraction * self.total:
                return True
            time.sleep(0.05)
        return False

    def run(self) -> None:
        try:
            if not self._wait_for(0.25):
                self.error = "the professionals finished before the database restart"
                return
            self._restart_database()
            if not self._wait_for(0.60):
                self.error = "the professionals finished before the worker was killed"
                return
            self._kill_worker()
        except Exception as error:
            self.error = f"{type(error).__name__}: {error}"

    def _restart_database(self) -> None:
        say(f"fault: stopping PostgreSQL (fast) after {self.record.saves_confirmed} confirmed saves")
        down, up = self.cluster.restart(self.pause)
        self.outage.start, self.outage.end = down, up
        say(f"fault: PostgreSQL is back after {up - down:.1f} s")
        healthy = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.server.health() == 200:
                healthy = time.monotonic()
                break
            time.sleep(0.05)
        self.outage.facts.update(down_s=up - down, healthy_after_s=None if healthy is None else healthy - up,
                                 master_alive=self.server.alive())

    def _kill_worker(self) -> None:
        before = self.server.worker_pids()
        victim = random.choice(before)
        self.kill.start = time.monotonic()
        os.kill(victim, signal.SIGKILL)
        say(f"fault: SIGKILL to gunicorn worker {victim} after {self.record.saves_confirmed} confirmed saves")
        replaced = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            now = self.server.worker_pids()
            if victim not in now and len(now) == self.server.workers:
                replaced = sorted(set(now) - set(before))
                break
            time.sleep(0.05)
        self.kill.end = time.monotonic()
        self.kill.facts.update(victim=victim, replacement=replaced, respawn_s=self.kill.end - self.kill.start)
        say(f"fault: the master forked worker {replaced} {self.kill.end - self.kill.start:.1f} s later")


# --- the report ---------------------------------------------------------------------------------------------

PAGE_ORDER = [
    "login page", "login (POST)", "start page: professional", "my scan (/scan)", "section (GET)",
    "section save (POST)", "submit page (GET)", "submit (POST)", "my result", "start page: team leader",
    "teamschouw matrix", "start page: coordinator", "regional export (XLSX)", "regional export (CSV)",
]


def percentile(values: list[float], fraction: float) -> float:
    """Nearest rank: the smallest value with at least `fraction` of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def print_table(record: Record, durations: dict[str, float]) -> None:
    by_page: dict[str, list[Sample]] = defaultdict(list)
    for sample in record.samples:
        by_page[sample.page].append(sample)
    header = (f"{'page':<26} {'requests':>8} {'median ms':>9} {'p95 ms':>7} {'max ms':>7} {'errors':>6} "
              f"{'503':>4} {'broken':>6}   {'in worker: median':>17} {'p95':>5}")
    print(header)
    print("-" * len(header))

    def figure(values: list[float], which: str) -> str:
        if not values:
            return "-"
        if which == "median":
            return f"{statistics.median(values):.0f}"
        return f"{percentile(values, 0.95):.0f}" if which == "p95" else f"{max(values):.0f}"

    for page in sorted(by_page, key=lambda p: PAGE_ORDER.index(p) if p in PAGE_ORDER else 99):
        samples = by_page[page]
        good = [s.ms for s in samples if s.expected]
        worker = [durations[s.request_id] for s in samples if s.expected and s.request_id in durations]
        unavailable = sum(1 for s in samples if s.status == 503)
        broken = sum(1 for s in samples if s.status == 0)
        errors = sum(1 for s in samples if not s.expected and s.status not in (0, 503))
        print(f"{page:<26} {len(samples):>8} {figure(good, 'median'):>9} {figure(good, 'p95'):>7} "
              f"{figure(good, 'max'):>7} {errors:>6} {unavailable:>4} {broken:>6}   "
              f"{figure(worker, 'median'):>17} {figure(worker, 'p95'):>5}")
    print("latency: what the client waited for a good answer, the wait in gunicorn's backlog included; "
          "in worker: the time the worker took (gunicorn's access log); errors: an unexpected status; "
          "503: the translated outage page; broken: the connection broke")


def judge_faults(record: Record, faults: Faults | None, server: Gunicorn, master_pid: int) -> list[str]:
    """Which 503s and broken connections fall outside their fault; did the same server carry on."""
    failures = []
    outage = faults.outage if faults else Window()
    kill = faults.kill if faults else Window()
    stray_503 = [s for s in record.samples if s.status == 503 and not outage.covers(s, grace=2.0)]
    stray_broken = [s for s in record.samples if s.status == 0 and not kill.covers(s, grace=2.0)]
    if stray_503:
        failures.append(f"{len(stray_503)} answers were 503 outside a database outage")
    if stray_broken:
        failures.append(f"{len(stray_broken)} connections broke outside a worker kill")
    if server.pid != master_pid or not server.alive():
        failures.append("the gunicorn master did not survive the journey")
    if faults:
        if faults.error:
            failures.append(f"faults: {faults.error}")
        if outage.start:
            after = [s for s in record.samples if s.start > outage.end + 2.0 and s.expected]
            if not after:
                failures.append("no good answer after the database came back")
            if outage.facts.get("healthy_after_s") is None:
                failures.append("the app did not report healthy within 30 s of the database's return")
        if kill.start and not kill.facts.get("replacement"):
            failures.append("the gunicorn master did not replace the killed worker")
    return failures


# --- main ---------------------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--short", action="store_true",
                        help="the CI form: every professional logs in and saves the first three sections; "
                             "one in five fills in every section and submits")
    parser.add_argument("--faults", action="store_true",
                        help="restart PostgreSQL and SIGKILL a gunicorn worker in the middle of the journey")
    parser.add_argument("--professionals", type=int, default=50, help="simulated professionals (default 50)")
    parser.add_argument("--workers", type=int, default=4,
                        help="gunicorn workers (WEB_CONCURRENCY, default 4)")
    parser.add_argument("--outage", type=float, default=2.5,
                        help="seconds PostgreSQL stays down in --faults (default 2.5)")
    parser.add_argument("--watch-pause", type=float, default=1.0,
                        help="seconds between the team leader's matrix views and the coordinator's exports")
    parser.add_argument("--real-argon2", action="store_true",
                        help="hash the passwords at the production cost (logins then time Argon2 as well)")
    parser.add_argument("--keep-logs", action="store_true", help="keep gunicorn's log (its path is printed)")
    args = parser.parse_args()
    if not 1 <= args.professionals <= 99:
        parser.error("--professionals must be between 1 and 99")
    return args


def main() -> int:
    args = parse_args()
    # SIGTERM (CI cancelling) unwinds like Ctrl+C, so the cluster and gunicorn are always cleaned up.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    work = Path(tempfile.mkdtemp(prefix="ontwikkelscan-journey."))
    try:
        with PgCluster() as cluster:
            say(f"PostgreSQL {cluster.version} on 127.0.0.1:{cluster.port} ({cluster.dir}); "
                f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
            return run(args, cluster, work)
    except (RuntimeError, subprocess.SubprocessError, OSError) as error:
        print(f"journey: FAILED: {error}")
        return 1
    finally:
        if args.keep_logs:
            print(f"logs kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def run(args: argparse.Namespace, cluster: PgCluster, work: Path) -> int:
    """Schema, world, gunicorn, the journey and its checks. Gunicorn is stopped before the cluster is."""
    env = {k: v for k, v in os.environ.items() if k not in ("SCAN_ENV", "FLASK_DEBUG")}
    env.update(DATABASE_URL=cluster.url, SECRET_KEY=secrets.token_hex(32),
               INSTANCE_PATH=str(work / "instance"), FLASK_APP="wsgi", PYTHONUNBUFFERED="1")
    started = time.monotonic()
    upgrade = subprocess.run([sys.executable, "-m", "flask", "db", "upgrade"], cwd=ROOT, env=env,
                             capture_output=True, text=True)
    if upgrade.returncode != 0:
        raise RuntimeError(f"flask db upgrade failed:\n{upgrade.stderr[-2000:]}")
    say(f"schema by `flask db upgrade` in {time.monotonic() - started:.1f} s")

    # The app in this process (seeding, the check afterwards) runs in production mode like gunicorn's.
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "SECRET_KEY", "INSTANCE_PATH")})
    os.environ.pop("SCAN_ENV", None)
    from scan import create_app

    app = create_app()
    started = time.monotonic()
    plan = build_world(app, args.professionals, args.real_argon2)
    items = sum(len(v) for v in plan.items.values())
    say(f"loaded the Kenniskaart ({len(plan.sections)} sections, {items} items), a team of "
        f"{args.professionals} professionals, its team leader, the regional coordinator and an open "
        f"round in {time.monotonic() - started:.1f} s")

    server = Gunicorn(env, args.workers, work / "gunicorn.log")
    try:
        server.wait_ready()
        plan.port = server.port
        say(f"gunicorn (master {server.pid}, {args.workers} workers {server.worker_pids()}) serves "
            f"http://127.0.0.1:{server.port}/")
        return journey(args, cluster, server, app, plan)
    except BaseException:
        print(server.tail())
        raise
    finally:
        server.stop()


def journey(args: argparse.Namespace, cluster: PgCluster, server: Gunicorn, app: Any, plan: Plan) -> int:
    mode = f"{'short' if args.short else 'full'} form{', with faults' if args.faults else ''}"
    master_pid = server.pid
    record = Record()
    people = []
    for n in range(1, args.professionals + 1):
        # The short form: one in five fills in every section and submits, the others three sections.
        complete = not args.short or n % 5 == 0
        sections = plan.sections if complete else plan.sections[:3]
        people.append(Professional(n, plan, record, sections, submit=complete))
    total_saves = sum(len(p.sections) + 1 for p in people)
    submitters = sum(p.submit for p in people)
    done = threading.Event()
    watchers = [Watcher(kind, plan, record, done, args.watch_pause) for kind in ("teamleider", "regio")]
    faults = Faults(cluster, server, record, total_saves, args.outage, done) if args.faults else None
    say(f"journey ({mode}): {args.professionals} professionals, {total_saves} saves, {submitters} "
        f"submits; the team leader opens the matrix, the coordinator exports, every {args.watch_pause:g} s")
    threads = [threading.Thread(target=p.run, name=p.username, daemon=True) for p in people]
    side = [threading.Thread(target=w.run, name=w.username, daemon=True) for w in watchers]
    if faults:
        side.append(threading.Thread(target=faults.run, name="faults", daemon=True))
    record.started = journey_start = time.monotonic()
    for thread in side + threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    for thread in side:
        thread.join(timeout=150)
    elapsed = time.monotonic() - journey_start
    say(f"journey done in {elapsed:.1f} s: {len(record.samples)} requests, "
        f"{record.saves_confirmed} saves confirmed; load average {os.getloadavg()[0]:.1f}")
    failure = judge_faults(record, faults, server, master_pid)
    health = server.health()
    if health != 200:
        failure.append(f"/healthz answers {health} at the end")
    server.stop()
    statuses, durations, warnings = server.access_log()
    print()
    print_table(record, durations)
    print()
    unfinished = [p.username for p in people if not p.outcome.finished]
    if unfinished:
        failure.append(f"{len(unfinished)} professionals did not finish ({', '.join(unfinished[:5])})")
    for watcher in watchers:
        if not watcher.views:
            failure.append(f"{watcher.username} never got a page")
    client_5xx = Counter(s.status for s in record.samples if s.status >= 500)
    server_5xx = Counter({k: v for k, v in statuses.items() if k >= 500})
    print(f"server: {sum(statuses.values())} requests in gunicorn's access log; 5xx "
          f"{dict(server_5xx) or 'none'}; {warnings} 'database unavailable' warnings in the app's log")
    if server_5xx != client_5xx:
        failure.append(f"5xx in the access log {dict(server_5xx)} differ from what clients saw "
                       f"{dict(client_5xx)}")
    if server_5xx.get(500):
        failure.append(f"{server_5xx[500]} answers were 500")
    if faults:
        report_faults(faults, record)
    retried = ", ".join(f"{n} {what}" for what, n in sorted(record.retries.items())) or "none"
    print(f"retries: {retried}")
    print(check_database(app, plan, people, record))
    if record.problems:
        failure.append(f"{len(record.problems)} problems (listed above)")
    if failure:
        print(f"journey: FAILED: {'; '.join(failure)}")
        return 1
    print(f"journey: OK: {args.professionals} professionals, {mode}, {len(record.samples)} requests in "
          f"{elapsed:.0f} s, no server error, no lost or mixed-up save")
    return 0


def report_faults(faults: Faults, record: Record) -> None:
    outage, kill = faults.outage, faults.kill
    in_outage = [s for s in record.samples if s.status == 503]
    if outage.start:
        healthy = outage.facts.get("healthy_after_s")
        print(f"fault 1: PostgreSQL stopped (fast) at {outage.start - record.started:.1f} s and down "
              f"{outage.facts['down_s']:.1f} s; {len(in_outage)} answers were the translated 503 page; "
              f"/healthz ok {healthy if healthy is None else f'{healthy:.2f} s'} after the start, "
              f"same gunicorn master: {'yes' if outage.facts.get('master_alive') else 'NO'}")
    if kill.start:
        broken = [s for s in record.samples if s.status == 0]
        print(f"fault 2: worker {kill.facts['victim']} SIGKILLed at {kill.start - record.started:.1f} s; the "
              f"master forked {kill.facts['replacement']} {kill.facts['respawn_s']:.1f} s later; "
              f"{len(broken)} connections broke (their requests were retried)")


if __name__ == "__main__":
    sys.exit(main())
