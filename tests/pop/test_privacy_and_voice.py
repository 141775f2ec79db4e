"""Who reads which version of a POP, how the page addresses each reader, and which proposals come first.

- A draft is the professional's own until they propose it, like a scan draft: the team leader gets 403 on
  every page of a POP never proposed (the plan, its PDF, review, sign) and the overview shows only that a
  draft exists. Once proposed and signed, a new draft version stays hidden: the leader reads the last
  proposed version (page and PDF), and asking for the draft's number is 404.
- The page speaks to its reader: the professional as "you", the team leader as the leader (never "your
  ambition", "your team leader", "Write about your own development"), in Dutch and English; the PDF both
  sign reads the same for both.
- Proposals: team priorities first in the team's order, then the own ambition gaps; the first three are
  shown, the rest behind "more suggestions" (a <details>, no JavaScript).
"""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from scan.auth.models import User
from scan.extensions import db
from scan.pop.models import Pop, PopGoal, PopStatus
from scan.pop.signing import services as signing
from scan.teamschouw.models import TeamPriority
from tests.factories import PASSWORD, login
from tests.pop import world as pop_world
from tests.pop.world import english


@pytest.fixture
def w(app: Any) -> dict[str, Any]:
    return pop_world.build(app)


def _client(app: Any, w: dict[str, Any], who: str, lang: str = "nl") -> Any:
    client = app.test_client()
    if lang == "en":
        english(client)
    login(client, w[who])
    return client


def _main(html: str) -> str:
    """The page's main content as text, tags removed."""
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))
    return re.sub(r" ([:.,)])", r"\1", text)


def _words(body: bytes) -> str:
    reader = PdfReader(io.BytesIO(body))
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))


def _user(w: dict[str, Any], key: str) -> User:
    return db.session.scalar(select(User).where(User.username == w[key]))


def _signed_then_redrafted(app: Any, w: dict[str, Any]) -> dict[str, int]:
    """Anna's POP: version 1 signed by both, version 2 her draft with a goal text of its own."""
    ids = pop_world.make_pop(app, w, status=PopStatus.AGREED)
    with app.app_context():
        pop = db.session.get(Pop, ids["pop"])
        signing.sign(pop, _user(w, "anna"), PASSWORD, "127.0.0.1")
        signing.sign(pop, _user(w, "leader"), PASSWORD, "127.0.0.1")
        new = signing.start_new_version(pop, _user(w, "anna"))
        new.goals[0].description = "Geheim nieuw doel in wording"
        db.session.commit()
    return ids


# --- a draft is private -------------------------------------------------------------------------------


def test_the_leader_reads_nothing_of_a_pop_never_proposed(app: Any, w: dict[str, Any]) -> None:
    ids = pop_world.make_pop(app, w)  # a draft, never proposed
    p, g, a = ids["pop"], ids["goal"], ids["action"]
    leader = _client(app, w, "leader")
    for url in (f"/pop/{p}", f"/pop/{p}?versie=1", f"/pop/{p}/pop.pdf", f"/pop/{p}/pop.pdf?versie=1",
                f"/pop/{p}/beoordelen", f"/pop/{p}/ondertekenen", f"/pop/{p}/doelen/{g}/wijzigen",
                f"/pop/{p}/acties/{a}/wijzigen"):
        response = leader.get(url)
        assert response.status_code == 403, url
        assert "Beter contact maken" not in response.get_data(as_text=True)
    # The overview tells that a draft exists, and nothing of it: no link, no numbers.
    html = leader.get(f"/teams/{w['team']}/pops").get_data(as_text=True)
    row = next(r for r in re.findall(r"<tr class=\"utrecht-table__row\">(.*?)</tr>", html, re.S)
               if "Anna Aalders" in r)
    assert "Concept, nog niet voorgesteld" in row
    assert f"/pop/{p}" not in html and "van 1" not in row and "—" in row
    assert "Beter contact maken" not in html and "Training volgen" not in html
    # The professional reads her own draft, of course.
    anna = _client(app, w, "anna")
    assert anna.get(f"/pop/{p}").status_code == 200 and anna.get(f"/pop/{p}/pop.pdf").status_code == 200


def test_once_proposed_the_leader_reads_it(app: Any, w: dict[str, Any]) -> None:
    ids = pop_world.make_pop(app, w)
    anna = _client(app, w, "anna")
    assert anna.submit(f"/pop/{ids['pop']}/voorstellen", page=f"/pop/{ids['pop']}").status_code == 302
    leader = _client(app, w, "leader")
    response = leader.get(f"/pop/{ids['pop']}")
    assert response.status_code == 200 and "Beter contact maken" in response.get_data(as_text=True)
    assert "Beter contact maken" in _words(leader.get(f"/pop/{ids['pop']}/pop.pdf").data)
    assert f'href="/pop/{ids["pop"]}"' in leader.get(f"/teams/{w['team']}/pops").get_data(as_text=True)


def test_a_new_draft_version_stays_hidden_behind_the_last_proposed_one(app: Any, w: dict[str, Any]) -> None:
    ids = _signed_then_redrafted(app, w)
    p = ids["pop"]
    leader = _client(app, w, "leader")
    html = leader.get(f"/pop/{p}").get_data(as_text=True)
    text = _main(html)
    # Version 1 as signed, and a word that a new version is on its way; nothing of version 2.
    assert 'id="pop-status">Ondertekend<' in html
    assert "Beter contact maken" in text and "Geheim nieuw doel" not in text
    assert "Anna Aalders werkt aan een nieuwe versie van dit plan." in text
    assert "Versie 2" not in text and "?versie=2" not in html
    assert "Dit is een eerdere versie" not in text
    assert leader.get(f"/pop/{p}?versie=2").status_code == 404
    assert leader.get(f"/pop/{p}/pop.pdf?versie=2").status_code == 404
    words = _words(leader.get(f"/pop/{p}/pop.pdf").data)
    assert "Versie 1 van 1: Ondertekend" in words
    assert "Beter contact maken" in words and "Geheim nieuw doel" not in words
    # The overview counts the signed version.
    html = leader.get(f"/teams/{w['team']}/pops").get_data(as_text=True)
    assert 'data-member-status="signed"' in html and "Geheim" not in html
    # Anna works on version 2.
    anna = _client(app, w, "anna")
    html = anna.get(f"/pop/{p}").get_data(as_text=True)
    assert 'id="pop-status">Concept<' in html and "Geheim nieuw doel in wording" in html
    # Proposed, version 2 is the leader's to read.
    assert anna.submit(f"/pop/{p}/voorstellen", page=f"/pop/{p}").status_code == 302
    text = _main(leader.get(f"/pop/{p}").get_data(as_text=True))
    assert "Geheim nieuw doel in wording" in text and "werkt aan een nieuwe versie" not in text


# --- the voice: the professional as "you", the leader as the leader -----------------------------------

# Words that address the professional; the leader's pages never contain them.
TO_THE_PROFESSIONAL = {
    "nl": ("jouw ambitie", "Je ambitie", "je teamleider", "Je teamleider", "je eigen ontwikkeling",
           "Voeg toe wat je", "je ontwikkelplan", "Stuur je plan"),
    "en": ("your own ambition", "Your ambition", "your team leader", "Your team leader",
           "your own development", "Add what you will do", "your development plan", "your goals"),
}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_plan_page_speaks_to_the_leader_as_the_leader(app: Any, w: dict[str, Any], lang: str) -> None:
    anna_client = _client(app, w, "anna", lang)
    start = anna_client.submit("/mijn/pop/starten", page="/mijn/pop")
    p = int(start.headers["Location"].rsplit("/", 1)[-1])
    # Her own gap GC01 (2 → 3), adopted from the proposals, with an action so it can be proposed.
    assert anna_client.submit(f"/pop/{p}/voorgestelde-doelen/overnemen", {"item_id": w["items"]["GC01"]},
                              page=f"/pop/{p}").status_code == 302
    with app.app_context():
        goal_id = db.session.scalar(select(PopGoal.id).where(PopGoal.item_id == w["items"]["GC01"]))
    assert anna_client.submit(f"/pop/{p}/doelen/{goal_id}/acties/nieuw",
                              {"type": "zelfstudie", "description": "Boek lezen", "hours": "2"},
                              page=f"/pop/{p}/doelen/{goal_id}/acties/nieuw").status_code == 302

    own = _main(anna_client.get(f"/pop/{p}").get_data(as_text=True))
    assert {"nl": "jouw ambitie: Je ambitie is niveau 3; je schatte jezelf in op niveau 2.",
            "en": "your own ambition: Your ambition is level 3; you rated yourself at level 2."}[lang] in own
    assert {"nl": "Schrijf alleen over je eigen ontwikkeling",
            "en": "Write about your own development only"}[lang] in own
    assert anna_client.submit(f"/pop/{p}/voorstellen", page=f"/pop/{p}").status_code == 302

    leader = _client(app, w, "leader", lang)
    text = _main(leader.get(f"/pop/{p}").get_data(as_text=True))
    assert {"nl": "eigen ambitie: Ambitie niveau 3; zelf ingeschat op niveau 2.",
            "en": "own ambition: Ambition level 3; self-assessed level 2."}[lang] in text
    assert {"nl": "Anna Aalders heeft dit plan aan je voorgesteld.",
            "en": "Anna Aalders proposed this plan to you."}[lang] in text
    for words in TO_THE_PROFESSIONAL[lang]:
        assert words not in text, words

    # The PDF both sign: the same neutral words for either reader.
    for client in (anna_client, leader):
        pdf = _words(client.get(f"/pop/{p}/pop.pdf").data)
        assert {"nl": "eigen ambitie – Ambitie niveau 3; zelf ingeschat op niveau 2.",
                "en": "own ambition – Ambition level 3; self-assessed level 2."}[lang] in pdf
        for words in (*TO_THE_PROFESSIONAL[lang], "Wat ik wil leren", "What I want to learn"):
            assert words not in pdf, words


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_signing_page_speaks_to_whoever_signs(app: Any, w: dict[str, Any], lang: str) -> None:
    ids = pop_world.make_pop(app, w, status=PopStatus.PROPOSED)
    leader = _client(app, w, "leader", lang)
    agree = {"decision": "agree", "comment": ""}
    assert leader.submit(f"/pop/{ids['pop']}/beoordelen", agree,
                         page=f"/pop/{ids['pop']}/beoordelen").status_code == 302
    anna = _client(app, w, "anna", lang)
    own = _main(anna.get(f"/pop/{ids['pop']}/ondertekenen").get_data(as_text=True))
    theirs = _main(leader.get(f"/pop/{ids['pop']}/ondertekenen").get_data(as_text=True))
    if lang == "nl":
        assert "Je ondertekent versie 1 van je ontwikkelplan. Je teamleider ging akkoord op" in own
        assert "van Anna Aalders" not in own
        assert "Je ondertekent versie 1 van het ontwikkelplan van Anna Aalders. Je ging akkoord op" in theirs
    else:
        assert "You sign version 1 of your development plan. Your team leader agreed on" in own
        assert "of Anna Aalders" not in own
        assert "You sign version 1 of the development plan of Anna Aalders. You agreed on" in theirs
    for words in TO_THE_PROFESSIONAL[lang]:
        assert words not in theirs, words


# --- proposals: the three most important first ---------------------------------------------------------


def test_three_proposals_first_and_the_rest_behind_more_suggestions(app: Any, w: dict[str, Any]) -> None:
    with app.app_context():
        # Two more team priorities on items (proposed even without a gap), after the world's two.
        db.session.add_all([
            TeamPriority(round_id=w["round"], item_id=w["items"]["LG02-A1"], position=3, reason="Huur",
                         created_by_id=w["leader_id"]),
            TeamPriority(round_id=w["round"], item_id=w["items"]["LG01-S1"], position=4, reason="Specialist",
                         created_by_id=w["leader_id"]),
        ])
        db.session.commit()
    anna = _client(app, w, "anna")
    start = anna.submit("/mijn/pop/starten", page="/mijn/pop")
    html = anna.get(start.headers["Location"]).get_data(as_text=True)
    first = html.split('id="proposals"', 1)[1].split("</ol>", 1)[0]
    more = html.split('id="more-proposals"', 1)[1].split("</details>", 1)[0]
    codes = lambda part: re.findall(r'class="app-pop-proposal" data-item="([^"]+)"', part)  # noqa: E731
    # The ranking of scan.pop.proposals: the team's priorities in the team's order (the leefgebied LG01
    # gives Anna's gap LG01-A1; then the items GC02, LG02-A1, LG01-S1), then her own ambition gap GC01.
    assert codes(first) == ["LG01-A1", "GC02", "LG02-A1"]
    assert codes(more) == ["LG01-S1", "GC01"]
    assert "<summary>Meer suggesties (2)</summary>" in more and 'start="4"' in more
    assert "Een tot drie doelen is meestal genoeg" in _main(html)
