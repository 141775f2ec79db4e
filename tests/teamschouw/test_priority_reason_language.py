"""A team priority taken over from the app's suggestion stores the facts behind its reason and words them
for each reader: taken over by a Dutch team leader, read in English (and the reverse) on the priorities
page, the members' "Mijn team" page, the team report PDF, the POP's proposed goals, the POP and its PDF.
A reason the leader typed, and a row stored before the facts were, show as they are."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from scan.extensions import db
from scan.pop.models import PopGoal, PopStatus, PopVersion
from scan.teamschouw.models import TeamPriority
from tests.factories import login
from tests.pop import world as pop_world
from tests.teamschouw.plan_world import base, english

# GC01 for Anna (2, ambition 3) and Bert (1, ambition 2): Bert is below the norm, both want to grow.
NL_REASON = "1 van 2 onder de norm; 2 van 2 willen groeien"
EN_REASON = "1 of 2 below the norm; 2 of 2 want to grow"
TYPED = "Vraagverheldering bij multiprobleem"  # the pop world's typed reason for GC02


@pytest.fixture
def w(app: Any) -> dict[str, Any]:
    return pop_world.build(app)


def _client(app: Any, w: dict[str, Any], who: str, lang: str) -> Any:
    client = app.test_client()
    if lang == "en":
        english(client)
    login(client, w[who])
    return client


def _words(body: bytes) -> str:
    reader = PdfReader(io.BytesIO(body))
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _take_over_gc01(app: Any, w: dict[str, Any], lang: str) -> None:
    leader = _client(app, w, "leader", lang)
    page = f"{base(w)}/prioriteiten"
    response = leader.submit(f"{base(w)}/prioriteiten/overnemen", {"item_id": w["items"]["GC01"]}, page=page)
    assert response.status_code == 302


def _priority_row(html: str, code: str) -> str:
    return _text(re.search(rf'data-priority="{code}">(.*?)</tr>', html, re.S).group(1))


def _adopt_gc01(app: Any, w: dict[str, Any], lang: str) -> tuple[int, str]:
    """Anna, reading in `lang`, starts her POP; returns its id and the proposals as she saw them."""
    anna = _client(app, w, "anna", lang)
    response = anna.submit("/mijn/pop/starten", page="/mijn/pop")
    pop_id = int(response.headers["Location"].rsplit("/", 1)[-1])
    proposals = anna.get(f"/pop/{pop_id}").get_data(as_text=True)
    response = anna.submit(
        f"/pop/{pop_id}/voorgestelde-doelen/overnemen", {"item_id": w["items"]["GC01"]}, page=f"/pop/{pop_id}"
    )
    assert response.status_code == 302
    with app.app_context():
        version = db.session.scalars(select(PopVersion).where(PopVersion.pop_id == pop_id)).one()
        version.status = PopStatus.PROPOSED  # so the team leader reads it too
        db.session.commit()
    return pop_id, proposals


@pytest.mark.parametrize(("taken", "read", "stored", "shown", "other"), [
    ("nl", "en", NL_REASON, EN_REASON, NL_REASON),
    ("en", "nl", EN_REASON, NL_REASON, EN_REASON),
])
def test_a_suggestion_taken_over_reads_in_each_readers_language(
    app: Any, w: dict[str, Any], taken: str, read: str, stored: str, shown: str, other: str
) -> None:
    _take_over_gc01(app, w, taken)
    with app.app_context():
        priority = db.session.scalars(
            select(TeamPriority).where(TeamPriority.item_id == w["items"]["GC01"])
        ).one()
        # The facts are stored; the text is the leader's wording of the day, kept only as a fallback.
        assert priority.reason_facts == {
            "members": 2, "below_norm": 1, "wants_growth": 2, "risk": None, "specialists": None, "norm": None
        }
        assert priority.reason == stored

    leader = _client(app, w, "leader", read)
    row = _priority_row(leader.get(f"{base(w)}/prioriteiten").get_data(as_text=True), "GC01")
    assert shown in row and other not in row
    words = _words(leader.get(f"{base(w)}/rapport.pdf").data)
    assert shown in words and other not in words
    assert TYPED in words  # a typed reason is never translated

    anna = _client(app, w, "anna", read)
    mine = _text(anna.get("/mijn/team").get_data(as_text=True))
    assert shown in mine and other not in mine and TYPED in mine

    pop_id, proposals = _adopt_gc01(app, w, read)
    assert shown in _text(proposals) and other not in _text(proposals)
    with app.app_context():
        goal = db.session.scalars(select(PopGoal).join(PopVersion).where(PopVersion.pop_id == pop_id)).one()
        assert goal.reason_kind == "team_priority" and goal.reason_facts == priority.reason_facts

    # The goal is read by both in either language, on the page and in the PDF both sign.
    for who in ("anna", "leader"):
        for lang, words_shown, words_other in ((taken, other, shown), (read, shown, other)):
            client = _client(app, w, who, lang)
            html = _text(client.get(f"/pop/{pop_id}").get_data(as_text=True))
            assert words_shown in html and words_other not in html
            pdf = _words(client.get(f"/pop/{pop_id}/pop.pdf").data)
            assert words_shown in pdf and words_other not in pdf


def test_an_old_row_with_only_its_text_still_shows(app: Any, w: dict[str, Any]) -> None:
    """Priorities taken over before the facts were stored keep their sentence, in the language of the day."""
    with app.app_context():
        db.session.add(TeamPriority(
            round_id=w["round"], item_id=w["items"]["GC01"], position=3, source="suggested",
            reason=NL_REASON, created_by_id=w["leader_id"],
        ))
        db.session.commit()
    leader = _client(app, w, "leader", "en")
    assert NL_REASON in _priority_row(leader.get(f"{base(w)}/prioriteiten").get_data(as_text=True), "GC01")
    assert NL_REASON in _words(leader.get(f"{base(w)}/rapport.pdf").data)
    anna = _client(app, w, "anna", "en")
    assert NL_REASON in _text(anna.get("/mijn/team").get_data(as_text=True))
    pop_id, proposals = _adopt_gc01(app, w, "en")
    assert NL_REASON in _text(proposals)
    assert NL_REASON in _text(anna.get(f"/pop/{pop_id}").get_data(as_text=True))
