"""Drafting a POP as the professional uses it: start, proposed goals, own goals, actions and the picker."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from scan.catalogue.models import Training
from scan.core.clock import today
from scan.core.rules import RuleError
from scan.extensions import db
from scan.organisation.models import Team
from scan.pop import services
from scan.pop.models import Pop, PopAction, PopGoal, PopVersion
from tests.factories import login, make_training
from tests.pop import world as pop_world


@pytest.fixture
def w(app):
    return pop_world.build(app)


def _html(client, url):
    response = client.get(url)
    return response, response.get_data(as_text=True)


def _start(client, w, user="anna", logged_in=False):
    if not logged_in:
        login(client, w[user])
    response = client.submit("/mijn/pop/starten", page="/mijn/pop")
    assert response.status_code == 302
    return int(response.headers["Location"].rsplit("/", 1)[-1])


def _goals(app, pop_id):
    with app.app_context():
        return [
            (g.item.code, g.reason_kind, g.reason, g.description)
            for g in db.session.scalars(
                select(PopGoal).join(PopVersion).where(PopVersion.pop_id == pop_id).order_by(PopGoal.position)
            )
        ]


def _actions(app):
    with app.app_context():
        return [
            (
                a.type,
                a.description,
                a.training_id,
                a.colleague_id,
                a.planned_from,
                a.planned_until,
                a.hours,
                a.points,
            )
            for a in db.session.scalars(select(PopAction).order_by(PopAction.id))
        ]


def test_my_pop_offers_to_start_after_submitting_and_explains_otherwise(client, w, app):
    login(client, w["cor"])  # draft scan only
    _, html = _html(client, "/mijn/pop")
    assert "Dien eerst je scan in" in html
    assert "Start mijn POP" not in html
    assert client.submit("/mijn/pop/starten", page="/mijn/pop").status_code == 302
    assert pop_world.pop_counts(app)["Pop"] == 0

    client = app.test_client()
    login(client, w["anna"])
    _, html = _html(client, "/mijn/pop")
    assert "Start mijn POP" in html
    pop_id = _start(client, w, logged_in=True)
    with app.app_context():
        pop = db.session.get(Pop, pop_id)
        assert [(v.number, v.status) for v in pop.versions] == [(1, "draft")]
        assert pop.user_id == w["anna_id"] and pop.round_id == w["round"]
    # Starting twice makes no second POP.
    client.submit("/mijn/pop/starten", page="/mijn/pop")
    assert pop_world.pop_counts(app)["Pop"] == 1
    _, html = _html(client, "/mijn/pop")
    assert "Open mijn POP" in html and "Concept" in html


def test_proposals_come_from_priorities_then_own_gaps_with_their_reason(client, w, app):
    pop_id = _start(client, w)
    _, html = _html(client, f"/pop/{pop_id}")
    assert "Voorgestelde doelen" in html
    proposed = re.findall(r'class="app-pop-proposal" data-item="([^"]+)"', html)
    # LG01 (team priority, Anna below the norm there), GC02 (team priority item), then her own gap GC01.
    assert proposed == ["LG01-A1", "GC02", "GC01"]
    assert "teamprioriteit" in html and "Veel vragen over schulden in de wijk" in html
    assert "jouw ambitie" in html
    assert "Je ambitie is niveau 3; je schatte jezelf in op niveau 2." in html


def test_adopting_a_proposal_adds_the_goal_once_with_the_apps_reason(client, w, app):
    pop_id = _start(client, w)
    url = f"/pop/{pop_id}"
    response = client.submit(
        f"/pop/{pop_id}/voorgestelde-doelen/overnemen", {"item_id": w["items"]["GC01"]}, page=url
    )
    assert response.status_code == 302
    client.submit(
        f"/pop/{pop_id}/voorgestelde-doelen/overnemen", {"item_id": w["items"]["LG01-A1"]}, page=url
    )
    client.submit(f"/pop/{pop_id}/voorgestelde-doelen/overnemen", {"item_id": w["items"]["GC01"]}, page=url)
    goals = _goals(app, pop_id)
    assert [(g[0], g[1]) for g in goals] == [("GC01", "ambition"), ("LG01-A1", "team_priority")]
    assert goals[1][2] == "Veel vragen over schulden in de wijk"
    # An item that is not proposed cannot be adopted by sending its id.
    client.submit(
        f"/pop/{pop_id}/voorgestelde-doelen/overnemen", {"item_id": w["items"]["LG02-A1"]}, page=url
    )
    assert len(_goals(app, pop_id)) == 2
    _, html = _html(client, url)
    assert html.count("In je POP") == 2
    assert "jouw ambitie" in html and "teamprioriteit" in html


def test_an_own_goal_needs_an_item_of_the_round_and_a_description(client, w, app):
    pop_id = _start(client, w)
    url = f"/pop/{pop_id}"
    response = client.submit(f"{url}/doelen", {"goal-item": "", "goal-description": "  "}, page=url)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Er is een probleem" in html and 'href="#goal-item"' in html and 'href="#goal-description"' in html
    assert html.startswith("<!DOCTYPE html>") and "<title>Fout:" in html
    response = client.submit(
        f"{url}/doelen", {"goal-item": "999999", "goal-description": "Iets leren"}, page=url
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Iets leren" in html  # kept what was typed
    response = client.submit(
        f"{url}/doelen",
        {"goal-item": w["items"]["LG02-A1"], "goal-description": "Huurachterstand eerder zien"},
        page=url,
    )
    assert response.status_code == 302
    assert _goals(app, pop_id) == [("LG02-A1", "own", "", "Huurachterstand eerder zien")]
    _, html = _html(client, url)
    assert "eigen doel" in html and "Huurachterstand eerder zien" in html


def test_goal_can_be_changed_and_removed_with_its_actions(client, w, app):
    ids = pop_world.make_pop(app, w)
    login(client, w["anna"])
    edit = f"/pop/{ids['pop']}/doelen/{ids['goal']}/wijzigen"
    _, html = _html(client, edit)
    assert "Beter contact maken" in html
    response = client.submit(edit, {"item": w["items"]["GC02"], "description": "Scherper doorvragen"})
    assert response.status_code == 302
    assert _goals(app, ids["pop"])[0][0] == "GC02" and _goals(app, ids["pop"])[0][3] == "Scherper doorvragen"
    response = client.submit(edit, {"item": w["items"]["GC02"], "description": ""})
    assert response.status_code == 422 and "Beschrijf je doel" in response.get_data(as_text=True)
    client.submit(f"/pop/{ids['pop']}/doelen/{ids['goal']}/verwijderen", page=f"/pop/{ids['pop']}")
    assert pop_world.pop_counts(app) | {} == {"Pop": 1, "PopVersion": 1, "PopGoal": 0, "PopAction": 0}


def test_action_picker_suggests_trainings_for_the_item_first_and_vraagbaak_colleagues(client, w, app):
    ids = pop_world.make_pop(app, w)  # goal on GC01
    login(client, w["anna"])
    _, html = _html(client, f"/pop/{ids['pop']}/doelen/{ids['goal']}/acties/nieuw")
    suggested = html.split('id="suggested-trainings"')[1].split("</ul>")[0]
    assert "Motiverende gespreksvoering" in suggested and "Schulden vroeg signaleren" not in suggested
    assert "Oude gesprekstraining" not in html  # inactive entries are not offered
    select_html = html.split('id="training"')[1].split("</select>")[0]
    groups = re.findall(r'<optgroup label="([^"]+)"', select_html)
    assert groups == ["Voorgesteld voor GC01", "Andere trainingen"]
    assert select_html.index("Motiverende gespreksvoering") < select_html.index("Schulden vroeg signaleren")
    assert "Huurachterstanden aanpakken" in select_html  # any active entry may still be chosen
    colleagues = html.split('id="suggested-colleagues"')[1].split("</ul>")[0]
    assert "Bert Bakker" in colleagues and "Cor Claassen" not in html  # Cor's consent is pending
    for label in ("Meelopen", "Coaching", "Intervisie", "Casuïstiekbespreking", "Zelfstudie", "E-learning"):
        assert label in html


def test_the_picker_offers_only_the_catalogue_of_the_pops_region(client, w, app):
    ids = pop_world.make_pop(app, w)  # goal on GC01, in the region of Wijkteam Proef
    with app.app_context():
        other_region = db.session.get(Team, w["other_team"]).municipality.region_id
        # Another region's entries: one for the same item, one with the same code as an entry of our region.
        elsewhere = make_training(other_region, "TR-ELDERS", title="Gesprekstraining elders", items=("GC01",))
        twin = make_training(other_region, "TR-GC01", title="Motiverende gespreksvoering elders",
                             items=("GC01",))
        db.session.commit()
        elsewhere_id, twin_id = elsewhere.id, twin.id
    login(client, w["anna"])
    url = f"/pop/{ids['pop']}/doelen/{ids['goal']}/acties/nieuw"
    _, html = _html(client, url)
    assert "Motiverende gespreksvoering" in html and "Huurachterstanden aanpakken" in html
    assert "elders" not in html
    assert f'value="{elsewhere_id}"' not in html and f'value="{twin_id}"' not in html
    # Posting another region's entry anyway is refused at the field and saves nothing.
    response = client.submit(url, {"type": "training", "description": "Cursus", "training": str(twin_id)})
    assert response.status_code == 422 and 'href="#training"' in response.get_data(as_text=True)
    assert len(_actions(app)) == 1


def test_the_service_refuses_another_regions_training(app, w):
    ids = pop_world.make_pop(app, w)
    with app.app_context():
        other_region = db.session.get(Team, w["other_team"]).municipality.region_id
        elsewhere = make_training(other_region, "TR-ELDERS", items=("GC01",))
        goal = db.session.get(PopGoal, ids["goal"])
        with pytest.raises(RuleError) as refused:
            services.add_action(goal, services.ActionInput(type="training", description="x",
                                                           training=elsewhere))
        assert refused.value.field == "training"
        own = db.session.get(Training, w["trainings"]["TR-LG02"])
        assert services.add_action(goal, services.ActionInput(type="training", description="x", training=own))


def test_action_is_validated_and_keeps_what_was_typed(client, w, app):
    ids = pop_world.make_pop(app, w)
    login(client, w["anna"])
    url = f"/pop/{ids['pop']}/doelen/{ids['goal']}/acties/nieuw"
    start = today() + timedelta(days=10)
    response = client.submit(
        url,
        {
            "type": "",
            "description": "Meelopen met de klantmanager",
            "training": "",
            "colleague": "",
            "planned_from": start.isoformat(),
            "planned_until": (start - timedelta(days=1)).isoformat(),
            "hours": "x",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    for field in ("type", "planned_until", "hours"):
        assert f'href="#{field}"' in html
    assert "Meelopen met de klantmanager" in html and start.isoformat() in html
    assert "De einddatum kan niet voor de begindatum liggen" in html
    response = client.submit(
        url,
        {
            "type": "meelopen",
            "description": "Meelopen",
            "training": "99999",
            "colleague": str(w["outsider_id"]),
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'href="#training"' in html and 'href="#colleague"' in html
    assert len(_actions(app)) == 1


def test_a_colleague_only_goes_with_job_shadowing_or_coaching(client, w, app):
    ids = pop_world.make_pop(app, w)
    login(client, w["anna"])
    url = f"/pop/{ids['pop']}/doelen/{ids['goal']}/acties/nieuw"
    typed = {"type": "zelfstudie", "description": "Artikel lezen met Bert", "training": "",
             "colleague": str(w["bert_id"]), "hours": "2"}
    response = client.submit(url, typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Een collega hoort alleen bij meelopen of coaching" in html and 'href="#colleague"' in html
    # What was typed is still there, the colleague too.
    assert "Artikel lezen met Bert" in html and f'<option selected value="{w["bert_id"]}"' in html
    assert len(_actions(app)) == 1
    # Changing an action with a colleague to another kind is refused the same way.
    assert client.submit(url, {**typed, "type": "coaching"}).status_code == 302
    coaching = _actions(app)[1]
    assert coaching[0] == "coaching" and coaching[3] == w["bert_id"]
    with app.app_context():
        action_id = db.session.scalar(select(PopAction.id).where(PopAction.type == "coaching"))
    response = client.submit(f"/pop/{ids['pop']}/acties/{action_id}/wijzigen", {**typed, "type": "training"})
    assert response.status_code == 422 and "Een collega hoort alleen bij" in response.get_data(as_text=True)
    assert _actions(app)[1][0] == "coaching"


def test_action_hours_and_points_default_from_the_training(client, w, app):
    ids = pop_world.make_pop(app, w)
    login(client, w["anna"])
    url = f"/pop/{ids['pop']}/doelen/{ids['goal']}/acties/nieuw"
    start = today() + timedelta(days=3)
    response = client.submit(
        url,
        {
            "type": "e-learning",
            "description": "Online module",
            "training": w["trainings"]["TR-LG01"],
            "colleague": "",
            "planned_from": start.isoformat(),
            "planned_until": (start + timedelta(days=30)).isoformat(),
            "hours": "",
        },
    )
    assert response.status_code == 302
    response = client.submit(
        url,
        {
            "type": "meelopen",
            "description": "Dag meelopen met Bert",
            "training": "",
            "colleague": str(w["bert_id"]),
            "hours": "7,5",
        },
    )
    assert response.status_code == 302
    actions = _actions(app)
    assert [(a[0], a[2], str(a[6]), a[7]) for a in actions[1:]] == [
        ("e-learning", w["trainings"]["TR-LG01"], "4.0", 4),
        ("meelopen", None, "7.5", 0),
    ]
    assert actions[2][3] == w["bert_id"]
    _, html = _html(client, f"/pop/{ids['pop']}")
    # 16 + 4 + 7.5 hours, 12 + 4 points
    assert 'id="pop-hours">27,5<' in html and 'id="pop-points">16<' in html
    assert "<dt>Training</dt><dd>Schulden vroeg signaleren (Geldwijs Opleidingen)</dd>" in html
    assert "<dt>Collega</dt><dd>Bert Bakker</dd>" in html
    assert "Totaal: 3 activiteiten" in html


def test_action_can_be_changed_and_removed(client, w, app):
    ids = pop_world.make_pop(app, w)
    login(client, w["anna"])
    edit = f"/pop/{ids['pop']}/acties/{ids['action']}/wijzigen"
    _, html = _html(client, edit)
    assert "Training volgen" in html and 'value="16"' in html
    response = client.submit(
        edit,
        {"type": "zelfstudie", "description": "Boek lezen", "training": "", "colleague": "", "hours": "3"},
    )
    assert response.status_code == 302
    assert _actions(app)[0][:3] == ("zelfstudie", "Boek lezen", None) and _actions(app)[0][7] == 0
    client.submit(f"/pop/{ids['pop']}/acties/{ids['action']}/verwijderen", page=f"/pop/{ids['pop']}")
    assert _actions(app) == []


def test_detail_shows_goals_actions_and_the_signing_partial_context(client, w, app):
    ids = pop_world.make_pop(app, w)
    login(client, w["anna"])
    _, html = _html(client, f"/pop/{ids['pop']}")
    assert "GC01</span> Contact maken" in html and "jouw ambitie" in html and "Ambitie 3, niveau 2" in html
    assert "Motiverende gespreksvoering (Academie Noord)" in html and "gepland" in html
    assert "Voorgestelde doelen" in html and "Eigen doel toevoegen" in html


def test_a_proposed_or_signed_version_cannot_be_drafted(client, w, app):
    ids = pop_world.make_pop(app, w, status="proposed")
    login(client, w["anna"])
    _, html = _html(client, f"/pop/{ids['pop']}")
    assert "Voorgestelde doelen" not in html and "Activiteit toevoegen" not in html
    before = pop_world.snapshot(app)
    page = "/mijn/pop"
    assert (
        client.submit(
            f"/pop/{ids['pop']}/doelen", {"goal-item": w["items"]["GC02"], "goal-description": "x"}, page=page
        ).status_code
        == 403
    )
    assert (
        client.submit(f"/pop/{ids['pop']}/acties/{ids['action']}/verwijderen", page=page).status_code == 403
    )
    assert client.get(f"/pop/{ids['pop']}/doelen/{ids['goal']}/acties/nieuw").status_code == 403
    assert pop_world.snapshot(app) == before


def test_older_version_is_readable_and_unknown_version_is_404(client, w, app):
    ids = pop_world.make_pop(app, w, status="signed")
    with app.app_context():
        db.session.add(PopVersion(pop_id=ids["pop"], number=2, status="draft"))
        db.session.commit()
    login(client, w["anna"])
    response, html = _html(client, f"/pop/{ids['pop']}?versie=1")
    assert response.status_code == 200 and "Motiverende gespreksvoering" in html
    assert "eerdere versie" in html and "Voorgestelde doelen" not in html
    _, html = _html(client, f"/pop/{ids['pop']}")
    assert "Voorgestelde doelen" in html  # version 2 is a draft: editable
    assert client.get(f"/pop/{ids['pop']}?versie=9").status_code == 404
    # A goal of the older version cannot be changed through the new one.
    response = client.submit(f"/pop/{ids['pop']}/doelen/{ids['goal']}/verwijderen", page="/mijn/pop")
    assert response.status_code == 404


def test_earlier_pops_are_listed_on_my_pop(client, w, app):
    from tests.factories import make_round, make_scan

    with app.app_context():
        from scan.auth.models import User
        from scan.organisation.models import Team

        team = db.session.get(Team, w["team"])
        old = make_round(team, opens_in_days=-400, closes_in_days=-380, title="Ontwikkelscan najaar 2025")
        make_scan(old, db.session.get(User, w["anna_id"]), {"GC01": (1, 2)}, submitted=True)
        db.session.commit()
        old_id = old.id
    w["old_round"] = old_id
    old_pop = pop_world.make_pop(app, w, round_key="old_round")
    login(client, w["anna"])
    _, html = _html(client, "/mijn/pop")
    earlier = html.split('id="earlier-pops"')[1].split("</ul>")[0]
    assert "Ontwikkelscan najaar 2025" in earlier and f"/pop/{old_pop['pop']}" in earlier
    assert "Start mijn POP" in html
