"""The administrator erases a leaver in the browser: a confirmation page, the username typed to confirm."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from scan.access import Role
from scan.auth.models import User
from scan.db import utcnow
from scan.extensions import db
from tests.factories import login, make_round, make_scan, make_team, make_user


def _world(app: Any) -> dict[str, Any]:
    with app.app_context():
        team = make_team()
        admin = make_user(Role.BEHEERDER, username="beheer")
        person = make_user(Role.PROFESSIONAL, team=team, username="s.vertrek", full_name="Sanne Vertrek")
        make_scan(make_round(team), person, {"GC01": (2, 3)}, submitted=True, notes={"GC01": "Geleerd"})
        db.session.commit()
        return {"admin": admin.id, "person": person.id}


def _page(ids: dict[str, Any]) -> str:
    return f"/beheer/accounts/{ids['person']}/wissen"


def test_page_explains_what_is_erased_and_kept(app: Any, client: Any) -> None:
    ids = _world(app)
    login(client, "beheer")
    response = client.get(_page(ids))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "s.vertrek" in html and f"verwijderd-{ids['person']}" in html
    assert 'name="confirm_username"' in html


def test_mismatch_shows_an_error_summary_in_dutch(app: Any, client: Any) -> None:
    ids = _world(app)
    login(client, "beheer")
    response = client.submit(_page(ids), {"confirm_username": "iemand-anders"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Er is een probleem" in html
    assert 'href="#confirm_username"' in html
    # Dutch text of the new message: passes once the translations are merged.
    assert "Typ de gebruikersnaam s.vertrek precies over om te bevestigen." in html
    with app.app_context():
        assert db.session.get(User, ids["person"]).erased_at is None


def test_mismatch_in_english(app: Any, client: Any) -> None:
    ids = _world(app)
    login(client, "beheer")
    client.submit("/taal", {"lang": "en", "next": "/beheer/"}, page="/beheer/")
    response = client.submit(_page(ids), {"confirm_username": "iemand-anders"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "There is a problem" in html
    assert "Type the username s.vertrek exactly to confirm." in html


def test_typed_username_erases_and_redirects(app: Any, client: Any) -> None:
    ids = _world(app)
    login(client, "beheer")
    before = utcnow()
    response = client.submit(_page(ids), {"confirm_username": " S.Vertrek "})
    assert response.status_code == 302 and response.headers["Location"].endswith("/beheer/")
    html = client.get("/beheer/").get_data(as_text=True)
    assert f"verwijderd-{ids['person']}" in html
    with app.app_context():
        user = db.session.get(User, ids["person"])
        erased = f"verwijderd-{ids['person']}"
        assert (user.username, user.full_name, user.active) == (erased, erased, False)
        assert user.erased_at is not None and before <= user.erased_at <= utcnow()
        assert db.session.scalar(select(User).where(User.username == "s.vertrek")) is None
    # Erased once: the page now says so and offers no form.
    again = client.get(_page(ids)).get_data(as_text=True)
    assert 'name="confirm_username"' not in again


def test_an_administrator_cannot_erase_themselves(app: Any, client: Any) -> None:
    ids = _world(app)
    login(client, "beheer")
    page = f"/beheer/accounts/{ids['admin']}/wissen"
    html = client.get(page).get_data(as_text=True)
    assert 'name="confirm_username"' not in html
    response = client.submit(page, {"confirm_username": "beheer"}, page="/beheer/")
    assert response.status_code == 422
    with app.app_context():
        assert db.session.get(User, ids["admin"]).erased_at is None


def test_only_the_administrator(app: Any, client: Any) -> None:
    ids = _world(app)
    login(client, "s.vertrek")
    assert client.get(_page(ids)).status_code == 403
    assert client.get("/beheer/accounts/999999/wissen").status_code == 403


def test_unknown_account_is_404(app: Any, client: Any) -> None:
    _world(app)
    login(client, "beheer")
    assert client.get("/beheer/accounts/999999/wissen").status_code == 404
