"""Numbers typed on the pages: "4,5" is four and a half, shown back as typed people write it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from scan.catalogue.models import Training
from scan.extensions import db
from scan.pop.models import PopAction
from tests.catalogue.test_catalogue import FORM, _world
from tests.factories import login
from tests.pop import world as pop_world


@pytest.fixture
def w(app: Any) -> dict[str, Any]:
    return pop_world.build(app)


def _hours(app: Any, action_id: int) -> Decimal:
    with app.app_context():
        return db.session.get(PopAction, action_id).hours


def _english(client: Any) -> None:
    assert client.submit("/taal", {"lang": "en", "next": "/"}, page="/inloggen").status_code == 302


def _action_form(**typed: str) -> dict[str, str]:
    return {"type": "zelfstudie", "description": "Boek lezen", "training": "", "colleague": "", **typed}


@pytest.mark.parametrize(("lang", "typed", "shown"), [("nl", "4,5", "4,5"), ("nl", "4.5", "4,5"),
                                                       ("en", "4,5", "4.5"), ("en", "4.5", "4.5")])
def test_pop_hours_typed_with_a_comma_or_a_point_are_four_and_a_half(app, client, w, lang, typed, shown):
    ids = pop_world.make_pop(app, w)
    if lang == "en":
        _english(client)
    login(client, w["anna"])
    edit = f"/pop/{ids['pop']}/acties/{ids['action']}/wijzigen"
    assert client.submit(edit, _action_form(hours=typed)).status_code == 302
    assert _hours(app, ids["action"]) == Decimal("4.5")
    html = client.get(edit).get_data(as_text=True)
    assert f'value="{shown}"' in html and 'inputmode="decimal"' in html and 'type="number"' not in html
    assert f'id="pop-hours">{shown}<' in client.get(f"/pop/{ids['pop']}").get_data(as_text=True)


def test_pop_hours_are_shown_without_a_trailing_zero(app, client, w):
    ids = pop_world.make_pop(app, w)
    login(client, w["anna"])
    edit = f"/pop/{ids['pop']}/acties/{ids['action']}/wijzigen"
    assert client.submit(edit, _action_form(hours="2")).status_code == 302
    html = client.get(edit).get_data(as_text=True)
    assert 'value="2"' in html and 'value="2.0"' not in html and 'value="2,0"' not in html


@pytest.mark.parametrize("typed", ["1.000,5", "1,000.5", "1.000"])
def test_pop_hours_that_cannot_be_read_without_guessing_are_refused_and_kept(app, client, w, typed):
    ids = pop_world.make_pop(app, w)
    login(client, w["anna"])
    before = _hours(app, ids["action"])
    edit = f"/pop/{ids['pop']}/acties/{ids['action']}/wijzigen"
    response = client.submit(edit, _action_form(hours=typed))
    html = response.get_data(as_text=True)
    assert response.status_code in (200, 422)
    assert 'href="#hours"' in html and "zonder scheidingsteken voor duizendtallen" in html
    assert f'value="{typed}"' in html
    assert _hours(app, ids["action"]) == before


def _catalogue_entry(app: Any, code: str) -> Training:
    with app.app_context():
        t = db.session.scalar(select(Training).where(Training.code == code))
        db.session.expunge(t)
        return t


@pytest.mark.parametrize(("lang", "shown_hours", "shown_cost"), [("nl", "4,5", "1250,50"),
                                                                 ("en", "4.5", "1250.50")])
def test_catalogue_numbers_in_the_users_language(app, client, lang, shown_hours, shown_cost):
    if lang == "en":
        _english(client)
    login(client, _world(app))
    response = client.submit("/catalogus/nieuw", {**FORM, "hours": "4,5", "cost": "1250,5", "points": "3"})
    assert response.status_code == 302
    t = _catalogue_entry(app, "TR26")
    assert (t.hours, t.cost_cents, t.points) == (Decimal("4.5"), 125050, 3)
    html = client.get(f"/catalogus/{t.id}/wijzigen").get_data(as_text=True)
    assert f'value="{shown_hours}"' in html and f'value="{shown_cost}"' in html
    assert 'inputmode="decimal"' in html and 'inputmode="numeric"' in html


def test_catalogue_refuses_a_grouped_amount_at_the_field_and_keeps_it(app, client):
    login(client, _world(app))
    response = client.submit("/catalogus/nieuw", {**FORM, "cost": "1.250,50", "hours": "1.000"})
    html = response.get_data(as_text=True)
    assert 'href="#cost"' in html and 'href="#hours"' in html
    assert 'value="1.250,50"' in html and 'value="1.000"' in html
    assert "zonder scheidingsteken voor duizendtallen" in html
    with app.app_context():
        assert db.session.scalar(select(Training).where(Training.code == "TR26")) is None
