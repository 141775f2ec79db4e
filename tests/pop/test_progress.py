"""Progress after signing, the due actions on the start page, the previous POP beside the new scan,
privacy of every drafting route, and a fixed number of queries per page."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from scan.auth.models import User
from scan.core.clock import today
from scan.extensions import db
from scan.organisation.models import Team
from scan.pop.models import PopAction, PopGoal, PopVersion
from tests.factories import login, make_round, make_scan
from tests.pop import world as pop_world


@pytest.fixture
def w(app):
    return pop_world.build(app)


def _progress(client, ids, status, reflection="", page=None):
    a = ids["action"]
    return client.submit(
        f"/pop/{ids['pop']}/acties/{a}/voortgang",
        {f"progress-{a}-status": status, f"progress-{a}-reflection": reflection},
        page=page or "/mijn/pop",
    )


def _action(app, action_id):
    with app.app_context():
        a = db.session.get(PopAction, action_id)
        return a.status, a.reflection, a.status_changed_at is not None


def test_progress_after_signing_makes_no_new_version(client, w, app):
    ids = pop_world.make_pop(app, w, status="signed")
    login(client, w["anna"])
    html = client.get(f"/pop/{ids['pop']}").get_data(as_text=True)
    assert "Voortgang opslaan" in html and "Activiteit toevoegen" not in html
    assert _progress(client, ids, "bezig").status_code == 302
    assert _action(app, ids["action"]) == ("bezig", "", True)
    response = _progress(client, ids, "afgerond", "  ")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Schrijf een korte reflectie" in html and f'href="#progress-{ids["action"]}-reflection"' in html
    assert _action(app, ids["action"])[0] == "bezig"
    assert _progress(client, ids, "afgerond", "Ik vraag nu eerder door.").status_code == 302
    assert _action(app, ids["action"]) == ("afgerond", "Ik vraag nu eerder door.", True)
    counts = pop_world.pop_counts(app)
    assert counts["PopVersion"] == 1
    with app.app_context():
        assert db.session.get(PopVersion, ids["version"]).status == "signed"
    html = client.get(f"/pop/{ids['pop']}").get_data(as_text=True)
    assert "<dt>Reflectie</dt><dd>Ik vraag nu eerder door.</dd>" in html and "afgerond" in html


def _new_action_id(app, pop_id, number):
    """The copy of the world's action in version `number`."""
    with app.app_context():
        return db.session.scalar(
            select(PopAction.id)
            .join(PopGoal)
            .join(PopVersion)
            .where(PopVersion.pop_id == pop_id, PopVersion.number == number)
        )


def test_progress_goes_on_while_a_signed_pop_is_re_planned(client, w, app):
    ids = pop_world.make_pop(app, w, status="signed")
    login(client, w["anna"])
    page = f"/pop/{ids['pop']}"
    assert client.submit(f"{page}/nieuwe-versie", page=page).status_code == 302
    v2 = {**ids, "action": _new_action_id(app, ids["pop"], 2)}
    html = client.get(page).get_data(as_text=True)
    # Version 2 is a draft: its plan can be changed, and the progress form is there too.
    assert "Concept" in html and "Activiteit toevoegen" in html and "Voortgang opslaan" in html
    assert f'action="/pop/{ids["pop"]}/acties/{v2["action"]}/voortgang"' in html
    assert f'/acties/{ids["action"]}/voortgang' not in html  # not the signed version 1's action
    response = _progress(client, v2, "afgerond", "Ik vat nu samen voor ik doorvraag.", page=page)
    assert response.status_code == 302
    assert _action(app, v2["action"]) == ("afgerond", "Ik vat nu samen voor ik doorvraag.", True)
    assert _action(app, ids["action"]) == ("gepland", "", False)  # the signed version stays as signed
    with app.app_context():
        versions = db.session.scalars(select(PopVersion).order_by(PopVersion.number))
        assert [(v.number, v.status) for v in versions] == [(1, "signed"), (2, "draft")]
    html = client.get(page).get_data(as_text=True)
    assert "<dt>Reflectie</dt><dd>Ik vat nu samen voor ik doorvraag.</dd>" in html
    # Proposed to the team leader: the plan is locked, progress is not.
    assert client.submit(f"{page}/voorstellen", page=page).status_code == 302
    html = client.get(page).get_data(as_text=True)
    assert "Activiteit toevoegen" not in html and "Voortgang opslaan" in html
    assert _progress(client, v2, "bezig", page=page).status_code == 302
    assert _action(app, v2["action"])[0] == "bezig"
    # The team leader reads it without the form; neither they nor another professional can post progress.
    for who in ("leader", "bert"):
        other = app.test_client()
        login(other, w[who])
        if who == "leader":
            html = other.get(page).get_data(as_text=True)
            assert "Training volgen" in html and "Voortgang opslaan" not in html and "/voortgang" not in html
        assert _progress(other, v2, "vervallen", page="/account/wachtwoord").status_code == 403, who
    assert _action(app, v2["action"])[0] == "bezig"


def test_no_progress_before_the_pop_was_ever_signed(client, w, app):
    ids = pop_world.make_pop(app, w)
    login(client, w["anna"])
    html = client.get(f"/pop/{ids['pop']}").get_data(as_text=True)
    assert "Activiteit toevoegen" in html and "Voortgang opslaan" not in html
    assert _progress(client, ids, "bezig").status_code == 403
    assert _action(app, ids["action"]) == ("gepland", "", False)


def test_progress_with_an_unknown_status_is_refused(client, w, app):
    ids = pop_world.make_pop(app, w, status="signed")
    login(client, w["anna"])
    assert _progress(client, ids, "gedaan").status_code == 422
    assert _action(app, ids["action"])[0] == "gepland"


def test_progress_only_by_the_owner(client, w, app):
    ids = pop_world.make_pop(app, w, status="signed")
    for who in ("leader", "bert", "other_leader", "regio", "admin"):
        other = app.test_client()
        login(other, w[who])
        assert _progress(other, ids, "afgerond", "niet van mij").status_code == 403, who
    assert _action(app, ids["action"]) == ("gepland", "", False)


def test_start_page_lists_due_and_overdue_actions(client, w, app):
    ids = pop_world.make_pop(app, w, status="signed", until_in_days=5)
    with app.app_context():
        goal = db.session.get(PopGoal, ids["goal"])
        base = {"goal": goal, "hours": Decimal("1"), "planned_from": today() - timedelta(days=60)}
        db.session.add_all(
            [
                PopAction(
                    type="intervisie",
                    description="Intervisie bijwonen",
                    planned_until=today() - timedelta(days=2),
                    **base,
                ),
                PopAction(
                    type="zelfstudie",
                    description="Later lezen",
                    planned_until=today() + timedelta(days=40),
                    **base,
                ),
                PopAction(
                    type="coaching",
                    description="Al gedaan",
                    planned_until=today() - timedelta(days=3),
                    status="afgerond",
                    reflection="ok",
                    **base,
                ),
                PopAction(
                    type="meelopen",
                    description="Vervallen",
                    planned_until=today() - timedelta(days=3),
                    status="vervallen",
                    **base,
                ),
            ]
        )
        db.session.commit()
    login(client, w["anna"])
    html = client.get("/mijn").get_data(as_text=True)
    overdue = html.split('id="pop-overdue"')[1].split("</ul>")[0]
    due = html.split('id="pop-due"')[1].split("</ul>")[0]
    assert "Intervisie bijwonen" in overdue and "Training volgen" not in overdue
    assert "Training volgen" in due and f"/pop/{ids['pop']}#action-{ids['action']}" in due
    for absent in ("Later lezen", "Al gedaan", "Vervallen"):
        assert absent not in html
    # Nobody else's actions: Bert's start page shows none.
    other = app.test_client()
    login(other, w["bert"])
    assert "Activiteiten uit je POP" not in other.get("/mijn").get_data(as_text=True)


def test_scan_overview_shows_the_previous_pop(client, w, app):
    with app.app_context():
        team = db.session.get(Team, w["team"])
        old = make_round(team, opens_in_days=-400, closes_in_days=-380, title="Ontwikkelscan najaar 2025")
        make_scan(old, db.session.get(User, w["anna_id"]), {"GC01": (1, 2)}, submitted=True)
        db.session.commit()
        w["old_round"] = old.id
    pop_world.make_pop(app, w, round_key="old_round", status="signed", action_status="afgerond")
    login(client, w["anna"])
    html = client.get("/scan").get_data(as_text=True)
    section = html.split('id="previous-pop"')[1].split("</section>")[0]
    assert "Je vorige POP" in section and "Ontwikkelscan najaar 2025" in section
    assert "Contact maken" in section and "Training volgen" in section and "afgerond" in section
    # Without an earlier POP there is nothing to show.
    other = app.test_client()
    login(other, w["bert"])
    assert 'id="previous-pop"' not in other.get("/scan").get_data(as_text=True)


# --- privacy ----------------------------------------------------------------------------------------


def _routes(ids, w):
    p, g, a = ids["pop"], ids["goal"], ids["action"]
    return [
        ("GET", f"/pop/{p}", {}),
        ("POST", f"/pop/{p}/voorgestelde-doelen/overnemen", {"item_id": w["items"]["GC02"]}),
        ("POST", f"/pop/{p}/doelen", {"goal-item": w["items"]["GC02"], "goal-description": "x"}),
        ("GET", f"/pop/{p}/doelen/{g}/wijzigen", {}),
        ("POST", f"/pop/{p}/doelen/{g}/wijzigen", {"item": w["items"]["GC02"], "description": "x"}),
        ("POST", f"/pop/{p}/doelen/{g}/verwijderen", {}),
        ("GET", f"/pop/{p}/doelen/{g}/acties/nieuw", {}),
        ("POST", f"/pop/{p}/doelen/{g}/acties/nieuw", {"type": "zelfstudie", "description": "x"}),
        ("GET", f"/pop/{p}/acties/{a}/wijzigen", {}),
        ("POST", f"/pop/{p}/acties/{a}/wijzigen", {"type": "zelfstudie", "description": "x"}),
        ("POST", f"/pop/{p}/acties/{a}/verwijderen", {}),
        ("POST", f"/pop/{p}/acties/{a}/voortgang", {f"progress-{a}-status": "bezig"}),
    ]


@pytest.mark.parametrize("who", ["bert", "outsider", "other_leader", "regio", "admin", "leader"])
def test_every_pop_route_as_the_wrong_person(client, w, app, who):
    ids = pop_world.make_pop(app, w)
    before = pop_world.snapshot(app)
    login(client, w[who])
    for method, url, data in _routes(ids, w):
        if method == "GET":
            status = client.get(url).status_code
            # A draft is the professional's own: not even their leader reads it (test_privacy_and_voice.py).
            expected = 403
        else:
            status = client.submit(url, data, page="/account/wachtwoord").status_code
            expected = 403
        assert status == expected, (who, method, url, status)
    assert pop_world.snapshot(app) == before
    assert client.get("/mijn/pop").status_code == (200 if who in ("bert", "outsider") else 403)
    assert client.submit("/mijn/pop/starten", page="/account/wachtwoord").status_code in (
        (302,) if who in ("bert", "outsider") else (403,)
    )


def test_team_leader_reads_the_pop_without_edit_forms(client, w, app):
    ids = pop_world.make_pop(app, w, status="proposed")
    login(client, w["leader"])
    html = client.get(f"/pop/{ids['pop']}").get_data(as_text=True)
    assert "Contact maken" in html and "Motiverende gespreksvoering" in html
    for absent in (
        "Voorgestelde doelen",
        "Eigen doel toevoegen",
        "Activiteit toevoegen",
        "Doel verwijderen",
        "Voortgang opslaan",
        "/voortgang",
    ):
        assert absent not in html


def test_anonymous_is_sent_to_login(client, w, app):
    ids = pop_world.make_pop(app, w)
    for method, url, data in [*_routes(ids, w), ("GET", "/mijn/pop", {}), ("POST", "/mijn/pop/starten", {})]:
        response = client.get(url) if method == "GET" else client.submit(url, data, page="/inloggen")
        assert response.status_code == 302 and "/inloggen" in response.headers["Location"], (method, url)
    assert pop_world.snapshot(app) == pop_world.snapshot(app)


def test_unknown_pop_is_404_before_anything(client, w, app):
    login(client, w["anna"])
    assert client.get("/pop/99999").status_code == 404
    assert client.submit("/pop/99999/doelen", {}, page="/mijn/pop").status_code == 404


# --- queries ----------------------------------------------------------------------------------------


def _grow(app, ids, w, goals: int, actions: int):
    """Give the POP `goals` goals with `actions` actions each (the first goal and action exist)."""
    codes = ["GC01", "GC02", "LG01-A1", "LG01-S1", "LG02-A1"]
    with app.app_context():
        for n in range(goals):
            if n == 0:
                goal = db.session.get(PopGoal, ids["goal"])
            else:
                goal = PopGoal(version_id=ids["version"], position=n + 1, item_id=w["items"][codes[n]])
                db.session.add(goal)
                db.session.flush()
            for m in range(actions - (1 if n == 0 else 0)):
                db.session.add(
                    PopAction(
                        goal_id=goal.id,
                        type="coaching",
                        description=f"actie {n}.{m}",
                        colleague_id=w["bert_id"],
                        training_id=w["trainings"]["TR-LG01"],
                        hours=Decimal("2"),
                        planned_until=today() + timedelta(days=m),
                    )
                )
        db.session.commit()


@pytest.mark.parametrize("status", ["draft", "signed"])
def test_fixed_number_of_queries_on_detail_and_mine(app, w, count_queries, status):
    counts = {}
    for size in (1, 5):
        with app.app_context():
            for model in (PopAction, PopGoal, PopVersion):
                for row in db.session.scalars(select(model)):
                    db.session.delete(row)
            db.session.commit()
            from scan.pop.models import Pop

            for row in db.session.scalars(select(Pop)):
                db.session.delete(row)
            db.session.commit()
        ids = pop_world.make_pop(app, w, status=status)
        _grow(app, ids, w, size, 3)
        client = app.test_client()
        login(client, w["anna"])
        for url in (f"/pop/{ids['pop']}", "/mijn/pop", "/mijn"):
            client.get(url)  # warm up
            count_queries.statements.clear()
            assert client.get(url).status_code == 200
            counts[(url.split("/")[1] if url.startswith("/pop") else url, size)] = count_queries.count
    assert min(counts.values()) > 3, counts
    assert counts[("pop", 1)] == counts[("pop", 5)], counts
    assert counts[("/mijn/pop", 1)] == counts[("/mijn/pop", 5)], counts
    assert counts[("/mijn", 1)] == counts[("/mijn", 5)], counts


def _grow_catalogue_and_team(app, w):
    """Nine more active catalogue entries (some for GC01) and four more vraagbaak colleagues in the team."""
    from scan.access import Role
    from scan.catalogue.models import Training, TrainingItem
    from scan.teamschouw.models import Agreement, AgreementKind, ConsentStatus
    from tests.factories import make_user

    with app.app_context():
        for n in range(9):
            training = Training(region_id=w["region"], code=f"TR-X{n}", title=f"Extra training {n}",
                                provider="Academie Noord",
                                type="training", hours=Decimal("8"), points=n, active=True, cost_cents=100)
            training.item_codes = [TrainingItem(item_code="GC01" if n % 2 else "LG02-A1")]
            db.session.add(training)
        team = db.session.get(Team, w["team"])
        for n in range(4):
            member = make_user(Role.PROFESSIONAL, team=team, full_name=f"Extra Collega {n}")
            db.session.add(Agreement(
                round_id=w["round"], kind=AgreementKind.VRAAGBAAK, member_id=member.id,
                consent=ConsentStatus.ACCEPTED,
                **({"item_id": w["items"]["GC01"]} if n % 2 else {"section_id": w["sections"]["LG01"]}),
            ))
        db.session.commit()


def _set_status(app, version_id, status):
    with app.app_context():
        db.session.get(PopVersion, version_id).status = status
        db.session.commit()


def test_fixed_number_of_queries_on_the_forms_review_and_sign_pages(app, w, count_queries):
    """Goal and action forms (catalogue, colleagues), the review and the sign page: the same number of
    queries with 1 or 5 goals, 3 or 12 catalogue entries, 1 or 5 vraagbaak colleagues."""
    counts: dict[tuple[str, int], int] = {}
    for size in (1, 5):
        with app.app_context():
            from scan.pop.models import Pop

            for row in db.session.scalars(select(Pop)):
                db.session.delete(row)
            db.session.commit()
        if size == 5:
            _grow_catalogue_and_team(app, w)
        ids = pop_world.make_pop(app, w)
        _grow(app, ids, w, size, 3)
        with app.app_context():  # an action with a training and a colleague, for its edit form
            action = db.session.scalar(
                select(PopAction.id)
                .where(PopAction.goal_id == ids["goal"], PopAction.colleague_id.is_not(None))
                .limit(1)
            )
        p = ids["pop"]
        pages = [
            ("goal form", "draft", "anna", f"/pop/{p}/doelen/{ids['goal']}/wijzigen"),
            ("new action", "draft", "anna", f"/pop/{p}/doelen/{ids['goal']}/acties/nieuw"),
            ("edit action", "draft", "anna", f"/pop/{p}/acties/{action}/wijzigen"),
            ("review", "proposed", "leader", f"/pop/{p}/beoordelen"),
            ("sign", "agreed", "anna", f"/pop/{p}/ondertekenen"),
            ("sign", "agreed", "leader", f"/pop/{p}/ondertekenen"),
        ]
        clients = {}
        for who in ("anna", "leader"):
            clients[who] = app.test_client()
            login(clients[who], w[who])
        for page, status, who, url in pages:
            _set_status(app, ids["version"], status)
            client = clients[who]
            client.get(url)  # warm up
            count_queries.statements.clear()
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            counts[(f"{page} ({who})", size)] = count_queries.count
        if size == 5:  # the large world is really there: all entries and colleagues offered
            _set_status(app, ids["version"], "draft")
            html = clients["anna"].get(f"/pop/{p}/doelen/{ids['goal']}/acties/nieuw").get_data(as_text=True)
            assert "Extra training 8" in html and "Extra Collega 3" in html
    assert len(counts) == 12 and min(counts.values()) > 3, counts
    for (page, size), count in counts.items():
        if size == 1:
            assert count == counts[(page, 5)], (page, counts)
