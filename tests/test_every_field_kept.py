"""Every field a form offers is kept: stored and shown again, or refused with a message at the field.

One case per form of the route matrix (tests/test_route_permissions.py): the page is opened as a role that may
use it, the form is read from the HTML as a browser reads it, every field is filled with a value of its own
(a text "Veld-<name>-7Q", a select's option that is not the current one, a checkbox flipped, a date, a
number written the Dutch way) and the form is posted with the page's CSRF token. Afterwards each value is
looked for on the pages of the case's `look`: in a form there that shows the field again (the same name, the
value selected, checked or filled in), or in the page's text (for a select: the label of the option). A field
that is found
nowhere was silently dropped, and fails the case by name; so does a new field someone adds and forgets to
store.

Forms whose purpose is not to store a typed value are listed in SKIPPED with the reason.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from typing import Any

import pytest
from babel.dates import format_date
from flask import Flask
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from scan.access import Role
from scan.assessment.models import ScanEvent, ScanRound
from scan.auth.models import User
from scan.catalogue.models import Training
from scan.core.clock import today
from scan.extensions import db
from scan.organisation.models import Municipality, Team
from scan.pop.models import PopStatus, PopVersion
from scan.teamschouw.models import Agreement
from tests.conftest import database_backend
from tests.factories import login, make_user
from tests.test_route_permissions import MATRIX, World, build_world

pytestmark = pytest.mark.skipif(database_backend() != "sqlite",
                                reason="form fields are dialect-independent; once per suite")

TEXT = "Veld-{name}-7Q"
SOON = (today() + timedelta(days=30)).isoformat()
LATER = (today() + timedelta(days=75)).isoformat()
PAST_FIRST = (today() - timedelta(days=40)).isoformat()
PAST_LAST = (today() - timedelta(days=35)).isoformat()


# --- reading forms -----------------------------------------------------------------------------------------


@dataclass
class Field:
    tag: str  # input, select, textarea
    type: str  # text, date, checkbox, radio, hidden, password, file, select, textarea
    name: str
    value: str = ""  # an input's value attribute, a textarea's text
    checked: bool = False
    options: list[tuple[str, str, bool]] = field(default_factory=list)  # (value, label, selected)


@dataclass
class Form:
    action: str
    fields: list[Field] = field(default_factory=list)

    def current(self, name: str) -> set[str]:
        """The values the form shows for `name`: filled in, selected or checked."""
        values: set[str] = set()
        for f in self.fields:
            if f.name != name:
                continue
            if f.type == "select":
                values |= {v for v, _, selected in f.options if selected}
            elif f.type in ("checkbox", "radio"):
                if f.checked:
                    values.add(f.value or "y")
            else:
                values.add(f.value)
        return values


class FormReader(HTMLParser):
    """Every <form method="post"> of a page, with its fields as a browser would submit them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._option: list[Any] | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._form = Form(a.get("action", ""))
            self.forms.append(self._form)
        if self._form is None or ("name" not in a and tag != "option"):
            return
        if tag == "input" and a.get("type", "text") not in ("submit", "button", "image", "reset"):
            self._form.fields.append(Field("input", a.get("type", "text"), a["name"], a.get("value", ""),
                                           "checked" in a))
        elif tag == "select":
            self._select = Field("select", "select", a["name"])
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "", "selected" in a]
        elif tag == "textarea":
            self._textarea = Field("textarea", "textarea", a["name"])
            self._form.fields.append(self._textarea)

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option[1] += data
        elif self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self._option is not None and self._select is not None:
            value, label, selected = self._option
            label = " ".join(label.split())
            self._select.options.append((label if value is None else value, label, selected))
            self._option = None
        elif tag == "textarea" and self._textarea is not None:
            self._textarea.value = self._textarea.value.removeprefix("\n")
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


def forms_of(page: str) -> list[Form]:
    reader = FormReader()
    reader.feed(page)
    return reader.forms


def text_of(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


# --- the cases ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One form: the page it is on (opened as `role`), the form's action (None: the page itself), values that
    must take a particular shape (the rest is filled in generically), fields that are not a stored value (with
    the reason), and where to look afterwards (path templates; a callable gets the world's ids)."""

    endpoint: str  # the route the form posts to (in MATRIX)
    role: Role
    page: str
    look: tuple[str, ...] | Callable[[dict[str, Any]], tuple[str, ...]]
    action: str | None = None
    values: dict[str, str] = field(default_factory=dict)
    not_stored: dict[str, str] = field(default_factory=dict)
    shown_as: dict[str, str] = field(default_factory=dict)  # a value as the look pages show it
    stored: Callable[[dict[str, Any]], str] | None = None  # the text of the rows the form writes
    prepare: Callable[[Flask, World], None] | None = None


def _new(model: Any, **where: Any) -> Callable[[dict[str, Any]], Any]:
    def find(ids: dict[str, Any]) -> Any:
        return db.session.scalars(select(model).filter_by(**where)).one()
    return find


def _newest_round(ids: dict[str, Any]) -> tuple[str, ...]:
    newest = db.session.scalars(select(ScanRound).order_by(ScanRound.id.desc())).first()
    return (f"/teams/{ids['own_team']}/rondes/{newest.id}",)


def _propose(app: Flask, world: World) -> None:
    """The draft version of the POP is proposed, so the team leader has something to review."""
    with app.app_context():
        version = db.session.scalars(select(PopVersion).where(PopVersion.pop_id == world.ids["pop"])
                                     .order_by(PopVersion.number.desc())).first()
        version.status = PopStatus.PROPOSED
        db.session.commit()


def _open_scan(app: Flask, world: World) -> None:
    """The professional's scan is a draft again, so section GC can be filled in."""
    with app.app_context():
        from scan.assessment.models import Scan
        scan = db.session.get(Scan, world.ids["scan"])
        scan.status, scan.submitted_at = "draft", None
        db.session.commit()


def _training_in_the_region(app: Flask, world: World) -> None:
    """A catalogue entry of the professional's region and a colleague, so an action can name either."""
    with app.app_context():
        team = db.session.get(Team, world.ids["own_team"])
        db.session.add(Training(region_id=team.municipality.region_id, code="TR7Q", title="Veldtraining",
                                type="training"))
        colleague = make_user(Role.PROFESSIONAL, team=team, full_name="Veld Collega")
        db.session.add(Agreement(round_id=world.ids["round"], kind="vraagbaak", member_id=colleague.id,
                                 item_id=world.ids["gc01"], consent="accepted"))
        db.session.commit()


TS = "/teams/{own_team}/rondes/{round}/teamschouw"
CATALOGUE_NUMBERS = {"hours": "12,5", "cost": "345,67", "points": "17", "min_group": "3", "max_group": "19",
                     "items": "GC01, GC02"}

CASES: dict[str, Case] = {
    "regio.publications": Case(
        "regio.publications", Role.REGIOCOORDINATOR, "/regio/publicaties", ("/regio/publicaties",),
        action="/regio/publicaties", values={"first_day": PAST_FIRST, "last_day": PAST_LAST}),
    "catalogue.new": Case(
        "catalogue.new", Role.REGIOCOORDINATOR, "/catalogus/nieuw",
        lambda ids: (f"/catalogus/{_new(Training, code='TR77')(ids).id}/wijzigen",),
        values={"code": "TR77", **CATALOGUE_NUMBERS}),
    "catalogue.edit": Case(
        "catalogue.edit", Role.REGIOCOORDINATOR, "/catalogus/{training}/wijzigen",
        ("/catalogus/{training}/wijzigen",), values={"code": "TR78", **CATALOGUE_NUMBERS}),
    "beheer.municipality_new": Case(
        "beheer.municipality_new", Role.BEHEERDER, "/beheer/gemeenten/nieuw",
        lambda ids: (f"/beheer/gemeenten/{_new(Municipality, code='GM7Q')(ids).id}",
                     "/beheer/organisatie?kind=municipality&q=GM7Q"),
        values={"code": "GM7Q"}),
    "beheer.municipality_edit": Case(
        "beheer.municipality_edit", Role.BEHEERDER, "/beheer/gemeenten/{municipality}",
        ("/beheer/gemeenten/{municipality}",), action="/beheer/gemeenten/{municipality}"),
    "beheer.team_new": Case(
        "beheer.team_new", Role.BEHEERDER, "/beheer/teams/nieuw",
        lambda ids: (f"/beheer/teams/{_new(Team, code='TM7Q')(ids).id}", "/beheer/organisatie"),
        values={"code": "TM7Q"}),
    "beheer.team_edit": Case(
        "beheer.team_edit", Role.BEHEERDER, "/beheer/teams/{spare_team}", ("/beheer/teams/{spare_team}",),
        action="/beheer/teams/{spare_team}"),
    "beheer.account_new": Case(
        "beheer.account_new", Role.BEHEERDER, "/beheer/accounts/nieuw",
        lambda ids: (f"/beheer/accounts/{_new(User, username='veld7q')(ids).id}",),
        values={"username": "veld7q", "role": "professional"},
        not_stored={"led_teams": "teams led: only for a team leader (the role chosen is professional)",
                    "region": "a region: only for a regional coordinator"}),
    "beheer.account_edit": Case(
        "beheer.account_edit", Role.BEHEERDER, "/beheer/accounts/{account}", ("/beheer/accounts/{account}",),
        action="/beheer/accounts/{account}", values={"role": "teamleider"},
        not_stored={"team": "a team: only for a professional (the role chosen is team leader)",
                    "region": "a region: only for a regional coordinator"}),
    "assessment.new_round": Case(
        "assessment.new_round", Role.TEAMLEIDER, "/teams/{own_team}/rondes/nieuw", _newest_round,
        values={"opens_on": SOON, "closes_on": LATER}),
    "assessment.section": Case(
        "assessment.section", Role.PROFESSIONAL, "/scan/{round}/GC", ("/scan/{round}/GC",),
        prepare=_open_scan),
    "teamschouw.norms": Case(
        "teamschouw.norms", Role.TEAMLEIDER, f"{TS}/normen", (f"{TS}/dekking", f"{TS}/normen"),
        values={"norm-LG01": "4", "norm-LG02": "3"}),
    "teamschouw.calibrate": Case(
        "teamschouw.calibrate", Role.TEAMLEIDER, f"{TS}/kalibratie/{{scan}}", (f"{TS}/kalibratie/{{scan}}",),
        not_stored={"last_seen": "hidden: the version of the page, to refuse a stale save"}),
    "teamschouw.session": Case(
        "teamschouw.session", Role.TEAMLEIDER, f"{TS}/sessie", (f"{TS}/sessie",),
        values={"held_on": today().isoformat()}),
    "teamschouw.add_priority": Case(
        "teamschouw.add_priority", Role.TEAMLEIDER, f"{TS}/prioriteiten", (f"{TS}/prioriteiten",),
        action=f"{TS}/prioriteiten/toevoegen"),
    "teamschouw.add_vraagbaak": Case(
        "teamschouw.add_vraagbaak", Role.TEAMLEIDER, f"{TS}/prioriteiten", (f"{TS}/prioriteiten",),
        action=f"{TS}/afspraken/vraagbaak"),
    "teamschouw.add_grow": Case(
        "teamschouw.add_grow", Role.TEAMLEIDER, f"{TS}/prioriteiten", (f"{TS}/prioriteiten",),
        action=f"{TS}/afspraken/groei"),
    "teamschouw.add_other": Case(
        "teamschouw.add_other", Role.TEAMLEIDER, f"{TS}/prioriteiten", (f"{TS}/prioriteiten",),
        action=f"{TS}/afspraken/overig"),
    "assessment.reopen": Case(
        "assessment.reopen", Role.TEAMLEIDER, "/scans/{scan}/heropenen",
        ("/teams/{own_team}/rondes/{round}",),
        stored=lambda ids: " ".join(db.session.scalars(
            select(ScanEvent.reason).filter_by(scan_id=ids["scan"])))),
    "pop.add_goal": Case(
        "pop.add_goal", Role.PROFESSIONAL, "/pop/{pop}", ("/pop/{pop}",), action="/pop/{pop}/doelen"),
    "pop.edit_goal": Case(
        "pop.edit_goal", Role.PROFESSIONAL, "/pop/{pop}/doelen/{goal}/wijzigen",
        ("/pop/{pop}/doelen/{goal}/wijzigen",)),
    "pop.new_action": Case(
        "pop.new_action", Role.PROFESSIONAL, "/pop/{pop}/doelen/{goal}/acties/nieuw", ("/pop/{pop}",),
        values={"type": "training", "planned_from": SOON, "planned_until": LATER, "hours": "6,5",
                "colleague": ""},
        not_stored={"colleague": "goes only with meelopen or coaching (else refused at the field); "
                                 "pop.edit_action fills it"},
        shown_as={"training": "Veldtraining"},
        prepare=_training_in_the_region),
    "pop.edit_action": Case(
        "pop.edit_action", Role.PROFESSIONAL, "/pop/{pop}/acties/{action}/wijzigen",
        ("/pop/{pop}/acties/{action}/wijzigen",),
        values={"type": "coaching", "planned_from": SOON, "planned_until": LATER, "hours": "6,5",
                "training": ""},
        not_stored={"training": "a catalogue training goes with a training, not with coaching; "
                                "pop.new_action fills it"},
        prepare=_training_in_the_region),
    "pop.progress": Case(
        "pop.progress", Role.PROFESSIONAL, "/pop/{pop}", ("/pop/{pop}",),
        action="/pop/{pop}/acties/{action}/voortgang"),
    "pop.review": Case(
        "pop.review", Role.TEAMLEIDER, "/pop/{pop}/beoordelen", ("/pop/{pop}",), prepare=_propose,
        shown_as={"decision": "Akkoord"}),
}

SKIPPED: dict[str, str] = {
    "auth.login": "logs in: a password is checked, never stored or shown",
    "auth.logout": "a button: no field",
    "core.set_language": "the language is kept in the session; tests/test_i18n.py checks it",
    "auth.change_password": "a password is stored hashed and never shown; tests/auth check the new one works",
    "pop.sign": "signs with the password, which is checked and not stored; tests/pop check the signature",
    "beheer.account_erase": "the username typed confirms the erasure; it is compared, not stored",
    "beheer.kenniskaart_upload": "a file upload: the contents are checked by tests/kenniskaart",
    "catalogue.import_file": "a file upload: the rows are checked by tests/catalogue",
    "beheer.accounts_import": "a file upload: the rows are checked by tests/beheer",
    "catalogue.confirm_import": "a button on the preview: no field of its own",
    "beheer.accounts_import_confirm": "a button on the preview: no field of its own",
    "assessment.submit": "a button (submit the scan): no field",
    "teamschouw.accept_suggestion": "a button with the suggested item as a hidden value",
    "pop.adopt": "a button with the proposed goal's item as a hidden value; the reason is the app's own",
}


def test_every_form_route_is_a_case_or_skipped_with_a_reason():
    posted = {endpoint for endpoint, (methods, _, _) in MATRIX.items() if "POST" in methods.split()}
    buttons = {e for e in posted if any(e.endswith(b) for b in (
        "activate", "deactivate", "archive", "publish_period", "kenniskaart_publish", "account_password",
        "accept", "decline", "remove_priority", "move_priority", "remove_agreement", "remove_action",
        "remove_goal", "propose", "new_version", "start", "remove_action"))}
    missing = sorted(posted - CASES.keys() - SKIPPED.keys() - buttons)
    assert not missing, "add a Case (or a reason in SKIPPED) for: " + ", ".join(missing)


def _fill(f: Field, case: Case, given: dict[str, str]) -> list[tuple[str, str]] | None:
    """The pairs a browser posts for the field as this test fills it (None: left as it is)."""
    if f.name in case.values:
        return [(f.name, case.values[f.name])]
    if f.type == "select":
        others = [v for v, _, selected in f.options if v and not selected]
        if not others:  # one choice only: it is chosen, and must still be chosen afterwards
            others = [v for v, _, _ in f.options if v]
        assert others, f"{f.name}: no option to choose"
        return [(f.name, others[-1])]
    if f.type == "checkbox":
        return [] if f.checked else [(f.name, f.value or "y")]
    if f.type == "radio":
        if f.name in given:
            return []
        return [(f.name, f.value)] if not f.checked else None
    if f.type == "date":
        return [(f.name, SOON)]
    if f.type in ("hidden",):
        return [(f.name, f.value)]
    if f.type in ("text", "textarea", "search", "email", ""):
        return [(f.name, TEXT.format(name=f.name))]
    raise AssertionError(f"{f.name}: no way to fill a field of type {f.type}")


@pytest.mark.parametrize("endpoint", sorted(CASES.keys()))
def test_every_offered_field_is_kept(app: Flask, endpoint: str) -> None:
    case = CASES[endpoint]
    world = build_world(app)
    if case.prepare:
        case.prepare(app, world)
    client = app.test_client()
    login(client, world.names[case.role])
    page_url = case.page.format(**world.ids)
    page = client.get(page_url)
    assert page.status_code == 200, (page_url, page.status_code)
    action = (case.action or case.page).format(**world.ids)
    forms = [f for f in forms_of(page.get_data(as_text=True))
             if (f.action or page_url).split("?")[0] == action]
    assert len(forms) == 1, f"{len(forms)} forms posting to {action} on {page_url}"
    form = forms[0]

    data: list[tuple[str, str]] = []
    expected: dict[str, tuple[set[str], set[str]]] = {}  # name -> (how it is shown, posted values)
    for f in form.fields:
        if f.name == "csrf_token":
            data.append((f.name, f.value))
            continue
        pairs = _fill(f, case, {name for name, _ in data})
        if pairs is None:
            continue
        data += pairs
        if f.name in case.not_stored or f.type == "hidden":
            continue
        if f.type == "checkbox" and not pairs:
            expected.setdefault(f.name, (set(), set()))
            continue
        for name, value in pairs:
            shown = {case.shown_as.get(name, value)}
            if f.type == "select" and name not in case.shown_as:
                shown = {next(label for v, label, _ in f.options if v == value)}
            elif f.type == "date":
                day = date.fromisoformat(value)
                shown |= {format_date(day, "long", locale="nl"), format_date(day, "medium", locale="nl"),
                          format_date(day, "short", locale="nl")}
            old_shown, values = expected.get(name, (shown, set()))
            expected[name] = (old_shown, values | {value})
    unknown = set(case.not_stored) - {f.name for f in form.fields}
    assert not unknown, f"not_stored names fields the form does not have: {sorted(unknown)}"

    response = client.post(action, data=MultiDict(data))
    body = response.get_data(as_text=True)
    assert response.status_code in (200, 302), (response.status_code, text_of(body)[:3000])
    assert "utrecht-form-field-error" not in body and 'class="error' not in body, text_of(body)[:2000]

    with app.app_context():
        look = case.look(world.ids) if callable(case.look) else case.look
        look_urls = [u.format(**world.ids) for u in look]
        stored = case.stored(world.ids) if case.stored else ""
    shown_forms: list[Form] = []
    texts: list[str] = []
    for url in look_urls:
        answer = client.get(url)
        assert answer.status_code == 200, (url, answer.status_code)
        markup = answer.get_data(as_text=True)
        shown_forms += forms_of(markup)
        texts.append(text_of(markup))
    text = " ".join([*texts, stored])

    dropped: list[str] = []
    for name, (shown, values) in expected.items():
        in_form = any(f.current(name) == values for f in shown_forms if any(x.name == name for x in f.fields))
        in_text = any(s and s in text for s in shown)
        if not (in_form or in_text):
            dropped.append(f"{name}={sorted(values)}")
    assert not dropped, f"{endpoint}: offered, posted, accepted, and found nowhere afterwards: {dropped}"
