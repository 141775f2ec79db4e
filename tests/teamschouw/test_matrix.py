"""The team matrix: what each cell shows, the filters, projector and print, privacy and query count."""

import html as html_lib
import re
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from scan.access import Role
from scan.assessment import services as assessment_services
from scan.assessment.models import Scan
from scan.auth.models import User
from scan.core.clock import today
from scan.extensions import db
from scan.kenniskaart.models import Item
from scan.teamschouw.matrix.build import MatrixCell, build_matrix, cell_for
from scan.teamschouw.models import Calibration
from tests.factories import login, make_round, make_scan, make_team, make_user

# --- cells and filters on plain data ---------------------------------------------------------------


@dataclass(frozen=True)
class A:
    scan_id: int
    item_id: int
    level: int | None
    ambition: int | None = None
    agreed_level: int | None = None
    not_applicable: bool = False


@pytest.mark.parametrize("answer, cell", [
    (None, MatrixCell("empty")),
    (A(1, 1, 3), MatrixCell("level", level=3)),
    (A(1, 1, 2, ambition=3), MatrixCell("level", level=2, ambition=3)),
    (A(1, 1, 3, ambition=3), MatrixCell("level", level=3)),  # "stay at this level": no arrow
    (A(1, 1, 3, agreed_level=3), MatrixCell("level", level=3)),  # agreed equals self: no "(self)"
    (A(1, 1, 2, agreed_level=3), MatrixCell("level", level=3, self_level=2)),
    (A(1, 1, 2, ambition=4, agreed_level=3), MatrixCell("level", level=3, self_level=2, ambition=4)),
    (A(1, 1, 2, ambition=3, agreed_level=3), MatrixCell("level", level=3, self_level=2)),
    (A(1, 1, None, not_applicable=True), MatrixCell("nvt")),
    (A(1, 1, None, ambition=3, not_applicable=True), MatrixCell("nvt")),
    (A(1, 1, None, agreed_level=2, not_applicable=True),
     MatrixCell("level", level=2, self_not_applicable=True)),
    (A(1, 1, None), MatrixCell("empty")),
])
def test_what_a_cell_shows(answer, cell):
    assert cell_for(answer) == cell


def test_cells_carry_a_css_class_per_level():
    assert [cell_for(A(1, 1, n)).css_class for n in (1, 2, 3, 4)] == [f"app-level-{n}" for n in (1, 2, 3, 4)]
    assert cell_for(None).css_class == "app-level-empty"
    assert cell_for(A(1, 1, None, not_applicable=True)).css_class == "app-level-nvt"
    assert cell_for(A(1, 1, 9)).css_class == "app-level-other"


@dataclass(frozen=True)
class S:
    id: int
    code: str
    kind: str
    title_nl: str = ""
    title_en: str = ""


@dataclass(frozen=True)
class I:  # noqa: E742
    id: int
    section_id: int
    code: str
    level_kind: str
    title_nl: str = ""
    title_en: str = ""


@dataclass(frozen=True)
class M:
    scan_id: int
    name: str


SECTIONS = [S(1, "GC", "generiek"), S(2, "LG01", "leefgebied"), S(3, "LG02", "leefgebied")]
ITEMS = [I(10, 1, "GC01", "generiek"), I(20, 2, "LG01-A1", "algemeen"), I(21, 2, "LG01-S1", "specialistisch"),
         I(30, 3, "LG02-A1", "algemeen")]
MEMBERS = [M(1, "Anna"), M(2, "Bram")]
ANSWERS = [A(1, 10, 2, 3), A(1, 21, 3, 4), A(2, 20, None, not_applicable=True), A(9, 10, 4)]


def codes(matrix):
    return [c.code for c in matrix.columns]


def test_the_matrix_has_a_row_per_member_and_columns_grouped_per_section():
    matrix = build_matrix(SECTIONS, ITEMS, MEMBERS, ANSWERS)
    assert [g.code for g in matrix.groups] == ["GC", "LG01", "LG02"]
    assert codes(matrix) == ["GC01", "LG01-A1", "LG01-S1", "LG02-A1"]
    assert [r.name for r in matrix.rows] == ["Anna", "Bram"]
    anna, bram = matrix.rows
    assert anna.cells == (MatrixCell("level", 2, ambition=3), MatrixCell("empty"),
                          MatrixCell("level", 3, ambition=4), MatrixCell("empty"))
    assert bram.cells[1] == MatrixCell("nvt")
    assert not matrix.filtered


def test_filters_by_section_and_by_kind_of_item():
    def matrix(**filters):
        return build_matrix(SECTIONS, ITEMS, MEMBERS, ANSWERS, **filters)

    assert codes(matrix(section_code="LG01")) == ["LG01-A1", "LG01-S1"]
    assert codes(matrix(level_kind="algemeen")) == ["LG01-A1", "LG02-A1"]
    assert codes(matrix(level_kind="generiek")) == ["GC01"]
    both = matrix(section_code="LG01", level_kind="specialistisch")
    assert codes(both) == ["LG01-S1"] and both.filtered
    assert both.rows[0].cells == (MatrixCell("level", 3, ambition=4),)
    # A section without items of that kind: no columns at all.
    assert matrix(section_code="GC", level_kind="algemeen").groups == ()


def test_unknown_filter_values_show_everything():
    matrix = build_matrix(SECTIONS, ITEMS, MEMBERS, ANSWERS, section_code="XX", level_kind="<script>")
    assert (matrix.section_code, matrix.level_kind) == ("", "alle")
    assert len(matrix.columns) == 4


def test_an_empty_team_has_columns_but_no_rows():
    matrix = build_matrix(SECTIONS, ITEMS, [], ANSWERS)
    assert matrix.rows == () and len(matrix.columns) == 4


# --- the page ------------------------------------------------------------------------------------


@pytest.fixture
def world(app):
    with app.app_context():
        team = make_team(name="Wijkteam Matrix")
        leader = make_user(Role.TEAMLEIDER, teams=[team], full_name="Lies Leider")
        anna = make_user(Role.PROFESSIONAL, team=team, full_name="Anna Aalbers")
        bram = make_user(Role.PROFESSIONAL, team=team, full_name="Bram Bos")
        cor = make_user(Role.PROFESSIONAL, team=team, full_name="Cor Concept")
        dirk = make_user(Role.PROFESSIONAL, team=team, full_name="Dirk Heropend")
        scan_round = make_round(team)
        anna_scan = make_scan(scan_round, anna, {"GC01": (2, 3), "GC02": (3, 3), "LG01-A1": (2, 2),
                                                 "LG01-S1": (2, 4), "LG02-A1": (1, 2)}, submitted=True)
        make_scan(scan_round, bram, {"GC01": (4, 4), "GC02": (3, 3), "LG01-A1": (3, 3),
                                     "LG01-S1": (None, None), "LG02-A1": (2, 2)}, submitted=True)
        make_scan(scan_round, cor, {"GC01": (1, 1), "LG01-S1": (1, 1)})  # a draft
        dirk_scan = make_scan(scan_round, dirk, {"GC01": (1, 1), "GC02": (1, 1), "LG01-A1": (1, 1),
                                                 "LG01-S1": (4, 4), "LG02-A1": (1, 1)}, submitted=True)
        items = _item_ids(scan_round)
        # The leader agreed Anna's LG01-S1 at 3 (an older agreement of 4 no longer counts).
        db.session.add(Calibration(scan_id=anna_scan.id, item_id=items["LG01-S1"], agreed_level=4,
                                   set_by_id=leader.id))
        db.session.flush()
        db.session.add(Calibration(scan_id=anna_scan.id, item_id=items["LG01-S1"], agreed_level=3,
                                   set_by_id=leader.id))
        # Dirk's scan is reopened: it must disappear from the matrix.
        assessment_services.reopen(dirk_scan, leader, "Nog een keer", today())
        db.session.commit()
        return {
            "leader": leader.username, "anna": anna.username, "round": scan_round.id, "team": team.id,
            "dirk_scan": dirk_scan.id,
            "url": f"/teams/{team.id}/rondes/{scan_round.id}/teamschouw/matrix",
        }


def _item_ids(scan_round):
    items = db.session.scalars(select(Item).where(Item.version_id == scan_round.version_id))
    return {i.code: i.id for i in items}


def _english(client):
    client.submit("/taal", {"lang": "en", "next": "/inloggen"}, page="/inloggen")


def _visible(fragment):
    """The text a sighted user sees: tags and visually-hidden text removed, spaces collapsed."""
    fragment = re.sub(r'<span class="visually-hidden">.*?</span>', "", fragment, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", "", fragment).split())


def _table(html):
    """{member name: {item code: visible cell text}} and the cells' classes, from the matrix table."""
    body = re.search(r'<tbody class="utrecht-table__body">(.*?)</tbody>', html, re.S).group(1)
    cells, classes = {}, {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
        name = _visible(re.search(r'<th scope="row"[^>]*>(.*?)</th>', row, re.S).group(1))
        found = re.findall(r'<td class="([^"]*)" data-item="([^"]+)">(.*?)</td>', row, re.S)
        cells[name] = {code: _visible(text) for _cls, code, text in found}
        classes[name] = {code: cls for cls, code, _text in found}
    return cells, classes


def test_the_leader_sees_levels_ambitions_agreements_and_not_applicable(client, world):
    _english(client)
    login(client, world["leader"])
    response = client.get(world["url"])
    assert response.status_code == 200
    cells, classes = _table(response.get_data(as_text=True))
    assert list(cells) == ["Anna Aalbers", "Bram Bos"]
    assert cells["Anna Aalbers"] == {"GC01": "2→3", "GC02": "3", "LG01-A1": "2", "LG01-S1": "3→4 (self 2)",
                                     "LG02-A1": "1→2"}
    assert cells["Bram Bos"] == {"GC01": "4", "GC02": "3", "LG01-A1": "3", "LG01-S1": "n/a", "LG02-A1": "2"}
    assert "app-level-3" in classes["Anna Aalbers"]["LG01-S1"]
    assert "app-level-nvt" in classes["Bram Bos"]["LG01-S1"]
    assert "app-level-4" in classes["Bram Bos"]["GC01"]


def test_drafts_and_reopened_scans_never_show(app, client, world):
    login(client, world["leader"])
    html = client.get(world["url"]).get_data(as_text=True)
    assert "Cor Concept" not in html and "Dirk Heropend" not in html
    cells, _ = _table(html)
    assert all(row["LG01-S1"] != "4" for row in cells.values())  # Dirk's 4 is nowhere
    # Submitted again, Dirk comes back.
    with app.app_context():
        scan = db.session.get(Scan, world["dirk_scan"])
        assessment_services.submit(scan, db.session.get(User, scan.user_id), today())
        db.session.commit()
    html = client.get(world["url"]).get_data(as_text=True)
    cells, _ = _table(html)
    assert cells["Dirk Heropend"]["LG01-S1"] == "4"


def test_table_semantics_legend_and_a_focusable_scroll_region(client, world):
    _english(client)
    login(client, world["leader"])
    html = client.get(world["url"]).get_data(as_text=True)
    region = re.search(r'<div class="app-table-wrap app-matrix-wrap"([^>]*)>', html).group(1)
    assert 'tabindex="0"' in region and 'role="region"' in region and 'aria-label="' in region
    assert '<caption class="utrecht-table__caption"' in html
    assert '<th scope="colgroup" colspan="2" class="utrecht-table__header-cell app-matrix__section">GC · ' \
        in html
    header = re.search(r'<th scope="col"[^>]*data-item="LG01-S1">(.*?)</th>', html, re.S).group(1)
    assert _visible(header) == "LG01-S1"
    assert '<span class="visually-hidden"> Stabilising</span>' in header
    assert html.count('<th scope="row"') == 2
    legend = re.search(r'<section class="app-matrix-legend".*?</section>', html, re.S).group(0)
    for text in ("2→3", "(self 2)", "n/a", "–", "Not applicable", "Expert",
                 "from light (lower) to dark (higher)"):
        assert text in _visible(legend)
    # The ambition arrow is spoken as a word, the empty dash as "not answered".
    assert '<span class="visually-hidden">, ambition </span>' in html


def test_choosing_a_section_shows_only_its_columns(client, world):
    _english(client)
    login(client, world["leader"])
    html = client.get(world["url"] + "?sectie=LG01").get_data(as_text=True)
    cells, _ = _table(html)
    assert cells["Anna Aalbers"] == {"LG01-A1": "2", "LG01-S1": "3→4 (self 2)"}
    assert '<option value="LG01" selected>' in html
    assert "Levels per member and item · LG01 Finances" in _visible(html)
    html = client.get(world["url"] + "?niveau=specialistisch").get_data(as_text=True)
    assert _table(html)[0]["Bram Bos"] == {"LG01-S1": "n/a"}
    html = client.get(world["url"] + "?niveau=generiek&sectie=").get_data(as_text=True)
    assert list(_table(html)[0]["Anna Aalbers"]) == ["GC01", "GC02"]
    html = client.get(world["url"] + "?sectie=GC&niveau=specialistisch").get_data(as_text=True)
    assert "No items match this choice" in html and "<tbody" not in html
    html = client.get(world["url"] + "?sectie=nope&niveau=nope").get_data(as_text=True)
    assert len(_table(html)[0]["Anna Aalbers"]) == 5


def test_filters_work_without_javascript_as_a_get_form_and_links(client, world):
    login(client, world["leader"])
    html = client.get(world["url"] + "?sectie=LG01&weergave=projector").get_data(as_text=True)
    form = re.search(r'<form method="get"[^>]*>.*?</form>', html, re.S).group(0)
    assert 'name="sectie"' in form and 'name="niveau"' in form and '<button type="submit"' in form
    assert '<input type="hidden" name="weergave" value="projector">' in form
    # Plain links keep the other choices: the kind-of-item links stay within LG01 and projector mode.
    link = f'/teams/{world["team"]}/rondes/{world["round"]}/teamschouw/matrix?sectie=LG01&amp;niveau=algemeen'
    assert f'href="{link}&amp;weergave=projector"' in html
    assert "<script" not in html


def test_projector_mode_and_print_stylesheet(app, client, world):
    login(client, world["leader"])
    normal = client.get(world["url"]).get_data(as_text=True)
    projector = client.get(world["url"] + "?weergave=projector").get_data(as_text=True)
    assert 'class="app-matrix-page"' in normal and "app-matrix-page--projector" not in normal
    assert 'class="app-matrix-page app-matrix-page--projector"' in projector
    assert "css/teamschouw.css" in normal
    css = client.get("/static/css/teamschouw.css").get_data(as_text=True)
    assert ".app-matrix-page--projector" in css
    printing = css[css.index("@media print"):]
    assert "landscape" in printing and ".app-matrix-filters" in printing
    assert 'class="app-matrix-filters app-no-print"' in normal


def _contrast(foreground, background):
    def luminance(colour):
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_level_colour_has_enough_contrast(client):
    css = client.get("/static/css/teamschouw.css").get_data(as_text=True)
    rules = re.findall(r"\.app-level-(\w+)(?:,\s*\.app-level-\w+)?\s*\{\s*background-color: (#[0-9a-f]{6}); "
                       r"color: (#[0-9a-f]{6}); \}", css)
    assert {name for name, _bg, _fg in rules} >= {"1", "2", "3", "4", "5", "nvt", "empty"}
    for name, background, foreground in rules:
        assert _contrast(foreground, background) >= 4.5, name


def test_an_empty_round_says_so(app, client):
    with app.app_context():
        team = make_team()
        leader = make_user(Role.TEAMLEIDER, teams=[team])
        scan_round = make_round(team)
        db.session.commit()
        url, username = f"/teams/{team.id}/rondes/{scan_round.id}/teamschouw/matrix", leader.username
    _english(client)
    login(client, username)
    html = client.get(url).get_data(as_text=True)
    assert "Nobody in this team has submitted a scan in this round yet." in html
    assert "<tbody" not in html


def test_the_matrix_is_in_dutch_by_default(client, world):
    login(client, world["leader"])
    html = client.get(world["url"]).get_data(as_text=True)
    cells, _ = _table(html)
    assert cells["Anna Aalbers"]["LG01-S1"] == "3→4 (zelf 2)"
    assert cells["Bram Bos"]["LG01-S1"] == "n.v.t."
    assert "Teammatrix" in html and "Legenda" in html


# --- privacy ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["member", "other leader", "coordinator", "administrator"])
def test_nobody_but_the_teams_own_leader_sees_the_matrix(app, world, who):
    with app.app_context():
        users = {
            "member": world["anna"],
            "other leader": make_user(Role.TEAMLEIDER, teams=[make_team()]).username,
            "coordinator": make_user(Role.REGIOCOORDINATOR).username,
            "administrator": make_user(Role.BEHEERDER).username,
        }
        db.session.commit()
    client = app.test_client()
    login(client, users[who])
    for query in ("", "?sectie=LG01", "?weergave=projector"):
        response = client.get(world["url"] + query)
        assert response.status_code == 403, (who, query)
        html = response.get_data(as_text=True)
        assert "Bram Bos" not in html and 'id="matrix"' not in html


def test_anonymous_visitors_are_sent_to_the_login_page(client, world):
    response = client.get(world["url"])
    assert response.status_code == 302 and response.headers["Location"].startswith("/inloggen?next=")


def test_a_leader_of_two_teams_sees_each_team_only_under_its_own_url(app, client):
    with app.app_context():
        team_a, team_b = make_team(name="Team A"), make_team(name="Team B")
        leader = make_user(Role.TEAMLEIDER, teams=[team_a, team_b])
        round_a, round_b = make_round(team_a), make_round(team_b)
        make_scan(round_a, make_user(Role.PROFESSIONAL, team=team_a, full_name="Alleen In A"),
                  {"GC01": (3, 3)}, submitted=True)
        make_scan(round_b, make_user(Role.PROFESSIONAL, team=team_b, full_name="Alleen In B"),
                  {"GC01": (2, 2)}, submitted=True)
        db.session.commit()
        a, ra, b, rb, username = team_a.id, round_a.id, team_b.id, round_b.id, leader.username
    login(client, username)
    html_a = client.get(f"/teams/{a}/rondes/{ra}/teamschouw/matrix").get_data(as_text=True)
    html_b = client.get(f"/teams/{b}/rondes/{rb}/teamschouw/matrix").get_data(as_text=True)
    assert "Alleen In A" in html_a and "Alleen In B" not in html_a
    assert "Alleen In B" in html_b and "Alleen In A" not in html_b
    assert client.get(f"/teams/{b}/rondes/{ra}/teamschouw/matrix").status_code == 404
    assert client.get(f"/teams/{a}/rondes/{rb}/teamschouw/matrix").status_code == 404


# --- speed -------------------------------------------------------------------------------------------


def _team_with_submitted(size):
    team = make_team()
    leader = make_user(Role.TEAMLEIDER, teams=[team])
    scan_round = make_round(team)
    items = _item_ids(scan_round)
    for n in range(size):
        scan = make_scan(scan_round, make_user(Role.PROFESSIONAL, team=team),
                         {"GC01": (2, 3), "GC02": (3, 3), "LG01-A1": (1 + n % 4, 4), "LG01-S1": (None, None),
                          "LG02-A1": (2, 2)}, submitted=True)
        db.session.add(Calibration(scan_id=scan.id, item_id=items["GC01"], agreed_level=3))
    make_scan(scan_round, make_user(Role.PROFESSIONAL, team=team), {"GC01": (1, 1)})  # a draft
    db.session.flush()
    return leader.username, f"/teams/{team.id}/rondes/{scan_round.id}/teamschouw/matrix"


def test_the_matrix_runs_the_same_number_of_queries_for_3_or_12_members(app, count_queries):
    with app.app_context():
        small = _team_with_submitted(3)
        large = _team_with_submitted(12)
        db.session.commit()
    counts = []
    for username, url in (small, large):
        client = app.test_client()
        login(client, username)
        count_queries.statements.clear()
        response = client.get(url + "?sectie=LG01")
        assert response.status_code == 200
        assert len(_table(response.get_data(as_text=True))[0]) in (3, 12)
        counts.append(count_queries.count)
    assert counts[0] == counts[1]
    assert counts[0] <= 8, count_queries.statements  # 4 for session, team, round and leader; 4 here


# --- the previous round's levels and the workbook -----------------------------------------------------


def _previous_round(app, world):
    """An earlier round of the same team: Anna submitted (GC01 at 1, LG01-A1 agreed at 3 over her 1),
    Bram only has a draft there, which must never show."""
    from scan.assessment.models import ScanRound
    from scan.organisation.models import Team

    with app.app_context():
        team = db.session.get(Team, world["team"])
        current = db.session.get(ScanRound, world["round"])
        earlier = make_round(team, current.version, opens_in_days=-120, closes_in_days=-90,
                             title="Ontwikkelscan najaar 2026")
        anna = db.session.scalar(select(User).where(User.username == world["anna"]))
        bram = db.session.scalar(select(User).where(User.full_name == "Bram Bos"))
        leader = db.session.scalar(select(User).where(User.username == world["leader"]))
        anna_scan = make_scan(earlier, anna, {"GC01": (1, 2), "LG01-A1": (1, 1), "LG01-S1": (None, None)},
                              submitted=True)
        make_scan(earlier, bram, {"GC01": (1, 1), "GC02": (1, 1)})  # a draft
        db.session.add(Calibration(scan_id=anna_scan.id, item_id=_item_ids(earlier)["LG01-A1"],
                                   agreed_level=3, set_by_id=leader.id))
        db.session.commit()


def test_the_previous_rounds_levels_show_on_request_from_submitted_scans_only(app, client, world):
    _previous_round(app, world)
    _english(client)
    login(client, world["leader"])
    plain = client.get(world["url"]).get_data(as_text=True)
    assert "(was " not in plain and "Show the previous round's levels" in html_lib.unescape(plain)
    html = client.get(world["url"] + "?vorige=1").get_data(as_text=True)
    cells, _classes = _table(html)
    # Beside the current level: the level that counted then (agreed over self-assessed), nothing for
    # n.v.t. then, and nothing at all for Bram, whose scan in the earlier round is a draft.
    assert cells["Anna Aalbers"]["GC01"] == "2→3 (was 1)"
    assert cells["Anna Aalbers"]["LG01-A1"] == "2 (was 3)"
    assert cells["Anna Aalbers"]["LG01-S1"] == "3→4 (self 2)"
    assert "(was" not in " ".join(cells["Bram Bos"].values())
    assert "Beside each level: the level that counted in Ontwikkelscan najaar 2026" in html
    assert "Hide the previous round's levels" in html_lib.unescape(html)
    # The filters keep the choice: the form carries it and the section links too.
    assert '<input type="hidden" name="vorige" value="1">' in html
    assert "?sectie=LG01&amp;vorige=1" in html


def test_without_an_earlier_round_the_page_says_so(client, world):
    _english(client)
    login(client, world["leader"])
    html = client.get(world["url"] + "?vorige=1").get_data(as_text=True)
    assert "There is no previous round for this team" in html and "(was " not in html


def test_the_matrix_downloads_as_a_workbook_with_numbers_and_is_audited(app, client, world):
    import io

    from openpyxl import load_workbook

    from scan.audit.models import AuditEvent

    _previous_round(app, world)
    _english(client)
    login(client, world["leader"])
    html = client.get(world["url"]).get_data(as_text=True)
    assert "Download the matrix (Excel)" in html
    response = client.get(world["url"] + ".xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Levels", "Ambitions", "Previous round", "Items"]
    levels = [list(r) for r in book["Levels"].iter_rows(values_only=True)]
    assert levels[0] == ["Member", "GC01", "GC02", "LG01-A1", "LG01-S1", "LG02-A1"]
    assert levels[1] == ["Anna Aalbers", 2, 3, 2, 3, 1]  # LG01-S1: the agreed level, a number
    assert levels[2] == ["Bram Bos", 4, 3, 3, "n/a", 2]
    assert len(levels) == 3  # no draft, no reopened scan
    ambitions = [list(r) for r in book["Ambitions"].iter_rows(values_only=True)]
    assert ambitions[1] == ["Anna Aalbers", 3, None, None, 4, 2]
    previous = [list(r) for r in book["Previous round"].iter_rows(values_only=True)]
    assert previous[1] == ["Anna Aalbers", 1, None, 3, None, None]
    assert previous[2] == ["Bram Bos", None, None, None, None, None]
    items = [list(r) for r in book["Items"].iter_rows(values_only=True)]
    assert items[0] == ["Code", "Section", "Item"] and items[1][:2] == ["GC01", "GC"]
    # A filtered download holds the filtered columns only.
    filtered = load_workbook(io.BytesIO(client.get(world["url"] + ".xlsx?sectie=LG01").data))
    assert next(filtered["Levels"].iter_rows(values_only=True)) == ("Member", "LG01-A1", "LG01-S1")
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(
            AuditEvent.object_type == "teamschouw.matrix.xlsx")).all()
        assert len(events) == 2 and events[0].object_id == str(world["team"])


@pytest.mark.parametrize("who", ["anna", "other_leader"])
def test_nobody_but_the_teams_own_leader_downloads_the_matrix(app, client, world, who):
    with app.app_context():
        if who == "other_leader":
            username = make_user(Role.TEAMLEIDER, teams=[make_team(name="Ander team")]).username
            db.session.commit()
        else:
            username = world["anna"]
    login(client, username)
    assert client.get(world["url"] + ".xlsx").status_code == 403


def test_the_previous_levels_keep_a_fixed_number_of_queries(app, count_queries):
    with app.app_context():
        small = _team_with_submitted(3)
        large = _team_with_submitted(12)
        db.session.commit()
    counts = []
    for username, url in (small, large):
        client = app.test_client()
        login(client, username)
        count_queries.statements.clear()
        assert client.get(url + "?vorige=1").status_code == 200
        counts.append(count_queries.count)
    assert counts[0] == counts[1]
