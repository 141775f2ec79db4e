"""A goal's reason is stored as facts and worded for each reader: adopted in one language, read in the
other on the plan page and in the PDF. Typed text (the team's reason) and sentences stored before stay as
they are."""

from __future__ import annotations

import importlib.util
import io
import re
from pathlib import Path
from typing import Any

import pytest
from flask_babel import force_locale
from pypdf import PdfReader
from sqlalchemy import select

from scan.auth.models import User
from scan.extensions import db
from scan.pop.models import Pop, PopGoal, PopStatus, PopVersion
from scan.pop.reasons import reason_sentence
from scan.pop.signing.services import start_new_version
from tests.factories import login
from tests.pop import world as pop_world
from tests.pop.world import english

NL_SELF = "Je ambitie is niveau 3; je schatte jezelf in op niveau 2."
EN_SELF = "Your ambition is level 3; you rated yourself at level 2."
# To the team leader and in the PDF both sign: the same facts, not addressed to the professional.
NL_SHARED = "Ambitie niveau 3; zelf ingeschat op niveau 2."
EN_SHARED = "Ambition level 3; self-assessed level 2."
TEAM_REASON = "Veel vragen over schulden in de wijk"


@pytest.fixture
def w(app: Any) -> dict[str, Any]:
    return pop_world.build(app)


def _words(body: bytes) -> str:
    reader = PdfReader(io.BytesIO(body))
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))


def _adopt(app: Any, w: dict[str, Any], lang: str) -> int:
    """Anna, reading the app in `lang`, starts her POP and adopts GC01 (her own gap) and LG01-A1 (a team
    priority)."""
    client = app.test_client()
    if lang == "en":
        english(client)
    login(client, w["anna"])
    response = client.submit("/mijn/pop/starten", page="/mijn/pop")
    pop_id = int(response.headers["Location"].rsplit("/", 1)[-1])
    url = f"/pop/{pop_id}"
    for code in ("GC01", "LG01-A1"):
        item = {"item_id": w["items"][code]}
        response = client.submit(f"{url}/voorgestelde-doelen/overnemen", item, page=url)
        assert response.status_code == 302
    return pop_id


def _proposed(app: Any, pop_id: int) -> None:
    """The team leader reads a POP only once it has been proposed (a draft is the professional's own)."""
    with app.app_context():
        version = db.session.get(Pop, pop_id).versions[-1]
        version.status = PopStatus.PROPOSED
        db.session.commit()


def _reader(app: Any, w: dict[str, Any], who: str, lang: str) -> Any:
    client = app.test_client()
    if lang == "en":
        english(client)
    login(client, w[who])
    return client


def _stored(app: Any, pop_id: int) -> dict[str, tuple[Any, ...]]:
    with app.app_context():
        goals = db.session.scalars(select(PopGoal).join(PopVersion).where(PopVersion.pop_id == pop_id))
        return {
            g.item.code: (g.reason_kind, g.reason, g.reason_level, g.reason_ambition, g.reason_level_agreed)
            for g in goals
        }


@pytest.mark.parametrize("who", ["leader", "anna"])
def test_adopted_in_english_reads_dutch_on_the_page_and_in_the_pdf(
    app: Any, w: dict[str, Any], who: str
) -> None:
    pop_id = _adopt(app, w, "en")
    # The facts are stored, not the English words; the team's reason is the leader's own text.
    stored = _stored(app, pop_id)
    assert stored["GC01"] == ("ambition", "", 2, 3, False)
    assert stored["LG01-A1"][:2] == ("team_priority", TEAM_REASON)
    _proposed(app, pop_id)

    client = _reader(app, w, who, "nl")
    html = client.get(f"/pop/{pop_id}").get_data(as_text=True)
    goal = html.split('class="app-pop-goal"')[1].split("</section>")[0]
    if who == "anna":
        assert "GC01" in goal and f"<strong>jouw ambitie</strong>: {NL_SELF}" in goal
    else:  # the leader is not addressed as the professional
        assert "GC01" in goal and f"<strong>eigen ambitie</strong>: {NL_SHARED}" in goal
        assert "jouw ambitie" not in html and "Je ambitie" not in html
    assert "Your ambition" not in html
    assert f"<strong>teamprioriteit</strong>: {TEAM_REASON}" in html

    # The PDF is the document both sign: the same neutral words whoever downloads it.
    words = _words(client.get(f"/pop/{pop_id}/pop.pdf").data)
    assert f"Reden: eigen ambitie – {NL_SHARED}" in words
    assert f"Reden: teamprioriteit – {TEAM_REASON}" in words
    assert "Your ambition" not in words and "Je ambitie" not in words and "jouw" not in words


@pytest.mark.parametrize("who", ["leader", "anna"])
def test_adopted_in_dutch_reads_english_on_the_page_and_in_the_pdf(
    app: Any, w: dict[str, Any], who: str
) -> None:
    pop_id = _adopt(app, w, "nl")
    assert _stored(app, pop_id)["GC01"] == ("ambition", "", 2, 3, False)
    _proposed(app, pop_id)

    client = _reader(app, w, who, "en")
    html = client.get(f"/pop/{pop_id}").get_data(as_text=True)
    if who == "anna":
        assert f"<strong>your own ambition</strong>: {EN_SELF}" in html
    else:
        assert f"<strong>own ambition</strong>: {EN_SHARED}" in html
        assert "your own ambition" not in html and "Your ambition" not in html
    assert "Je ambitie" not in html
    # The team's reason is what the team leader typed: it is not translated.
    assert f"<strong>team priority</strong>: {TEAM_REASON}" in html

    words = _words(client.get(f"/pop/{pop_id}/pop.pdf").data)
    assert f"Reason: own ambition – {EN_SHARED}" in words
    assert "Je ambitie" not in words and "Your ambition" not in words


def test_the_goal_form_words_it_too_and_a_new_version_keeps_the_facts(app: Any, w: dict[str, Any]) -> None:
    pop_id = _adopt(app, w, "en")
    with app.app_context():
        goal_id = db.session.scalars(
            select(PopGoal.id)
            .join(PopVersion)
            .where(PopVersion.pop_id == pop_id, PopGoal.reason_kind == "ambition")
        ).one()
    client = _reader(app, w, "anna", "nl")
    html = client.get(f"/pop/{pop_id}/doelen/{goal_id}/wijzigen").get_data(as_text=True)
    assert NL_SELF in html and "Your ambition" not in html
    # A re-plan copies the facts with the goal.
    with app.app_context():
        pop = db.session.get(Pop, pop_id)
        pop.versions[-1].status = PopStatus.SIGNED
        new = start_new_version(pop, db.session.get(User, w["anna_id"]))
        copied = {(g.item.code, g.reason, g.reason_level, g.reason_ambition, g.reason_level_agreed)
                  for g in new.goals}
        db.session.rollback()
    assert ("GC01", "", 2, 3, False) in copied


def test_an_agreed_level_and_a_legacy_sentence(app_ctx: Any) -> None:
    with force_locale("nl"):
        assert reason_sentence("ambition", "", 2, 4, True) == (
            "Je ambitie is niveau 4; met je teamleider is niveau 2 afgesproken."
        )
        # Stored before the facts were: shown as it was written.
        assert reason_sentence("ambition", "Your ambition is level 3; you rated yourself at level 1.") == (
            "Your ambition is level 3; you rated yourself at level 1."
        )
        assert reason_sentence("own", "Ik wil rustiger worden") == "Ik wil rustiger worden"
        assert reason_sentence("own") == ""
    with force_locale("en"):
        assert reason_sentence("ambition", "", 2, 4, True) == (
            "Your ambition is level 4; the level agreed with your team leader is 2."
        )


def _migration() -> Any:
    path = next(Path(__file__).parents[2].glob("migrations/versions/*_pop_goal_reason_facts.py"))
    spec = importlib.util.spec_from_file_location("reason_facts_migration", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("Your ambition is level 3; you rated yourself at level 2.", (2, 3, False)),
        ("Your ambition is level 4; the level agreed with your team leader is 3.", (3, 4, True)),
        ("Je ambitie is niveau 3; je schatte jezelf in op niveau 1.", (1, 3, False)),
        ("Je ambitie is niveau 4; met je teamleider is niveau 2 afgesproken.", (2, 4, True)),
        ("Ambitie 3, niveau 2", None),
        ("", None),
    ],
)
def test_the_migration_reads_the_apps_old_sentences_only(text: str, facts: Any) -> None:
    assert _migration()._facts(text) == facts
