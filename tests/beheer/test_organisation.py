"""Municipalities and teams as the administrator manages them: services without HTTP, then the pages."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select

from scan.access import Role
from scan.audit import actions
from scan.audit.models import AuditEvent
from scan.core.rules import RuleError
from scan.db import utcnow
from scan.extensions import db
from scan.organisation import services
from scan.organisation.models import Municipality, Team
from tests.factories import login, make_municipality, make_region, make_round, make_team, make_user


def _audit(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


# --- services, without HTTP -----------------------------------------------------------------------


def test_add_municipality_and_team_are_audited(app_ctx: Any) -> None:
    region = make_region()
    m = services.add_municipality(region, " gm0001 ", "  Lindewaard  ")
    t = services.add_team(m, "lw-centrum", "Wijkteam  Centrum")
    assert (m.code, m.name, t.code, t.name) == ("GM0001", "Lindewaard", "LW-CENTRUM", "Wijkteam Centrum")
    assert [e.object_id for e in _audit(actions.MUNICIPALITY_CREATE)] == [str(m.id)]
    assert [e.object_id for e in _audit(actions.TEAM_CREATE)] == [str(t.id)]


def test_codes_are_unique_and_names_required(app_ctx: Any) -> None:
    m = make_municipality()
    make_team(m, code="T-ONE")
    with pytest.raises(RuleError) as error:
        services.add_team(m, "t-one", "Nog een")
    assert error.value.field == "code"
    with pytest.raises(RuleError) as error:
        services.add_team(m, "T-TWO", "   ")
    assert error.value.field == "name"
    with pytest.raises(RuleError) as error:
        services.add_municipality(m.region, m.code, "Dubbel")
    assert error.value.field == "code"
    with pytest.raises(RuleError):
        services.add_team(m, "met spatie", "Team")


def test_rename_records_only_a_real_change(app_ctx: Any) -> None:
    m = make_municipality(name="Oud")
    assert services.rename_municipality(m, "Oud") is False
    assert _audit(actions.MUNICIPALITY_UPDATE) == []
    assert services.rename_municipality(m, "Nieuw") is True
    assert m.name == "Nieuw" and len(_audit(actions.MUNICIPALITY_UPDATE)) == 1


def test_move_a_team_within_its_region_keeps_its_rounds(app_ctx: Any) -> None:
    region = make_region()
    a, b = make_municipality(region), make_municipality(region)
    other_region = make_municipality(make_region())
    team = make_team(a)
    scan_round = make_round(team)
    assert services.update_team(team, team.name, b) == ["municipality"]
    assert team.municipality_id == b.id and scan_round.team_id == team.id
    event = _audit(actions.TEAM_UPDATE)[0]
    assert json.loads(event.detail) == {"fields": ["municipality"], "moved_from": a.code, "moved_to": b.code}
    with pytest.raises(RuleError) as error:
        services.update_team(team, team.name, other_region)
    assert error.value.field == "municipality"
    assert "dezelfde regio" in error.value.message  # Dutch: the default language
    assert services.update_team(team, team.name, b) == []
    assert len(_audit(actions.TEAM_UPDATE)) == 1


def test_archive_rules(app_ctx: Any) -> None:
    before = utcnow()
    m = make_municipality()
    t1, t2 = make_team(m), make_team(m)
    with pytest.raises(RuleError) as error:
        services.archive_municipality(m)
    assert t1.name in error.value.message and m.archived_at is None
    services.archive_team(t1)
    with pytest.raises(RuleError):
        services.archive_team(t1)
    with pytest.raises(RuleError):
        services.archive_municipality(m)
    services.archive_team(t2)
    services.archive_municipality(m)
    assert m.archived_at is not None and before <= m.archived_at <= utcnow()
    assert len(_audit(actions.TEAM_ARCHIVE)) == 2 and len(_audit(actions.MUNICIPALITY_ARCHIVE)) == 1
    # Nothing is deleted; no team is added to or moved into an archived municipality.
    assert db.session.scalar(select(func.count(Team.id))) == 2
    with pytest.raises(RuleError):
        services.add_team(m, "NEW", "Nieuw team")
    with pytest.raises(RuleError):
        services.update_team(make_team(make_municipality(m.region)), "x", m)


# --- the pages ------------------------------------------------------------------------------------


@pytest.fixture
def admin(app: Any, client: Any) -> Any:
    with app.app_context():
        region = make_region(name="Regio Lindewaard")
        m = make_municipality(region, name="Lindewaard")
        make_municipality(region, name="Beekdal")
        make_team(m, name="Wijkteam Centrum", code="LW-CENTRUM")
        user = make_user(Role.BEHEERDER)
        db.session.commit()
        name = user.username
    login(client, name)
    return client


def _ids(app: Any) -> tuple[int, int, int]:
    with app.app_context():
        lw = db.session.scalar(select(Municipality.id).where(Municipality.name == "Lindewaard"))
        bd = db.session.scalar(select(Municipality.id).where(Municipality.name == "Beekdal"))
        team = db.session.scalar(select(Team.id).where(Team.code == "LW-CENTRUM"))
        return lw, bd, team


def test_organisation_page_lists_municipalities_and_teams(admin: Any) -> None:
    page = admin.get("/beheer/organisatie").get_data(as_text=True)
    assert '<h1 class="utrecht-heading-1">Gemeenten en teams</h1>' in page
    assert "Lindewaard" in page and "Wijkteam Centrum" in page and "LW-CENTRUM" in page


def test_add_a_municipality_through_the_page(app: Any, admin: Any) -> None:
    with app.app_context():
        region_id = make_region().id
        db.session.commit()
    form = {"region": region_id, "code": "gm9", "name": "Nieuwdorp"}
    response = admin.submit("/beheer/gemeenten/nieuw", form)
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Municipality.name).where(Municipality.code == "GM9")) == "Nieuwdorp"
        assert len(_audit(actions.MUNICIPALITY_CREATE)) == 1


def test_a_wrong_form_keeps_what_was_typed(app: Any, admin: Any) -> None:
    lw, _bd, _team = _ids(app)
    response = admin.submit("/beheer/teams/nieuw", {"municipality": lw, "code": "LW-CENTRUM",
                                                    "name": "Wijkteam Tweede"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "app-error-summary" in page and 'href="#code"' in page
    assert 'value="Wijkteam Tweede"' in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Team.id))) == 1
        assert _audit(actions.TEAM_CREATE) == []


def test_rename_and_move_a_team_through_the_page(app: Any, admin: Any) -> None:
    _lw, bd, team = _ids(app)
    page = admin.get(f"/beheer/teams/{team}").get_data(as_text=True)
    assert "Beekdal" in page and 'value="Wijkteam Centrum"' in page
    response = admin.submit(f"/beheer/teams/{team}", {"name": "Wijkteam Beekdal-Centrum", "municipality": bd})
    assert response.status_code == 302
    with app.app_context():
        t = db.session.get(Team, team)
        assert (t.name, t.municipality_id) == ("Wijkteam Beekdal-Centrum", bd)
        assert json.loads(_audit(actions.TEAM_UPDATE)[0].detail)["fields"] == ["municipality", "name"]


def test_archive_a_municipality_with_open_teams_is_refused(app: Any, admin: Any) -> None:
    lw, _bd, team = _ids(app)
    page = admin.submit(f"/beheer/gemeenten/{lw}/archiveren", page=f"/beheer/gemeenten/{lw}",
                        follow_redirects=True).get_data(as_text=True)
    assert ("Archiveer eerst de teams: Wijkteam Centrum. Een gemeente wordt pas gearchiveerd als al haar "
            "teams gearchiveerd zijn.") in page
    before = utcnow()
    admin.submit(f"/beheer/teams/{team}/archiveren", page=f"/beheer/teams/{team}")
    admin.submit(f"/beheer/gemeenten/{lw}/archiveren", page=f"/beheer/gemeenten/{lw}")
    with app.app_context():
        archived = [db.session.get(Team, team).archived_at, db.session.get(Municipality, lw).archived_at]
        assert None not in archived and before <= archived[0] <= archived[1] <= utcnow()
    # Archived ones are listed on their own (status "archived"), and an archived municipality is no longer
    # a choice.
    page = admin.get("/beheer/organisatie").get_data(as_text=True)
    assert "Wijkteam Centrum" not in page and "0 teams" in page
    page = admin.get("/beheer/organisatie?kind=team&status=archived").get_data(as_text=True)
    assert "Wijkteam Centrum" in page and "Gearchiveerd op" in page
    page = admin.get("/beheer/organisatie?kind=municipality&status=archived").get_data(as_text=True)
    assert "Lindewaard" in page and "Beekdal" not in page
    new_team = admin.get("/beheer/teams/nieuw").get_data(as_text=True)
    assert f'value="{lw}"' not in new_team


def _names(page: str) -> list[str]:
    body = page.split('<tbody class="utrecht-table__body">')[1].split("</tbody>")[0]
    return [row.split('class="utrecht-table__header-cell">')[1].split("<")[0] for row in body.split("<tr")[1:]
            if "utrecht-table__header-cell" in row]


@pytest.fixture
def many(app: Any) -> None:
    """120 teams in 12 municipalities next to the fixture's one (issue 16: the list must not grow)."""
    with app.app_context():
        region = make_region(name="Regio Groot")
        for m in range(12):
            municipality = make_municipality(region, name=f"Gemeente {m:02d}")
            for t in range(10):
                make_team(municipality, name=f"Team {m:02d}-{t}", code=f"G{m:02d}T{t}")
        db.session.commit()


def test_the_list_pages_teams_fifty_at_a_time_and_keeps_the_selection(admin: Any, many: None) -> None:
    first = admin.get("/beheer/organisatie").get_data(as_text=True)
    assert "121 teams, pagina 1 van 3" in first
    assert len(_names(first)) == 50 and _names(first)[0] == "Team 00-0"
    third = admin.get("/beheer/organisatie?pagina=3").get_data(as_text=True)
    assert len(_names(third)) == 21
    assert _names(third)[-1] == "Wijkteam Centrum"
    # Search by name, code or municipality; the page links keep the selection.
    found = admin.get("/beheer/organisatie?q=gemeente+03").get_data(as_text=True)
    assert _names(found) == [f"Team 03-{t}" for t in range(10)]
    assert _names(admin.get("/beheer/organisatie?q=g05t7").get_data(as_text=True)) == ["Team 05-7"]
    municipalities = admin.get("/beheer/organisatie?kind=municipality&q=gemeente").get_data(as_text=True)
    assert "12 gemeenten" in municipalities and _names(municipalities)[0] == "Gemeente 00"
    assert "Lindewaard" not in _names(municipalities)
    page = admin.get("/beheer/organisatie?q=team&status=").get_data(as_text=True)
    assert 'href="/beheer/organisatie?pagina=2&amp;q=team&amp;status="' in page
    assert "Niets in deze selectie." in admin.get("/beheer/organisatie?q=zzz").get_data(as_text=True)


def test_the_list_runs_the_same_queries_for_a_small_and_a_large_organisation(
        app: Any, admin: Any, count_queries: Any) -> None:
    def queries_for(url: str) -> int:
        before = count_queries.count
        assert admin.get(url).status_code == 200
        return count_queries.count - before

    small = [queries_for(url) for url in ("/beheer/organisatie", "/beheer/organisatie?kind=municipality")]
    with app.app_context():
        region = make_region()
        for _m in range(20):
            municipality = make_municipality(region)
            for _t in range(10):
                make_team(municipality)
        db.session.commit()
    large = [queries_for(url) for url in ("/beheer/organisatie", "/beheer/organisatie?kind=municipality")]
    assert large == small
    assert queries_for("/beheer/organisatie?q=t&pagina=3") == small[0]


def test_the_start_page_shows_the_first_teams_and_links_to_the_rest(app: Any, admin: Any, many: None,
                                                                     count_queries: Any) -> None:
    def load() -> tuple[str, int]:
        before = count_queries.count
        html = admin.get("/beheer/").get_data(as_text=True)
        return html, count_queries.count - before

    html, small = load()
    teams = html.split('id="teams-heading"')[1].split("</table>")[0]
    assert "121 teams" in teams and teams.count('href="/teams/') == 25
    assert "Alle 121 teams: zoek ze op de pagina Organisatie" in html
    assert "Alle 14 gemeenten: zoek ze op de pagina Organisatie" not in html  # 14 of them, 25 shown
    with app.app_context():
        region = make_region()
        for _m in range(20):
            municipality = make_municipality(region)
            for _t in range(5):
                make_team(municipality)
        db.session.commit()
    html, large = load()
    assert large == small and "Alle 221 teams" in html and "Alle 34 gemeenten" in html
    assert html.split('id="teams-heading"')[1].split("</table>")[0].count('href="/teams/') == 25


def test_english_after_choosing_the_language(admin: Any) -> None:
    admin.submit("/taal", {"lang": "en", "next": "/beheer/organisatie"}, page="/beheer/organisatie")
    page = admin.get("/beheer/organisatie").get_data(as_text=True)
    assert "Municipalities and teams" in page and "Add a municipality" in page


def test_only_the_administrator(app: Any, client: Any) -> None:
    with app.app_context():
        name = make_user(Role.REGIOCOORDINATOR).username
        db.session.commit()
    login(client, name)
    assert client.get("/beheer/organisatie").status_code == 403
    assert client.get("/beheer/teams/nieuw").status_code == 403
