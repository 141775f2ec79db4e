"""The POP's forms with hostile input: goals (from the Kenniskaart and own goals), actions with type,
period, training, colleague and hours, progress with status and reflection, proposing, agreeing or sending
back with a comment, and signing with the password."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scan.catalogue.activities import ACTION_TYPES
from scan.pop.models import ACTION_STATUSES, PopStatus
from tests.factories import PASSWORD
from tests.fuzz.helpers import date, fields, fuzz_post, number, one_of_or_any, text
from tests.pop.world import make_pop

POP_TABLES = ("pop", "pop_version", "pop_goal", "pop_action")
# A wrong signing password counts towards the login throttle, as a failed login does.
SIGN_RECORDS = ("login_failure", "audit_event")


@pytest.fixture
def pops(app: Any, world: dict[str, Any]) -> dict[str, dict[str, int]]:
    """Anna's draft POP, Bert's proposed one and Cor's agreed one (each: pop, version, goal, action)."""
    return {
        "draft": make_pop(app, world, "anna"),
        "proposed": make_pop(app, world, "bert", status=PopStatus.PROPOSED),
        "agreed": make_pop(app, world, "cor", status=PopStatus.AGREED),
    }


def _items(w: dict[str, Any]) -> st.SearchStrategy:
    return one_of_or_any(*w["items"].values(), 0, 999999)


@given(data=st.data())
def test_goals(app, world, pops, browser, data):
    client, token = browser(world["anna"])
    pop = pops["draft"]
    if data.draw(st.booleans()):
        url = f"/pop/{pop['pop']}/doelen"
        spec = {"goal-item": _items(world), "goal-description": text()}
    else:
        url = f"/pop/{pop['pop']}/doelen/{pop['goal']}/wijzigen"
        spec = {"item": _items(world), "description": text()}
    fuzz_post(app, client, url, token, data.draw(fields(spec)), tables=POP_TABLES)


@given(data=st.data())
def test_actions(app, world, pops, browser, data):
    client, token = browser(world["anna"])
    pop = pops["draft"]
    spec = {
        "type": one_of_or_any(*ACTION_TYPES),
        "description": text(),
        "training": one_of_or_any("", *world["trainings"].values()),
        "colleague": one_of_or_any("", world["bert_id"], world["outsider_id"]),
        "planned_from": date(),
        "planned_until": date(),
        "hours": st.one_of(number(), st.sampled_from(("7,5", "16", "999", "999,9", "1000", "-0,1"))),
    }
    if data.draw(st.booleans()):
        url = f"/pop/{pop['pop']}/doelen/{pop['goal']}/acties/nieuw"
    else:
        url = f"/pop/{pop['pop']}/acties/{pop['action']}/wijzigen"
    fuzz_post(app, client, url, token, data.draw(fields(spec)), tables=POP_TABLES)


@given(data=st.data())
def test_progress(app, world, pops, browser, data):
    client, token = browser(world["anna"])
    pop = pops["draft"]
    prefix = data.draw(st.sampled_from((f"progress-{pop['action']}", "progress-0", "")))
    sep = "-" if prefix else ""
    pairs = data.draw(fields({f"{prefix}{sep}status": one_of_or_any(*ACTION_STATUSES),
                              f"{prefix}{sep}reflection": text()}))
    fuzz_post(app, client, f"/pop/{pop['pop']}/acties/{pop['action']}/voortgang", token, pairs,
              tables=POP_TABLES)


@given(data=st.data())
def test_adopting_a_proposal(app, world, pops, browser, data):
    client, token = browser(world["anna"])
    pairs = data.draw(fields({"item_id": _items(world)}))
    fuzz_post(app, client, f"/pop/{pops['draft']['pop']}/voorgestelde-doelen/overnemen", token, pairs,
              tables=POP_TABLES)


@given(data=st.data())
def test_propose_agree_or_send_back(app, world, pops, browser, data):
    if data.draw(st.booleans()):
        client, token = browser(world["leader"])
        pairs = data.draw(fields({"decision": one_of_or_any("agree", "send_back"), "comment": text()}))
        url = f"/pop/{pops['proposed']['pop']}/beoordelen"
    else:
        client, token = browser(world["anna"])
        pairs = data.draw(fields({"x": text()}))
        url = f"/pop/{pops['draft']['pop']}/voorstellen"
    fuzz_post(app, client, url, token, pairs, tables=POP_TABLES)


@given(data=st.data())
def test_signing_with_the_password(app, world, pops, browser, data):
    who = data.draw(st.sampled_from(("cor", "leader")))
    client, token = browser(world[who])
    pairs = data.draw(fields({"password": st.one_of(st.just(PASSWORD), text())}))
    fuzz_post(app, client, f"/pop/{pops['agreed']['pop']}/ondertekenen", token, pairs, tables=POP_TABLES,
              ignore=SIGN_RECORDS)
