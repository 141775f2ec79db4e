"""Coverage per leefgebied: the counting on small hand-made teams, the page, the team norms, privacy."""

import re
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from scan.access import Role
from scan.extensions import db
from scan.teamschouw.coverage.build import (
    SectionCoverage,
    compute_coverage,
    load_coverage,
    save_team_norms,
    status_for,
)
from scan.teamschouw.models import Calibration, TeamNorm
from scan.teamschouw.queries import submitted_members, team_answers
from tests.factories import login, make_round, make_scan, make_team, make_user

# --- compute_coverage on plain data -----------------------------------------------------------------


@dataclass(frozen=True)
class S:
    id: int
    code: str
    kind: str = "leefgebied"
    title_nl: str = ""
    title_en: str = ""


@dataclass(frozen=True)
class I:  # noqa: E742
    id: int
    section_id: int
    level_kind: str
    retired: bool = False


@dataclass(frozen=True)
class A:
    scan_id: int
    item_id: int
    level: int | None
    ambition: int | None = None
    agreed_level: int | None = None
    not_applicable: bool = False


def nvt(scan_id, item_id, ambition=None, agreed_level=None):
    return A(scan_id, item_id, None, ambition, agreed_level, not_applicable=True)


GC, LG01, LG02 = S(1, "GC", "generiek"), S(2, "LG01", title_nl="Financiën"), S(3, "LG02")
SECTIONS = [GC, LG01, LG02]
# GC01; LG01: two algemeen and two specialistisch items; LG02: one algemeen and one specialistisch.
GC01, A1, A2, S1, S2, B1, T1 = 10, 20, 21, 22, 23, 30, 31
ITEMS = [
    I(GC01, 1, "generiek"),
    I(A1, 2, "algemeen"), I(A2, 2, "algemeen"), I(S1, 2, "specialistisch"), I(S2, 2, "specialistisch"),
    I(B1, 3, "algemeen"), I(T1, 3, "specialistisch"),
]
NORMS = {"individual": {"generic_min_level": 2, "algemeen_min_level": 2},
         "team": {"specialists_min": 2, "specialist_level": 3}}


def coverage(members, answers, norms=NORMS, team_norms=None, items=ITEMS):
    result = compute_coverage(SECTIONS, items, members, answers, norms, team_norms or {})
    return {c.code: c for c in result}


def counts(c: SectionCoverage):
    return (c.members, c.specialists, c.general, c.growing, c.norm, c.status)


def test_an_empty_team_has_nobody_anywhere_and_the_generic_section_is_left_out():
    result = compute_coverage(SECTIONS, ITEMS, [], [], NORMS, {})
    assert [c.code for c in result] == ["LG01", "LG02"]
    assert result[0] == SectionCoverage(2, "LG01", "Financiën", "", 0, 0, 0, 0, 2, "none")
    assert counts(result[1]) == (0, 0, 0, 0, 2, "none")


def test_a_round_without_submissions_counts_no_draft_answers():
    # Answers exist (drafts), but nobody submitted: nothing counts.
    drafts = [A(1, S1, 4, 4), A(1, A1, 3), A(2, T1, 2, 4)]
    result = coverage([], drafts)
    assert counts(result["LG01"]) == (0, 0, 0, 0, 2, "none")
    assert counts(result["LG02"]) == (0, 0, 0, 0, 2, "none")


def test_only_answers_of_the_given_members_count():
    answers = [A(1, S1, 3), A(2, S1, 4), A(3, S1, 4)]  # scan 3 is not a (submitted) member
    assert coverage([1, 2], answers)["LG01"].specialists == 2


def test_specialist_general_and_growing_on_a_small_team():
    answers = [
        # 1: specialist in LG01 through S2, general (2 and 3), grows on A1.
        A(1, A1, 2, 3), A(1, A2, 3), A(1, S1, 2), A(1, S2, 3),
        # 2: not a specialist (2), not general (A2 at 1), no growth (ambition equal to level).
        A(2, A1, 2, 2), A(2, A2, 1), A(2, S1, 2, 2),
        # 3: answered only A1 at 2: general; specialist-level on GC01 does not count anywhere.
        A(3, A1, 2), A(3, GC01, 4, 4),
        # 4: answered nothing in LG01.
        A(4, B1, 1, 2),
    ]
    result = coverage([1, 2, 3, 4], answers)
    assert counts(result["LG01"]) == (4, 1, 2, 1, 2, "single")
    assert counts(result["LG02"]) == (4, 0, 0, 1, 2, "none")


def test_not_applicable_counts_as_neither_level_nor_growth():
    answers = [
        # 1: S1 n.v.t. (even with an ambition filled in), A1 n.v.t., A2 at 2: general, not specialist.
        nvt(1, S1, ambition=4), nvt(1, A1, ambition=3), A(1, A2, 2),
        # 2: every algemeen item n.v.t.: answered none, so not general.
        nvt(2, A1), nvt(2, A2), A(2, S1, 3),
    ]
    result = coverage([1, 2], answers)
    assert counts(result["LG01"]) == (2, 1, 1, 0, 2, "single")


def test_an_agreed_level_on_a_not_applicable_item_counts_and_plain_answers_need_no_agreed_level():
    @dataclass(frozen=True)
    class Plain:  # like the Answer model: no agreed_level at all
        scan_id: int
        item_id: int
        level: int | None
        not_applicable: bool = False
        ambition: int | None = None

    result = coverage([1, 2], [nvt(1, S1, agreed_level=3), Plain(2, S2, 3), Plain(2, A1, 2)])
    assert counts(result["LG01"]) == (2, 2, 1, 0, 2, "ok")


def test_an_agreed_level_overrides_the_self_assessed_one():
    answers = [
        A(1, S1, 2, agreed_level=3),  # agreed up: specialist
        A(2, S1, 4, agreed_level=2),  # agreed down: not a specialist
        A(3, S1, 3, agreed_level=None),  # nothing agreed: self level counts
        A(1, A1, 1, agreed_level=2),  # agreed up: general
        A(2, A1, 3, agreed_level=1),  # agreed down: not general
        A(3, A1, 2, ambition=3, agreed_level=3),  # growth compares the ambition with the self level
    ]
    result = coverage([1, 2, 3], answers)
    # Specialists 1 and 3, general 1 and 3 (2 agreed down), growing 3 (ambition 3 over self 2).
    assert counts(result["LG01"]) == (3, 2, 2, 1, 2, "ok")


def test_a_team_norm_overrides_the_kenniskaart_norm_per_section_code():
    answers = [A(1, S1, 3), A(2, S1, 3), A(1, T1, 4)]
    result = coverage([1, 2], answers, team_norms={"LG01": 3})
    assert (result["LG01"].norm, result["LG01"].status) == (3, "thin")
    assert (result["LG02"].norm, result["LG02"].status) == (2, "single")
    result = coverage([1, 2], answers, norms={"team": {"specialists_min": 1}}, team_norms={"LG02": 1})
    assert (result["LG01"].norm, result["LG01"].status) == (1, "ok")
    # One specialist still "rests on one person", whatever the norm says.
    assert (result["LG02"].norm, result["LG02"].status) == (1, "single")


def test_missing_norms_fall_back_to_the_defaults_and_specialist_level_comes_from_the_version():
    answers = [A(1, S1, 3), A(2, S2, 4), A(1, A1, 1), A(2, A1, 2)]
    assert counts(coverage([1, 2], answers, norms={})["LG01"]) == (2, 2, 1, 0, 2, "ok")
    strict = {"team": {"specialist_level": 4}, "individual": {"algemeen_min_level": 1}}
    assert counts(coverage([1, 2], answers, norms=strict)["LG01"]) == (2, 1, 2, 0, 2, "single")


def test_retired_items_are_left_out():
    items = [*ITEMS[:3], I(S1, 2, "specialistisch", retired=True), ITEMS[4]]
    assert coverage([1], [A(1, S1, 4)], items=items)["LG01"].specialists == 0


@pytest.mark.parametrize("specialists, norm, status", [
    (0, 2, "none"), (0, 1, "none"), (1, 2, "single"), (1, 1, "single"), (2, 3, "thin"), (4, 5, "thin"),
    (2, 2, "ok"), (5, 2, "ok"),
])
def test_status_is_checked_in_order(specialists, norm, status):
    assert status_for(specialists, norm) == status


# --- the database: one GROUP BY gives the same numbers -------------------------------------------------


@pytest.fixture
def world(app):
    """A team with a leader, four members (three submitted, one draft) on the small test Kenniskaart."""
    with app.app_context():
        team = make_team(name="Wijkteam Dekking")
        leader = make_user(Role.TEAMLEIDER, teams=[team], full_name="Lies Leider")
        names = ["Anna Aalbers", "Bram Bos", "Cor Claes", "Dirk Draft"]
        pros = [make_user(Role.PROFESSIONAL, team=team, full_name=n) for n in names]
        scan_round = make_round(team)
        scans = [
            make_scan(scan_round, pros[0], {"LG01-A1": (2, 3), "LG01-S1": (4, 4), "LG02-A1": (3, 3)},
                      submitted=True),
            make_scan(scan_round, pros[1], {"LG01-A1": (1, 2), "LG01-S1": (2, 3), "LG02-A1": (None, None)},
                      submitted=True),
            make_scan(scan_round, pros[2], {"LG01-A1": (3, 3), "LG01-S1": (None, None), "GC01": (4, 4)},
                      submitted=True),
            make_scan(scan_round, pros[3], {"LG01-S1": (4, 4), "LG01-A1": (4, 4)}, submitted=False),
        ]
        db.session.commit()
        return {
            "team": team.id, "round": scan_round.id, "leader": leader.username, "leader_id": leader.id,
            "pros": [p.username for p in pros], "scans": [s.id for s in scans],
            "url": f"/teams/{team.id}/rondes/{scan_round.id}/teamschouw/dekking",
            "norms_url": f"/teams/{team.id}/rondes/{scan_round.id}/teamschouw/normen",
        }


def _round(world):
    from scan.assessment.models import ScanRound

    return db.session.get(ScanRound, world["round"])


def _calibrate(scan_id, code, level, by=None):
    from scan.kenniskaart.models import Item

    item = db.session.scalars(select(Item).where(Item.code == code)).first()
    db.session.add(Calibration(scan_id=scan_id, item_id=item.id, agreed_level=level, set_by_id=by))
    db.session.flush()


def _reference(scan_round):
    """The pure definition, fed with every answer from the database."""
    from scan.kenniskaart.models import Item, Section

    sections = list(db.session.scalars(select(Section).where(Section.version_id == scan_round.version_id)))
    items = list(db.session.scalars(select(Item).where(Item.version_id == scan_round.version_id)))
    team = {n.section_code: n.min_specialists
            for n in db.session.scalars(select(TeamNorm).where(TeamNorm.team_id == scan_round.team_id))}
    return compute_coverage(sorted(sections, key=lambda s: s.position), items, submitted_members(scan_round),
                            team_answers(scan_round), scan_round.version.norms, team)


def test_load_coverage_counts_in_the_database_what_compute_coverage_defines(app, world):
    with app.app_context():
        scan_round = _round(world)
        loaded = load_coverage(scan_round)
        assert loaded == _reference(scan_round)
        by_code = {c.code: c for c in loaded}
        # Anna is the one specialist (4); the draft's 4 does not count; Cor's n.v.t. counts for nothing.
        assert counts(by_code["LG01"]) == (3, 1, 2, 2, 2, "single")
        # LG02: Anna general (3); Bram n.v.t.; nobody grows, nobody specialist.
        assert counts(by_code["LG02"]) == (3, 0, 1, 0, 2, "none")


def test_the_newest_calibration_counts_and_a_withdrawn_one_falls_back_to_self(app, world):
    with app.app_context():
        anna, bram, cor = world["scans"][:3]
        _calibrate(bram, "LG01-S1", 3)  # Bram becomes a specialist ...
        _calibrate(anna, "LG01-S1", 3)
        _calibrate(anna, "LG01-S1", 2)  # ... Anna is agreed down (the newest row counts) ...
        _calibrate(cor, "LG01-A1", 3)
        _calibrate(cor, "LG01-A1", None)  # ... and Cor's agreement is withdrawn: self level 3 counts.
        _calibrate(bram, "LG01-A1", 2)  # Bram's 1 becomes 2: general
        scan_round = _round(world)
        loaded = load_coverage(scan_round)
        assert loaded == _reference(scan_round)
        assert counts({c.code: c for c in loaded}["LG01"]) == (3, 1, 3, 2, 2, "single")
        db.session.rollback()


def test_save_team_norms_upserts_by_section_code_with_who_and_when(app, world):
    with app.app_context():
        assert save_team_norms(world["team"], {"LG01": 3, "LG02": 2}, world["leader_id"]) == ["LG01", "LG02"]
        first = {n.section_code: (n.min_specialists, n.set_at)
                 for n in db.session.scalars(select(TeamNorm))}
        assert save_team_norms(world["team"], {"LG01": 4, "LG02": 2}, world["leader_id"]) == ["LG01"]
        rows = {n.section_code: n for n in db.session.scalars(select(TeamNorm))}
        assert len(rows) == 2
        assert rows["LG01"].min_specialists == 4 and rows["LG01"].set_by_id == world["leader_id"]
        assert rows["LG02"].set_at == first["LG02"][1]  # unchanged value: who and when stay
        with pytest.raises(ValueError):
            save_team_norms(world["team"], {"LG01": 21}, world["leader_id"])
        db.session.rollback()


# --- the page ------------------------------------------------------------------------------------


def _english(client):
    client.submit("/taal", {"lang": "en", "next": "/inloggen"}, page="/inloggen")


def _row(html, code):
    match = re.search(rf'<tr class="utrecht-table__row" data-section="{code}">(.*?)</tr>', html, re.S)
    assert match, f"no table row for {code}"
    cells = dict(re.findall(r'data-column="(\w+)">(.*?)</td>', match.group(1), re.S))
    status = re.sub(r"<[^>]+>", "", cells.pop("status")).strip()
    return {k: int(v) for k, v in cells.items()}, status


def test_the_page_shows_chart_and_table_with_the_same_numbers_and_marks(client, world):
    _english(client)
    login(client, world["leader"])
    response = client.get(world["url"])
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert _row(html, "LG01") == (
        {"specialists": 1, "norm": 2, "general": 2, "growing": 2}, "! Rests on one person")
    assert _row(html, "LG02") == (
        {"specialists": 0, "norm": 2, "general": 1, "growing": 0}, "✕ Nobody at specialist level")
    assert "Counted: 3 submitted scans." in html
    # The chart: an image with a title and a description, and the same numbers as text.
    chart = re.search(r"<svg[^>]*>.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in chart and "<title id=" in chart and "<desc id=" in chart
    lg01 = re.search(r'data-section="LG01">(.*?)</g>', chart, re.S).group(1)
    assert "Specialists: 1 (norm: 2)" in lg01 and "General knowledge: 2" in lg01 and "Want to grow: 2" in lg01
    assert "Rests on one person" in lg01
    # Where the team needs attention: both leefgebieden, written out.
    attention = re.search(r'<ul class="app-coverage-attention" id="attention">(.*?)</ul>', html, re.S)
    attention = attention.group(1)
    assert "LG01" in attention and "LG02" in attention and "Rests on one person" in attention
    # Each number once: the attention list names the status, the chart carries the numbers, and the
    # table (the chart's accessible equivalent) sits behind a disclosure; the norms have their own page.
    assert "specialist, norm" not in attention and "specialists, norm" not in attention
    assert re.search(r'<details class="app-disclosure" id="coverage-figures">\s*'
                     r'<summary>Show the figures as a table</summary>\s*'
                     r'<div class="app-table-wrap"[^>]*>\s*<table[^>]*id="coverage-table"', html)
    assert 'id="norm-LG01"' not in html and f'href="{world["norms_url"]}">Change the team norms</a>' in html
    assert "Dirk Draft" not in html


def test_a_round_without_submissions_says_so_and_shows_zeros(app, client):
    with app.app_context():
        team = make_team()
        leader = make_user(Role.TEAMLEIDER, teams=[team])
        scan_round = make_round(team)
        make_scan(scan_round, make_user(Role.PROFESSIONAL, team=team), {"LG01-S1": (4, 4)})
        db.session.commit()
        url, username = f"/teams/{team.id}/rondes/{scan_round.id}/teamschouw/dekking", leader.username
    _english(client)
    login(client, username)
    html = client.get(url).get_data(as_text=True)
    assert "Nobody in this team has submitted a scan in this round yet" in html
    assert _row(html, "LG01") == (
        {"specialists": 0, "norm": 2, "general": 0, "growing": 0}, "✕ Nobody at specialist level")


def test_the_team_leader_sets_the_norm_and_the_status_follows(app, client, world):
    _english(client)
    login(client, world["leader"])
    response = client.submit(world["norms_url"], {"norm-LG01": "1", "norm-LG02": " 3 "},
                             page=world["norms_url"])
    assert response.status_code == 302 and response.headers["Location"].endswith("/teamschouw/dekking")
    html = client.get(world["url"]).get_data(as_text=True)
    assert "The team norms are saved." in html
    assert _row(html, "LG01") == (
        {"specialists": 1, "norm": 1, "general": 2, "growing": 2}, "! Rests on one person")
    assert _row(html, "LG02")[0]["norm"] == 3
    assert "The team has set its own norm" in html
    norms_page = client.get(world["norms_url"]).get_data(as_text=True)
    assert re.search(r'<input[^>]*id="norm-LG02"[^>]*value="3"', norms_page)
    with app.app_context():
        rows = {n.section_code: n for n in db.session.scalars(select(TeamNorm))}
        assert {c: n.min_specialists for c, n in rows.items()} == {"LG01": 1, "LG02": 3}
        assert all(n.team_id == world["team"] and n.set_by_id == world["leader_id"] for n in rows.values())
        assert all(n.set_at is not None for n in rows.values())


@pytest.mark.parametrize("typed, message", [
    ("", "Enter how many specialists Finances needs, from 1 to 20."),
    ("abc", "The number of specialists for Finances must be a whole number from 1 to 20."),
    ("0", "The number of specialists for Finances must be a whole number from 1 to 20."),
    ("21", "The number of specialists for Finances must be a whole number from 1 to 20."),
    ("2.5", "The number of specialists for Finances must be a whole number from 1 to 20."),
    ("²", "The number of specialists for Finances must be a whole number from 1 to 20."),
])
def test_a_wrong_norm_is_named_at_the_field_and_in_the_summary_and_kept(app, client, world, typed, message):
    _english(client)
    login(client, world["leader"])
    response = client.submit(world["norms_url"], {"norm-LG01": typed, "norm-LG02": "4"},
                             page=world["norms_url"])
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<title>Error: Team norm per life domain" in html
    summary = re.search(r'<div class="app-error-summary.*?</div>', html, re.S).group(0)
    assert f'<a class="utrecht-link utrecht-link--html-a" href="#norm-LG01">{message}</a>' in summary
    assert "norm-LG02" not in summary
    field = re.search(r'<input[^>]*id="norm-LG01"[^>]*>', html).group(0)
    assert f'value="{typed}"' in field and 'aria-invalid="true"' in field
    assert 'aria-describedby="norm-LG01-error"' in field
    error = re.search(r'id="norm-LG01-error">\s*<p class="app-error-message">(.*?)</p>', html, re.S)
    assert error and message in error.group(1)
    assert re.search(r'<input[^>]*id="norm-LG02"[^>]*value="4"', html)  # the other field keeps its value
    with app.app_context():
        assert db.session.scalars(select(TeamNorm)).first() is None


def test_the_form_needs_its_csrf_token(app, client, world):
    login(client, world["leader"])
    response = client.post(world["norms_url"], data={"norm-LG01": "3", "norm-LG02": "3"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalars(select(TeamNorm)).first() is None


def test_the_page_is_in_dutch_by_default(client, world):
    login(client, world["leader"])
    html = client.get(world["url"]).get_data(as_text=True)
    assert "Dekking per leefgebied" in html
    assert "Rust op één persoon" in html
    assert "Niemand op specialistisch niveau" in html


# --- privacy ---------------------------------------------------------------------------------------


@pytest.fixture
def outsiders(app, world):
    with app.app_context():
        users = {
            "member": world["pros"][0],
            "other leader": make_user(Role.TEAMLEIDER, teams=[make_team()]).username,
            "coordinator": make_user(Role.REGIOCOORDINATOR).username,
            "administrator": make_user(Role.BEHEERDER).username,
        }
        db.session.commit()
        return users


@pytest.mark.parametrize("who", ["member", "other leader", "coordinator", "administrator"])
def test_nobody_but_the_teams_own_leader_sees_coverage_or_sets_norms(app, world, outsiders, who):
    client = app.test_client()
    login(client, outsiders[who])
    for url in (world["url"], world["norms_url"]):
        response = client.get(url)
        assert response.status_code == 403, (who, url)
        html = response.get_data(as_text=True)
        assert "coverage-table" not in html and "Bram Bos" not in html and "norm-LG01" not in html
    response = client.submit(world["norms_url"], {"norm-LG01": "5", "norm-LG02": "5"},
                             page="/account/wachtwoord")
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalars(select(TeamNorm)).first() is None


def test_anonymous_visitors_are_sent_to_the_login_page(client, world):
    for url in (world["url"], world["norms_url"]):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/inloggen?next=")
    response = client.submit(world["norms_url"], {"norm-LG01": "5"}, page="/inloggen")
    assert response.status_code == 302 and response.headers["Location"].startswith("/inloggen")


def test_a_leader_of_two_teams_sees_each_team_only_under_its_own_url(app, client):
    with app.app_context():
        team_a, team_b = make_team(name="Team A"), make_team(name="Team B")
        leader = make_user(Role.TEAMLEIDER, teams=[team_a, team_b])
        round_a, round_b = make_round(team_a), make_round(team_b)
        make_scan(round_a, make_user(Role.PROFESSIONAL, team=team_a), {"LG01-S1": (4, 4)}, submitted=True)
        db.session.commit()
        ids = (team_a.id, round_a.id, team_b.id, round_b.id)
        username = leader.username
    a, ra, b, rb = ids
    _english(client)
    login(client, username)
    html_a = client.get(f"/teams/{a}/rondes/{ra}/teamschouw/dekking").get_data(as_text=True)
    html_b = client.get(f"/teams/{b}/rondes/{rb}/teamschouw/dekking").get_data(as_text=True)
    assert _row(html_a, "LG01")[0]["specialists"] == 1 and "Team A" in html_a
    assert _row(html_b, "LG01")[0]["specialists"] == 0 and "Team B" in html_b
    # Team A's round under team B's address (and the other way round) is not found.
    assert client.get(f"/teams/{b}/rondes/{ra}/teamschouw/dekking").status_code == 404
    assert client.get(f"/teams/{a}/rondes/{rb}/teamschouw/dekking").status_code == 404
    five = {"norm-LG01": "5", "norm-LG02": "5"}
    response = client.submit(f"/teams/{b}/rondes/{ra}/teamschouw/normen", five,
                             page=f"/teams/{a}/rondes/{ra}/teamschouw/dekking")
    assert response.status_code == 404
    # A norm set for team A stays with team A.
    client.submit(f"/teams/{a}/rondes/{ra}/teamschouw/normen", {"norm-LG01": "5", "norm-LG02": "5"},
                  page=f"/teams/{a}/rondes/{ra}/teamschouw/dekking")
    html_b = client.get(f"/teams/{b}/rondes/{rb}/teamschouw/dekking").get_data(as_text=True)
    assert _row(html_b, "LG01")[0]["norm"] == 2


# --- speed -------------------------------------------------------------------------------------------


def _team_with_submitted(size):
    team = make_team()
    leader = make_user(Role.TEAMLEIDER, teams=[team])
    scan_round = make_round(team)
    for n in range(size):
        pro = make_user(Role.PROFESSIONAL, team=team)
        scan = make_scan(scan_round, pro, {"GC01": (2, 3), "LG01-A1": (2, 3), "LG01-S1": (3 + n % 2, 4),
                                           "LG02-A1": (None, None)}, submitted=True)
        db.session.add(Calibration(scan_id=scan.id, item_id=_item_id("LG01-A1", scan_round), agreed_level=3))
    db.session.flush()
    return leader.username, f"/teams/{team.id}/rondes/{scan_round.id}/teamschouw"


def _item_id(code, scan_round):
    from scan.kenniskaart.models import Item

    return db.session.scalar(
        select(Item.id).where(Item.code == code, Item.version_id == scan_round.version_id)
    )


def _count(client, count_queries, url):
    count_queries.statements.clear()
    response = client.get(url)
    assert response.status_code == 200
    return count_queries.count


def test_the_coverage_page_runs_the_same_number_of_queries_for_3_or_12_members(app, count_queries):
    with app.app_context():
        small = _team_with_submitted(3)
        large = _team_with_submitted(12)
        db.session.commit()
    client = app.test_client()
    login(client, small[0])
    small_count = _count(client, count_queries, small[1] + "/dekking")
    client = app.test_client()
    login(client, large[0])
    large_count = _count(client, count_queries, large[1] + "/dekking")
    assert small_count == large_count
    assert small_count <= 9, count_queries.statements  # 4 for session, team, round and leader; 5 here
