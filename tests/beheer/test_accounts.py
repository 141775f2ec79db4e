"""Accounts as the administrator manages them: services without HTTP, then the pages."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from sqlalchemy import func, select

from scan.access import Role
from scan.audit import actions
from scan.audit.models import AuditEvent
from scan.auth import accounts, sessions
from scan.auth.models import User, UserSession
from scan.auth.passwords import password_problem, verify_password
from scan.beheer.accounts import services
from scan.core.rules import RuleError
from scan.extensions import db
from scan.pop.models import Pop
from tests.factories import login, make_region, make_round, make_scan, make_team, make_user

PASSWORD_RE = re.compile(r'id="temporary-password">([^<]+)<')


def _audit(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


# --- services, without HTTP -----------------------------------------------------------------------


def test_generated_passwords_are_readable_and_accepted(app_ctx: Any) -> None:
    seen = {accounts.generate_password() for _ in range(20)}
    assert len(seen) == 20
    for p in seen:
        assert re.fullmatch(r"[a-z2-9]{4}(-[a-z2-9]{4}){3}", p) and not set(p) & set("01lio")


def test_create_an_account_with_a_temporary_password(app_ctx: Any) -> None:
    team = make_team()
    data = accounts.AccountData("Sanne Bakker", "professional", team=team)
    user, password = accounts.create_account(" S.Bakker ", data)
    assert user.username == "s.bakker" and user.team_id == team.id and user.must_change_password
    assert password and password_problem(password) is None and verify_password(user.password_hash, password)
    assert [e.object_id for e in _audit(actions.ACCOUNT_CREATE)] == [str(user.id)]
    with pytest.raises(RuleError) as error:
        accounts.create_account("s.bakker", accounts.AccountData("Dubbel", "professional", team=team))
    assert error.value.field == "username"
    with pytest.raises(RuleError) as error:
        accounts.create_account("x.teamloos", accounts.AccountData("X", "professional"))
    assert error.value.field == "team"


def test_roles_need_their_team_or_region(app_ctx: Any) -> None:
    assert accounts.check_data(accounts.AccountData("A", "teamleider"))[0][0] == "led_teams"
    assert accounts.check_data(accounts.AccountData("A", "regiocoordinator"))[0][0] == "region"
    assert accounts.check_data(accounts.AccountData("A", "nonsense"))[0][0] == "role"
    assert accounts.check_data(accounts.AccountData("A", "beheerder")) == []


def test_a_professional_changing_team_keeps_scans_and_pops(app_ctx: Any) -> None:
    old, new = make_team(), make_team()
    admin = make_user(Role.BEHEERDER)
    pro = make_user(Role.PROFESSIONAL, team=old)
    scan_round = make_round(old)
    scan = make_scan(scan_round, pro, {"GC01": (2, 3)}, submitted=True)
    pop = Pop(round=scan_round, user=pro)
    db.session.add(pop)
    db.session.flush()
    data = accounts.AccountData(pro.full_name, "professional", team=new)
    changed = accounts.update_account(pro, data, admin)
    assert changed == ["team"] and pro.team_id == new.id
    db.session.expire_all()
    assert scan.user_id == pro.id and scan.round.team_id == old.id
    assert pop.user_id == pro.id and pop.round.team_id == old.id
    assert json.loads(_audit(actions.ACCOUNT_UPDATE)[0].detail) == {"fields": ["team"]}


def test_role_change_moves_team_to_teams_led(app_ctx: Any) -> None:
    t1, t2 = make_team(), make_team()
    admin = make_user(Role.BEHEERDER)
    user = make_user(Role.PROFESSIONAL, team=t1)
    changed = accounts.update_account(user, accounts.AccountData(user.full_name, "teamleider",
                                                                 led_teams=[t1, t2]), admin)
    assert set(changed) == {"role", "team", "teams led"}
    assert user.team_id is None and {t.id for t in user.led_teams} == {t1.id, t2.id}
    region = make_region()
    data = accounts.AccountData(user.full_name, "regiocoordinator", region=region)
    accounts.update_account(user, data, admin)
    assert user.led_teams == [] and user.region_id == region.id
    assert len(_audit(actions.ACCOUNT_UPDATE)) == 2
    assert accounts.update_account(user, accounts.AccountData(user.full_name, "regiocoordinator",
                                                              region=region), admin) == []
    assert len(_audit(actions.ACCOUNT_UPDATE)) == 2


def test_the_administrator_cannot_demote_or_deactivate_themself(app_ctx: Any) -> None:
    admin = make_user(Role.BEHEERDER)
    with pytest.raises(RuleError) as error:
        accounts.update_account(admin, accounts.AccountData("Ik", "professional", team=make_team()), admin)
    assert error.value.field == "role"
    with pytest.raises(RuleError):
        services.deactivate_account(admin, admin)
    assert admin.role == "beheerder" and admin.active
    assert _audit(actions.ACCOUNT_UPDATE) == [] and _audit(actions.ACCOUNT_DEACTIVATE) == []


def test_deactivation_ends_sessions_and_reactivation(app_ctx: Any) -> None:
    admin, user = make_user(Role.BEHEERDER), make_user()
    token = sessions.start_session(user, "127.0.0.1")
    services.deactivate_account(user, admin)
    assert not user.active and sessions.user_for_token(token) is None
    with pytest.raises(RuleError):
        services.deactivate_account(user, admin)
    services.activate_account(user)
    assert user.active
    assert len(_audit(actions.ACCOUNT_DEACTIVATE)) == 1 and len(_audit(actions.ACCOUNT_ACTIVATE)) == 1


def test_temporary_password(app_ctx: Any) -> None:
    user = make_user()
    token = sessions.start_session(user, "127.0.0.1")
    password = services.give_temporary_password(user)
    assert verify_password(user.password_hash, password) and user.must_change_password
    assert sessions.user_for_token(token) is None
    assert len(_audit(actions.ACCOUNT_TEMPORARY_PASSWORD)) == 1


# --- the pages ------------------------------------------------------------------------------------


@pytest.fixture
def world(app: Any) -> dict[str, Any]:
    with app.app_context():
        region = make_region(code="LW", name="Regio Lindewaard")
        from tests.factories import make_municipality

        m = make_municipality(region, name="Lindewaard")
        centrum = make_team(m, name="Wijkteam Centrum", code="LW-CENTRUM")
        noord = make_team(m, name="Wijkteam Noord", code="LW-NOORD")
        admin = make_user(Role.BEHEERDER, username="beheer", full_name="Bea Beheer")
        pro = make_user(Role.PROFESSIONAL, team=centrum, username="s.bakker", full_name="Sanne Bakker")
        make_user(Role.TEAMLEIDER, teams=[centrum, noord], username="k.devries", full_name="Karin de Vries")
        db.session.commit()
        return {"admin": admin.username, "admin_id": admin.id, "pro": pro.id, "centrum": centrum.id,
                "noord": noord.id, "region": region.id}


@pytest.fixture
def admin(client: Any, world: dict[str, Any]) -> Any:
    login(client, world["admin"])
    return client


def test_list_with_filters_and_search(admin: Any, world: dict[str, Any]) -> None:
    page = admin.get("/beheer/accounts").get_data(as_text=True)
    assert "Sanne Bakker" in page and "Karin de Vries" in page and "Bea Beheer" in page
    page = admin.get("/beheer/accounts?role=professional").get_data(as_text=True)
    assert "Sanne Bakker" in page and "Karin de Vries" not in page
    # The team by its code or part of its name (a text field: no list of every team in the region).
    page = admin.get("/beheer/accounts?team=lw-noord").get_data(as_text=True)
    assert "Karin de Vries" in page and "Sanne Bakker" not in page
    page = admin.get("/beheer/accounts?team=centrum").get_data(as_text=True)
    assert "Karin de Vries" in page and "Sanne Bakker" in page and ">Bea Beheer</a>" not in page
    page = admin.get("/beheer/accounts?team=centrum&role=professional").get_data(as_text=True)
    assert "Sanne Bakker" in page and "Karin de Vries" not in page
    page = admin.get("/beheer/accounts?team=%25").get_data(as_text=True)
    assert "Geen accounts gevonden." in page  # "%" is a character, not a wildcard
    assert "Wijkteam Noord" not in admin.get("/beheer/accounts?q=bea").get_data(as_text=True)
    page = admin.get("/beheer/accounts?q=BAKK").get_data(as_text=True)
    assert "Sanne Bakker" in page and "Karin de Vries" not in page
    page = admin.get("/beheer/accounts?active=no").get_data(as_text=True)
    assert "Sanne Bakker" not in page


def test_the_list_runs_a_fixed_number_of_queries(app: Any, admin: Any, world: dict[str, Any],
                                                  count_queries: Any) -> None:
    admin.get("/beheer/accounts")
    start = count_queries.count
    admin.get("/beheer/accounts")
    few = count_queries.count - start
    with app.app_context():
        for _ in range(30):  # thirty more teams too: the page lists none of them
            team = make_team()
            make_user(Role.PROFESSIONAL, team=team)
            make_user(Role.TEAMLEIDER, teams=[team])
        db.session.commit()
    start = count_queries.count
    page = admin.get("/beheer/accounts").get_data(as_text=True)
    assert count_queries.count - start == few
    assert "pagina=2" in page


def test_create_an_account_shows_the_password_once(app: Any, admin: Any, world: dict[str, Any]) -> None:
    response = admin.submit("/beheer/accounts/nieuw", {"username": "J.Jansen", "full_name": "Jan Jansen",
                                                       "role": "professional", "team": world["centrum"]})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    password = PASSWORD_RE.search(response.get_data(as_text=True)).group(1)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "j.jansen"))
        assert user.team_id == world["centrum"] and user.must_change_password
        assert verify_password(user.password_hash, password)
        assert len(_audit(actions.ACCOUNT_CREATE)) == 1
    # The owner logs in with it and is sent to change it.
    other = app.test_client()
    response = login(other, "j.jansen", password)
    assert response.status_code == 302 and "/account/wachtwoord" in response.headers["Location"]


def test_a_wrong_account_form_keeps_what_was_typed(app: Any, admin: Any, world: dict[str, Any]) -> None:
    response = admin.submit("/beheer/accounts/nieuw", {"username": "s.bakker", "full_name": "Nog een Sanne",
                                                       "role": "teamleider"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "app-error-summary" in page
    assert 'href="#username"' in page and 'href="#led_teams"' in page
    assert 'value="Nog een Sanne"' in page
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 3
        assert _audit(actions.ACCOUNT_CREATE) == []


def test_edit_role_and_team_through_the_page(app: Any, admin: Any, world: dict[str, Any]) -> None:
    url = f"/beheer/accounts/{world['pro']}"
    page = admin.get(url).get_data(as_text=True)
    assert 'value="Sanne Bakker"' in page
    form = {"full_name": "Sanne Bakker", "role": "professional", "team": world["noord"]}
    response = admin.submit(url, form)
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, world["pro"]).team_id == world["noord"]
        assert len(_audit(actions.ACCOUNT_UPDATE)) == 1


def test_the_administrator_cannot_demote_themself_through_the_page(app: Any, admin: Any,
                                                                   world: dict[str, Any]) -> None:
    url = f"/beheer/accounts/{world['admin_id']}"
    form = {"full_name": "Bea Beheer", "role": "professional", "team": world["centrum"]}
    response = admin.submit(url, form)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'href="#role"' in page
    assert "/deactiveren" not in admin.get(url).get_data(as_text=True)  # no button for oneself
    response = admin.submit(f"{url}/deactiveren", page=url, follow_redirects=True)
    assert "app-alert" in response.get_data(as_text=True)
    with app.app_context():
        user = db.session.get(User, world["admin_id"])
        assert user.role == "beheerder" and user.active


def test_deactivate_and_reactivate_through_the_page(app: Any, admin: Any, world: dict[str, Any]) -> None:
    with app.app_context():
        sessions.start_session(db.session.get(User, world["pro"]), "127.0.0.1")
        db.session.commit()
    url = f"/beheer/accounts/{world['pro']}"
    assert admin.submit(f"{url}/deactiveren", page=url).status_code == 302
    with app.app_context():
        assert not db.session.get(User, world["pro"]).active
        assert db.session.scalar(select(func.count(UserSession.id)).where(
            UserSession.user_id == world["pro"], UserSession.revoked_at.is_(None))) == 0
    assert admin.submit(f"{url}/activeren", page=url).status_code == 302
    with app.app_context():
        assert db.session.get(User, world["pro"]).active
        assert len(_audit(actions.ACCOUNT_DEACTIVATE)) == 1 and len(_audit(actions.ACCOUNT_ACTIVATE)) == 1


def test_temporary_password_through_the_page(app: Any, admin: Any, world: dict[str, Any]) -> None:
    url = f"/beheer/accounts/{world['pro']}"
    response = admin.submit(f"{url}/tijdelijk-wachtwoord", page=url)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    password = PASSWORD_RE.search(response.get_data(as_text=True)).group(1)
    with app.app_context():
        user = db.session.get(User, world["pro"])
        assert user.must_change_password and verify_password(user.password_hash, password)
    # Shown once: the account page does not show it again.
    assert password not in admin.get(url).get_data(as_text=True)


def test_english_after_choosing_the_language(admin: Any) -> None:
    admin.submit("/taal", {"lang": "en", "next": "/beheer/accounts"}, page="/beheer/accounts")
    page = admin.get("/beheer/accounts").get_data(as_text=True)
    assert "Add an account" in page and "Import CSV or XLSX" in page
    response = admin.submit("/beheer/accounts/nieuw", {"username": "", "role": "professional"})
    page = response.get_data(as_text=True)
    assert "A username is required." in page


def test_only_the_administrator(app: Any, client: Any, world: dict[str, Any]) -> None:
    login(client, "k.devries")
    assert client.get("/beheer/accounts").status_code == 403
    assert client.get(f"/beheer/accounts/{world['pro']}").status_code == 403
