"""Every registered route, requested as each role and anonymously.

The matrix is checked against the URL map, so a new route that is not listed here fails the test.
"""

import pytest

from scan.access import Role
from scan.extensions import db
from scan.pop.models import Pop, PopAction, PopGoal, PopVersion, Training
from scan.teamschouw.models import Agreement, TeamPriority
from tests.factories import login, make_round, make_scan, make_team, make_user

ANON = "anonymous"
ALL_ROLES = (Role.PROFESSIONAL, Role.TEAMLEIDER, Role.REGIOCOORDINATOR, Role.BEHEERDER)

TS = "/teams/{own_team}/rondes/{round}/teamschouw"
CATALOGUE = {Role.REGIOCOORDINATOR, Role.BEHEERDER}

# endpoint -> (method, path template, who gets a normal answer). Everyone else: 403, anonymous: to login.
MATRIX = {
    "core.healthz": ("GET", "/healthz", {ANON, *ALL_ROLES}),
    "core.index": ("GET", "/", {ANON, *ALL_ROLES}),
    "core.set_language": ("POST", "/taal", {ANON, *ALL_ROLES}),
    "auth.login": ("GET", "/inloggen", {ANON, *ALL_ROLES}),
    "auth.logout": ("POST", "/uitloggen", set(ALL_ROLES)),
    "auth.change_password": ("GET", "/account/wachtwoord", set(ALL_ROLES)),
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
    "beheer.index": ("GET", "/beheer/", {Role.BEHEERDER}),
    "beheer.kenniskaart": ("GET", "/beheer/kenniskaart", {Role.BEHEERDER}),
    "beheer.kenniskaart_upload": ("POST", "/beheer/kenniskaart", {Role.BEHEERDER}),
    "beheer.kenniskaart_publish": ("POST", "/beheer/kenniskaart/publiceren", {Role.BEHEERDER}),
    "beheer.kenniskaart_download": ("GET", "/beheer/kenniskaart/{kk_version}.case.json", {Role.BEHEERDER}),
    # Municipalities, teams and accounts: the administrator only. Changes hit a spare team and the
    # coordinator's account, so the rest of the matrix is unaffected.
    "beheer.organisation": ("GET", "/beheer/organisatie", {Role.BEHEERDER}),
    "beheer.municipality_new": ("GET", "/beheer/gemeenten/nieuw", {Role.BEHEERDER}),
    "beheer.municipality_edit": ("GET", "/beheer/gemeenten/{municipality}", {Role.BEHEERDER}),
    "beheer.municipality_archive": ("POST", "/beheer/gemeenten/{municipality}/archiveren", {Role.BEHEERDER}),
    "beheer.team_new": ("GET", "/beheer/teams/nieuw", {Role.BEHEERDER}),
    "beheer.team_edit": ("GET", "/beheer/teams/{spare_team}", {Role.BEHEERDER}),
    "beheer.team_archive": ("POST", "/beheer/teams/{spare_team}/archiveren", {Role.BEHEERDER}),
    "beheer.accounts": ("GET", "/beheer/accounts", {Role.BEHEERDER}),
    "beheer.account_new": ("GET", "/beheer/accounts/nieuw", {Role.BEHEERDER}),
    "beheer.account_edit": ("GET", "/beheer/accounts/{account}", {Role.BEHEERDER}),
    "beheer.account_password": ("POST", "/beheer/accounts/{account}/tijdelijk-wachtwoord", {Role.BEHEERDER}),
    "beheer.account_deactivate": ("POST", "/beheer/accounts/{account}/deactiveren", {Role.BEHEERDER}),
    "beheer.account_activate": ("POST", "/beheer/accounts/{account}/activeren", {Role.BEHEERDER}),
    "beheer.accounts_import": ("GET", "/beheer/accounts/import", {Role.BEHEERDER}),
    "beheer.accounts_import_confirm": ("POST", "/beheer/accounts/import/bevestigen", {Role.BEHEERDER}),
    "beheer.account_erase": ("GET", "/beheer/accounts/{leaver}/wissen", {Role.BEHEERDER}),
    "audit.index": ("GET", "/beheer/logboek/", {Role.BEHEERDER}),
    "audit.export_csv": ("GET", "/beheer/logboek/export.csv", {Role.BEHEERDER}),
    "audit.export_xlsx": ("GET", "/beheer/logboek/export.xlsx", {Role.BEHEERDER}),
    # The training catalogue: the regional coordinator and the administrator.
    "catalogue.index": ("GET", "/catalogus/", CATALOGUE),
    "catalogue.new": ("GET", "/catalogus/nieuw", CATALOGUE),
    "catalogue.edit": ("GET", "/catalogus/{training}/wijzigen", CATALOGUE),
    "catalogue.activate": ("POST", "/catalogus/{training}/activeren", CATALOGUE),
    "catalogue.deactivate": ("POST", "/catalogus/{training}/deactiveren", CATALOGUE),
    "catalogue.export_csv": ("GET", "/catalogus/export.csv", CATALOGUE),
    "catalogue.export_xlsx": ("GET", "/catalogus/export.xlsx", CATALOGUE),
    "catalogue.import_file": ("GET", "/catalogus/import", CATALOGUE),
    "catalogue.confirm_import": ("POST", "/catalogus/import/bevestigen", CATALOGUE),
    "static": ("GET", "/static/css/app.css", {ANON, *ALL_ROLES}),
    "assessment.overview": ("GET", "/scan", {Role.PROFESSIONAL}),
    "assessment.section": ("GET", "/scan/{round}/GC", {Role.PROFESSIONAL}),
    "assessment.submit": ("GET", "/scan/{round}/indienen", {Role.PROFESSIONAL}),
    "assessment.result": ("GET", "/mijn/resultaat/{round}", {Role.PROFESSIONAL}),
    "assessment.latest_result": ("GET", "/mijn/resultaat", {Role.PROFESSIONAL}),
    "assessment.my_data": ("GET", "/mijn/gegevens", set(ALL_ROLES)),
    "assessment.my_data_json": ("GET", "/mijn/gegevens.json", set(ALL_ROLES)),
    "assessment.my_data_csv": ("GET", "/mijn/gegevens.csv", set(ALL_ROLES)),
    "assessment.new_round": ("GET", "/teams/{own_team}/rondes/nieuw", {Role.TEAMLEIDER, Role.BEHEERDER}),
    "assessment.round_status": ("GET", "/teams/{own_team}/rondes/{round}", {Role.TEAMLEIDER, Role.BEHEERDER}),
    "assessment.reopen": ("GET", "/scans/{scan}/heropenen", {Role.TEAMLEIDER}),
    "teamschouw.index": ("GET", f"{TS}/", {Role.TEAMLEIDER}),
    "teamschouw.matrix": ("GET", f"{TS}/matrix", {Role.TEAMLEIDER}),
    "teamschouw.coverage": ("GET", f"{TS}/dekking", {Role.TEAMLEIDER}),
    "teamschouw.norms": ("GET", f"{TS}/normen", {Role.TEAMLEIDER}),
    "teamschouw.report_pdf": ("GET", f"{TS}/rapport.pdf", {Role.TEAMLEIDER}),
    "teamschouw.calibration": ("GET", f"{TS}/kalibratie", {Role.TEAMLEIDER}),
    "teamschouw.calibrate": ("GET", f"{TS}/kalibratie/{{scan}}", {Role.TEAMLEIDER}),
    "teamschouw.priorities": ("GET", f"{TS}/prioriteiten", {Role.TEAMLEIDER}),
    "teamschouw.add_priority": ("POST", f"{TS}/prioriteiten/toevoegen", {Role.TEAMLEIDER}),
    "teamschouw.accept_suggestion": ("POST", f"{TS}/prioriteiten/overnemen", {Role.TEAMLEIDER}),
    "teamschouw.move_priority": ("POST", f"{TS}/prioriteiten/{{priority}}/verplaatsen", {Role.TEAMLEIDER}),
    "teamschouw.remove_priority": ("POST", f"{TS}/prioriteiten/{{priority}}/verwijderen", {Role.TEAMLEIDER}),
    "teamschouw.add_vraagbaak": ("POST", f"{TS}/afspraken/vraagbaak", {Role.TEAMLEIDER}),
    "teamschouw.add_grow": ("POST", f"{TS}/afspraken/groei", {Role.TEAMLEIDER}),
    "teamschouw.add_other": ("POST", f"{TS}/afspraken/overig", {Role.TEAMLEIDER}),
    "teamschouw.remove_agreement": ("POST", f"{TS}/afspraken/{{agreement}}/verwijderen", {Role.TEAMLEIDER}),
    "teamschouw.session": ("GET", f"{TS}/sessie", {Role.TEAMLEIDER}),
    "team_plan.mine": ("GET", "/mijn/team", {Role.PROFESSIONAL}),
    "team_plan.accept": ("POST", "/mijn/team/vraagbaak/{agreement}/accepteren", {Role.PROFESSIONAL}),
    "team_plan.decline": ("POST", "/mijn/team/vraagbaak/{agreement}/afwijzen", {Role.PROFESSIONAL}),
    # The POP: the professional and their own team leader; edits and progress by the owner only.
    "pop.mine": ("GET", "/mijn/pop", {Role.PROFESSIONAL}),
    "pop.start": ("POST", "/mijn/pop/starten", {Role.PROFESSIONAL}),
    "pop.detail": ("GET", "/pop/{pop}", {Role.PROFESSIONAL, Role.TEAMLEIDER}),
    "pop.pdf": ("GET", "/pop/{pop}/pop.pdf", {Role.PROFESSIONAL, Role.TEAMLEIDER}),
    "pop.team_overview": ("GET", "/teams/{own_team}/pops", {Role.TEAMLEIDER}),
    "pop.review": ("GET", "/pop/{pop}/beoordelen", {Role.TEAMLEIDER}),
    "pop.sign": ("GET", "/pop/{pop}/ondertekenen", {Role.PROFESSIONAL, Role.TEAMLEIDER}),
    "pop.edit_goal": ("GET", "/pop/{pop}/doelen/{goal}/wijzigen", {Role.PROFESSIONAL}),
    "pop.new_action": ("GET", "/pop/{pop}/doelen/{goal}/acties/nieuw", {Role.PROFESSIONAL}),
    "pop.edit_action": ("GET", "/pop/{pop}/acties/{action}/wijzigen", {Role.PROFESSIONAL}),
    "pop.progress": ("POST", "/pop/{pop}/acties/{action}/voortgang", {Role.PROFESSIONAL}),
    "pop.adopt": ("POST", "/pop/{pop}/voorgestelde-doelen/overnemen", {Role.PROFESSIONAL}),
    "pop.add_goal": ("POST", "/pop/{pop}/doelen", {Role.PROFESSIONAL}),
    # Removing and proposing change the plan, so they come last.
    "pop.remove_action": ("POST", "/pop/{pop}/acties/{action}/verwijderen", {Role.PROFESSIONAL}),
    "pop.remove_goal": ("POST", "/pop/{pop}/doelen/{goal}/verwijderen", {Role.PROFESSIONAL}),
    "pop.propose": ("POST", "/pop/{pop}/voorstellen", {Role.PROFESSIONAL}),
    "pop.new_version": ("POST", "/pop/{pop}/nieuwe-versie", {Role.PROFESSIONAL}),
}


def test_every_route_is_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints == set(MATRIX), "add new routes to MATRIX with who may use them"


@pytest.mark.parametrize("who", [ANON, *ALL_ROLES], ids=lambda w: str(w))
def test_route_matrix(app, who):
    with app.app_context():
        team = make_team()
        users = {
            Role.PROFESSIONAL: make_user(Role.PROFESSIONAL, team=team),
            Role.TEAMLEIDER: make_user(Role.TEAMLEIDER, teams=[team]),
            Role.REGIOCOORDINATOR: make_user(Role.REGIOCOORDINATOR),
            Role.BEHEERDER: make_user(Role.BEHEERDER),
        }
        names = {role: user.username for role, user in users.items()}
        scan_round = make_round(team)
        scan = make_scan(scan_round, users[Role.PROFESSIONAL], {"GC01": (2, 3)}, submitted=True)
        first_section = scan_round.version.sections[0].id
        priority = TeamPriority(round_id=scan_round.id, section_id=first_section, reason="x")
        agreement = Agreement(round_id=scan_round.id, kind="vraagbaak", member_id=users[Role.PROFESSIONAL].id,
                              section_id=scan_round.version.sections[0].id, consent="pending")
        db.session.add_all([priority, agreement])
        gc01 = next(i for i in scan_round.version.sections[0].items if i.code == "GC01")
        pop = Pop(round=scan_round, user=users[Role.PROFESSIONAL])
        version = PopVersion(pop=pop, number=1)
        goal = PopGoal(version=version, item=gc01, description="Beter contact")
        action = PopAction(goal=goal, type="zelfstudie", description="Boek lezen")
        training = Training(code="TR01", title="Motiverende gespreksvoering", type="training")
        db.session.add_all([pop, version, goal, action, training])
        db.session.commit()
        ids = {"own_team": team.id, "round": scan_round.id, "scan": scan.id, "priority": priority.id,
               "agreement": agreement.id, "pop": pop.id, "goal": goal.id, "action": action.id,
               "training": training.id}
        ids["municipality"] = team.municipality_id
        ids["account"] = users[Role.REGIOCOORDINATOR].id
        ids["spare_team"] = make_team(team.municipality).id
        db.session.commit()
        ids["leaver"] = users[Role.PROFESSIONAL].id
        ids["kk_version"] = scan_round.version_id
    for endpoint, (method, path, allowed) in MATRIX.items():
        client = app.test_client()
        if who != ANON:
            assert login(client, names[who]).status_code == 302
        url = path.format(**ids)
        if method == "POST":
            response = client.submit(url, page="/inloggen" if who == ANON else "/account/wachtwoord")
        else:
            response = client.get(url)
        if who in allowed:
            assert response.status_code in (200, 302, 422), (endpoint, who, response.status_code)
            if response.status_code == 302:
                assert "/inloggen?next" not in response.headers["Location"], (endpoint, who)
        elif who == ANON:
            assert response.status_code == 302, (endpoint, who)
            assert response.headers["Location"].startswith("/inloggen?next="), (endpoint, who)
        else:
            assert response.status_code == 403, (endpoint, who, response.status_code)
            assert "Geen toegang" in response.get_data(as_text=True)


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
