"""The previous round's POP beside the new scan: the plan as last signed (else the newest version, said so),
on the /scan overview and next to each item it had a goal for while scoring, in Dutch and English."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from scan.extensions import db
from scan.kenniskaart.models import Item
from scan.organisation.models import Team
from scan.pop.models import Pop, PopAction, PopGoal, PopStatus, PopVersion
from tests.factories import login, make_round
from tests.pop import world as pop_world
from tests.pop.world import english

OLD_TITLE = "Ontwikkelscan najaar 2025"


@pytest.fixture
def w(app: Any) -> dict[str, Any]:
    w = pop_world.build(app)
    with app.app_context():
        # Last year's round, on its own Kenniskaart version: goals match this year's items by code.
        old = make_round(db.session.get(Team, w["team"]), opens_in_days=-400, closes_in_days=-380,
                         title=OLD_TITLE)
        w["old_round"] = old.id
        items = db.session.scalars(select(Item).where(Item.version_id == old.version_id))
        w["old_items"] = {i.code: i.id for i in items}
        db.session.commit()
    return w


def _previous_pop(app: Any, w: dict[str, Any], user_key: str, goals: dict[str, tuple[str, ...]], *,
                  signed: bool = True, replan: dict[str, tuple[str, ...]] | None = None) -> int:
    """A POP in last year's round: version 1 with `goals` (item code -> its actions' statuses), signed or a
    draft; `replan` adds a draft version 2 with other goals after it."""
    with app.app_context():
        pop = Pop(round_id=w["old_round"], user_id=w[f"{user_key}_id"])
        versions = [(1, PopStatus.SIGNED if signed else PopStatus.DRAFT, goals)]
        if replan is not None:
            versions.append((2, PopStatus.DRAFT, replan))
        for number, status, content in versions:
            version = PopVersion(pop=pop, number=number, status=status)
            for position, (code, statuses) in enumerate(content.items(), start=1):
                goal = PopGoal(version=version, position=position, item_id=w["old_items"][code],
                               reason_kind="own", description=f"Doel {code} v{number}")
                goal.actions = [
                    PopAction(type="zelfstudie", description=f"Lezen {code} v{number} {n}", status=s)
                    for n, s in enumerate(statuses)
                ]
        db.session.add(pop)
        db.session.commit()
        return pop.id


def _client(app: Any, w: dict[str, Any], user_key: str, lang: str = "nl") -> Any:
    client = app.test_client()
    if lang == "en":
        english(client)
    login(client, w[user_key])
    return client


def _marks(html: str) -> dict[str, str]:
    """Item code -> the text of its previous-goal mark, tags removed."""
    return {
        code: re.sub(r"<[^>]+>", "", text).strip()
        for code, text in re.findall(r'id="previous-goal-([^"]+)">(.*?)</p>', html, flags=re.S)
    }


# --- the overview --------------------------------------------------------------------------------------


def test_the_overview_shows_the_last_signed_version_not_a_later_draft(app: Any, w: dict[str, Any]) -> None:
    pop_id = _previous_pop(app, w, "cor", {"GC01": ("afgerond", "gepland")}, replan={"GC02": ("gepland",)})
    html = _client(app, w, "cor").get("/scan").get_data(as_text=True)
    block = html.split('id="previous-pop"')[1].split("</section>")[0]
    assert OLD_TITLE in block and "Doel GC01" not in block  # goals by item, with their actions
    assert "Lezen GC01 v1 0" in block and "Lezen GC02 v2" not in block
    assert "Dit is versie 1, de laatste die jij en je teamleider hebben ondertekend." in block
    assert f"/pop/{pop_id}?versie=1" in block


def test_the_overview_falls_back_to_the_newest_version_and_says_so(app: Any, w: dict[str, Any]) -> None:
    _previous_pop(app, w, "cor", {"GC01": ("gepland",)}, signed=False)
    html = _client(app, w, "cor", "en").get("/scan").get_data(as_text=True)
    block = html.split('id="previous-pop"')[1].split("</section>")[0]
    assert "Lezen GC01 v1 0" in block
    assert "You and your team leader never signed this POP: this is its latest version (version 1)." in block


# --- the section pages ---------------------------------------------------------------------------------


def test_scoring_shows_the_previous_goal_next_to_its_item_in_dutch(app: Any, w: dict[str, Any]) -> None:
    # One action done, two open, one dropped (counts as neither); a later unsigned re-plan is not the plan.
    _previous_pop(app, w, "cor", {"GC01": ("afgerond", "bezig", "gepland", "vervallen"), "LG01-A1": ()},
                  replan={"GC02": ("afgerond",)})
    client = _client(app, w, "cor")
    html = client.get(f"/scan/{w['round']}/GC").get_data(as_text=True)
    assert 'name="level-GC01"' in html  # the scan is still being filled in
    assert _marks(html) == {"GC01": "Doel in je vorige POP · 1 actie afgerond, 2 nog open"}
    # The mark sits with its item, before the item's level question.
    gc01 = html.split('id="title-GC01"')[1].split('<section class="app-item"')[0]
    assert 'id="previous-goal-GC01"' in gc01
    html = client.get(f"/scan/{w['round']}/LG01").get_data(as_text=True)
    assert _marks(html) == {"LG01-A1": "Doel in je vorige POP · 0 acties afgerond, 0 nog open"}
    assert _marks(client.get(f"/scan/{w['round']}/LG02").get_data(as_text=True)) == {}


def test_scoring_shows_the_previous_goal_in_english_and_an_unsigned_plan(app: Any, w: dict[str, Any]) -> None:
    _previous_pop(app, w, "cor", {"GC02": ("afgerond", "afgerond", "gepland")}, signed=False)
    html = _client(app, w, "cor", "en").get(f"/scan/{w['round']}/GC").get_data(as_text=True)
    assert _marks(html) == {"GC02": "Goal in your previous POP (not signed) · 2 actions done, 1 still open"}


def test_a_submitted_scan_shows_the_mark_too_and_others_see_nothing(app: Any, w: dict[str, Any]) -> None:
    _previous_pop(app, w, "anna", {"GC01": ("afgerond",)})
    html = _client(app, w, "anna", "en").get(f"/scan/{w['round']}/GC").get_data(as_text=True)
    assert 'name="level-GC01"' not in html  # submitted: read only
    assert _marks(html) == {"GC01": "Goal in your previous POP · 1 action done, 0 still open"}
    html = _client(app, w, "bert").get(f"/scan/{w['round']}/GC").get_data(as_text=True)
    assert _marks(html) == {} and "vorige POP" not in html


def test_the_section_page_runs_the_same_queries_for_1_or_5_previous_goals(
    app: Any, w: dict[str, Any], count_queries: Any
) -> None:
    codes = ("GC01", "GC02", "LG01-A1", "LG01-S1", "LG02-A1")
    _previous_pop(app, w, "anna", {"GC01": ("afgerond",)})
    _previous_pop(app, w, "bert", {code: ("afgerond", "gepland", "bezig") for code in codes},
                  replan={"GC01": ("gepland",)})
    counts, overview_counts, marks = [], [], []
    for user in ("anna", "bert"):
        client = _client(app, w, user)
        client.get(f"/scan/{w['round']}/GC")
        count_queries.statements.clear()
        response = client.get(f"/scan/{w['round']}/GC")
        counts.append(count_queries.count)
        marks.append(_marks(response.get_data(as_text=True)))
        client.get("/scan")
        count_queries.statements.clear()
        assert client.get("/scan").status_code == 200
        overview_counts.append(count_queries.count)
    assert len(marks[0]) == 1 and len(marks[1]) == 2  # the GC section holds GC01 and GC02
    assert counts[0] == counts[1]
    assert overview_counts[0] == overview_counts[1]
