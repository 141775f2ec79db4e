"""Mijn resultaat: the computations on hand-made data, and the page as a professional sees it."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader

from scan.access import Role
from scan.assessment.results.scores import (
    IndividualNorm,
    ItemSpec,
    Rating,
    SectionSpec,
    average,
    compute_result,
    section_results,
)
from scan.extensions import db
from scan.kenniskaart.models import LEVEL_ALGEMEEN, LEVEL_GENERIC, LEVEL_SPECIALISTISCH
from tests.factories import login, make_kenniskaart, make_round, make_scan, make_team, make_user

NORMS = {
    "individual": {"generic_min_level": 2, "algemeen_min_level": 2},
    "team": {"specialists_min": 2, "specialist_level": 3},
}


def D(text: str) -> Decimal:
    return Decimal(text)


def _section(code: str, kind: str, *items: tuple[int, str, str]) -> SectionSpec:
    return SectionSpec(
        code,
        kind,
        tuple(
            ItemSpec(i, c, k, title_nl=f"{c} nl", title_en=f"{c} en", required=k != LEVEL_SPECIALISTISCH)
            for i, c, k in items
        ),
        title_nl=f"{code} nl",
        title_en=f"{code} en",
    )


GC = _section(
    "GC", "generiek", (1, "GC01", LEVEL_GENERIC), (2, "GC02", LEVEL_GENERIC), (3, "GC03", LEVEL_GENERIC)
)
LG01 = _section(
    "LG01",
    "leefgebied",
    (11, "LG01-A1", LEVEL_ALGEMEEN),
    (12, "LG01-S1", LEVEL_SPECIALISTISCH),
    (13, "LG01-S2", LEVEL_SPECIALISTISCH),
)
LG02 = _section("LG02", "leefgebied", (21, "LG02-A1", LEVEL_ALGEMEEN), (22, "LG02-S1", LEVEL_SPECIALISTISCH))
SECTIONS = [GC, LG01, LG02]


def R(level: int | None, ambition: int | None = None) -> Rating:
    """A rating; level None is "not applicable"."""
    return Rating(level, level is None, ambition if ambition is not None else level)


# --- pure computations -----------------------------------------------------------------------------


def test_average_rounds_half_up_to_one_decimal():
    assert average([2, 2, 2, 3]) == D("2.3")  # 2.25
    assert average([1, 2]) == D("1.5")
    assert average([3]) == D("3.0")
    assert average([]) is None


def test_section_averages_count_only_scored_items():
    answers = {1: R(3, 4), 2: R(1, 2), 3: R(2), 11: R(2, 3), 12: R(None), 21: R(1)}
    result = compute_result(SECTIONS, answers, NORMS)
    gc, lg01, lg02 = result.sections
    assert (gc.scored, gc.not_applicable, gc.total) == (3, 0, 3)
    assert (gc.average_level, gc.average_ambition, gc.gap) == (D("2.0"), D("2.7"), D("0.7"))
    # LG01: one scored, one n.v.t., one specialist item left open.
    assert (lg01.scored, lg01.not_applicable, lg01.unscored, lg01.total) == (1, 1, 1, 3)
    assert (lg01.average_level, lg01.average_ambition, lg01.gap) == (D("2.0"), D("3.0"), D("1.0"))
    assert (lg02.average_level, lg02.gap) == (D("1.0"), D("0.0"))
    assert result.scored == 5 and result.not_applicable == 1


def test_gap_is_taken_between_the_rounded_averages():
    # Levels 2, 2, 3 -> 2.3; ambitions 3, 3, 3 -> 3.0: the page shows 3.0 - 2.3 = 0.7, never 0.6.
    answers = {1: R(2, 3), 2: R(2, 3), 3: R(3)}
    gc = compute_result([GC], answers, NORMS).sections[0]
    assert (gc.average_level, gc.average_ambition, gc.gap) == (D("2.3"), D("3.0"), D("0.7"))


def test_a_section_with_only_not_applicable_items_has_no_averages():
    answers = {21: R(None), 22: R(None)}
    lg02 = compute_result([LG02], answers, NORMS).sections[0]
    assert (lg02.scored, lg02.not_applicable) == (0, 2)
    assert lg02.average_level is None and lg02.average_ambition is None and lg02.gap is None


def test_an_empty_scan_has_no_averages_strengths_or_points():
    result = compute_result(SECTIONS, {}, NORMS)
    assert all(s.average_level is None and s.scored == 0 for s in result.sections)
    assert [s.unscored for s in result.sections] == [3, 3, 2]
    assert result.strengths == () and result.development == ()
    assert result.t_profile.depth == ()
    assert [a.average_level for a in result.t_profile.breadth] == [None, None, None]


def test_no_ambition_means_staying_at_the_level():
    result = compute_result([GC], {1: Rating(2, False, None)}, NORMS)
    assert result.sections[0].average_ambition == D("2.0")
    assert result.development == ()


def test_strengths_are_level_three_and_up_highest_first_at_most_five():
    items = [(n, f"GC{n:02d}", LEVEL_GENERIC) for n in range(1, 9)]
    big = _section("GC", "generiek", *items)
    levels = {1: 3, 2: 4, 3: 2, 4: 3, 5: 4, 6: 3, 7: 3, 8: 1}
    result = compute_result([big], {i: R(level) for i, level in levels.items()}, NORMS)
    assert [s.code for s in result.strengths] == ["GC02", "GC05", "GC01", "GC04", "GC06"]
    assert result.strengths_total == 6


def test_development_points_largest_gap_first_then_below_the_norm():
    answers = {
        1: R(3, 4),  # wants to grow by 1
        2: R(1, 3),  # wants to grow by 2, and below the generic norm
        3: R(1),  # below the norm, no ambition to grow
        11: R(2),  # at the norm
        12: R(1),  # specialist: no norm applies
        13: R(None),  # n.v.t.: never a development point
        21: R(1, 1),  # below the algemeen norm
    }
    result = compute_result(SECTIONS, answers, NORMS)
    codes = [(p.item.code, p.wants_to_grow, p.below_norm) for p in result.development]
    assert codes == [
        ("GC02", True, True),
        ("GC01", True, False),
        ("GC03", False, True),
        ("LG02-A1", False, True),
    ]
    assert result.development[0].item.norm == 2


def test_development_points_are_capped_at_five():
    items = [(n, f"GC{n:02d}", LEVEL_GENERIC) for n in range(1, 8)]
    big = _section("GC", "generiek", *items)
    result = compute_result([big], {n: R(1, 3) for n in range(1, 8)}, NORMS)
    assert len(result.development) == 5 and result.development_total == 7


def test_without_norms_only_ambitions_make_development_points():
    result = compute_result(SECTIONS, {1: R(1), 2: R(1, 2)}, {})
    assert [p.item.code for p in result.development] == ["GC02"]
    assert IndividualNorm.from_norms(None).minimum_for(LEVEL_GENERIC) is None


def test_retired_items_are_left_out():
    section = SectionSpec(
        "GC",
        "generiek",
        (ItemSpec(1, "GC01", LEVEL_GENERIC), ItemSpec(2, "GC02", LEVEL_GENERIC, retired=True)),
    )
    result = compute_result([section], {1: R(2), 2: R(4)}, NORMS)
    assert result.sections[0].total == 1 and result.sections[0].average_level == D("2.0")
    assert result.strengths == ()


def test_previous_round_is_matched_by_section_code():
    # The previous version had LG01 and a leefgebied LG09 that no longer exists, and no LG02.
    old_lg01 = _section("LG01", "leefgebied", (101, "LG01-A1", LEVEL_ALGEMEEN))
    old_lg09 = _section("LG09", "leefgebied", (109, "LG09-A1", LEVEL_ALGEMEEN))
    old_gc = _section("GC", "generiek", (100, "GC01", LEVEL_GENERIC))
    previous = section_results([old_gc, old_lg01, old_lg09], {100: R(1, 2), 101: R(2), 109: R(4)})
    result = compute_result(SECTIONS, {1: R(3), 11: R(3)}, NORMS, previous=previous)
    gc, lg01, lg02 = result.sections
    assert result.has_previous
    assert gc.previous is not None and gc.previous.average_level == D("1.0")
    assert gc.previous.average_ambition == D("2.0") and gc.change == D("2.0")
    assert lg01.previous is not None and lg01.previous.average_level == D("2.0")
    assert lg02.previous is None and lg02.change is None


def test_t_profile_breadth_and_depth():
    answers = {
        1: R(2),
        2: R(3),
        3: R(2),
        11: R(3),
        12: R(3, 4),  # LG01: specialist now
        13: R(4),
        21: R(1),
        22: R(2, 3),  # LG02: wants to become specialist
    }
    profile = compute_result(SECTIONS, answers, NORMS).t_profile
    assert [(a.section_code, a.average_level, a.scored) for a in profile.breadth] == [
        ("GC", D("2.3"), 3),
        ("LG01", D("3.0"), 1),
        ("LG02", D("1.0"), 1),
    ]
    depth = {d.section_code: d for d in profile.depth}
    assert set(depth) == {"LG01", "LG02"}
    assert (depth["LG01"].average_level, depth["LG01"].average_ambition) == (D("3.5"), D("4.0"))
    assert depth["LG01"].is_specialist and depth["LG01"].wants_specialist
    assert not depth["LG02"].is_specialist and depth["LG02"].wants_specialist
    assert profile.depth_for("GC") is None


def test_t_profile_leaves_out_leefgebieden_below_specialist_level():
    profile = compute_result(SECTIONS, {12: R(2), 13: R(3, 3), 22: R(None)}, NORMS).t_profile
    # LG01 averages 2.5 and aims for 2.5; LG02's only specialist item is n.v.t.
    assert profile.depth == ()


def test_the_specialist_level_comes_from_the_kenniskaart():
    norms = {**NORMS, "team": {"specialists_min": 2, "specialist_level": 4}}
    profile = compute_result(SECTIONS, {12: R(3)}, norms).t_profile
    assert profile.depth == () and profile.specialist_level == 4


def test_agreed_levels_are_kept_apart_from_self_assessed_ones():
    result = compute_result([GC], {1: R(3), 2: R(2)}, NORMS, agreed={1: 2, 2: 2})
    gc = result.sections[0]
    assert gc.average_level == D("2.5") and gc.average_agreed == D("2.0")
    assert [i.agreed_level for i in gc.items] == [2, 2, None]
    assert compute_result([GC], {1: R(3)}, NORMS).sections[0].average_agreed is None


# --- the page --------------------------------------------------------------------------------------


class _Tables(HTMLParser):
    """Each <table id=...> as a list of rows, each a list of cell texts (th and td)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._table = dict(attrs).get("id", f"table{len(self.tables)}")
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def tables(html: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def row(table: list[list[str]], first: str) -> list[str]:
    return next(r for r in table if r and r[0] == first)


def _english(client) -> None:
    client.submit("/taal", {"lang": "en", "next": "/mijn"}, page="/inloggen")


CURRENT = {"GC01": (3, 4), "GC02": (1, 2), "LG01-A1": (2, 2), "LG01-S1": (4, 4), "LG02-A1": (1, 1)}
EARLIER = {"GC01": (2, 3), "GC02": (1, 2), "LG01-A1": (1, 2), "LG01-S1": (None, None), "LG02-A1": (1, 1)}


@pytest.fixture
def world(app):
    """A professional with a submitted scan now and one in an earlier round, a colleague, a leader."""
    with app.app_context():
        team = make_team(name="Wijkteam Resultaat")
        version = make_kenniskaart()
        pro = make_user(Role.PROFESSIONAL, team=team, full_name="Rens Resultaat")
        colleague = make_user(Role.PROFESSIONAL, team=team)
        leader = make_user(Role.TEAMLEIDER, teams=[team])
        coordinator = make_user(Role.REGIOCOORDINATOR)
        earlier = make_round(team, version, opens_in_days=-200, closes_in_days=-170, title="Najaar 2026")
        make_scan(earlier, pro, EARLIER, submitted=True)
        current = make_round(team, version)
        make_scan(current, pro, CURRENT, submitted=True)
        db.session.commit()
        return {
            "pro": pro.username,
            "colleague": colleague.username,
            "leader": leader.username,
            "coordinator": coordinator.username,
            "round": current.id,
            "earlier": earlier.id,
            "team": team,
            "version": version.id,
        }


def test_result_page_shows_averages_gaps_and_the_previous_round(client, world):
    _english(client)
    login(client, world["pro"])
    response = client.get(f"/mijn/resultaat/{world['round']}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    profile = tables(html)["profile-table"]
    assert profile[0] == [
        "Part",
        "Scored",
        "Level",
        "Ambition",
        "Gap",
        "Level, previous round",
        "Ambition, previous round",
    ]
    assert row(profile, "Generic competencies") == [
        "Generic competencies",
        "2 of 2",
        "2.0",
        "3.0",
        "+1.0",
        "1.5",
        "2.5",
    ]
    assert row(profile, "Finances") == ["Finances", "2 of 2", "3.0", "3.0", "0.0", "1.0", "2.0"]
    assert row(profile, "Housing") == ["Housing", "1 of 1", "1.0", "1.0", "0.0", "1.0", "1.0"]
    assert "Najaar 2026" in html
    assert response.headers["Cache-Control"] == "no-store"


def test_result_page_lists_strengths_and_development_points(client, world):
    _english(client)
    login(client, world["pro"])
    html = client.get(f"/mijn/resultaat/{world['round']}").get_data(as_text=True)
    strengths = html.split('id="strengths"')[1].split("</ol>")[0]
    assert re.findall(r'app-item-code">([^<]+)<', strengths) == ["LG01-S1", "GC01"]
    assert "Stabilising" in strengths and "Level 4: Expert" in strengths
    development = html.split('id="development"')[1].split("</ol>")[0]
    assert re.findall(r'app-item-code">([^<]+)<', development) == ["GC01", "GC02", "LG02-A1"]
    assert "From level 1 to 2. Below the norm of level 2 for everyone." in development
    assert "Spotting rent arrears" in development


def test_charts_are_accessible_svg_with_the_tables_numbers(client, world):
    _english(client)
    login(client, world["pro"])
    html = client.get(f"/mijn/resultaat/{world['round']}").get_data(as_text=True)
    svgs = re.findall(r"<svg\b.*?</svg>", html, flags=re.S)
    assert len(svgs) == 2
    for svg in svgs:
        assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
        ids = re.search(r'aria-labelledby="([^"]+)"', svg).group(1).split()
        assert all(f'id="{i}"' in svg for i in ids)
        assert "style=" not in svg and "<style" not in svg
    profile_svg, t_svg = svgs
    assert "Average level and ambition per part" in profile_svg
    # Every bar carries its value as text, the same number as in the table.
    for text in ("Level: 2.0", "Ambition: 3.0", "Previous round: 1.5", "Level: 3.0", "Previous round: 1.0"):
        assert text in profile_svg
    assert "Previous round" in profile_svg.split("</g>")[0]  # in the legend
    # The T-profile: breadth per part, and a leg for LG01 where the specialist item is at 4.
    breadth = tables(html)["breadth-table"]
    assert row(breadth, "GC")[2:] == ["2", "2.0", "3.0"]
    assert row(breadth, "LG01")[2:] == ["1", "2.0", "2.0"]
    depth = tables(html)["depth-table"]
    assert [r[0] for r in depth[1:]] == ["LG01"]
    assert row(depth, "LG01")[2:] == ["1", "4.0", "4.0", "yes"]
    assert ">4.0</text>" in t_svg and ">LG02</text>" in t_svg


def test_result_page_is_in_dutch_number_format_by_default(client, world):
    login(client, world["pro"])
    html = client.get(f"/mijn/resultaat/{world['round']}").get_data(as_text=True)
    profile = tables(html)["profile-table"]
    assert row(profile, "Generieke competenties")[2:5] == ["2,0", "3,0", "+1,0"]


def test_first_result_has_no_previous_column(app, client):
    with app.app_context():
        team = make_team()
        pro = make_user(Role.PROFESSIONAL, team=team)
        scan_round = make_round(team)
        make_scan(scan_round, pro, {"GC01": (2, 2), "GC02": (2, 2), "LG01-A1": (None, None)}, submitted=True)
        db.session.commit()
        username, round_id = pro.username, scan_round.id
    _english(client)
    login(client, username)
    html = client.get(f"/mijn/resultaat/{round_id}").get_data(as_text=True)
    profile = tables(html)["profile-table"]
    assert profile[0] == ["Part", "Scored", "Level", "Ambition", "Gap"]
    assert row(profile, "Finances")[1:] == ["0 of 2 (1 not applicable)", "–", "–", "–"]
    assert "Previous round" not in html
    assert "there is no earlier result" in html
    assert "1 item you marked “not applicable” is left out." in html
    assert "No specialism yet" in html and 'id="depth-table"' not in html


def test_a_draft_redirects_to_my_scan_with_a_message(app, client):
    with app.app_context():
        team = make_team()
        pro = make_user(Role.PROFESSIONAL, team=team)
        scan_round = make_round(team)
        make_scan(scan_round, pro, {"GC01": (2, 2)})
        db.session.commit()
        username, round_id = pro.username, scan_round.id
    _english(client)
    login(client, username)
    response = client.get(f"/mijn/resultaat/{round_id}")
    assert response.status_code == 302 and response.headers["Location"] == "/scan"
    html = client.get("/scan").get_data(as_text=True)
    assert "Submit your scan first" in html


def test_another_professional_cannot_see_my_result(client, world):
    login(client, world["colleague"])
    assert client.get(f"/mijn/resultaat/{world['round']}").status_code == 404
    assert client.get("/mijn/resultaat/999999").status_code == 404


@pytest.mark.parametrize("who", ["leader", "coordinator"])
def test_other_roles_cannot_open_result_pages(client, world, who):
    login(client, world[who])
    assert client.get(f"/mijn/resultaat/{world['round']}").status_code == 403
    assert client.get("/mijn/resultaat").status_code == 403


def test_anonymous_visitors_are_sent_to_login(client, world):
    for url in (f"/mijn/resultaat/{world['round']}", "/mijn/resultaat"):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/inloggen?next=")


def test_latest_result_goes_to_the_newest_submitted_round(client, world):
    login(client, world["pro"])
    response = client.get("/mijn/resultaat")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/mijn/resultaat/{world['round']}"


def test_earlier_result_is_compared_with_nothing_before_it(client, world):
    _english(client)
    login(client, world["pro"])
    html = client.get(f"/mijn/resultaat/{world['earlier']}").get_data(as_text=True)
    assert row(tables(html)["profile-table"], "Generic competencies")[2:] == ["1.5", "2.5", "+1.0"]
    assert "Level, previous round" not in html


def test_latest_result_without_any_submitted_scan_says_so(client, world):
    _english(client)
    login(client, world["colleague"])
    response = client.get("/mijn/resultaat")
    assert response.status_code == 200
    assert "You have no result yet" in response.get_data(as_text=True)


def test_previous_round_on_another_kenniskaart_version_is_matched_by_section_code(app, client):
    from tests.kenniskaart.sample import VALID

    with app.app_context():
        team = make_team()
        pro = make_user(Role.PROFESSIONAL, team=team)
        old_version = make_kenniskaart()
        # The new version renames the map's title and adds a generic competency.
        new_text = VALID.replace('version: "2026.1"', 'version: "2027.1"').replace(
            "leefgebieden:\n",
            "    - code: GC03\n"
            "      title: {nl: Samenwerken, en: Working together}\n"
            "      description: {nl: Werkt samen, en: Works together}\n"
            "      levels:\n"
            "        1: {nl: een, en: one}\n"
            "        2: {nl: twee, en: two}\n"
            "        3: {nl: drie, en: three}\n"
            "        4: {nl: vier, en: four}\n"
            "leefgebieden:\n",
        )
        new_version = make_kenniskaart(new_text)
        assert new_version.id != old_version.id
        earlier = make_round(team, old_version, opens_in_days=-300, closes_in_days=-280, title="Oud")
        make_scan(earlier, pro, {"GC01": (1, 2), "GC02": (2, 2), "LG02-A1": (3, 3)}, submitted=True)
        current = make_round(team, new_version)
        make_scan(
            current, pro, {"GC01": (2, 2), "GC02": (2, 2), "GC03": (2, 2), "LG02-A1": (3, 3)}, submitted=True
        )
        db.session.commit()
        username, round_id = pro.username, current.id
    _english(client)
    login(client, username)
    html = client.get(f"/mijn/resultaat/{round_id}").get_data(as_text=True)
    profile = tables(html)["profile-table"]
    assert row(profile, "Generic competencies")[1:] == ["3 of 3", "2.0", "2.0", "0.0", "1.5", "2.0"]
    assert row(profile, "Housing")[5:] == ["3.0", "3.0"]
    assert row(profile, "Finances")[5:] == ["–", "–"]  # nothing scored there last time
    # Item by item, matched by code across the versions: only GC01 changed (GC03 is new, not a change).
    changes = tables(html)["changes-table"]
    assert changes[1:] == [["GC01", "Engaging", "1 · Beginner", "2 · Basic"]]


def _kenniskaart_text(code: str, generic: int, per_leefgebied: int) -> str:
    """A valid Kenniskaart with `generic` competencies and two leefgebieden of `per_leefgebied` items."""
    from tests.kenniskaart.sample import VALID

    head = VALID.split("generic_competencies:")[0].replace("code: KK-TEST", f"code: {code}")
    lines = [
        head + "generic_competencies:",
        "  code: GC",
        "  title: {nl: Generiek, en: Generic}",
        "  description: {nl: Voor iedereen, en: For everyone}",
        "  items:",
    ]
    for n in range(1, generic + 1):
        lines += [
            f"    - code: GC{n:02d}",
            f"      title: {{nl: Competentie {n}, en: Competency {n}}}",
            "      description: {nl: Omschrijving, en: Description}",
            "      levels:",
            *(f"        {level}: {{nl: niveau {level}, en: level {level}}}" for level in range(1, 5)),
        ]
    lines.append("leefgebieden:")
    for lg in (1, 2):
        lines += [
            f"  - code: LG{lg:02d}",
            f"    title: {{nl: Gebied {lg}, en: Domain {lg}}}",
            "    description: {nl: Omschrijving, en: Description}",
            "    items:",
        ]
        for n in range(1, per_leefgebied + 1):
            kind = "algemeen" if n % 2 else "specialistisch"
            letter = "A" if n % 2 else "S"
            lines += [
                f"      - code: LG{lg:02d}-{letter}{n}",
                f"        level: {kind}",
                f"        title: {{nl: Kennis {lg}.{n}, en: Knowledge {lg}.{n}}}",
                "        description: {nl: Omschrijving, en: Description}",
            ]
    return "\n".join(lines) + "\n"


def _world_with(version, items: int):  # type: ignore[no-untyped-def]
    from scan.kenniskaart.models import Item

    team = make_team()
    pro = make_user(Role.PROFESSIONAL, team=team)
    codes = [i.code for i in db.session.query(Item).filter(Item.version_id == version.id)]
    assert len(codes) == items
    answers = {code: (2, 3) for code in codes}
    earlier = make_round(team, version, opens_in_days=-200, closes_in_days=-170)
    make_scan(earlier, pro, answers, submitted=True)
    current = make_round(team, version)
    make_scan(current, pro, answers, submitted=True)
    return pro.username, current.id


def test_result_page_runs_the_same_number_of_queries_for_few_and_many_items(app, client, count_queries):
    with app.app_context():
        small = make_kenniskaart(_kenniskaart_text("KK-KLEIN", 2, 2))
        large = make_kenniskaart(_kenniskaart_text("KK-GROOT", 12, 40))
        small_user, small_round = _world_with(small, 2 + 2 * 2)
        large_user, large_round = _world_with(large, 12 + 2 * 40)
        db.session.commit()
    counts = []
    for username, round_id in ((small_user, small_round), (large_user, large_round)):
        other = app.test_client()
        login(other, username)
        count_queries.statements.clear()
        response = other.get(f"/mijn/resultaat/{round_id}")
        assert response.status_code == 200
        counts.append(count_queries.count)
    assert counts[0] == counts[1], counts
    assert counts[0] <= 12, count_queries.statements


def test_result_page_has_a_print_stylesheet(client, world):
    """Mijn resultaat prints: its stylesheet scales each chart to one page and never splits a chart or its
    table; the download buttons (on Mijn gegevens, same stylesheet) are left off paper."""
    login(client, world["pro"])
    html = client.get(f"/mijn/resultaat/{world['round']}").get_data(as_text=True)
    assert '<link rel="stylesheet" href="/static/css/results.css">' in html
    assert html.count('<div class="app-figure">') == 2 and '<svg class="app-chart' in html
    css = client.get("/static/css/results.css").get_data(as_text=True)
    assert "@media print" in css
    printing = css[css.index("@media print"):]
    chart = printing[printing.index(".app-figure .app-chart {"):]
    chart = chart[:chart.index("}")]
    assert "break-inside: avoid" in chart and "max-inline-size: 100%" in chart and "max-block-size" in chart
    tables_rule = printing[printing.index(".app-figure table {"):]
    assert "break-inside: avoid" in tables_rule[:tables_rule.index("}")]
    downloads = printing[printing.index(".app-downloads {"):]
    assert "display: none" in downloads[:downloads.index("}")]
    page = client.get("/mijn/gegevens").get_data(as_text=True)
    assert "css/results.css" in page and 'class="app-downloads"' in page


# --- what changed, the way on to the POP, and the PDF -----------------------------------------------------


def test_result_page_shows_what_changed_item_by_item_since_the_previous_round(client, world):
    _english(client)
    login(client, world["pro"])
    html = client.get(f"/mijn/resultaat/{world['round']}").get_data(as_text=True)
    assert "What changed since Najaar 2026" in html
    assert "3 items have a different level than in the previous round." in html
    changes = tables(html)["changes-table"]
    assert changes == [
        ["Code", "Item", "Previous round", "Now"],
        ["GC01", "Engaging", "2 · Basic", "3 · Advanced"],
        ["LG01-A1", "Spotting money worries", "1 · Beginner", "2 · Basic"],
        ["LG01-S1", "Stabilising", "not applicable", "4 · Expert"],
    ]  # GC02 and LG02-A1 stayed at their level


def test_result_page_shows_each_average_once_and_leads_on_to_the_pop(client, world):
    _english(client)
    login(client, world["pro"])
    html = client.get(f"/mijn/resultaat/{world['round']}").get_data(as_text=True)
    # The tables are the charts' accessible equivalent, behind a disclosure: no second copy on the page.
    disclosures = re.findall(r"<details\b.*?</details>", html, flags=re.S)
    assert len(disclosures) == 2
    assert 'id="profile-table"' in disclosures[0]
    assert 'id="breadth-table"' in disclosures[1] and 'id="depth-table"' in disclosures[1]
    assert all("Show the numbers as a table</summary>" in d for d in disclosures)
    # Four tables: the profile and the T-profile (behind their charts) and the changes; no copies.
    assert html.count("<table") == 4
    assert 'primary-action" href="/mijn/pop">Go to my POP</a>' in html
    assert f'href="/mijn/resultaat/{world["round"]}/resultaat.pdf">Download my result (PDF)</a>' in html
    assert "use your browser's print function" not in html


def _pdf_text(body: bytes) -> str:
    reader = PdfReader(io.BytesIO(body))
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))


def test_a_professional_downloads_their_result_as_a_pdf(client, world):
    _english(client)
    login(client, world["pro"])
    response = client.get(f"/mijn/resultaat/{world['round']}/resultaat.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert re.fullmatch(r'attachment; filename="resultaat-[\w-]+-\d{4}-\d{2}-\d{2}\.pdf"',
                        response.headers["Content-Disposition"])
    text = _pdf_text(response.data)
    assert "Result of Rens Resultaat" in text and "Wijkteam Resultaat" in text
    assert "Compared with Najaar 2026, submitted on" in text
    assert "Generic competencies 2 of 2 2.0 3.0 +1.0 1.5" in text
    assert "What changed since Najaar 2026" in text
    assert "GC01 Engaging 2 · Basic 3 · Advanced" in text
    assert "LG01-A1 Spotting money worries 1 · Beginner 2 · Basic" in text
    changed = text[text.index("What changed since"):text.index("Your strengths")]
    assert "GC02" not in changed and "LG02-A1" not in changed  # unchanged items are left out
    assert "From level 1 to 2. Below the norm of level 2 for everyone." in text


def test_the_result_pdf_is_in_dutch_by_default(client, world):
    login(client, world["pro"])
    text = _pdf_text(client.get(f"/mijn/resultaat/{world['round']}/resultaat.pdf").data)
    assert "Resultaat van Rens Resultaat" in text and "Wat is er veranderd sinds Najaar 2026" in text
    assert "Generieke competenties 2 van 2 2,0 3,0 +1,0 1,5" in text
    assert "GC01 Contact maken 2 · Basis 3 · Gevorderd" in text
    assert "Page" not in text


def test_the_first_result_pdf_has_nothing_to_compare(client, world):
    _english(client)
    login(client, world["pro"])
    text = _pdf_text(client.get(f"/mijn/resultaat/{world['earlier']}/resultaat.pdf").data)
    assert "there is no earlier result to compare with" in text and "What changed" not in text


def test_only_the_professional_gets_their_result_pdf(app, client, world):
    url = f"/mijn/resultaat/{world['round']}/resultaat.pdf"
    login(client, world["colleague"])
    assert client.get(url).status_code == 404
    for who in ("leader", "coordinator"):
        other = app.test_client()
        login(other, world[who])
        assert other.get(url).status_code == 403
    assert app.test_client().get(url).status_code == 302  # to the login page


def test_a_draft_has_no_result_pdf(app, client):
    with app.app_context():
        team = make_team()
        pro = make_user(Role.PROFESSIONAL, team=team)
        scan_round = make_round(team)
        make_scan(scan_round, pro, {"GC01": (2, 2)})
        db.session.commit()
        username, round_id = pro.username, scan_round.id
    login(client, username)
    response = client.get(f"/mijn/resultaat/{round_id}/resultaat.pdf")
    assert response.status_code == 302 and response.headers["Location"] == "/scan"


def test_result_pdf_runs_the_same_number_of_queries_for_few_and_many_items(app, client, count_queries):
    with app.app_context():
        small = make_kenniskaart(_kenniskaart_text("KK-KLEIN", 2, 2))
        large = make_kenniskaart(_kenniskaart_text("KK-GROOT", 12, 40))
        small_user, small_round = _world_with(small, 2 + 2 * 2)
        large_user, large_round = _world_with(large, 12 + 2 * 40)
        db.session.commit()
    counts = []
    for username, round_id in ((small_user, small_round), (large_user, large_round)):
        other = app.test_client()
        login(other, username)
        count_queries.statements.clear()
        response = other.get(f"/mijn/resultaat/{round_id}/resultaat.pdf")
        assert response.status_code == 200
        counts.append(count_queries.count)
    assert counts[0] == counts[1], counts
    assert counts[0] <= 12, count_queries.statements


def test_a_members_answers_page_runs_the_same_number_of_queries_for_few_and_many_items(
    app, client, count_queries
):
    from scan.assessment.models import Scan
    from scan.auth.models import User

    with app.app_context():
        small = make_kenniskaart(_kenniskaart_text("KK-KLEIN", 2, 2))
        large = make_kenniskaart(_kenniskaart_text("KK-GROOT", 12, 40))
        scans = []
        for version, items in ((small, 2 + 2 * 2), (large, 12 + 2 * 40)):
            username, round_id = _world_with(version, items)
            pro = db.session.scalars(db.select(User).where(User.username == username)).one()
            leader = make_user(Role.TEAMLEIDER, teams=[pro.team])
            scan = db.session.scalars(db.select(Scan).where(Scan.round_id == round_id)).one()
            scans.append((leader.username, scan.id))
        db.session.commit()
    counts = []
    for username, scan_id in scans:
        other = app.test_client()
        login(other, username)
        count_queries.statements.clear()
        response = other.get(f"/scans/{scan_id}/antwoorden")
        assert response.status_code == 200
        counts.append(count_queries.count)
    assert counts[0] == counts[1], counts
    assert counts[0] <= 12, count_queries.statements
