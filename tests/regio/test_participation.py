"""Live participation in open rounds on the regional coordinator's start page (/regio/).

The rules first, without a database (merging small municipalities, "<k", a region too small to show),
then the page as a coordinator sees it: open rounds only, submitted scans only, small municipalities
merged, no needs, nothing of another region, and no access for other roles.
"""

from __future__ import annotations

import random
import zlib
from html.parser import HTMLParser
from typing import Any

import pytest
from flask import Flask

from scan.access import Role
from scan.extensions import db
from scan.regio import participation
from scan.regio.participation import (
    Hidden,
    MunicipalityCount,
    State,
    build,
    group_municipalities,
    shown_count,
)
from tests.factories import (
    PASSWORD,
    login,
    make_kenniskaart,
    make_municipality,
    make_region,
    make_round,
    make_scan,
    make_team,
    make_user,
)


def town(name: str, expected: int, submitted: int = 0, id_: int | None = None) -> MunicipalityCount:
    return MunicipalityCount(id_ if id_ is not None else zlib.crc32(name.encode()), name, expected, submitted)


def names(groups: list[participation.Group]) -> list[tuple[str, ...]]:
    return [tuple(m.name for m in g.members) for g in groups]


# --- the pure rules ------------------------------------------------------------------------------


def test_municipalities_of_at_least_k_are_rows_of_their_own_by_name() -> None:
    groups = group_municipalities([town("Zuid", 5), town("Noord", 12)], k=5)
    assert groups is not None
    assert names(groups) == [("Noord",), ("Zuid",)]
    assert not any(g.other for g in groups)


def test_small_municipalities_are_merged_into_one_row() -> None:
    groups = group_municipalities([town("A", 20), town("B", 3), town("C", 2), town("D", 9)], k=5)
    assert groups is not None
    assert names(groups) == [("A",), ("D",), ("B", "C")]
    assert [g.other for g in groups] == [False, False, True]
    assert groups[-1].expected == 5


def test_a_merged_row_below_k_takes_the_smallest_other_municipality() -> None:
    groups = group_municipalities([town("A", 20), town("B", 3), town("D", 9)], k=5)
    assert groups is not None
    assert names(groups) == [("A",), ("B", "D")]
    assert groups[-1].other and groups[-1].expected == 12


def test_municipalities_without_anyone_in_an_open_round_are_left_out() -> None:
    groups = group_municipalities([town("A", 6), town("Leeg", 0)], k=5)
    assert groups is not None
    assert names(groups) == [("A",)]


@pytest.mark.parametrize("sizes", [[], [0], [4], [2, 2], [1, 1, 2]])
def test_a_region_below_k_shows_no_rows(sizes: list[int]) -> None:
    counts = [town(f"G{i}", n) for i, n in enumerate(sizes)]
    assert group_municipalities(counts, k=5) is None
    result = build(counts, any_open=True, k=5)
    assert result.state is State.TOO_FEW and result.rows == ()


def test_small_municipalities_that_reach_k_together_form_the_only_row() -> None:
    groups = group_municipalities([town("B", 3), town("C", 2)], k=5)
    assert groups is not None
    assert names(groups) == [("B", "C")] and groups[0].other


def test_k_is_the_configured_one_not_a_fixed_five() -> None:
    counts = [town("A", 6), town("B", 8)]
    assert names(group_municipalities(counts, k=5) or []) == [("A",), ("B",)]
    assert names(group_municipalities(counts, k=7) or []) == [("A", "B")]
    assert group_municipalities(counts, k=15) is None


@pytest.mark.parametrize(
    ("submitted", "expected", "shown"),
    [
        (0, 10, 0),  # nobody yet: says nothing about a person in a group of at least k
        (10, 10, 10),  # everyone
        (5, 10, 5),
        (1, 10, Hidden(5)),  # too few submitted
        (4, 10, Hidden(5)),
        (6, 10, Hidden(5)),  # too few not yet submitted: 10 − 6 = 4
        (9, 10, Hidden(5)),
        (5, 5, 5),
    ],
)
def test_a_submitted_or_not_yet_submitted_count_below_k_is_hidden(
    submitted: int, expected: int, shown: int | Hidden
) -> None:
    assert shown_count(submitted, expected, k=5) == shown


def test_hidden_reads_less_than_k() -> None:
    assert str(Hidden(5)) == "<5" and str(Hidden(7)) == "<7"


def test_build_gives_rows_with_a_share_only_when_both_counts_are_shown() -> None:
    result = build([town("A", 10, 5), town("B", 8, 3), town("C", 2, 2)], any_open=True, k=5)
    assert result.state is State.SHOWN
    a, other = result.rows
    assert (a.name, a.expected, a.submitted, a.share) == ("A", 10, 5, 0.5)
    # B (8) and C (2) merge: 10 in all, 5 submitted, 5 not yet.
    assert other.other and other.name is None and other.members == ("B", "C")
    assert (other.expected, other.submitted, other.share) == (10, 5, 0.5)
    assert not result.hidden and result.merged

    hidden = build([town("A", 10, 7)], any_open=True, k=5)
    assert hidden.rows[0].submitted == Hidden(5) and hidden.rows[0].share is None and hidden.hidden


def test_a_share_never_rounds_to_everyone_or_nobody() -> None:
    result = build([town("A", 2000, 1995), town("B", 2000, 5)], any_open=True, k=5)
    assert [row.share for row in result.rows] == [0.99, 0.01]


def test_no_open_round_is_said_as_such() -> None:
    result = build([], any_open=False, k=5)
    assert result.state is State.NO_OPEN_ROUND and result.rows == ()


@pytest.mark.parametrize("k", [3, 5, 7])
def test_no_shown_row_ever_gives_away_a_count_below_k(k: int) -> None:
    """On random regions: every row rests on at least k people, and neither its submitted nor its
    not-yet-submitted count can be read off as 1..k−1."""
    rng = random.Random(13 + k)
    for _ in range(300):
        counts = []
        for i in range(rng.randint(1, 8)):
            expected = rng.choice([0, 1, 2, 3, 4, 5, 6, 8, 12, 30])
            counts.append(town(f"G{i}", expected, rng.randint(0, expected), id_=i))
        result = build(counts, any_open=True, k=k)
        total = sum(c.expected for c in counts)
        assert (result.state is State.TOO_FEW) == (total < k)
        for row in result.rows:
            assert row.expected >= k
            if isinstance(row.submitted, int):
                assert not 0 < row.submitted < k
                assert not 0 < row.expected - row.submitted < k
            else:
                assert row.share is None
        if result.state is State.SHOWN:  # every professional is in exactly one shown row
            assert sum(row.expected for row in result.rows) == total


# --- the page -----------------------------------------------------------------------------------


class ParticipationTable(HTMLParser):
    """The cells of table#participation-table, row by row, as a reader sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.inside = False
        self.hidden_depth = 0
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "table" and attributes.get("id") == "participation-table":
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = []
        elif self.inside and tag == "span" and attributes.get("aria-hidden") == "true":
            self.hidden_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif self.inside and tag == "span" and self.hidden_depth:
            self.hidden_depth -= 1

    def handle_data(self, data: str) -> None:
        if self.cell is not None and not self.hidden_depth:
            self.cell.append(data)


def table_of(html: str) -> list[list[str]]:
    parser = ParticipationTable()
    parser.feed(html)
    return parser.rows


def section_of(html: str) -> str:
    start = html.index('<section class="app-participation"')
    return html[start : html.index("</section>", start)]


def professionals(team: Any, n: int) -> list[Any]:
    return [make_user(Role.PROFESSIONAL, team=team) for _ in range(n)]


@pytest.fixture
def world(app: Flask) -> dict[str, str]:
    """Regio Proef, k = 5:
    - Aadorp: 10 professionals in an open round, 5 submitted, 2 drafts; their team's earlier round is
      closed and everyone submitted in it;
    - Beekdal: 7 professionals, a closed round (all submitted) and a planned one: no open round;
    - Kleindorp: 2 professionals in an open round (1 submitted); Molenwijk: 7 in an open round (3
      submitted): merged into "Other municipalities", 9 in all, 4 submitted, 5 not yet;
    - Regio Elders, with its own coordinator: one open round of 6 professionals, all submitted.
    """
    with app.app_context():
        version = make_kenniskaart()
        region = make_region(name="Regio Proef")
        answers = {"GC01": (1, 3), "GC02": (2, 3)}

        def team_in(municipality_name: str, region_: Any = region) -> Any:
            return make_team(make_municipality(region_, name=municipality_name))

        aadorp = team_in("Aadorp")
        people = professionals(aadorp, 10)
        closed = make_round(aadorp, version, opens_in_days=-120, closes_in_days=-90, title="Najaar")
        for person in people:
            make_scan(closed, person, answers, submitted=True)
        open_round = make_round(aadorp, version, opens_in_days=-7, closes_in_days=14)
        for person in people[:5]:
            make_scan(open_round, person, answers, submitted=True)
        for person in people[5:7]:
            make_scan(open_round, person, answers)

        beekdal = team_in("Beekdal")
        people = professionals(beekdal, 7)
        closed = make_round(beekdal, version, opens_in_days=-60, closes_in_days=-1, title="Net gesloten")
        for person in people:
            make_scan(closed, person, answers, submitted=True)
        make_round(beekdal, version, opens_in_days=1, closes_in_days=30, title="Gepland")

        for name, size, submitted in (("Kleindorp", 2, 1), ("Molenwijk", 7, 3)):
            team = team_in(name)
            people = professionals(team, size)
            scan_round = make_round(team, version)
            for person in people[:submitted]:
                make_scan(scan_round, person, answers, submitted=True)

        elsewhere = make_region(name="Regio Elders")
        team = team_in("Verweg", elsewhere)
        scan_round = make_round(team, version)
        for person in professionals(team, 6):
            make_scan(scan_round, person, answers, submitted=True)

        users = {
            "coordinator": make_user(Role.REGIOCOORDINATOR, region=region),
            "other_coordinator": make_user(Role.REGIOCOORDINATOR, region=elsewhere),
            "professional": make_user(Role.PROFESSIONAL, team=beekdal),
            "teamleider": make_user(Role.TEAMLEIDER, teams=[aadorp]),
        }
        db.session.commit()
        return {role: user.username for role, user in users.items()}


def page(client: Any, username: str, password: str = PASSWORD) -> str:
    login(client, username, password)
    response = client.get("/regio/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_coordinator_sees_participation_in_open_rounds_only(app: Flask, client: Any,
                                                                 world: dict[str, str]) -> None:
    html = page(client, world["coordinator"])
    assert "Deelname aan open rondes" in html
    assert table_of(html) == [
        ["Gemeente", "Professionals in open rondes", "Ingediend", "Aandeel ingediend"],
        # Drafts do not count as submitted; the closed round in which all ten submitted does not count.
        ["Aadorp", "10", "5", "50%"],
        # Kleindorp (2) is too small for a row of its own and takes Molenwijk (7) along; 4 submitted.
        ["Overige gemeenten (Kleindorp, Molenwijk)", "9", "<5", "niet getoond"],
    ]
    section = section_of(html)
    assert "Beekdal" not in section  # only a closed and a planned round
    assert "Verweg" not in html  # another region
    assert "actuele aantallen, alleen over de deelname" in section
    assert "&lt;5: minder dan 5, of verborgen om een klein aantal te beschermen" in section
    assert "Overige gemeenten" in section and "kleinste andere gemeente" in section


def test_no_needs_appear_on_the_start_page(app: Flask, client: Any, world: dict[str, str]) -> None:
    """The scans above carry levels and ambitions; the start page shows none of them, nor any name."""
    html = page(client, world["coordinator"])
    for text in ("Contact maken", "Vraagverheldering", "Geldzorgen", "Financien", "Beginnend", "Gevorderd",
                 "Basis", "Expert", "Test Professional"):
        assert text not in html
    assert table_of(html)[0] == ["Gemeente", "Professionals in open rondes", "Ingediend", "Aandeel ingediend"]


def test_the_page_in_english(app: Flask, client: Any, world: dict[str, str]) -> None:
    login(client, world["coordinator"])
    client.submit("/taal", {"lang": "en", "next": "/regio/"}, page="/regio/")
    html = client.get("/regio/").get_data(as_text=True)
    assert "Participation in open rounds" in html
    assert table_of(html)[1:] == [
        ["Aadorp", "10", "5", "50%"],
        ["Other municipalities (Kleindorp, Molenwijk)", "9", "<5", "not shown"],
    ]
    assert "live counts of participation only" in html


def test_another_regions_coordinator_sees_only_their_own_region(app: Flask, client: Any,
                                                                 world: dict[str, str]) -> None:
    html = page(client, world["other_coordinator"])
    for name in ("Aadorp", "Kleindorp", "Molenwijk", "Beekdal", "Overige gemeenten"):
        assert name not in html
    assert table_of(html)[1:] == [["Verweg", "6", "6", "100%"]]


@pytest.mark.parametrize("role", ["professional", "teamleider"])
def test_other_roles_are_refused(app: Flask, client: Any, world: dict[str, str], role: str) -> None:
    login(client, world[role])
    response = client.get("/regio/")
    assert response.status_code == 403
    assert "Aadorp" not in response.get_data(as_text=True)


def test_a_region_without_an_open_round_says_so(app: Flask, client: Any) -> None:
    with app.app_context():
        region = make_region(name="Regio Stil")
        team = make_team(make_municipality(region))
        make_user(Role.PROFESSIONAL, team=team)
        make_round(team, opens_in_days=-30, closes_in_days=-2)
        username = make_user(Role.REGIOCOORDINATOR, region=region).username
        db.session.commit()
    html = page(client, username)
    assert "Vandaag is er in deze regio geen scanronde open." in html
    assert table_of(html) == []


def test_a_region_below_k_shows_only_a_sentence(app: Flask, client: Any, monkeypatch: pytest.MonkeyPatch,
                                                world: dict[str, str]) -> None:
    """Regio Elders has 6 professionals in open rounds: enough for k = 5, too few for k = 7."""
    monkeypatch.setitem(app.config, "REGIO_MIN_CELL", 7)
    html = page(client, world["other_coordinator"])
    assert "te weinig professionals in open rondes om de deelname te tonen: minder dan 7" in html
    assert table_of(html) == []
    assert "Verweg" in html  # still in the table of teams and professionals, without participation


def test_counting_takes_one_query_whatever_the_size_of_the_region(app: Flask, count_queries: Any,
                                                                  world: dict[str, str]) -> None:
    from sqlalchemy import select

    from scan.core.clock import today
    from scan.organisation.models import Region

    with app.app_context():
        regions = {name: id_ for name, id_ in db.session.execute(select(Region.name, Region.id))}
        for name in ("Regio Proef", "Regio Elders"):
            before = count_queries.count
            counts = participation.open_round_counts(regions[name], today())
            assert count_queries.count - before == 1, name
        assert [(c.name, c.expected, c.submitted) for c in counts] == [("Verweg", 6, 6)]

