"""The accessibility sweep: every HTML page of every role, in Dutch and English, in three states, through
axe-core (WCAG 2.1 A/AA), with one list of findings at the end (page, state, language, rule, target).

- filled: the demo region as `flask demo seed` loads it, topped up where the demo leaves a page empty
  (the teamschouw's priorities, agreements, session and a calibration; a POP waiting for signatures).
  The pages come from the route-permission MATRIX, so a new route joins the sweep by itself: every GET
  endpoint that answers with HTML, for every role that may open it, its path filled with ids from the
  demo data. A page whose path cannot be filled fails the sweep, naming it, unless NOT_FILLED says why.
- empty: a region just set up (one team with its leader and one professional, a regional coordinator,
  an administrator, the Kenniskaart) without rounds, scans, POPs or catalogue: the "nothing yet" pages.
- error: every main form sent empty or wrong (WRONG_FORMS); the page with the error summary must pass
  axe and show the summary as the other browser tests check it: the title starts with "Fout:"/"Error:",
  the summary links to the fields, and each field points at its message.

Dutch is walked on a laptop-sized screen, English at 320 pixels wide (a phone, or 400% zoom), where no
page may need sideways scrolling except inside a wide table's own scrolling box (WCAG 1.4.10).

On its way the sweep also measures every page's layout at 320, 375 and 1280 px (the page resized where
it is, no second load, no second axe run): no sideways page scroll, no chart text under 12 px, no word
broken inside a table cell, no heading straight under a list, the menu item of the page's section marked.
test_layout_at_every_width reports those findings per state and language (run alone, it walks the pages
itself without axe).

One test per (state, language): the world is built once per test, one browser context per account logs
in once, and the pages only read the world, so the walk is a row of page loads and axe runs.
"""

from __future__ import annotations

import string
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import axe_playwright_python
import pytest
from flask import Flask
from playwright.sync_api import Error as PlaywrightError
from sqlalchemy import select
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RoutingException

from scan.access import Role
from scan.assessment import queries as assessment_queries
from scan.assessment.models import NOTE_MAX_LENGTH, Scan, ScanRound, ScanStatus
from scan.auth.models import User
from scan.catalogue.models import Training
from scan.core.clock import today
from scan.demo import plan as demo_plan
from scan.extensions import db
from scan.kenniskaart.models import SECTION_LEEFGEBIED
from scan.kenniskaart.queries import current_version
from scan.kenniskaart.services import ensure_default_kenniskaart
from scan.organisation.models import Municipality, Team
from scan.pop.models import Pop, PopStatus
from scan.pop.signing import services as signing
from scan.teamschouw import services as teamschouw
from scan.teamschouw.plan import queries as plan_queries
from tests import factories
from tests.browser.conftest import AXE_OPTIONS, TIMEOUT_MS, LiveServer, log_in, switch_language
from tests.browser.test_beheer_kenniskaart import BROKEN_YAML
from tests.browser.test_catalogue_pages import NOT_A_SPREADSHEET
from tests.test_route_permissions import ANON, MATRIX

# Each language at its own screen width, so both widths are covered without walking everything twice:
# Dutch on a laptop screen, English at 320 CSS pixels: a phone, or a laptop at 400% zoom, where every
# page must reflow without sideways scrolling (WCAG 1.4.10).
NARROW = 320  # the width WCAG 1.4.10 asks pages to reflow at
SCREENS = {"nl": {"width": 1280, "height": 720}, "en": {"width": NARROW, "height": 640}}
LANGUAGES = list(SCREENS)
SCREEN_IDS = [f"{lang}-{screen['width']}px" for lang, screen in SCREENS.items()]
ERROR_TITLE = {"nl": "Fout:", "en": "Error:"}

# --- which endpoints are pages --------------------------------------------------------------------

# Files, not pages: the exports and downloads. Their own tests read them back (PDF text, XLSX cells).
FILE_SUFFIXES = (".pdf", ".xlsx", ".csv", ".json")
# GET endpoints that are not HTML pages for another reason.
NOT_HTML = {
    "static": "stylesheets and the favicon",
    "core.healthz": "a JSON answer for the load balancer",
}
# Endpoints that may answer a GET with a redirect to another page; the page they land on is checked
# instead (once per account). Any other redirect fails the sweep: the page itself was never shown.
MAY_REDIRECT = {
    "core.index": "the root leads to the role's start page, or to the login page",
    "auth.login": "a logged-in visitor is sent to their start page",
    "assessment.latest_result": "with a submitted scan: the result of that round",
    "assessment.submit": "a submitted scan has nothing left to submit: its result",
}
# Pages the sweep cannot fill, each with the reason. Keep it empty unless a page cannot be shown at all.
NOT_FILLED: dict[str, str] = {}


def is_page(endpoint: str, methods: str, path: str) -> bool:
    """A GET endpoint answering with HTML. MATRIX gives the methods as one string ("GET", "GET POST")."""
    return "GET" in methods.split() and endpoint not in NOT_HTML and not path.endswith(FILE_SUFFIXES)


def placeholders(path: str) -> list[str]:
    return [name for _text, name, _spec, _conversion in string.Formatter().parse(path) if name]


# --- the worlds -----------------------------------------------------------------------------------

Ids = dict[str, int | str]


@dataclass(frozen=True)
class Visitor:
    """Who walks: an account (nobody, for the anonymous pages) opening the pages of its role."""

    key: str
    username: str | None = None
    password: str = ""


@dataclass(frozen=True)
class Extra:
    """A page shown once more in another state than its MATRIX path gives (a draft next to a submitted
    scan, a leefgebied next to the generic competencies, an older POP version)."""

    endpoint: str
    visitor: str
    path: str  # a template like MATRIX's, filled from the visitor's ids


@dataclass
class World:
    state: str
    visitors: dict[str, Visitor]
    ids: dict[str, Ids]  # visitor key -> placeholder -> value
    # endpoint -> visitor key -> placeholders that differ for that page (a POP in another status).
    endpoint_ids: dict[str, dict[str, Ids]] = field(default_factory=dict)
    extras: list[Extra] = field(default_factory=list)
    # Placeholders this world has no object for by design (the empty world has no rounds): pages that
    # need one are not part of this state.
    lacks: frozenset[str] = frozenset()


DEMO_PROFESSIONAL = "s.bakker"  # a signed POP in each closed round, one sent back in the open round
DEMO_TEAM_LEADER = "m.dekker"  # her team leader
DEMO_COORDINATOR = "e.hoekstra"
DEMO_ADMIN = "beheer"
DRAFTER = "professional-draft"  # a colleague halfway through the scan


def demo_visitor(role: Role, username: str, key: str | None = None) -> Visitor:
    return Visitor(key or role.value, username, demo_plan.PASSWORDS[role])


def _round_of(team_id: int, is_open: bool) -> ScanRound:
    """The team's open round, or its most recent closed one (the demo has two)."""
    day = today()
    rounds = db.session.scalars(
        select(ScanRound).where(ScanRound.team_id == team_id).order_by(ScanRound.opens_on.desc())
    ).all()
    return next(r for r in rounds if (r.opens_on <= day <= r.closes_on) == is_open)


def _pop_of(user_id: int, round_id: int) -> Pop | None:
    return db.session.scalars(select(Pop).where(Pop.user_id == user_id, Pop.round_id == round_id)).first()


def _top_up_teamschouw(scan_round: ScanRound, leader: User, pro: User, scan: Scan) -> None:
    """The demo leaves the teamschouw's own records empty: add what a team leader records in a session,
    so its pages show filled tables (each only when the demo has none of its kind)."""
    sections = scan_round.version.sections
    leefgebied = next(s for s in sections if s.kind == SECTION_LEEFGEBIED)
    items = [i for s in sections for i in s.items if not i.retired]
    members = [u for u in scan_round.team.members if u.role == Role.PROFESSIONAL.value and u.active]
    colleague = next(u for u in members if u.id != pro.id)
    if not plan_queries.priorities(scan_round.id):
        teamschouw.add_priority(scan_round, leader, reason="Huisvesting staat onder druk", section=leefgebied)
        teamschouw.add_priority(scan_round, leader, reason="3 van 9 onder de norm", item=items[0],
                                source=teamschouw.SOURCE_SUGGESTED)
    if not plan_queries.agreements(scan_round.id):
        accepted = teamschouw.add_vraagbaak(scan_round, pro, leader, item=items[1])
        teamschouw.answer_request(accepted, pro, accept=True)
        teamschouw.add_vraagbaak(scan_round, pro, leader, section=leefgebied)  # still waiting for her
        teamschouw.add_grow(scan_round, colleague, leefgebied, "Cursus schuldhulpverlening", leader)
        teamschouw.add_other(scan_round, "Elke maand casuïstiek over schulden", leader)
    if plan_queries.session_for(scan_round.id) is None:
        teamschouw.save_session(scan_round, leader, held_on=today(), attendees=members[:4],
                                notes="Matrix en dekking besproken.", decisions="Twee prioriteiten gekozen.")
    if not plan_queries.calibrations(scan.id):
        checked = teamschouw.check_calibration(
            items[:2], [1, 2, 3, 4],
            {items[0].id: teamschouw.CalibrationInput("3", "Besproken in de teamschouw"),
             items[1].id: teamschouw.CalibrationInput("2", "")},
        )
        assert checked.ok, checked.errors
        teamschouw.calibrate(scan, checked.values, leader, 0)


def demo_world(app: Flask) -> World:
    """`flask demo seed` as the command line runs it, then the top-ups; committed for the live server."""
    result = app.test_cli_runner().invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        users = {u.username: u for u in db.session.scalars(select(User))}
        pro, leader = users[DEMO_PROFESSIONAL], users[DEMO_TEAM_LEADER]
        team = pro.team
        assert team is not None and team in leader.led_teams, "the demo professional left the leader's team"
        open_round, closed_round = _round_of(team.id, True), _round_of(team.id, False)
        own_scan = db.session.scalars(
            select(Scan).where(Scan.round_id == open_round.id, Scan.user_id == pro.id)).one()
        assert own_scan.status == ScanStatus.SUBMITTED.value, "the demo professional has not submitted"
        _top_up_teamschouw(open_round, leader, pro, own_scan)

        # Her POPs: the open round's (sent back, so editable), and the closed round's signed one given a
        # second version that waits for both signatures (the demo has none waiting). A colleague's
        # proposed POP for the leader's review.
        editable = _pop_of(pro.id, open_round.id)
        waiting = _pop_of(pro.id, closed_round.id)
        assert editable is not None and waiting is not None, "the demo professional lost a POP"
        assert editable.versions[-1].status in (PopStatus.DRAFT, PopStatus.RETURNED)
        goal = next(g for g in editable.versions[-1].goals if g.actions)
        signing.start_new_version(waiting, pro)
        signing.propose(waiting, pro)
        signing.agree(waiting, leader)
        proposed = next(
            p for p in db.session.scalars(select(Pop).where(Pop.round_id == open_round.id).order_by(Pop.id))
            if p.versions[-1].status == PopStatus.PROPOSED
        )

        # A colleague halfway through the scan: the section form and the submit page with missing items.
        drafts = db.session.scalars(
            select(Scan).join(User, Scan.user_id == User.id)
            .where(Scan.round_id == open_round.id, Scan.status == ScanStatus.DRAFT.value)
            .order_by(User.username)
        ).all()
        assert drafts, "no draft scan in the demo's open round"
        draft = drafts[0]
        blank_section, blank_item = assessment_queries.missing_required(open_round.version_id, draft.id)[0]
        leefgebied = next(s.code for s in open_round.version.sections if s.kind == SECTION_LEEFGEBIED)

        municipality = db.session.scalars(select(Municipality).order_by(Municipality.id)).first()
        spare_team = db.session.scalars(select(Team).where(Team.id != team.id).order_by(Team.id)).first()
        leaver = next(u for u in team.members
                      if u.role == Role.PROFESSIONAL.value and u.id not in (pro.id, draft.user_id))
        training = db.session.scalars(select(Training).order_by(Training.id)).first()
        assert municipality and spare_team and training
        visitors = [
            Visitor(ANON),
            demo_visitor(Role.PROFESSIONAL, pro.username),
            demo_visitor(Role.PROFESSIONAL, draft.user.username, key=DRAFTER),
            demo_visitor(Role.TEAMLEIDER, leader.username),
            demo_visitor(Role.REGIOCOORDINATOR, DEMO_COORDINATOR),
            demo_visitor(Role.BEHEERDER, DEMO_ADMIN),
        ]
        team_ids: Ids = {"own_team": team.id, "round": open_round.id}
        world = World(
            state="filled",
            visitors={v.key: v for v in visitors},
            ids={
                ANON: {},
                Role.PROFESSIONAL.value: {**team_ids, "pop": editable.id, "goal": goal.id,
                                          "action": goal.actions[0].id, "waiting_pop": waiting.id},
                DRAFTER: {**team_ids, "section": leefgebied, "blank_section": blank_section.code,
                          "blank_item": blank_item.code},
                Role.TEAMLEIDER.value: {**team_ids, "scan": own_scan.id, "pop": proposed.id,
                                        "waiting_pop": waiting.id},
                Role.REGIOCOORDINATOR.value: {"training": training.id},
                Role.BEHEERDER.value: {
                    **team_ids, "municipality": municipality.id, "spare_team": spare_team.id,
                    "account": users[DEMO_COORDINATOR].id, "leaver": leaver.id, "training": training.id,
                    "kk_version": open_round.version_id,
                },
            },
            endpoint_ids={
                "pop.sign": {Role.PROFESSIONAL.value: {"pop": waiting.id},
                             Role.TEAMLEIDER.value: {"pop": waiting.id}},
            },
            extras=[
                Extra("home.professional", DRAFTER, "/mijn"),
                Extra("assessment.overview", DRAFTER, "/scan"),
                Extra("assessment.section", DRAFTER, "/scan/{round}/GC"),
                Extra("assessment.section", DRAFTER, "/scan/{round}/{section}"),
                Extra("assessment.submit", DRAFTER, "/scan/{round}/indienen"),
                # Her POP waiting for signatures, and its signed first version.
                Extra("pop.detail", Role.PROFESSIONAL.value, "/pop/{waiting_pop}"),
                Extra("pop.detail", Role.PROFESSIONAL.value, "/pop/{waiting_pop}?versie=1"),
                Extra("pop.detail", Role.TEAMLEIDER.value, "/pop/{waiting_pop}"),
            ],
        )
        db.session.commit()
        return world


EMPTY_WORLD_LACKS = frozenset({"round", "scan", "pop", "goal", "action", "training"})


def empty_world(app: Flask) -> World:
    """A region just set up: one team with its leader and one professional; no rounds, scans, POPs or
    catalogue. The pages a new region sees first, with their "nothing yet" messages."""
    with app.app_context():
        ensure_default_kenniskaart()
        kenniskaart = current_version()
        assert kenniskaart is not None
        region = factories.make_region(code="LINDEWAARD", name="Regio Lindewaard")
        municipality = factories.make_municipality(region, name="Lindewaard")
        team = factories.make_team(municipality, name="Wijkteam Lindewaard-Centrum", code="LW-CENTRUM")
        spare = factories.make_team(municipality, name="Wijkteam Lindewaard-Noord", code="LW-NOORD")
        users = {
            Role.PROFESSIONAL: factories.make_user(Role.PROFESSIONAL, team=team, full_name="Sanne Bakker"),
            Role.TEAMLEIDER: factories.make_user(Role.TEAMLEIDER, teams=[team], full_name="Marloes Dekker"),
            Role.REGIOCOORDINATOR: factories.make_user(Role.REGIOCOORDINATOR, region=region,
                                                       full_name="Esther Hoekstra"),
            Role.BEHEERDER: factories.make_user(Role.BEHEERDER, full_name="Tom Verhoeven"),
        }
        world = World(
            state="empty",
            visitors={
                ANON: Visitor(ANON),
                **{role.value: Visitor(role.value, user.username, factories.PASSWORD)
                   for role, user in users.items()},
            },
            ids={
                ANON: {},
                Role.PROFESSIONAL.value: {"own_team": team.id},
                Role.TEAMLEIDER.value: {"own_team": team.id},
                Role.REGIOCOORDINATOR.value: {},
                Role.BEHEERDER.value: {"own_team": team.id, "municipality": municipality.id,
                                       "spare_team": spare.id, "account": users[Role.REGIOCOORDINATOR].id,
                                       "leaver": users[Role.PROFESSIONAL].id, "kk_version": kenniskaart.id},
            },
            lacks=EMPTY_WORLD_LACKS,
        )
        db.session.commit()
        return world


# --- planning the walk ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Visit:
    endpoint: str
    visitor: str
    path: str


def plan_visits(world: World) -> tuple[list[Visit], list[str]]:
    """Every page of the MATRIX for every role allowed, then the world's extras; and the pages that
    could not be filled (each a failure of the sweep)."""
    visits: list[Visit] = []
    unfilled: list[str] = []
    for endpoint, (methods, template, allowed) in MATRIX.items():
        if not is_page(endpoint, methods, template):
            continue
        for who in sorted(allowed, key=str):
            key = ANON if who == ANON else Role(who).value
            ids = {**world.ids.get(key, {}), **world.endpoint_ids.get(endpoint, {}).get(key, {})}
            missing = [name for name in placeholders(template) if name not in ids]
            if missing and (set(missing) <= world.lacks or endpoint in NOT_FILLED):
                continue
            if missing:
                names = ", ".join(f"{{{name}}}" for name in missing)
                unfilled.append(
                    f"{endpoint} as {key} [{world.state}]: nothing fills {names} in {template} (give the"
                    " sweep's world an id for it, or list the endpoint in NOT_FILLED with the reason)"
                )
                continue
            visits.append(Visit(endpoint, key, template.format(**ids)))
    for extra in world.extras:
        visits.append(Visit(extra.endpoint, extra.visitor, extra.path.format(**world.ids[extra.visitor])))
    return visits, unfilled


# --- walking and checking -------------------------------------------------------------------------


@dataclass
class Findings:
    """Everything the sweep found, reported together at the end."""

    problems: list[str] = field(default_factory=list)
    # (page, state, language, rule, target, what is wrong)
    violations: list[tuple[str, str, str, str, str, str]] = field(default_factory=list)
    checked: int = 0
    # What the layout check at every width found: page | state | language | width | what is wrong.
    layout: list[str] = field(default_factory=list)
    measured: int = 0
    measuring: dict[str, float] = field(default_factory=dict)  # page -> seconds the measuring took


    def layout_report(self) -> str:
        slowest = sorted(self.measuring.items(), key=lambda item: -item[1])[:3]
        lines = [f"the layout was measured on {self.measured} pages at {', '.join(map(str, WIDTHS))} px "
                 f"in {sum(self.measuring.values()):.1f} s (slowest: "
                 f"{', '.join(f'{page} {seconds:.1f} s' for page, seconds in slowest)})."]
        if self.layout:
            lines.append(f"{len(self.layout)} layout finding(s): page | state | language | width | what")
            lines += [f"  - {finding}" for finding in self.layout]
        return "\n".join(lines)

    def report(self) -> str:
        lines = [f"axe ran on {self.checked} pages."]
        if self.problems:
            lines.append(f"{len(self.problems)} problem(s) before or besides axe:")
            lines += [f"  - {p}" for p in self.problems]
        if self.violations:
            lines.append(f"{len(self.violations)} axe violation(s): page | state | language | rule | target")
            for label, state, lang, rule, target, summary in self.violations:
                lines.append(f"  - {label} | {state} | {lang} | {rule} | {target}")
                if summary:
                    lines.append(f"      {summary}")
        return "\n".join(lines)

    def assert_clean(self) -> None:
        assert self.checked, "the sweep checked no page at all"
        assert not self.problems and not self.violations, self.report()


def where(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


# The error summary as the form macros draw it: its links, and whether each field points back.
SUMMARY_JS = """() => {
    const summary = document.querySelector(".app-error-summary");
    if (!summary) return null;
    return Array.from(summary.querySelectorAll("a[href]")).map(a => {
        const href = a.getAttribute("href");
        const url = new URL(href, location.href);
        const local = url.pathname === location.pathname && url.hash.length > 1;
        const el = local ? document.getElementById(decodeURIComponent(url.hash.slice(1))) : null;
        const described = el ? (el.getAttribute("aria-describedby") || "").split(/\\s+/).filter(Boolean) : [];
        return {
            href: href,
            local: local,
            found: !!el,
            tag: el ? el.tagName.toLowerCase() : null,
            describedby: described,
            describedbyFound: described.every(id => !!document.getElementById(id)),
            invalid: el ? el.getAttribute("aria-invalid") : null,
        };
    });
}"""


# The axe-core that axe-playwright-python bundles (and conftest's assert_accessible runs).
AXE_SCRIPT = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


# At a narrow screen: the elements that stick out beyond the screen while their parent fits (a table
# without its scrolling box, a chart of a fixed width), when the page as a whole needs sideways
# scrolling. What a scrolling box clips is fine.
TOO_WIDE_JS = r"""() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width + 1) return [];
    // A scrolling box clips its descendants, except an absolutely positioned one whose containing block
    // (its nearest positioned ancestor) lies outside the box: that one still widens the page.
    const clipped = el => {
        const position = getComputedStyle(el).position;
        if (position === "fixed") return false;
        let up = el.parentElement;
        if (position === "absolute") {
            while (up && up !== document.body && getComputedStyle(up).position === "static") {
                up = up.parentElement;
            }
        }
        for (; up && up !== document.body; up = up.parentElement) {
            if (getComputedStyle(up).overflowX !== "visible") return true;
        }
        return false;
    };
    const found = [];
    for (const el of document.querySelectorAll("body *")) {
        if (el.getBoundingClientRect().right <= width + 1) continue;
        if (el.parentElement.getBoundingClientRect().right > width + 1 || clipped(el)) continue;
        const caption = el.querySelector("caption");
        const text = (caption || el).textContent.trim().replace(/\s+/g, " ").slice(0, 60);
        const name = typeof el.className === "string" ? el.className.slice(0, 60) : "";
        const cls = name ? ` class="${name}"` : "";
        found.push(`<${el.tagName.toLowerCase()}${el.id ? " id=" + el.id : ""}${cls}> "${text}"`);
    }
    return found.slice(0, 5);
}"""


# --- the layout at every width --------------------------------------------------------------------

# Every page is looked at once more at each of these widths, in both languages: the page is resized where
# it is (no second load, no second axe run) and measured.
WIDTHS = (320, 375, 1280)
MIN_CHART_TEXT_PX = 12
# Pages outside every section of the navigation: no menu item need be marked (and, when the page is a
# menu item's own address, that one must be).
OUTSIDE_SECTIONS = {
    "auth.change_password": "the account's own page, reached from the header",
    "core.privacy_statement": "reached from the footer, for every role",
    "core.accessibility_statement": "reached from the footer, for every role",
    "kenniskaart.read": "the Kenniskaart as everyone reads it, reached from the footer and the pages",
    "privacy.my_data": "in the menu of the professional only; for the other roles a link on their start page",
}

# At the current width: how wide the page is; chart text drawn smaller than MIN_CHART_TEXT_PX (its font
# size times the SVG's scale); words in table cells broken across lines (a Range over each word that
# gives boxes on more than one line).
LAYOUT_JS = r"""(minText) => {
    const hidden = el => !!el.closest(".visually-hidden, [hidden]");
    const chartName = svg => {
        const labelled = svg.getAttribute("aria-labelledby");
        const byId = labelled && document.getElementById(labelled.split(/\s+/)[0]);
        const title = svg.querySelector(":scope > title");
        const figure = svg.closest("figure");
        const caption = figure && figure.querySelector("figcaption");
        const name = svg.getAttribute("aria-label") || (byId && byId.textContent)
            || (title && title.textContent) || (caption && caption.textContent) || svg.id
            || svg.getAttribute("class") || "svg";
        return name.trim().replace(/\s+/g, " ").slice(0, 60);
    };
    const small = new Map();
    for (const text of document.querySelectorAll("svg text")) {
        if (!text.textContent.trim() || hidden(text)) continue;
        const box = text.getBoundingClientRect();
        if (!box.width || !box.height) continue;
        const ctm = text.getScreenCTM();
        if (!ctm) continue;
        const size = parseFloat(getComputedStyle(text).fontSize) * Math.hypot(ctm.a, ctm.b);
        if (size >= minText - 0.05) continue;
        const name = chartName(text.closest("svg"));
        const seen = small.get(name) || {count: 0, min: size, max: size, sample: ""};
        seen.count += 1;
        seen.min = Math.min(seen.min, size);
        seen.max = Math.max(seen.max, size);
        seen.sample = seen.sample || text.textContent.trim().slice(0, 30);
        small.set(name, seen);
    }
    const range = document.createRange();
    const broken = [];
    for (const cell of document.querySelectorAll("th, td")) {
        if (broken.length >= 8) break;
        const box = cell.getBoundingClientRect();
        if (!box.width || !box.height || hidden(cell)) continue;
        const line = parseFloat(getComputedStyle(cell).lineHeight) || 27;
        if (box.height < 1.5 * line) continue;  // on one line: nothing can be broken
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (hidden(node.parentElement)) continue;
            const words = /[^\s\-\u2010-\u2015\/]{2,}/g;  // break only at spaces, dashes and slashes
            for (let match = words.exec(node.data); match; match = words.exec(node.data)) {
                range.setStart(node, match.index);
                range.setEnd(node, match.index + match[0].length);
                const lines = new Set(Array.from(range.getClientRects())
                    .filter(r => r.width > 0).map(r => Math.round(r.top)));
                if (lines.size > 1) {
                    const table = cell.closest("table");
                    const caption = (table && (table.caption ? table.caption.textContent : table.id)) || "";
                    const tag = cell.tagName.toLowerCase();
                    broken.push(`"${match[0]}" in <${tag}> (${Math.round(box.width)} px)`
                        + (caption ? ` of "${caption.trim().replace(/\s+/g, " ").slice(0, 50)}"` : ""));
                    break;
                }
            }
        }
    }
    // A list, then a heading straight after it with (almost) no room between them.
    const crowded = [];
    for (const list of document.querySelectorAll("main ul, main ol, main dl")) {
        const next = list.nextElementSibling;
        if (!next || !/^H[2-4]$/.test(next.tagName) || hidden(list)) continue;
        const gap = next.getBoundingClientRect().top - list.getBoundingClientRect().bottom;
        if (list.getBoundingClientRect().height && gap < 12) {
            crowded.push(`<${next.tagName.toLowerCase()}> "${next.textContent.trim().slice(0, 40)}" `
                + `${Math.round(gap)} px under a list`);
        }
    }
    return {
        crowded: crowded.slice(0, 3),
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
        smallText: Array.from(small, ([name, s]) =>
            `${s.count} label(s) of chart "${name}" at ${s.min.toFixed(1)}`
            + (s.max - s.min > 0.1 ? `-${s.max.toFixed(1)}` : "") + ` px (e.g. "${s.sample}")`),
        broken: broken,
    };
}"""

# The main menu: the links marked as the current page, and which link leads to this very page.
NAV_JS = r"""() => {
    const nav = document.querySelector("nav.app-nav");
    if (!nav) return null;
    const links = Array.from(nav.querySelectorAll("a[href]"));
    const here = location.pathname.replace(/\/$/, "");
    const own = links.find(a => new URL(a.href).pathname.replace(/\/$/, "") === here);
    return {
        marked: links.filter(a => a.getAttribute("aria-current") === "page").map(a => a.textContent.trim()),
        own: own ? own.textContent.trim() : null,
    };
}"""


@dataclass
class Walker:
    """One browser context per visitor, logged in once, in the test's language; findings collected."""

    browser: Any
    server: LiveServer
    lang: str
    state: str
    findings: Findings = field(default_factory=Findings)
    contexts: dict[str, Any] = field(default_factory=dict)
    seen: dict[str, set[str]] = field(default_factory=dict)
    run_axe: bool = True  # False: only the layout at every width (test_layout_at_every_width on its own)

    def problem(self, label: str, text: str) -> None:
        self.findings.problems.append(f"{label} [{self.state}, {self.lang}]: {text}")

    def layout_finding(self, label: str, width: int | str, text: str) -> None:
        self.findings.layout.append(f"{label} | {self.state} | {self.lang} | {width} | {text}")

    def measure(self, page: Any, label: str, endpoint: str | None) -> None:
        """The layout at every width of WIDTHS, the page resized where it is (no reload), then put back:
        no sideways page scroll, no chart text under MIN_CHART_TEXT_PX, no word broken inside a table
        cell, no heading straight under a list; and the menu marks the item of the page's section."""
        self.findings.measured += 1
        started = time.perf_counter()
        nav = page.evaluate(NAV_JS)
        if nav is not None:
            marked, own = nav["marked"], nav["own"]
            if own is not None and marked != [own]:
                self.layout_finding(label, "-", f"the menu item {own!r} leads to this page but the marked "
                                                f"item is {marked or 'none'}")
            elif endpoint not in OUTSIDE_SECTIONS and len(marked) != 1:
                self.layout_finding(label, "-", f"{len(marked)} menu items marked aria-current=page "
                                                f"({marked}), not the one of the page's section")
            elif len(marked) > 1:
                self.layout_finding(label, "-", f"{len(marked)} menu items marked: {marked}")
        screen = SCREENS[self.lang]
        widths = sorted(WIDTHS, key=lambda width: width != screen["width"])  # the current width first
        for width in widths:
            if width != screen["width"] or page.viewport_size != screen:
                page.set_viewport_size({"width": width, "height": screen["height"]})
            found = page.evaluate(LAYOUT_JS, MIN_CHART_TEXT_PX)
            if found["scrollWidth"] > found["clientWidth"] + 1:
                wide = page.evaluate(TOO_WIDE_JS)
                self.layout_finding(label, width, f"the page scrolls sideways: {found['scrollWidth']} px "
                                                  f"wide in {found['clientWidth']} px; {'; '.join(wide)}")
            for text in found["smallText"]:
                self.layout_finding(label, width, f"chart text under {MIN_CHART_TEXT_PX} px: {text}")
            if width == screen["width"] and found["crowded"]:  # the same at every width: told once
                self.layout_finding(label, width, f"a heading runs into the list above it: "
                                                  f"{'; '.join(found['crowded'])}")
            if found["broken"]:
                self.layout_finding(label, width, f"words broken inside: {'; '.join(found['broken'])}")
        if page.viewport_size != screen:
            page.set_viewport_size(screen)
        self.findings.measuring[label] = time.perf_counter() - started

    def page_for(self, visitor: Visitor) -> Any:
        if visitor.key not in self.contexts:
            context = self.browser.new_context(base_url=self.server.url, viewport=SCREENS[self.lang])
            context.set_default_timeout(TIMEOUT_MS)
            # axe-core loaded into every page by the browser itself, rather than sent over for each run.
            context.add_init_script(script=AXE_SCRIPT)
            self.contexts[visitor.key] = context
            self.seen[visitor.key] = set()
            page = context.new_page()
            page.goto("/inloggen")
            switch_language(page, self.lang)
            if visitor.username:
                log_in(page, visitor.username, visitor.password)
                assert "/inloggen" not in page.url, f"{visitor.username} could not log in"
        return self.contexts[visitor.key].pages[0]

    def close(self) -> None:
        for context in self.contexts.values():
            context.close()

    def axe(self, page: Any, label: str, endpoint: str | None = None) -> None:
        """Run axe, and what it leaves to best practice or cannot see: the page's language, one <h1>,
        and (on the narrow screen) no sideways scrolling; then measure the layout at every width."""
        if not self.run_axe:
            self.measure(page, label, endpoint)
            return
        lang = page.locator("html").get_attribute("lang")
        if lang != self.lang:
            self.problem(label, f'<html lang="{lang}">, not "{self.lang}"')
        headings = page.locator("h1").count()
        if headings != 1:
            self.problem(label, f"{headings} <h1> elements, not one")
        if SCREENS[self.lang]["width"] <= NARROW:
            wide = page.evaluate(TOO_WIDE_JS)
            if wide:
                self.problem(label, f"needs sideways scrolling at {NARROW} px (WCAG 1.4.10): "
                                    f"{'; '.join(wide)}")
        self.findings.checked += 1
        for violation in page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)["violations"]:
            for node in violation["nodes"]:
                summary = " ".join((node.get("failureSummary") or "").split())[:300]
                target = " ".join(str(t) for t in node["target"])
                self.findings.violations.append(
                    (label, self.state, self.lang, violation["id"], target, summary))
        self.measure(page, label, endpoint)

    def visit(self, visitor: Visitor, endpoint: str, path: str) -> None:
        """Open the page; it must answer with its own HTML page (or a declared redirect); run axe."""
        page = self.page_for(visitor)
        label = f"{path} ({endpoint}, {visitor.key})"
        try:
            response = page.goto(path)
        except PlaywrightError as error:  # a download, a crash: the page is not a page
            self.problem(label, str(error).splitlines()[0])
            return
        landed = where(page.url)
        if response is None or response.status != 200:
            self.problem(label, f"HTTP {response.status if response else 'no answer'}")
            return
        if not (response.headers.get("content-type") or "").startswith("text/html"):
            self.problem(label, f"answers {response.headers.get('content-type')}; list it in NOT_HTML")
            return
        if landed != path and endpoint not in MAY_REDIRECT:
            self.problem(label, f"redirected to {landed}, so the page itself was not shown (give the world "
                                "data that shows it, or list the endpoint in MAY_REDIRECT with the reason)")
            return
        if landed in self.seen[visitor.key]:
            return  # a redirect to a page this visitor has checked already
        self.seen[visitor.key].add(landed)
        self.axe(page, label if landed == path else f"{landed} (via {path}, {visitor.key})",
                 endpoint if landed == path else None)

    def sweep(self, world: World) -> None:
        visits, unfilled = plan_visits(world)
        self.findings.problems += unfilled
        for visit in visits:
            self.visit(world.visitors[visit.visitor], visit.endpoint, visit.path)


@pytest.fixture
def walker(app: Flask, browser: Any, live_server: LiveServer,
           monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """walker(lang, state) -> a Walker; its browser contexts are closed after the test."""
    # Each context keeps the stylesheets for the walk instead of asking for them again on every page.
    monkeypatch.setitem(app.config, "SEND_FILE_MAX_AGE_DEFAULT", 600)
    made: list[Walker] = []

    def make(lang: str, state: str, run_axe: bool = True) -> Walker:
        made.append(Walker(browser, live_server, lang, state, run_axe=run_axe))
        return made[-1]

    yield make
    for walk in made:
        walk.close()


# --- the error states -----------------------------------------------------------------------------

TS = "/teams/{own_team}/rondes/{round}/teamschouw"
TOO_LONG = "x" * (NOTE_MAX_LENGTH + 1)
FIELD_TAGS = frozenset({"input", "select", "textarea", "fieldset"})


@dataclass(frozen=True)
class WrongForm:
    """A form sent empty or wrong. Paths, selectors and values are templates filled from the visitor's
    ids. `fill`: (selector, value) pairs; a <select> gets the option, a radio or checkbox is checked when
    the value is "check". `expect`: selectors of the fields the summary must link to. `submit=False`:
    the page itself is the error state (a GET with a wrong filter, a submit page with items missing)."""

    what: str
    visitor: str
    path: str
    form: str = "main form[method=post]"
    fill: tuple[tuple[str, str], ...] = ()
    upload: tuple[str, bytes] | None = None
    button: str = "[type=submit]"
    expect: tuple[str, ...] = ()
    submit: bool = True
    error_title: bool = True


PRO, LEADER = Role.PROFESSIONAL.value, Role.TEAMLEIDER.value
COORDINATOR, ADMIN = Role.REGIOCOORDINATOR.value, Role.BEHEERDER.value

WRONG_FORMS = [
    WrongForm("login, empty", ANON, "/inloggen", expect=("#username", "#password")),
    WrongForm("change password, empty", PRO, "/account/wachtwoord", expect=("#current_password",)),
    # The scan: an ambition without a level, on "save and next"; a note that is too long.
    WrongForm("scan part, ambition without a level", DRAFTER, "/scan/{round}/{blank_section}",
              fill=(("#ambition-{blank_item}-stay", "check"),),
              button='button[name="action"][value="save_next"]', expect=("#ambition-{blank_item}",)),
    WrongForm("scan part, note too long", DRAFTER, "/scan/{round}/{blank_section}",
              fill=(("#note-{blank_item}", TOO_LONG),), button='button[name="action"][value="save"]',
              expect=("#note-{blank_item}",)),
    # The submit page with required items still open is no error state (since the check-your-answers
    # step): it lists what is left per part, linked, and says nothing is wrong until one sends it, which
    # its page offers only once every required item is filled in. The sweep visits it as a page
    # (assessment.submit, DRAFTER, with items still open) in the filled state.
    # The team leader: rounds, reopening, the teamschouw.
    WrongForm("new round, empty", LEADER, "/teams/{own_team}/rondes/nieuw", expect=("#opens_on",)),
    WrongForm("reopen a scan, no reason", LEADER, "/scans/{scan}/heropenen", expect=("#reason",)),
    WrongForm("calibration, note too long", LEADER, TS + "/kalibratie/{scan}",
              fill=(('main form[method=post] textarea[id^="note-"]', TOO_LONG),),
              expect=('main form[method=post] textarea[id^="note-"]',)),
    WrongForm("team norms, not a number", LEADER, TS + "/normen", form="main form.app-norms-form",
              fill=(("main form.app-norms-form .app-norm-input", "veel"),),
              expect=("main form.app-norms-form .app-norm-input",)),
    WrongForm("priority, empty", LEADER, TS + "/prioriteiten",
              form='main form[action$="/prioriteiten/toevoegen"]'),
    WrongForm("vraagbaak, empty", LEADER, TS + "/prioriteiten",
              form='main form[action$="/afspraken/vraagbaak"]', expect=("#vraagbaak-member",)),
    WrongForm("growth agreement, empty", LEADER, TS + "/prioriteiten",
              form='main form[action$="/afspraken/groei"]'),
    WrongForm("other agreement, empty", LEADER, TS + "/prioriteiten",
              form='main form[action$="/afspraken/overig"]'),
    WrongForm("teamschouw session, no date", LEADER, TS + "/sessie", fill=(("#held_on", ""),),
              expect=("#held_on",)),
    # The POP, both sides.
    WrongForm("POP review, no decision", LEADER, "/pop/{pop}/beoordelen", expect=("#decision",)),
    WrongForm("POP signature, wrong password", LEADER, "/pop/{waiting_pop}/ondertekenen",
              fill=(("#password", "niet-mijn-wachtwoord"),), expect=("#password",)),
    WrongForm("POP own goal, empty", PRO, "/pop/{pop}", form='main form[action="/pop/{pop}/doelen"]',
              expect=("#goal-item", "#goal-description")),
    WrongForm("POP goal, no description", PRO, "/pop/{pop}/doelen/{goal}/wijzigen",
              fill=(("#description", ""),), expect=("#description",)),
    WrongForm("POP activity, empty", PRO, "/pop/{pop}/doelen/{goal}/acties/nieuw", expect=("#type",)),
    WrongForm("POP activity, end before start", PRO, "/pop/{pop}/acties/{action}/wijzigen",
              fill=(("#planned_from", "2027-05-10"), ("#planned_until", "2027-05-01")),
              expect=("#planned_until",)),
    WrongForm("POP signature, wrong password (professional)", PRO, "/pop/{waiting_pop}/ondertekenen",
              fill=(("#password", "niet-mijn-wachtwoord"),), expect=("#password",)),
    # The region: the filter, the catalogue.
    WrongForm("regional filter, a municipality of another region", COORDINATOR,
              "/regio/behoefte?municipality=999999", submit=False, expect=("#municipality",)),
    WrongForm("regional period, last day before the first", COORDINATOR, "/regio/publicaties",
              form='main form[action="/regio/publicaties"]',
              fill=(("#name", "verkeerd om"), ("#first_day", "2026-12-31"), ("#last_day", "2026-07-01")),
              expect=("#last_day",)),
    WrongForm("catalogue entry, empty", COORDINATOR, "/catalogus/nieuw", expect=("#code", "#title")),
    WrongForm("catalogue entry, hours not a number", ADMIN, "/catalogus/{training}/wijzigen",
              fill=(("#hours", "veel"),), expect=("#hours",)),
    WrongForm("catalogue import, not a spreadsheet", COORDINATOR, "/catalogus/import",
              upload=("foto.png", NOT_A_SPREADSHEET), expect=("#file",)),
    # The administrator.
    WrongForm("municipality, empty", ADMIN, "/beheer/gemeenten/nieuw", expect=("#code",)),
    WrongForm("municipality, name removed", ADMIN, "/beheer/gemeenten/{municipality}",
              form='main form[action="/beheer/gemeenten/{municipality}"]', fill=(("#name", ""),),
              expect=("#name",)),
    WrongForm("team, empty", ADMIN, "/beheer/teams/nieuw", expect=("#code",)),
    WrongForm("team, name removed", ADMIN, "/beheer/teams/{spare_team}",
              form='main form[action="/beheer/teams/{spare_team}"]', fill=(("#name", ""),),
              expect=("#name",)),
    WrongForm("account, empty", ADMIN, "/beheer/accounts/nieuw", expect=("#username",)),
    WrongForm("account, name too long", ADMIN, "/beheer/accounts/{account}",
              form='main form[action="/beheer/accounts/{account}"]', fill=(("#full_name", "x" * 201),),
              expect=("#full_name",)),
    WrongForm("account import, not a spreadsheet", ADMIN, "/beheer/accounts/import",
              upload=("foto.png", NOT_A_SPREADSHEET), expect=("#file",)),
    WrongForm("Kenniskaart upload, a duplicate code", ADMIN, "/beheer/kenniskaart",
              form="main form[enctype]", upload=("kaart.yaml", BROKEN_YAML), expect=("#file",)),
    WrongForm("erasing an account, wrong username", ADMIN, "/beheer/accounts/{leaver}/wissen",
              fill=(("#confirm_username", "iemand-anders"),), expect=("#confirm_username",)),
]


def send_wrong_form(walk: Walker, world: World, wrong: WrongForm,
                    endpoint_of: Callable[[str], str | None] = lambda path: None) -> None:
    """Open the form, fill in what is wrong, send it; check the error page, then axe (and measure the
    layout, the menu judged by the endpoint of the page the form landed on)."""
    ids = world.ids[wrong.visitor]
    page = walk.page_for(world.visitors[wrong.visitor])
    label = f"{wrong.what}: {wrong.path.format(**ids)}"
    response = page.goto(wrong.path.format(**ids))
    if response is None or response.status not in (200, 422):
        walk.problem(label, f"the form's page answered HTTP {response.status if response else '-'}")
        return
    if wrong.submit:
        form = page.locator(wrong.form.format(**ids)).first
        for selector, value in wrong.fill:
            control = page.locator(selector.format(**ids)).first
            kind = control.evaluate("e => e.tagName.toLowerCase() + ':' + (e.type || '')")
            if value == "check":
                control.check()
            elif kind.startswith("select"):
                control.select_option(value)
            else:
                control.fill(value)
        if wrong.upload:
            name, payload = wrong.upload
            form.locator("input[type=file]").set_input_files(
                {"name": name, "mimeType": "application/octet-stream", "buffer": payload})
        with page.expect_navigation() as navigation:
            form.locator(wrong.button).first.click()
        response = navigation.value
        if response is None or response.status >= 500:
            walk.problem(label, f"sending it answered HTTP {response.status if response else '-'}")
            return
    problems = []
    title = page.title()
    if wrong.error_title and not title.startswith(ERROR_TITLE[walk.lang]):
        problems.append(f"the title {title!r} does not start with {ERROR_TITLE[walk.lang]!r}")
    links = page.evaluate(SUMMARY_JS)
    if links is None:
        problems.append("no error summary")
        links = []
    elif not links:
        problems.append("the error summary links to no field")
    for link in (link for link in links if link["local"]):
        if not link["found"]:
            problems.append(f"the summary links to {link['href']}, which is not on the page")
            continue
        if link["tag"] in FIELD_TAGS and not (link["describedby"] and link["describedbyFound"]):
            problems.append(f"{link['href']} has no aria-describedby pointing at its message")
        if link["tag"] in FIELD_TAGS - {"fieldset"} and link["invalid"] != "true":
            problems.append(f"{link['href']} is not marked aria-invalid")
    hrefs = {link["href"] for link in links}
    for selector in wrong.expect:
        element_id = page.locator(selector.format(**ids)).first.get_attribute("id")
        if f"#{element_id}" not in hrefs:
            problems.append(f"the summary does not link to #{element_id} ({selector.format(**ids)})")
    for text in problems:
        walk.problem(label, text)
    walk.axe(page, label, endpoint_of(urlsplit(page.url).path))


# --- the tests ------------------------------------------------------------------------------------


# Each sweep opens every page of every role: the longest tests of the suite (up to 82 s on a busy two-core
# machine), given a little more than the suite's default time per test (pyproject.toml).
pytestmark = pytest.mark.timeout(420)


# The layout each sweep measured on its way, (state, language) -> findings, for test_layout_at_every_width.
MEASURED: dict[tuple[str, str], Findings] = {}
STATES = ("filled", "empty", "error")


def walk_state(app: Flask, walker: Any, lang: str, state: str, run_axe: bool = True) -> Walker:
    """Build the state's world and walk it: every page (filled, empty) or every wrong form (error)."""
    world = empty_world(app) if state == "empty" else demo_world(app)
    walk = walker(lang, state, run_axe)
    try:
        if state == "error":
            urls = app.url_map.bind("localhost")

            def endpoint_of(path: str) -> str | None:
                try:
                    return urls.match(path, method="GET")[0]
                except (HTTPException, RoutingException):
                    return None

            for wrong in WRONG_FORMS:
                send_wrong_form(walk, world, wrong, endpoint_of)
        else:
            walk.sweep(world)
    finally:  # a walk that broke off has still measured the pages before: not walked a second time
        MEASURED[(state, lang)] = walk.findings
    return walk


@pytest.mark.parametrize("lang", LANGUAGES, ids=SCREEN_IDS)
def test_every_page_filled(app: Flask, walker: Any, lang: str) -> None:
    walk_state(app, walker, lang, "filled").findings.assert_clean()


@pytest.mark.parametrize("lang", LANGUAGES, ids=SCREEN_IDS)
def test_every_page_empty(app: Flask, walker: Any, lang: str) -> None:
    walk_state(app, walker, lang, "empty").findings.assert_clean()


@pytest.mark.parametrize("lang", LANGUAGES, ids=SCREEN_IDS)
def test_every_form_with_errors(app: Flask, walker: Any, lang: str) -> None:
    walk_state(app, walker, lang, "error").findings.assert_clean()


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("state", STATES)
def test_layout_at_every_width(app: Flask, walker: Any, state: str, lang: str) -> None:
    """Every page of the sweep at 320, 375 and 1280 px in both languages: no sideways page scroll, no
    chart text under 12 px, no word broken inside a table cell, the menu item of the page's section
    marked. The sweep above measures on its way (no second load, no second axe run); run on its own
    (`-k layout`), this test walks the pages itself without axe."""
    findings = MEASURED.get((state, lang)) or walk_state(app, walker, lang, state, run_axe=False).findings
    assert findings.measured, "the layout was measured on no page at all"
    print(findings.layout_report())
    assert not findings.layout, findings.layout_report()
