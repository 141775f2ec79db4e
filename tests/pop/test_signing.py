"""Proposing, agreeing, sending back, signing with the password, and new versions of a POP."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import func, select

from scan.auth.models import LoginFailure, User
from scan.core.rules import RuleError
from scan.extensions import db
from scan.pop.models import Pop, PopAction, PopGoal, PopStatus, PopVersion
from scan.pop.signing import services as signing
from tests.factories import PASSWORD, login
from tests.pop.world import build, english, make_pop, pop_counts, snapshot


@pytest.fixture
def w(app: Any) -> dict[str, Any]:
    return build(app)


def _user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def _version(app: Any, pop_id: int, number: int | None = None) -> dict[str, Any]:
    with app.app_context():
        query = select(PopVersion).where(PopVersion.pop_id == pop_id)
        newest = query.order_by(PopVersion.number.desc())
        query = query.where(PopVersion.number == number) if number else newest
        v = db.session.scalars(query).first()
        return {
            "number": v.number,
            "status": v.status,
            "proposed_at": v.proposed_at,
            "comment": v.leader_comment,
            "agreed_at": v.agreed_at,
            "agreed_by": v.agreed_by_id,
            "pro_signed": v.professional_signed_at,
            "leader_signed": v.leader_signed_at,
            "leader_signed_by": v.leader_signed_by_id,
        }


def _set_status(app: Any, pop_id: int, status: str) -> None:
    with app.app_context():
        version = db.session.scalars(select(PopVersion).where(PopVersion.pop_id == pop_id)).one()
        version.status = status
        db.session.commit()


def _signed_pop(app: Any, w: dict[str, Any]) -> dict[str, int]:
    ids = make_pop(app, w, status=PopStatus.AGREED)
    with app.app_context():
        pop = db.session.get(Pop, ids["pop"])
        signing.sign(pop, _user(w["anna"]), PASSWORD, "127.0.0.1")
        signing.sign(pop, _user(w["leader"]), PASSWORD, "127.0.0.1")
        db.session.commit()
    return ids


# The rules, without HTTP.


def test_the_whole_flow_records_who_and_when(app, w):
    ids = make_pop(app, w)
    with app.app_context():
        pop, anna, lies = db.session.get(Pop, ids["pop"]), _user(w["anna"]), _user(w["leader"])
        assert signing.propose(pop, anna).status == PopStatus.PROPOSED
        assert signing.agree(pop, lies).status == PopStatus.AGREED
        # Order does not matter: the leader first here.
        assert signing.sign(pop, lies, PASSWORD, "1.2.3.4").status == PopStatus.AGREED
        assert signing.sign(pop, anna, PASSWORD, "1.2.3.4").status == PopStatus.SIGNED
        db.session.commit()
        lies_id = lies.id
    v = _version(app, ids["pop"])
    assert v["status"] == PopStatus.SIGNED
    assert v["proposed_at"] and v["agreed_at"] and v["pro_signed"] and v["leader_signed"]
    assert v["agreed_by"] == lies_id and v["leader_signed_by"] == lies_id


def test_a_plan_needs_goals_with_actions_before_it_can_be_proposed(app, w):
    ids = make_pop(app, w)
    with app.app_context():
        pop, anna = db.session.get(Pop, ids["pop"]), _user(w["anna"])
        db.session.add(
            PopGoal(
                version_id=ids["version"],
                position=2,
                item_id=w["items"]["LG01-A1"],
                description="Schulden herkennen",
            )
        )
        db.session.flush()
        with pytest.raises(RuleError) as error:
            signing.propose(pop, anna)
        assert "Schulden herkennen" in error.value.message
        assert "Beter contact maken" not in error.value.message
        db.session.rollback()
        for goal in db.session.scalars(select(PopGoal)):
            db.session.delete(goal)
        db.session.flush()
        with pytest.raises(RuleError, match="minstens één doel"):
            signing.propose(pop, anna)
        db.session.rollback()
    assert _version(app, ids["pop"])["status"] == PopStatus.DRAFT


def test_sending_back_needs_a_comment_and_the_returned_plan_can_be_proposed_again(app, w):
    ids = make_pop(app, w, status=PopStatus.PROPOSED)
    with app.app_context():
        pop, anna, lies = db.session.get(Pop, ids["pop"]), _user(w["anna"]), _user(w["leader"])
        with pytest.raises(RuleError) as error:
            signing.send_back(pop, lies, "   ")
        assert error.value.field == "comment"
        returned = signing.send_back(pop, lies, " Voeg een termijn toe. ")
        assert returned.leader_comment == "Voeg een termijn toe."
        assert latest_status(pop) == PopStatus.RETURNED
        assert signing.propose(pop, anna).status == PopStatus.PROPOSED
        db.session.commit()


def latest_status(pop: Pop) -> str:
    return pop.versions[-1].status


@pytest.mark.parametrize("who", ["bert", "outsider", "other_leader", "regio", "admin"])
def test_the_rules_refuse_anyone_but_the_two_parties(app, w, who):
    ids = make_pop(app, w, status=PopStatus.PROPOSED)
    with app.app_context():
        pop, user = db.session.get(Pop, ids["pop"]), _user(w[who])
        for attempt in (
            lambda: signing.agree(pop, user),
            lambda: signing.send_back(pop, user, "nee"),
            lambda: signing.sign(pop, user, PASSWORD, "1.2.3.4"),
            lambda: signing.propose(pop, user),
            lambda: signing.start_new_version(pop, user),
        ):
            with pytest.raises(RuleError):
                attempt()
        db.session.rollback()
    assert _version(app, ids["pop"])["status"] == PopStatus.PROPOSED


def test_each_party_does_only_their_own_step(app, w):
    ids = make_pop(app, w)
    with app.app_context():
        pop, anna, lies = db.session.get(Pop, ids["pop"]), _user(w["anna"]), _user(w["leader"])
        with pytest.raises(RuleError):
            signing.propose(pop, lies)
        signing.propose(pop, anna)
        with pytest.raises(RuleError):
            signing.agree(pop, anna)
        with pytest.raises(RuleError):  # not agreed yet
            signing.sign(pop, anna, PASSWORD, "1.2.3.4")
        signing.agree(pop, lies)
        signing.sign(pop, anna, PASSWORD, "1.2.3.4")
        with pytest.raises(RuleError, match="al ondertekend"):
            signing.sign(pop, anna, PASSWORD, "1.2.3.4")
        db.session.rollback()


def test_a_wrong_password_records_nothing_and_repeated_ones_are_throttled_with_the_login(app, w, client):
    ids = make_pop(app, w, status=PopStatus.AGREED)
    with app.app_context():
        pop, anna = db.session.get(Pop, ids["pop"]), _user(w["anna"])
        for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
            with pytest.raises(RuleError, match="niet je wachtwoord") as error:
                signing.sign(pop, anna, "verkeerd-wachtwoord", "1.2.3.4")
            assert error.value.field == "password"
            db.session.commit()  # as the route does: the count stays
        with pytest.raises(RuleError, match="Te veel mislukte pogingen"):
            signing.sign(pop, anna, PASSWORD, "1.2.3.4")
        db.session.commit()
        # Every attempt, the refused one too, is recorded before the check: per account and per (account,
        # address).
        assert db.session.scalar(select(func.count()).select_from(LoginFailure)) == 12
    v = _version(app, ids["pop"])
    assert v["pro_signed"] is None and v["status"] == PopStatus.AGREED
    # The login page counts the same failures (from the same address).
    client.environ_base["REMOTE_ADDR"] = "1.2.3.4"
    html = login(client, w["anna"], follow=True).get_data(as_text=True)
    assert "Te veel mislukte pogingen. Wacht 15 minuten en probeer het dan opnieuw." in html


def test_a_signed_version_cannot_be_proposed_agreed_or_signed_again(app, w):
    ids = _signed_pop(app, w)
    before = snapshot(app)
    with app.app_context():
        pop, anna, lies = db.session.get(Pop, ids["pop"]), _user(w["anna"]), _user(w["leader"])
        for attempt in (
            lambda: signing.propose(pop, anna),
            lambda: signing.agree(pop, lies),
            lambda: signing.send_back(pop, lies, "nee"),
            lambda: signing.sign(pop, lies, PASSWORD, "1.2.3.4"),
        ):
            with pytest.raises(RuleError):
                attempt()
        db.session.rollback()
    assert snapshot(app) == before


def test_a_new_version_copies_goals_and_actions_and_leaves_version_1_as_it_was(app, w):
    ids = _signed_pop(app, w)
    with app.app_context():
        action = db.session.get(PopAction, ids["action"])
        action.status, action.reflection = "afgerond", "Veel geleerd over open vragen"
        db.session.commit()
    before = snapshot(app)
    with app.app_context():
        pop, anna = db.session.get(Pop, ids["pop"]), _user(w["anna"])
        new = signing.start_new_version(pop, anna)
        db.session.commit()
        assert (new.number, new.status) == (2, PopStatus.DRAFT)
        assert [(g.item_id, g.description, g.reason_kind, g.reason) for g in new.goals] == [
            (w["items"]["GC01"], "Beter contact maken", "ambition", "Ambitie 3, niveau 2")
        ]
        copied = new.goals[0].actions[0]
        assert copied.id != ids["action"]
        assert (copied.type, copied.status, copied.reflection, copied.training_id) == (
            "training",
            "afgerond",
            "Veel geleerd over open vragen",
            w["trainings"]["TR-GC01"],
        )
        with pytest.raises(RuleError, match="vanuit een ondertekend plan"):  # version 2 is a draft
            signing.start_new_version(pop, anna)
        db.session.rollback()
    assert set(before) <= set(snapshot(app))  # version 1, its goal and action: unchanged
    assert _version(app, ids["pop"], 1)["status"] == PopStatus.SIGNED
    assert pop_counts(app) == {"Pop": 1, "PopVersion": 2, "PopGoal": 2, "PopAction": 2}


def test_the_actions_that_apply_to_each_viewer(app, w):
    ids = _signed_pop(app, w)
    with app.app_context():
        pop, anna, lies = db.session.get(Pop, ids["pop"]), _user(w["anna"]), _user(w["leader"])
        v1 = pop.versions[0]
        assert signing.available_actions(anna, pop, v1).can_start_new_version
        assert not signing.available_actions(lies, pop, v1).can_start_new_version
        signing.start_new_version(pop, anna)
        acts = signing.available_actions(anna, pop, v1)
        assert not acts.is_latest and not acts.can_start_new_version and not acts.can_propose
        v2 = pop.versions[-1]
        assert signing.available_actions(anna, pop, v2).can_propose
        assert not signing.available_actions(lies, pop, v2).can_review
        signing.propose(pop, anna)
        assert signing.available_actions(lies, pop, v2).can_review
        assert not signing.available_actions(anna, pop, v2).can_review
        db.session.rollback()


# As the users see it.


def _detail(client: Any, pop_id: int, versie: int | None = None) -> str:
    url = f"/pop/{pop_id}" + (f"?versie={versie}" if versie else "")
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_propose_review_send_back_and_agree_as_the_users_see_it(app, w):
    ids = make_pop(app, w)
    anna, lies = app.test_client(), app.test_client()
    login(anna, w["anna"])
    login(lies, w["leader"])
    page = f"/pop/{ids['pop']}"
    html = _detail(anna, ids["pop"])
    assert "Concept" in html and "Voorstellen aan mijn teamleider" in html
    response = anna.submit(f"{page}/voorstellen", page=page)
    assert response.status_code == 302 and response.headers["Location"].endswith(page)
    html = _detail(anna, ids["pop"])
    assert "Je plan is naar je teamleider gestuurd." in html
    assert "Voorgesteld aan de teamleider" in html and "Voorstellen aan mijn teamleider" not in html

    html = _detail(lies, ids["pop"])
    assert "Dit plan doornemen" in html
    review = f"{page}/beoordelen"
    # Sending back without a comment: an error, and what was chosen stays.
    response = lies.submit(review, {"decision": "send_back", "comment": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "<title>Fout:" in html
    assert 'href="#comment"' in html and "Schrijf wat er moet veranderen" in html
    assert re.search(r'<input checked[^>]*value="send_back"', html)
    # No decision: an error, and the typed comment stays.
    response = lies.submit(review, {"comment": "Mijn halve opmerking"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'href="#decision"' in html
    assert "Mijn halve opmerking</textarea>" in html
    response = lies.submit(review, {"decision": "send_back", "comment": "Plan de training voor de zomer."})
    assert response.status_code == 302
    assert "teruggestuurd naar Anna Aalders" in _detail(lies, ids["pop"])

    html = _detail(anna, ids["pop"])
    assert "Teruggestuurd door de teamleider" in html and "Plan de training voor de zomer." in html
    anna.submit(f"{page}/voorstellen", page=page)
    response = lies.submit(review, {"decision": "agree"})
    assert response.status_code == 302
    html = _detail(lies, ids["pop"])
    assert "Je bent akkoord met het plan." in html and "Plan ondertekenen" in html
    assert _version(app, ids["pop"])["status"] == PopStatus.AGREED


def test_signing_with_the_password_as_the_users_see_it(app, w):
    ids = make_pop(app, w, status=PopStatus.AGREED)
    anna, lies = app.test_client(), app.test_client()
    login(anna, w["anna"])
    login(lies, w["leader"])
    sign = f"/pop/{ids['pop']}/ondertekenen"
    html = anna.get(sign).get_data(as_text=True)
    assert 'autocomplete="current-password"' in html and 'type="password"' in html
    response = anna.submit(sign, {"password": "niet-mijn-wachtwoord"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "<title>Fout:" in html and 'href="#password"' in html
    assert "Dat is niet je wachtwoord. Er is niets ondertekend." in html
    assert _version(app, ids["pop"])["pro_signed"] is None
    response = anna.submit(sign, {"password": ""})
    assert response.status_code == 422

    assert anna.submit(sign, {"password": PASSWORD}).status_code == 302
    html = _detail(anna, ids["pop"])
    assert "Je hebt het plan ondertekend. Wacht op de andere handtekening." in html
    assert "Anna Aalders, " in html and "nog niet ondertekend" in html
    # Signing twice is not offered.
    assert anna.get(sign).status_code == 302

    assert lies.submit(sign, {"password": PASSWORD}).status_code == 302
    html = _detail(lies, ids["pop"])
    assert "Beiden hebben ondertekend" in html and "Lies Leider, " in html
    assert "nog niet ondertekend" not in html
    assert _version(app, ids["pop"])["status"] == PopStatus.SIGNED


def test_a_new_version_from_the_page_and_version_1_stays_readable(app, w):
    ids = _signed_pop(app, w)
    client = app.test_client()
    login(client, w["anna"])
    page = f"/pop/{ids['pop']}"
    html = _detail(client, ids["pop"])
    assert "Ondertekend" in html and "Nieuwe versie starten" in html
    response = client.submit(f"{page}/nieuwe-versie", page=page)
    assert response.status_code == 302
    html = _detail(client, ids["pop"])
    assert "Versie 2 is gestart." in html and "Concept" in html
    assert f'href="/pop/{ids["pop"]}?versie=1"' in html
    html = _detail(client, ids["pop"], versie=1)
    assert "Ondertekend" in html and "Dit is een eerdere versie." in html and "Anna Aalders, " in html
    # A second POST does not start version 3 from a draft.
    client.submit(f"{page}/nieuwe-versie", page=page)
    assert pop_counts(app)["PopVersion"] == 2
    assert "alleen vanuit een ondertekend plan" in _detail(client, ids["pop"])


def test_proposing_an_incomplete_plan_says_what_is_missing(app, w):
    ids = make_pop(app, w)
    with app.app_context():
        db.session.delete(db.session.get(PopAction, ids["action"]))
        db.session.commit()
    client = app.test_client()
    login(client, w["anna"])
    page = f"/pop/{ids['pop']}"
    client.submit(f"{page}/voorstellen", page=page)
    html = _detail(client, ids["pop"])
    assert "Het plan kan nog niet worden voorgesteld." in html and "Beter contact maken" in html
    assert _version(app, ids["pop"])["status"] == PopStatus.DRAFT


def test_the_signing_part_in_english(app, w):
    ids = make_pop(app, w, status=PopStatus.RETURNED)
    with app.app_context():
        db.session.get(PopVersion, ids["version"]).leader_comment = "Add a period."
        db.session.commit()
    client = app.test_client()
    english(client)
    login(client, w["anna"])
    html = _detail(client, ids["pop"])
    assert "Sent back by the team leader" in html and "Add a period." in html
    assert "Propose to my team leader" in html


# Privacy: every route as the wrong person.

ROUTES = (
    ("POST", "voorstellen", {}),
    ("GET", "beoordelen", None),
    ("POST", "beoordelen", {"decision": "send_back", "comment": "nee"}),
    ("GET", "ondertekenen", None),
    ("POST", "ondertekenen", {"password": PASSWORD}),
    ("POST", "nieuwe-versie", {}),
)


@pytest.mark.parametrize("status", [PopStatus.DRAFT, PopStatus.PROPOSED, PopStatus.AGREED, PopStatus.SIGNED])
@pytest.mark.parametrize("who", ["bert", "outsider", "other_leader", "regio", "admin", "anonymous"])
def test_every_route_refuses_the_wrong_person_and_changes_nothing(app, w, who, status):
    ids = make_pop(app, w, status=status)
    before, version_before = snapshot(app), _version(app, ids["pop"])
    client = app.test_client()
    if who != "anonymous":
        login(client, w[who])
    for method, path, data in ROUTES:
        url = f"/pop/{ids['pop']}/{path}"
        if method == "GET":
            response = client.get(url)
        else:
            page = "/inloggen" if who == "anonymous" else "/account/wachtwoord"
            response = client.submit(url, data, page=page)
        if who == "anonymous":
            assert response.status_code == 302 and "/inloggen?next=" in response.headers["Location"], url
        else:
            assert response.status_code == 403, (method, url, response.status_code)
    assert snapshot(app) == before and _version(app, ids["pop"]) == version_before
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LoginFailure)) == 0


def test_each_party_is_refused_the_other_partys_routes(app, w):
    ids = make_pop(app, w, status=PopStatus.PROPOSED)
    anna, lies = app.test_client(), app.test_client()
    login(anna, w["anna"])
    login(lies, w["leader"])
    base = f"/pop/{ids['pop']}"
    other = "/account/wachtwoord"
    assert anna.get(f"{base}/beoordelen").status_code == 403
    assert anna.submit(f"{base}/beoordelen", {"decision": "agree"}, page=other).status_code == 403
    assert lies.submit(f"{base}/voorstellen", page=other).status_code == 403
    assert lies.submit(f"{base}/nieuwe-versie", page=other).status_code == 403
    assert _version(app, ids["pop"])["status"] == PopStatus.PROPOSED
    assert anna.get("/pop/999999/ondertekenen").status_code == 404
