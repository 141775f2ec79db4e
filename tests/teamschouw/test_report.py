"""The team report PDF: read back with a PDF text extractor, as the team leader gets it, in both languages."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from flask_babel import force_locale
from pypdf import PdfReader
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend

from scan.access import Role
from scan.core.clock import today
from scan.extensions import db
from scan.teamschouw.models import (
    Agreement,
    AgreementKind,
    ConsentStatus,
    TeamNorm,
    TeamPriority,
    TeamSession,
)
from scan.teamschouw.report.pdf import (
    AgreementRow,
    CoverageRow,
    PriorityRow,
    SessionRecord,
    TeamReportData,
    coverage_chart,
    render_team_report,
    status_label,
)
from tests.factories import (
    login,
    make_kenniskaart,
    make_municipality,
    make_round,
    make_scan,
    make_team,
    make_user,
)
from tests.kenniskaart.sample import VALID, replace_once

# The test map with Dutch diacritics in a leefgebied title.
KAART = replace_once(VALID, "title: {nl: Financien, en: Finances}", "title: {nl: Financiën, en: Finances}")
TEAM_NAME = "Wijkteam “De Linde”"


def _pdf_text(body: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(body))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def _status(lang: str, status: str) -> str:
    """The status words as the coverage page shows them (its messages; their Dutch is the page's)."""
    with force_locale(lang):
        return status_label(status)


def _words(text: str) -> str:
    """Line breaks inside table cells become spaces, so a phrase can be found wherever it wrapped."""
    return re.sub(r"\s+", " ", text)


# --- the renderer on plain data ---------------------------------------------------------------------------


def _plain_data(**overrides: object) -> TeamReportData:
    data = {
        "team_name": TEAM_NAME,
        "team_code": "WT-LINDE",
        "municipality": "Gemeente Ede",
        "round_title": "Ontwikkelscan voorjaar 2027",
        "opens_on": date(2027, 3, 1),
        "closes_on": date(2027, 3, 31),
        "kenniskaart_title_nl": "Kenniskaart Lindewaard",
        "kenniskaart_title_en": "Lindewaard knowledge map",
        "kenniskaart_label": "2026.1",
        "kenniskaart_number": 1,
        "generated_on": date(2027, 4, 2),
        "members": 12,
        "submitted": 10,
        "coverage": (
            CoverageRow("LG01", "Financiën en schulden", "Finances and debt", 3, 7, 2, 2, "ok"),
            CoverageRow("LG02", "Wonen", "Housing", 1, 9, 4, 2, "single"),
            CoverageRow("LG03", "Opvoeden", "Parenting", 0, 5, 1, 2, "none"),
            CoverageRow("LG04", "Zorg", "Care", 2, 6, 0, 3, "thin"),
        ),
        "priorities": (
            PriorityRow(2, "LG03", "Opvoeden", "Parenting", True, "Niemand is specialist"),
            PriorityRow(1, "LG02-S1", "Huisuitzetting voorkomen", "Preventing eviction", False,
                        "Rust op één coördinator"),
        ),
        "agreements": (
            AgreementRow("vraagbaak", "Ayşe Yılmaz", "LG01", "Financiën en schulden", "Finances and debt",
                         ""),
            AgreementRow("grow", "Bram Ökmen", "LG03-S1", "Gezinscoaching", "Family coaching",
                         "Cursus in mei"),
            AgreementRow("other", "", "", "", "", "Elke maand intervisie"),
        ),
        "session": SessionRecord(date(2027, 4, 1), ("Ayşe Yılmaz", "Bram Ökmen"), "Goed gesprek",
                                 "Opvoeden eerst"),
    }
    data.update(overrides)
    return TeamReportData(**data)  # type: ignore[arg-type]


def test_renderer_in_dutch(app_ctx):
    reader, text = _pdf_text(render_team_report(_plain_data(), "nl"))
    words = _words(text)
    assert reader.metadata.title == f"Teamrapport {TEAM_NAME} – Ontwikkelscan voorjaar 2027"
    assert reader.trailer["/Root"]["/Lang"] == "nl"
    total = len(reader.pages)
    assert [f"Pagina {n} van {total}" in page.extract_text() for n, page in enumerate(reader.pages, 1)] \
        == [True] * total
    assert TEAM_NAME in words and "Gemeente Ede" in words
    assert "Kenniskaart Lindewaard, versie 2026.1" in words
    assert "1 maart 2027 tot en met 31 maart 2027" in words
    assert "10 van 12 teamleden" in words
    assert "2 april 2027" in words  # the report date
    # Each leefgebied with its numbers (specialists, general, growing, norm) and status word plus symbol.
    assert f"LG01 Financiën en schulden 3 7 2 2 √ {_status('nl', 'ok')}" in words
    assert f"LG02 Wonen 1 9 4 2 ! {_status('nl', 'single')}" in words
    assert f"LG03 Opvoeden 0 5 1 2 × {_status('nl', 'none')}" in words
    assert f"LG04 Zorg 2 6 0 3 < {_status('nl', 'thin')}" in words
    assert "Voldoet aan de norm" in words
    # The chart follows the table, with its caption, and draws its legend and category labels as text.
    assert "Grafiek: de getallen uit de tabel hierboven." in words
    assert words.index("Grafiek: de getallen") > words.index("LG04 Zorg 2 6 0 3")
    assert "Specialisten" in words and "Willen groeien" in words
    # Priorities in their order, with the reasons.
    assert words.index("Rust op één coördinator") < words.index("Niemand is specialist")
    assert "LG03 Opvoeden (heel leefgebied)" in words
    assert "Ayşe Yılmaz" in words and "Bram Ökmen" in words and "Cursus in mei" in words
    assert "Elke maand intervisie" in words
    assert "Besluiten" in words and "Opvoeden eerst" in words and "2 aanwezigen" in words


def test_renderer_in_english(app_ctx):
    reader, text = _pdf_text(render_team_report(_plain_data(), "en"))
    words = _words(text)
    assert reader.metadata.title == f"Team report {TEAM_NAME} – Ontwikkelscan voorjaar 2027"
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert f"Page 1 of {len(reader.pages)}" in reader.pages[0].extract_text()
    assert "Lindewaard knowledge map, version 2026.1" in words
    assert "LG01 Finances and debt 3 7 2 2 √ Meets the norm" in words
    assert "LG02 Housing 1 9 4 2 ! Rests on one person" in words
    assert "LG03 Parenting 0 5 1 2 × Nobody at specialist level" in words
    assert "LG04 Care 2 6 0 3 < Thin: fewer specialists than the norm" in words
    assert "LG02-S1 Preventing eviction" in words
    assert "Financiën" not in words  # titles follow the reader's language too
    assert "Go-to colleagues (vraagbaak)" in words and "Growing into a specialism" in words


def test_renderer_with_nothing_recorded_yet(app_ctx):
    _reader, text = _pdf_text(render_team_report(
        _plain_data(coverage=(), priorities=(), agreements=(), session=None, submitted=0), "en"
    ))
    words = _words(text)
    assert "No priorities chosen yet." in words
    assert "No session recorded yet." in words
    assert words.count("None recorded.") == 3  # vraagbaak, grow and other
    assert "Chart:" not in words  # nothing to draw without leefgebieden
    assert "Page 1 of 1" in words


def test_the_chart_draws_the_numbers_of_the_coverage_rows(app_ctx):
    data = _plain_data()
    with force_locale("nl"):
        drawing = coverage_chart(data, "nl")
    chart = next(c for c in drawing.contents if isinstance(c, HorizontalBarChart))
    legend = next(c for c in drawing.contents if isinstance(c, Legend))
    # Drawn bottom-up, so the data is the table's rows reversed; the series reversed to match the legend.
    rows = list(reversed(data.coverage))
    assert [list(series) for series in chart.data] == [
        [r.growing for r in rows],
        [r.general for r in rows],
        [r.specialists for r in rows],
    ] == [[0, 1, 4, 2], [6, 5, 9, 7], [2, 0, 1, 3]]
    assert chart.categoryAxis.categoryNames == ["LG04 Zorg", "LG03 Opvoeden", "LG02 Wonen",
                                                "LG01 Financiën en schulden"]
    assert [name for _colour, name in legend.colorNamePairs] == ["Specialisten", "Algemeen niveau",
                                                                 "Willen groeien"]
    assert chart.valueAxis.valueMax == 10  # the largest number (9) fits with room for its label
    with force_locale("en"):
        english = coverage_chart(data, "en")
    chart = next(c for c in english.contents if isinstance(c, HorizontalBarChart))
    assert chart.categoryAxis.categoryNames[-1] == "LG01 Finances and debt"


def test_user_text_is_not_read_as_markup(app_ctx):
    reason = "<b>eerst</b> & snel"
    data = _plain_data(priorities=(PriorityRow(1, "LG01", "Financiën", "Finances", True, reason),))
    _reader, text = _pdf_text(render_team_report(data, "nl"))
    assert "<b>eerst</b> & snel" in _words(text)


# --- the route ---------------------------------------------------------------------------------------------


def _world() -> dict[str, object]:
    """A team of three submitted members and one draft, on the test map, with the teamschouw recorded."""
    version = make_kenniskaart(KAART)
    team = make_team(make_municipality(name="Gemeente Ede"), name=TEAM_NAME, code="WT-LINDE")
    leader = make_user(Role.TEAMLEIDER, teams=[team], full_name="Lies Leider")
    anna = make_user(Role.PROFESSIONAL, team=team, full_name="Anna de Vries")
    bram = make_user(Role.PROFESSIONAL, team=team, full_name="Bram Bakker")
    cas = make_user(Role.PROFESSIONAL, team=team, full_name="Cas Coördinator")
    dirk = make_user(Role.PROFESSIONAL, team=team, full_name="Dirk Concept")
    scan_round = make_round(team, version, title="Ontwikkelscan voorjaar 2027")
    # LG01 (Financiën): A1 algemeen, S1 specialistisch; LG02 (Wonen): A1 algemeen. Specialist from
    # level 3, general from level 2 on every algemeen item, growing when the ambition is above the level.
    make_scan(scan_round, anna, {"LG01-A1": (3, 3), "LG01-S1": (3, 3), "LG02-A1": (2, 3)}, submitted=True)
    make_scan(scan_round, bram, {"LG01-A1": (2, 2), "LG01-S1": (4, 4), "LG02-A1": (1, 1)}, submitted=True)
    make_scan(scan_round, cas, {"LG01-A1": (1, 3), "LG01-S1": (None, None), "LG02-A1": (2, 2)},
              submitted=True)
    # A draft stays private and counts nowhere.
    make_scan(scan_round, dirk, {"LG01-A1": (4, 4), "LG01-S1": (4, 4), "LG02-A1": (4, 4)})
    db.session.add(TeamNorm(team_id=team.id, section_code="LG02", min_specialists=3))
    sections = {s.code: s for s in version.sections}
    items = {i.code: i for s in version.sections for i in s.items}
    db.session.add_all([
        TeamPriority(round_id=scan_round.id, section_id=sections["LG02"].id, position=2,
                     reason="Niemand is specialist in wonen"),
        TeamPriority(round_id=scan_round.id, item_id=items["LG01-S1"].id, position=1,
                     reason="Rust op twee collega's"),
        Agreement(round_id=scan_round.id, kind=AgreementKind.VRAAGBAAK, member_id=anna.id,
                  section_id=sections["LG01"].id, consent=ConsentStatus.ACCEPTED),
        Agreement(round_id=scan_round.id, kind=AgreementKind.VRAAGBAAK, member_id=dirk.id,
                  section_id=sections["LG02"].id, consent=ConsentStatus.PENDING),
        Agreement(round_id=scan_round.id, kind=AgreementKind.GROW, member_id=cas.id,
                  item_id=items["LG01-S1"].id, text="Training stabiliseren in juni"),
        Agreement(round_id=scan_round.id, kind=AgreementKind.OTHER, text="Maandelijkse intervisie"),
    ])
    db.session.add(TeamSession(round_id=scan_round.id, held_on=date(2027, 4, 1), notes="Open gesprek",
                               decisions="Wonen krijgt voorrang", attendees=[anna, bram, cas]))
    db.session.commit()
    return {"leader": leader.username, "team": team.id, "round": scan_round.id,
            "members": {u.full_name: u.username for u in (anna, bram, cas, dirk)}}


def _url(world: dict[str, object]) -> str:
    return f"/teams/{world['team']}/rondes/{world['round']}/teamschouw/rapport.pdf"


def test_team_leader_downloads_the_report_in_dutch(app, client):
    with app.app_context():
        world = _world()
    login(client, world["leader"])
    response = client.get(_url(world))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="teamschouw-WT-LINDE-{today().isoformat()}.pdf"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    reader, text = _pdf_text(response.data)
    words = _words(text)
    assert reader.metadata.title == f"Teamrapport {TEAM_NAME} – Ontwikkelscan voorjaar 2027"
    assert reader.trailer["/Root"]["/Lang"] == "nl"
    assert f"Pagina 1 van {len(reader.pages)}" in reader.pages[0].extract_text()
    assert TEAM_NAME in words and "Gemeente Ede" in words and "Ontwikkelscan voorjaar 2027" in words
    assert "Testkaart, versie 2026.1" in words
    assert "3 van 4 teamleden" in words
    # Financiën: Anna and Bram specialists, Anna and Bram general (Cas is below 2), Cas wants to grow;
    # the version's norm of 2 is met. Wonen: no specialist, Anna and Cas general, Anna grows; team norm 3.
    with app.app_context():
        ok, none = _status("nl", "ok"), _status("nl", "none")
    assert f"LG01 Financiën 2 2 1 2 √ {ok}" in words
    assert f"LG02 Wonen 0 2 1 3 × {none}" in words
    assert "Grafiek: de getallen uit de tabel hierboven." in words  # the chart below the table
    assert words.index("Rust op twee collega's") < words.index("Niemand is specialist in wonen")
    assert "LG02 Wonen (heel leefgebied)" in words
    # The accepted vraagbaak is listed; the one still waiting for consent is not, anywhere.
    assert "Anna de Vries LG01 Financiën" in words
    assert "Dirk Concept" not in words
    assert "Cas Coördinator LG01-S1 Stabiliseren Training stabiliseren in juni" in words
    assert "Maandelijkse intervisie" in words
    assert "1 april 2027" in words and "Anna de Vries, Bram Bakker, Cas Coördinator" in words
    assert "Open gesprek" in words and "Wonen krijgt voorrang" in words


def test_team_leader_downloads_the_report_in_english(app, client):
    with app.app_context():
        world = _world()
    login(client, world["leader"])
    client.submit("/taal", {"lang": "en", "next": "/teams/"}, page="/teams/")
    response = client.get(_url(world))
    assert response.status_code == 200
    reader, text = _pdf_text(response.data)
    words = _words(text)
    assert reader.metadata.title == f"Team report {TEAM_NAME} – Ontwikkelscan voorjaar 2027"
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert f"Page 1 of {len(reader.pages)}" in reader.pages[0].extract_text()
    assert "Test map, version 2026.1" in words
    assert "LG01 Finances 2 2 1 2 √ Meets the norm" in words
    assert "LG02 Housing 0 2 1 3 × Nobody at specialist level" in words
    assert "Rust op twee collega's" in words and "Niemand is specialist in wonen" in words
    assert "Anna de Vries LG01 Finances" in words
    assert "Dirk Concept" not in words


@pytest.mark.parametrize("who", ["member", "other leader", "coordinator", "administrator"])
def test_nobody_but_the_team_leader_gets_the_report(app, client, who):
    with app.app_context():
        world = _world()
        usernames = {
            "member": world["members"]["Anna de Vries"],
            "other leader": make_user(Role.TEAMLEIDER, teams=[make_team()]).username,
            "coordinator": make_user(Role.REGIOCOORDINATOR).username,
            "administrator": make_user(Role.BEHEERDER).username,
        }
        db.session.commit()
    login(client, usernames[who])
    response = client.get(_url(world))
    assert response.status_code == 403
    assert b"%PDF" not in response.data


def test_anonymous_is_sent_to_log_in(app, client):
    with app.app_context():
        world = _world()
    response = client.get(_url(world))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/inloggen?next=")


def test_a_round_of_another_team_is_not_found(app, client):
    with app.app_context():
        world = _world()
        other_round = make_round(make_team())
        db.session.commit()
        other_round_id = other_round.id
    login(client, world["leader"])
    url = f"/teams/{world['team']}/rondes/{other_round_id}/teamschouw/rapport.pdf"
    assert client.get(url).status_code == 404


def _team_with_members(version, leader_teams: list, size: int) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    team = make_team()
    leader_teams.append(team)
    scan_round = make_round(team, version)
    members = [make_user(Role.PROFESSIONAL, team=team) for _ in range(size)]
    for n, member in enumerate(members):
        make_scan(scan_round, member, {"LG01-A1": (2 + n % 2, 3), "LG01-S1": (3, 4), "LG02-A1": (2, 2)},
                  submitted=True)
    sections = {s.code: s for s in version.sections}
    db.session.add_all([
        TeamPriority(round_id=scan_round.id, section_id=sections["LG02"].id, position=1, reason="Dun"),
        *[Agreement(round_id=scan_round.id, kind=kind, member_id=m.id, section_id=sections["LG01"].id,
                    consent=ConsentStatus.ACCEPTED if kind == AgreementKind.VRAAGBAAK else None)
          for m in members for kind in (AgreementKind.VRAAGBAAK, AgreementKind.GROW)],
        TeamSession(round_id=scan_round.id, held_on=date(2027, 4, 1), attendees=members),
    ])
    db.session.flush()
    return team.id, scan_round.id


def test_report_runs_a_fixed_number_of_queries(app, client, count_queries):
    with app.app_context():
        version = make_kenniskaart(KAART)
        teams: list = []
        small = _team_with_members(version, teams, 3)
        large = _team_with_members(version, teams, 12)
        leader = make_user(Role.TEAMLEIDER, teams=teams)
        db.session.commit()
        username = leader.username
    login(client, username)
    counts = []
    for team_id, round_id in (small, large):
        count_queries.statements.clear()
        response = client.get(f"/teams/{team_id}/rondes/{round_id}/teamschouw/rapport.pdf")
        assert response.status_code == 200
        counts.append(count_queries.count)
    assert counts[0] == counts[1]


def _screen_rows(html: str) -> dict[str, tuple[int, int, int, int]]:
    """The coverage page's table: section code -> (specialists, general, growing, norm), the PDF's order."""
    rows = {}
    row = r'<tr class="utrecht-table__row" data-section="(\w+)">(.*?)</tr>'
    for code, body in re.findall(row, html, re.S):
        cells = {k: int(v) for k, v in re.findall(r'data-column="(\w+)">\s*(\d+)\s*</td>', body)}
        rows[code] = (cells["specialists"], cells["general"], cells["growing"], cells["norm"])
    return rows


def _pdf_rows(words: str, codes: list[str]) -> dict[str, tuple[int, ...]]:
    rows = {}
    for code in codes:
        match = re.search(rf"{code} \D+? (\d+) (\d+) (\d+) (\d+) ", words)
        assert match, f"no PDF row for {code}"
        rows[code] = tuple(int(n) for n in match.groups())
    return rows


def test_the_report_has_the_numbers_of_the_screen_also_after_a_scan_is_reopened(app, client):
    """The PDF and the coverage page read the same numbers; a reopened scan leaves both at once."""
    from scan.assessment.models import Scan
    from scan.assessment.services import reopen
    from scan.auth.models import User

    with app.app_context():
        world = _world()
    login(client, world["leader"])
    page = f"/teams/{world['team']}/rondes/{world['round']}/teamschouw/dekking"

    def both() -> tuple[dict[str, tuple[int, ...]], dict[str, tuple[int, ...]]]:
        screen = _screen_rows(client.get(page).get_data(as_text=True))
        _reader, text = _pdf_text(client.get(_url(world)).data)
        return screen, _pdf_rows(_words(text), sorted(screen))

    screen, pdf = both()
    assert screen == pdf == {"LG01": (2, 2, 1, 2), "LG02": (0, 2, 1, 3)}

    with app.app_context():
        bram = db.session.scalar(db.select(User).where(User.username == world["members"]["Bram Bakker"]))
        leader = db.session.scalar(db.select(User).where(User.username == world["leader"]))
        scan = db.session.scalar(db.select(Scan).where(Scan.user_id == bram.id))
        reopen(scan, leader, "Samen nog eens naar Financiën kijken", today())
        db.session.commit()
    screen, pdf = both()
    # Bram (specialist and general in Financiën) is out of both until he submits again.
    assert screen == pdf == {"LG01": (1, 1, 1, 2), "LG02": (0, 2, 1, 3)}
