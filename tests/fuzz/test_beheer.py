"""The administrator's forms with hostile input: municipalities, teams, accounts, the account import
(CSV/XLSX: random bytes, random rows) and the Kenniskaart upload (random YAML text, random bytes, valid YAML
of a random shape, the test map with one line broken)."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from scan.access import Role
from scan.extensions import db
from tests.factories import make_municipality, make_region, make_team, make_user
from tests.fuzz.helpers import (
    csv_bytes,
    fields,
    fuzz_post,
    one_of_or_any,
    send_and_check,
    spreadsheet,
    text,
    upload,
    upload_and_confirm,
    xlsx_bytes,
)
from tests.kenniskaart.sample import VALID

ROLES = ("professional", "teamleider", "regiocoordinator", "beheerder")
ORGANISATION = ("region", "municipality", "team", "team_leader", "user_account")
ACCOUNT_HEADER = ["username", "role", "name", "team", "region", "password"]


@pytest.fixture
def org(app: Any) -> dict[str, Any]:
    with app.app_context():
        region = make_region(code="LW", name="Regio Lindewaard")
        municipality = make_municipality(region, name="Lindewaard")
        team = make_team(municipality, name="Wijkteam Centrum", code="LW-CENTRUM")
        other = make_team(municipality, name="Wijkteam Noord", code="LW-NOORD")
        admin = make_user(Role.BEHEERDER, username="beheer")
        pro = make_user(Role.PROFESSIONAL, team=team, username="s.bakker")
        db.session.commit()
        return {"admin": admin.username, "region": region.id, "municipality": municipality.id,
                "team": team.id, "other": other.id, "pro": pro.id, "admin_id": admin.id}


# --- municipalities, teams, accounts ------------------------------------------------------------------


@given(data=st.data())
def test_municipality_and_team_forms(app, org, browser, data):
    client, token = browser(org["admin"])
    ids = one_of_or_any(org["region"], org["municipality"], 0, 2**63)
    if data.draw(st.booleans()):
        edit = f"/beheer/gemeenten/{org['municipality']}"
        url = data.draw(st.sampled_from(("/beheer/gemeenten/nieuw", edit)))
        spec = {"region": ids, "code": text(), "name": text()}
    else:
        url = data.draw(st.sampled_from(("/beheer/teams/nieuw", f"/beheer/teams/{org['team']}")))
        spec = {"municipality": ids, "code": text(), "name": text()}
    fuzz_post(app, client, url, token, data.draw(fields(spec)), tables=ORGANISATION)


@given(data=st.data())
def test_account_forms(app, org, browser, data):
    client, token = browser(org["admin"])
    teams = one_of_or_any("", org["team"], org["other"], 0, 2**63)
    spec = {"full_name": text(), "role": one_of_or_any(*ROLES), "team": teams, "led_teams": teams,
            "region": one_of_or_any("", org["region"], 2**31)}
    if data.draw(st.booleans()):
        url = "/beheer/accounts/nieuw"
        spec["username"] = one_of_or_any("nieuw.account", "s.bakker", "BEHEER")
    else:
        url = f"/beheer/accounts/{data.draw(st.sampled_from((org['pro'], org['admin_id'])))}"
    pairs = data.draw(fields(spec))
    pairs += [("led_teams", data.draw(teams)) for _ in range(data.draw(st.integers(0, 3)))]
    fuzz_post(app, client, url, token, pairs, tables=ORGANISATION)


# --- the account import --------------------------------------------------------------------------------


def _rows() -> st.SearchStrategy[list[list[Any]]]:
    cell = st.one_of(one_of_or_any(*ROLES, "LW-CENTRUM", "LW", "a.nieuw", "een lang wachtwoord hier"), text())
    row = st.lists(cell, min_size=0, max_size=8)
    # Rows in the right shape, so the import gets past the columns to its rules (and now and then to the
    # preview and the confirmation), with hostile text where a person's name goes.
    shaped = st.tuples(
        st.from_regex(r"[a-z]{2,6}\.[a-z]{2,8}", fullmatch=True), st.sampled_from(ROLES), text(),
        st.sampled_from(("LW-CENTRUM", "LW-NOORD", "LW-CENTRUM|LW-NOORD", "", "XX")),
        st.sampled_from(("", "LW", "XX")), st.sampled_from(("", "een lang wachtwoord hier", "kort")),
    ).map(list)
    header = st.one_of(st.just(ACCOUNT_HEADER), st.just(["gebruikersnaam", "rol"]), row)
    return st.one_of(
        st.builds(lambda h, rows: [h, *rows], header, st.lists(row, max_size=6)),
        st.lists(shaped, min_size=1, max_size=4).map(lambda rows: [ACCOUNT_HEADER, *rows]),
    )


@given(file=spreadsheet(_rows(), "accounts"))
# Always once through the preview to the confirmation, with a formula for a name.
@example(file=(csv_bytes([ACCOUNT_HEADER, ["a.nieuw", "professional", "=cmd|' /C calc'!A0", "LW-CENTRUM", "",
                                           "een lang wachtwoord hier"]]), "accounts.csv"))
def test_account_import(app, org, browser, file):
    client, token = browser(org["admin"])
    confirm = "/beheer/accounts/import/bevestigen"
    upload_and_confirm(app, client, "/beheer/accounts/import", confirm, token, file)


@given(payload=st.one_of(text(), st.just("eyJ4IjoxfQ.abc.def")))
def test_confirming_an_import_with_a_forged_payload(app, org, browser, payload):
    client, token = browser(org["admin"])
    for url in ("/beheer/accounts/import/bevestigen", "/catalogus/import/bevestigen",
                "/beheer/kenniskaart/publiceren"):
        fuzz_post(app, client, url, token, [("payload", payload)], never_writes=True)


# --- the Kenniskaart upload ------------------------------------------------------------------------------


def _yaml_shapes() -> st.SearchStrategy[str]:
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20))
    tree = st.recursive(scalars, lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)), max_leaves=20)
    keys = st.sampled_from(("schema_version", "code", "version", "region", "title", "scale", "norms",
                            "generic_competencies", "leefgebieden", "levels", "items"))
    top = st.dictionaries(keys, tree, max_size=8)
    return st.one_of(top, tree).map(lambda value: yaml.safe_dump(value, allow_unicode=True))


def _broken_valid() -> st.SearchStrategy[str]:
    """The valid test map with one line's value replaced."""
    lines = VALID.splitlines()

    def replace(i: int, value: Any) -> str:
        line = lines[i % len(lines)]
        key, sep, _rest = line.partition(":")
        new = f"{key}{sep} {value}" if sep else str(value)
        return "\n".join([*lines[: i % len(lines)], new, *lines[i % len(lines) + 1 :]]) + "\n"

    value = st.one_of(
        one_of_or_any("1", "99", "-1", "GC01", "[]", "{}", "null", "~", "&a", "*a",
                      "!!python/object/apply:os.system ['true']"),
        st.text(max_size=20),
    )
    return st.builds(replace, st.integers(0, 10_000), value)


def _kenniskaart_file() -> st.SearchStrategy[tuple[bytes, str]]:
    name = st.sampled_from(("kaart.yaml", "kaart.yml", "kaart.xlsx", "kaart.txt", ""))
    return st.one_of(
        st.tuples(st.binary(max_size=300), name),
        st.tuples(text().map(lambda t: t if isinstance(t, bytes) else t.encode("utf-8", "replace")), name),
        st.tuples(_yaml_shapes().map(str.encode), st.just("kaart.yaml")),
        st.tuples(_broken_valid().map(str.encode), st.just("kaart.yaml")),
        st.tuples(st.builds(xlsx_bytes, _rows()), st.just("kaart.xlsx")),
    )


@given(file=_kenniskaart_file())
def test_kenniskaart_upload(app, org, browser, file):
    client, token = browser(org["admin"])
    content, name = file
    # Checking and previewing a file publish nothing: only the confirmation does.
    send_and_check(app, client, lambda: upload(client, "/beheer/kenniskaart", token, content, name),
                   never_writes=True)
