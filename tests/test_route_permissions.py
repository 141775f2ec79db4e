"""Every registered route and method, requested as each role and anonymously.

The matrix is checked against the URL map rule by rule and method by method, so a new route (or a new
method on an old one) that is not listed here fails the test. A POST by a role that may not use the route
carries a valid CSRF token and a form that would change something, and must be refused with 403 while the
database stays exactly as it was; anonymous visitors are sent to the login page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask

from scan.access import Role
from scan.catalogue.models import Training
from scan.core.clock import today
from scan.db import utcnow
from scan.extensions import db
from scan.pop.models import Pop, PopAction, PopGoal, PopStatus, PopVersion
from scan.regio import periods, publish
from scan.regio.models import Period, Publication
from scan.teamschouw.models import Agreement, TeamPriority
from tests.factories import PASSWORD, login, make_region, make_round, make_scan, make_team, make_user
from tests.security.dbstate import changed, db_state

ANON = "anonymous"
ALL_ROLES = (Role.PROFESSIONAL, Role.TEAMLEIDER, Role.REGIOCOORDINATOR, Role.BEHEERDER)
IGNORED_METHODS = {"HEAD", "OPTIONS"}

TS = "/teams/{own_team}/rondes/{round}/teamschouw"
CATALOGUE = {Role.REGIOCOORDINATOR, Role.BEHEERDER}

# endpoint -> (methods, path template, who gets a normal answer). Everyone else: 403, anonymous: to login.
# "GET POST": the page and its form; both are requested as every role.
MATRIX = {
    "core.healthz": ("GET", "/healthz", {ANON, *ALL_ROLES}),
    "core.index": ("GET", "/", {ANON, *ALL_ROLES}),
    "core.set_language": ("POST", "/taal", {ANON, *ALL_ROLES}),
    # The statements linked from every page's footer: public information.
    "core.privacy_statement": ("GET", "/privacyverklaring", {ANON, *ALL_ROLES}),
    "core.accessibility_statement": ("GET", "/toegankelijkheidsverklaring", {ANON, *ALL_ROLES}),
    # The current Kenniskaart: everyone logged in reads it.
    "kenniskaart.read": ("GET", "/kenniskaart", set(ALL_ROLES)),
    "auth.login": ("GET POST", "/inloggen", {ANON, *ALL_ROLES}),
    "auth.logout": ("POST", "/uitloggen", set(ALL_ROLES)),
    "auth.change_password": ("GET POST", "/account/wachtwoord", set(ALL_ROLES)),
    "home.professional": ("GET", "/mijn", {Role.PROFESSIONAL}),
    "teams.index": ("GET", "/teams/", {Role.TEAMLEIDER}),
    "teams.detail": ("GET", "/teams/{own_team}", {Role.TEAMLEIDER, Role.BEHEERDER}),
    "regio.index": ("GET", "/regio/", {Role.REGIOCOORDINATOR}),
    # The regional overview and its exports: the regional coordinator only (counts, never names).
    "regio.needs": ("GET", "/regio/behoefte", {Role.REGIOCOORDINATOR}),
    "regio.items": ("GET", "/regio/behoefte/items", {Role.REGIOCOORDINATOR}),
    "regio.plan": ("GET", "/regio/scholingsplan", {Role.REGIOCOORDINATOR}),
    "regio.export_xlsx": ("GET", "/regio/scholingsplan.xlsx", {Role.REGIOCOORDINATOR}),
    "regio.export_csv": ("GET", "/regio/export/scholingsplan.csv", {Role.REGIOCOORDINATOR}),
    "regio.export_pdf": ("GET", "/regio/scholingsplan.pdf", {Role.REGIOCOORDINATOR}),
    "regio.trend": ("GET", "/regio/trends", {Role.REGIOCOORDINATOR}),
    # Periods and their publications: the coordinator adds and publishes; the administrator sees every
    # region's, read-only (a POST by the administrator changes nothing: test below).
    "regio.publications": ("GET POST", "/regio/publicaties", {Role.REGIOCOORDINATOR, Role.BEHEERDER}),
    "regio.publish_period": ("POST", "/regio/publicaties/{period}/publiceren", {Role.REGIOCOORDINATOR}),
    "beheer.index": ("GET", "/beheer/", {Role.BEHEERDER}),
    "beheer.kenniskaart": ("GET", "/beheer/kenniskaart", {Role.BEHEERDER}),
    "beheer.kenniskaart_upload": ("POST", "/beheer/kenniskaart", {Role.BEHEERDER}),
    "beheer.kenniskaart_publish": ("POST", "/beheer/kenniskaart/publiceren", {Role.BEHEERDER}),
    "beheer.kenniskaart_download": ("GET", "/beheer/kenniskaart/{kk_version}.case.json", {Role.BEHEERDER}),
    # Municipalities, teams and accounts: the administrator only. Changes hit a spare team and the
    # coordinator's account, so the rest of the matrix is unaffected.
    "beheer.organisation": ("GET", "/beheer/organisatie", {Role.BEHEERDER}),
    "beheer.municipality_new": ("GET POST", "/beheer/gemeenten/nieuw", {Role.BEHEERDER}),
    "beheer.municipality_edit": ("GET POST", "/beheer/gemeenten/{municipality}", {Role.BEHEERDER}),
    "beheer.municipality_archive": ("POST", "/beheer/gemeenten/{municipality}/archiveren", {Role.BEHEERDER}),
    "beheer.team_new": ("GET POST", "/beheer/teams/nieuw", {Role.BEHEERDER}),
    "beheer.team_edit": ("GET POST", "/beheer/teams/{spare_team}", {Role.BEHEERDER}),
    "beheer.team_archive": ("POST", "/beheer/teams/{spare_team}/archiveren", {Role.BEHEERDER}),
    "beheer.accounts": ("GET", "/beheer/accounts", {Role.BEHEERDER}),
    "beheer.account_new": ("GET POST", "/beheer/accounts/nieuw", {Role.BEHEERDER}),
    "beheer.account_edit": ("GET POST", "/beheer/accounts/{account}", {Role.BEHEERDER}),
    "beheer.account_password": ("POST", "/beheer/accounts/{account}/tijdelijk-wachtwoord", {Role.BEHEERDER}),
    "beheer.account_deactivate": ("POST", "/beheer/accounts/{account}/deactiveren", {Role.BEHEERDER}),
    "beheer.account_activate": ("POST", "/beheer/accounts/{account}/activeren", {Role.BEHEERDER}),
    "beheer.accounts_import": ("GET POST", "/beheer/accounts/import", {Role.BEHEERDER}),
    "beheer.accounts_import_template": ("GET", "/beheer/accounts/import/voorbeeld.csv", {Role.BEHEERDER}),
    "beheer.accounts_import_confirm": ("POST", "/beheer/accounts/import/bevestigen", {Role.BEHEERDER}),
    "beheer.account_erase": ("GET POST", "/beheer/accounts/{leaver}/wissen", {Role.BEHEERDER}),
    "audit.index": ("GET", "/beheer/logboek/", {Role.BEHEERDER}),
    "audit.export_csv": ("GET", "/beheer/logboek/export.csv", {Role.BEHEERDER}),
    "audit.export_xlsx": ("GET", "/beheer/logboek/export.xlsx", {Role.BEHEERDER}),
    # The training catalogue: the regional coordinator and the administrator.
    "catalogue.index": ("GET", "/catalogus/", CATALOGUE),
    "catalogue.new": ("GET POST", "/catalogus/nieuw", CATALOGUE),
    "catalogue.edit": ("GET POST", "/catalogus/{training}/wijzigen", CATALOGUE),
    "catalogue.activate": ("POST", "/catalogus/{training}/activeren", CATALOGUE),
    "catalogue.deactivate": ("POST", "/catalogus/{training}/deactiveren", CATALOGUE),
    "catalogue.export_csv": ("GET", "/catalogus/export.csv", CATALOGUE),
    "catalogue.export_xlsx": ("GET", "/catalogus/export.xlsx", CATALOGUE),
    "catalogue.import_file": ("GET POST", "/catalogus/import", CATALOGUE),
    "catalogue.confirm_import": ("POST", "/catalogus/import/bevestigen", CATALOGUE),
    # Reading the own region's active entries: professionals, team leaders and coordinators.
    "catalogue.browse": ("GET", "/catalogus/aanbod",
                         {Role.PROFESSIONAL, Role.TEAMLEIDER, Role.REGIOCOORDINATOR}),
    "static": ("GET", "/static/css/app.css", {ANON, *ALL_ROLES}),
    "assessment.overview": ("GET", "/scan", {Role.PROFESSIONAL}),
    "assessment.section": ("GET POST", "/scan/{round}/GC", {Role.PROFESSIONAL}),
    "assessment.submit": ("GET POST", "/scan/{round}/indienen", {Role.PROFESSIONAL}),
    "assessment.result": ("GET", "/mijn/resultaat/{round}", {Role.PROFESSIONAL}),
    "assessment.result_pdf": ("GET", "/mijn/resultaat/{round}/resultaat.pdf", {Role.PROFESSIONAL}),
    "assessment.latest_result": ("GET", "/mijn/resultaat", {Role.PROFESSIONAL}),
    "privacy.my_data": ("GET", "/mijn/gegevens", set(ALL_ROLES)),
    "privacy.my_data_json": ("GET", "/mijn/gegevens.json", set(ALL_ROLES)),
    "privacy.my_data_csv": ("GET", "/mijn/gegevens.csv", set(ALL_ROLES)),
    "assessment.new_round": ("GET POST", "/teams/{own_team}/rondes/nieuw", {Role.TEAMLEIDER, Role.BEHEERDER}),
    "assessment.round_status": ("GET", "/teams/{own_team}/rondes/{round}", {Role.TEAMLEIDER, Role.BEHEERDER}),
    "assessment.reopen": ("GET POST", "/scans/{scan}/heropenen", {Role.TEAMLEIDER}),
    "assessment.member_scan": ("GET", "/scans/{scan}/antwoorden", {Role.TEAMLEIDER}),
    "teamschouw.index": ("GET", f"{TS}/", {Role.TEAMLEIDER}),
    "teamschouw.matrix": ("GET", f"{TS}/matrix", {Role.TEAMLEIDER}),
    "teamschouw.matrix_xlsx": ("GET", f"{TS}/matrix.xlsx", {Role.TEAMLEIDER}),
    "teamschouw.coverage": ("GET", f"{TS}/dekking", {Role.TEAMLEIDER}),
    "teamschouw.norms": ("GET POST", f"{TS}/normen", {Role.TEAMLEIDER}),
    "teamschouw.report_pdf": ("GET", f"{TS}/rapport.pdf", {Role.TEAMLEIDER}),
    "teamschouw.calibration": ("GET", f"{TS}/kalibratie", {Role.TEAMLEIDER}),
    "teamschouw.calibrate": ("GET POST", f"{TS}/kalibratie/{{scan}}", {Role.TEAMLEIDER}),
    "teamschouw.priorities": ("GET", f"{TS}/prioriteiten", {Role.TEAMLEIDER}),
    "teamschouw.add_priority": ("POST", f"{TS}/prioriteiten/toevoegen", {Role.TEAMLEIDER}),
    "teamschouw.accept_suggestion": ("POST", f"{TS}/prioriteiten/overnemen", {Role.TEAMLEIDER}),
    "teamschouw.move_priority": ("POST", f"{TS}/prioriteiten/{{priority}}/verplaatsen", {Role.TEAMLEIDER}),
    "teamschouw.remove_priority": ("POST", f"{TS}/prioriteiten/{{priority}}/verwijderen", {Role.TEAMLEIDER}),
    "teamschouw.add_vraagbaak": ("POST", f"{TS}/afspraken/vraagbaak", {Role.TEAMLEIDER}),
    "teamschouw.add_grow": ("POST", f"{TS}/afspraken/groei", {Role.TEAMLEIDER}),
    "teamschouw.add_other": ("POST", f"{TS}/afspraken/overig", {Role.TEAMLEIDER}),
    "teamschouw.remove_agreement": ("POST", f"{TS}/afspraken/{{agreement}}/verwijderen", {Role.TEAMLEIDER}),
    "teamschouw.session": ("GET POST", f"{TS}/sessie", {Role.TEAMLEIDER}),
    "team_plan.mine": ("GET", "/mijn/team", {Role.PROFESSIONAL}),
    "team_plan.accept": ("POST", "/mijn/team/vraagbaak/{agreement}/accepteren", {Role.PROFESSIONAL}),
    "team_plan.decline": ("POST", "/mijn/team/vraagbaak/{agreement}/afwijzen", {Role.PROFESSIONAL}),
    # The POP: the professional and their own team leader; edits and progress by the owner only.
    "pop.mine": ("GET", "/mijn/pop", {Role.PROFESSIONAL}),
    "pop.start": ("POST", "/mijn/pop/starten", {Role.PROFESSIONAL}),
    "pop.detail": ("GET", "/pop/{pop}", {Role.PROFESSIONAL, Role.TEAMLEIDER}),
    "pop.pdf": ("GET", "/pop/{pop}/pop.pdf", {Role.PROFESSIONAL, Role.TEAMLEIDER}),
    "pop.team_overview": ("GET", "/teams/{own_team}/pops", {Role.TEAMLEIDER}),
    "pop.review": ("GET POST", "/pop/{pop}/beoordelen", {Role.TEAMLEIDER}),
    "pop.sign": ("GET POST", "/pop/{pop}/ondertekenen", {Role.PROFESSIONAL, Role.TEAMLEIDER}),
    "pop.edit_goal": ("GET POST", "/pop/{pop}/doelen/{goal}/wijzigen", {Role.PROFESSIONAL}),
    "pop.new_action": ("GET POST", "/pop/{pop}/doelen/{goal}/acties/nieuw", {Role.PROFESSIONAL}),
    "pop.edit_action": ("GET POST", "/pop/{pop}/acties/{action}/wijzigen", {Role.PROFESSIONAL}),
    "pop.progress": ("POST", "/pop/{pop}/acties/{action}/voortgang", {Role.PROFESSIONAL}),
    "pop.adopt": ("POST", "/pop/{pop}/voorgestelde-doelen/overnemen", {Role.PROFESSIONAL}),
    "pop.add_goal": ("POST", "/pop/{pop}/doelen", {Role.PROFESSIONAL}),
    # Removing and proposing change the plan, so they come last.
    "pop.remove_action": ("POST", "/pop/{pop}/acties/{action}/verwijderen", {Role.PROFESSIONAL}),
    "pop.remove_goal": ("POST", "/pop/{pop}/doelen/{goal}/verwijderen", {Role.PROFESSIONAL}),
    "pop.propose": ("POST", "/pop/{pop}/voorstellen", {Role.PROFESSIONAL}),
    "pop.new_version": ("POST", "/pop/{pop}/nieuwe-versie", {Role.PROFESSIONAL}),
}

# What a form POST by a role that may not use it sends: enough to change something if the check were
# missing. Values in braces come from the world. Endpoints not listed post only their CSRF token.
FORMS: dict[str, dict[str, str]] = {
    "auth.change_password": {"current_password": PASSWORD, "password": "een-heel-nieuw-wachtwoord-77",
                             "confirm": "een-heel-nieuw-wachtwoord-77"},
    "beheer.account_edit": {"full_name": "Gewijzigde Naam", "role": "beheerder"},
    "beheer.account_erase": {"confirm_username": "{leaver_name}"},
    "beheer.account_new": {"username": "nieuwaccount", "full_name": "Nieuw Account", "role": "beheerder"},
    "beheer.municipality_edit": {"region": "{region}", "code": "GMX", "name": "Andere gemeente"},
    "beheer.municipality_new": {"region": "{region}", "code": "GMNEW", "name": "Nieuwe gemeente"},
    "beheer.team_edit": {"municipality": "{municipality}", "code": "TX", "name": "Ander team"},
    "beheer.team_new": {"municipality": "{municipality}", "code": "TNEW", "name": "Nieuw team"},
    "regio.publications": {"name": "Nieuwe periode", "first_day": "{period_first}",
                           "last_day": "{period_last}"},
    "catalogue.edit": {"code": "TR01", "title": "Andere titel", "type": "e-learning",
                       "level": "specialistisch"},
    "catalogue.new": {"code": "TR99", "title": "Nieuwe training", "type": "e-learning",
                      "level": "specialistisch"},
    "pop.edit_action": {"type": "training", "description": "Andere activiteit"},
    "pop.new_action": {"type": "zelfstudie", "description": "Nieuwe activiteit"},
    "pop.edit_goal": {"item": "{gc01}", "description": "Ander doel"},
    "pop.add_goal": {"goal-item": "{gc01}", "goal-description": "Nog een doel"},
    "pop.review": {"decision": "send_back", "comment": "Graag aanpassen"},
    "pop.sign": {"password": PASSWORD},
    "assessment.section": {"level-GC01": "3", "ambition-GC01": "4", "lock_version": "{lock}",
                           "action": "save"},
    "assessment.reopen": {"reason": "Samen besproken"},
    "assessment.new_round": {"title": "Nieuwe ronde", "opens_on": "{later}", "closes_on": "{closes_on}"},
    "teamschouw.calibrate": {"agreed-GC01": "3", "note-GC01": "Afgesproken", "last_seen": "0"},
    "teamschouw.norms": {"norm-GC": "3"},
    "teamschouw.session": {"held_on": "{opens_on}", "notes": "Aantekening", "decisions": "Besluit"},
    "teamschouw.add_priority": {"priority-target": "item:{gc01}", "priority-reason": "Belangrijk"},
    "teamschouw.add_other": {"other-text": "Een afspraak"},
}


@dataclass(frozen=True)
class World:
    names: dict[Any, str]  # role -> username
    ids: dict[str, Any]  # what the path templates and FORMS need

    def url(self, endpoint: str) -> str:
        return MATRIX[endpoint][1].format(**self.ids)

    def form(self, endpoint: str) -> dict[str, str]:
        return {k: v.format(**self.ids) for k, v in FORMS.get(endpoint, {}).items()}


def build_world(app: Flask) -> World:
    """One team with a user of every role, a submitted scan, a priority, a vraagbaak request, a POP with a
    goal and an action, a catalogue entry, a spare team and a municipality, and a published period of the
    coordinator's region (the regional pages and exports show a publication): every path in MATRIX
    resolves."""
    with app.app_context():
        team = make_team()
        users = {
            Role.PROFESSIONAL: make_user(Role.PROFESSIONAL, team=team),
            Role.TEAMLEIDER: make_user(Role.TEAMLEIDER, teams=[team]),
            Role.REGIOCOORDINATOR: make_user(Role.REGIOCOORDINATOR),
            Role.BEHEERDER: make_user(Role.BEHEERDER),
        }
        names: dict[Any, str] = {role: user.username for role, user in users.items()}
        scan_round = make_round(team)
        scan = make_scan(scan_round, users[Role.PROFESSIONAL], {"GC01": (2, 3)}, submitted=True)
        first_section = scan_round.version.sections[0]
        priority = TeamPriority(round_id=scan_round.id, section_id=first_section.id, reason="x")
        agreement = Agreement(round_id=scan_round.id, kind="vraagbaak", member_id=users[Role.PROFESSIONAL].id,
                              section_id=first_section.id, consent="pending")
        db.session.add_all([priority, agreement])
        gc01 = next(i for i in first_section.items if i.code == "GC01")
        pop = Pop(round=scan_round, user=users[Role.PROFESSIONAL])
        # Version 1 signed (so progress may be recorded), version 2 a re-plan in draft (so it may be edited).
        signed = PopVersion(pop=pop, number=1, status=PopStatus.SIGNED, professional_signed_at=utcnow(),
                            leader_signed_at=utcnow(), leader_signed_by=users[Role.TEAMLEIDER])
        version = PopVersion(pop=pop, number=2)
        goal = PopGoal(version=version, item=gc01, description="Beter contact")
        action = PopAction(goal=goal, type="zelfstudie", description="Boek lezen")
        # In the coordinator's region: the catalogue is per region (another region's entry is 404).
        training = Training(region_id=users[Role.REGIOCOORDINATOR].region_id, code="TR01",
                            title="Motiverende gespreksvoering", type="training")
        db.session.add_all([pop, signed, version, goal, action, training])
        db.session.commit()
        period = periods.add(users[Role.REGIOCOORDINATOR].region_id, "voorjaar",
                             today() - timedelta(days=120), today() - timedelta(days=60))
        publish.publish(period, None, today())
        db.session.commit()
        ids: dict[str, Any] = {
            "own_team": team.id, "round": scan_round.id, "scan": scan.id, "priority": priority.id,
            "agreement": agreement.id, "pop": pop.id, "goal": goal.id, "action": action.id,
            "training": training.id, "municipality": team.municipality_id,
            "region": team.municipality.region_id, "account": users[Role.REGIOCOORDINATOR].id,
            "spare_team": make_team(team.municipality).id, "leaver": users[Role.PROFESSIONAL].id,
            "leaver_name": users[Role.PROFESSIONAL].username, "kk_version": scan_round.version_id,
            "gc01": gc01.id, "lock": scan.lock_version, "opens_on": today().isoformat(),
            "later": (today() + timedelta(days=60)).isoformat(),
            "closes_on": (today() + timedelta(days=90)).isoformat(),
            "period": period.id, "period_first": (today() - timedelta(days=30)).isoformat(),
            "period_last": (today() - timedelta(days=20)).isoformat(),
        }
        db.session.commit()
    return World(names, ids)


def methods_of(endpoint: str) -> list[str]:
    return MATRIX[endpoint][0].split()


def _pairs_in_url_map(app: Flask) -> dict[tuple[str, str], str]:
    return {
        (rule.endpoint, method): f"{method} {rule.rule} ({rule.endpoint})"
        for rule in app.url_map.iter_rules()
        for method in sorted((rule.methods or set()) - IGNORED_METHODS)
    }


def test_every_rule_and_method_is_in_the_matrix(app):
    in_map = _pairs_in_url_map(app)
    listed = {(endpoint, method) for endpoint in MATRIX for method in methods_of(endpoint)}
    missing = sorted(text for pair, text in in_map.items() if pair not in listed)
    assert not missing, "add these routes to MATRIX with who may use them: " + "; ".join(missing)
    stale = sorted(f"{method} {endpoint}" for endpoint, method in listed - in_map.keys())
    assert not stale, "MATRIX lists routes the app no longer has: " + "; ".join(stale)


def test_the_matrix_check_names_a_forgotten_route(app):
    """The check above must fail, naming the rule and the method, when a route is missing."""
    extra = Flask("probe")
    extra.url_map = app.url_map.__class__([rule.empty() for rule in app.url_map.iter_rules()])
    extra.add_url_rule("/nieuw-en-vergeten", "probe.forgotten", lambda: "", methods=["GET", "POST"])
    with pytest.raises(AssertionError, match=r"POST /nieuw-en-vergeten \(probe\.forgotten\)"):
        test_every_rule_and_method_is_in_the_matrix(extra)


def _check(endpoint: str, method: str, who: Any, response: Any) -> None:
    allowed = MATRIX[endpoint][2]
    where = (method, endpoint, str(who), response.status_code)
    if who in allowed:
        assert response.status_code in (200, 302, 409, 422), where
        if response.status_code == 302:
            assert "/inloggen?next" not in response.headers["Location"], where
    elif who == ANON:
        assert response.status_code == 302, where
        assert response.headers["Location"].startswith("/inloggen?next="), where
    else:
        assert response.status_code == 403, where
        assert "Geen toegang" in response.get_data(as_text=True), where


@pytest.mark.parametrize("who", [ANON, *ALL_ROLES], ids=lambda w: str(w))
def test_route_matrix(app, who):
    world = build_world(app)
    client = app.test_client()

    def start() -> str:
        if who != ANON:
            assert login(client, world.names[who]).status_code == 302
        # The CSRF token belongs to the session: take it from a page this visitor can open.
        return client.csrf_token("/inloggen" if who == ANON else "/account/wachtwoord")

    token = start()
    state = None  # the database as it was after the last refused POST (a refusal changes nothing)
    for endpoint, (methods, _path, allowed) in MATRIX.items():
        url = world.url(endpoint)
        for method in methods.split():
            if method == "GET":
                _check(endpoint, method, who, client.get(url))
                state = None  # an export, for one, is recorded in the audit log
                continue
            if who in allowed:
                # Only the token: a page's own form posted empty gets an answer (often its errors), never a
                # refusal or an error; a button does what it does, in the order of MATRIX.
                response = client.post(url, data={"csrf_token": token})
                _check(endpoint, method, who, response)
                if endpoint == "auth.logout":
                    token = start()
                state = None
                continue
            if state is None:
                with app.app_context():
                    state = db_state()
            response = client.post(url, data={"csrf_token": token, **world.form(endpoint)})
            _check(endpoint, method, who, response)
            with app.app_context():
                after = db_state()
            assert not changed(state, after), (endpoint, str(who), changed(state, after))


def test_a_coordinator_cannot_reach_another_regions_catalogue_entry(app, client):
    """Not 403 but 404, as for an entry that does not exist: the answer does not confirm that it exists."""
    with app.app_context():
        own, other = make_user(Role.REGIOCOORDINATOR), make_user(Role.REGIOCOORDINATOR)
        theirs = Training(region_id=other.region_id, code="TR01", title="Elders", type="training")
        db.session.add(theirs)
        db.session.commit()
        username, theirs_id = own.username, theirs.id
    login(client, username)
    token = client.csrf_token("/catalogus/")
    assert client.get(f"/catalogus/{theirs_id}/wijzigen").status_code == 404
    for action in ("wijzigen", "activeren", "deactiveren"):
        response = client.post(f"/catalogus/{theirs_id}/{action}", data={"csrf_token": token, "title": "x"})
        assert response.status_code == 404, action
    with app.app_context():
        after = db.session.get(Training, theirs_id)
        assert (after.title, after.active) == ("Elders", True)


def _publications(app: Flask) -> list[tuple[str, int]]:
    with app.app_context():
        return sorted((p.period.name, p.number) for p in db.session.query(Publication))


def test_the_administrator_sees_every_regions_publications_and_changes_nothing(app, client):
    with app.app_context():
        admin = make_user(Role.BEHEERDER)
        for name in ("Regio Noord", "Regio Zuid"):
            region = make_region(name=name)
            period = periods.add(region.id, f"najaar {name}", today() - timedelta(days=90),
                                 today() - timedelta(days=60))
            publish.publish(period, None, today())
        db.session.commit()
        username = admin.username
    before = _publications(app)
    login(client, username)
    page = client.get("/regio/publicaties").get_data(as_text=True)
    for name in ("Regio Noord", "Regio Zuid"):
        assert name in page and f"najaar {name}" in page
    # Read-only: no form to add a period, no button to publish (a correction).
    assert 'name="first_day"' not in page and "/publiceren" not in page
    token = client.csrf_token("/account/wachtwoord")
    form = {"csrf_token": token, "name": "Door de beheerder", "first_day": today().isoformat(),
            "last_day": today().isoformat()}
    assert client.post("/regio/publicaties", data=form).status_code == 200
    with app.app_context():
        assert not db.session.query(Period).filter_by(name="Door de beheerder").count()
        theirs = db.session.query(Period).filter_by(name="najaar Regio Noord").one().id
    response = client.post(f"/regio/publicaties/{theirs}/publiceren", data={"csrf_token": token})
    assert response.status_code == 403
    assert _publications(app) == before


def test_a_coordinator_cannot_see_or_publish_another_regions_period(app, client):
    """Not 403 but 404, as for a period that does not exist: the answer does not confirm that it exists."""
    with app.app_context():
        own, other = make_user(Role.REGIOCOORDINATOR), make_user(Role.REGIOCOORDINATOR)
        theirs = periods.add(other.region_id, "najaar elders", today() - timedelta(days=90),
                             today() - timedelta(days=60))
        db.session.commit()
        username, theirs_id = own.username, theirs.id
    login(client, username)
    assert "najaar elders" not in client.get("/regio/publicaties").get_data(as_text=True)
    token = client.csrf_token("/regio/publicaties")
    for period_id in (theirs_id, 999999):
        response = client.post(f"/regio/publicaties/{period_id}/publiceren", data={"csrf_token": token})
        assert response.status_code == 404, period_id
    assert _publications(app) == []


def test_a_team_leader_cannot_open_another_team(app, client):
    with app.app_context():
        own, other = make_team(), make_team()
        leader = make_user(Role.TEAMLEIDER, teams=[own])
        db.session.commit()
        username, own_id, other_id = leader.username, own.id, other.id
    login(client, username)
    assert client.get(f"/teams/{own_id}").status_code == 200
    assert client.get(f"/teams/{other_id}").status_code == 403
    assert client.get("/teams/999999").status_code == 404
