"""The regional overview screens as the regional coordinator sees them, on the demo region.

What is checked is what a reader sees: the municipalities, the heat map and its table carrying the same
numbers, "<5" with its legend, no number 1..4 anywhere a count is shown, no name of a person, the filter
(keeping what was typed, a translated error for a period that ends before it starts, one municipality, one
level) and the scholingsplan with its totals and the purchasing question.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from scan.extensions import db
from scan.organisation.models import Municipality
from tests.factories import login
from tests.regio.conftest import DemoRegion, load_demo_region, names_in, publish_demo_period

COORDINATOR = ("e.hoekstra", "scholingsplan-demo-2026")
NEEDS, ITEMS, PLAN = "/regio/behoefte", "/regio/behoefte/items", "/regio/scholingsplan"
LEGEND = {
    "nl": "&lt;5: minder dan 5, of verborgen om een klein aantal te beschermen",
    "en": "&lt;5: fewer than 5, or hidden to protect a small number",
}
VOID = {"br", "input", "meta", "link", "img", "hr", "source", "wbr", "col"}
CAPTURED = {"td", "th", "text", "li", "dd", "caption", "h1", "h2", "h3", "option", "p", "tspan"}


class Elements(HTMLParser):
    """Every captured element (cells, SVG text, list items, headings ...) with its text and the
    attributes of its ancestors, so a test can say "the td of the municipality row of table X"."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.open: list[dict[str, Any]] = []
        self.found: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        if tag in CAPTURED:
            element = {"tag": tag, "attrs": attributes, "text": [], "ancestors": list(self.stack)}
            self.open.append(element)
            self.found.append(element)
        if tag not in VOID:
            self.stack.append((tag, attributes))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        while self.stack:
            top, _ = self.stack.pop()
            if top in CAPTURED and self.open:
                self.open.pop()
            if top == tag:
                break

    def handle_data(self, data: str) -> None:
        for element in self.open:
            element["text"].append(data)


def elements(page: str) -> list[dict[str, Any]]:
    parser = Elements()
    parser.feed(page)
    for element in parser.found:
        element["text"] = re.sub(r"\s+", " ", "".join(element["text"])).strip()
    return parser.found


def ancestor(element: dict[str, Any], tag: str, **wanted: str) -> dict[str, str] | None:
    """The attributes of the nearest ancestor `tag` (with the wanted attribute values), or None."""
    for name, attrs in reversed(element["ancestors"]):
        if name == tag and all(attrs.get(k.replace("_", "-")) == v for k, v in wanted.items()):
            return attrs
    return None


def visible_text(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def as_count(text: str) -> int | str:
    """A shown count as a number ("1.234" or "1,234" in either language), or the text as it is."""
    plain = text.replace(".", "").replace(",", "").replace("\u00a0", "")
    return int(plain) if plain.isdigit() else text


@pytest.fixture
def demo_region(app: Flask) -> DemoRegion:
    """The conftest's demo region, loaded in an app context of its own that ends before the requests:
    the conftest fixture keeps one pushed for the whole test, and the test client's requests would then
    share its `g` (the logged-in user and the CSRF token of the first request would stick)."""
    with app.app_context():
        region = load_demo_region()
        publish_demo_period(region.region_id)
        return region


@pytest.fixture
def coordinator(client: Any, demo_region: DemoRegion) -> Any:
    response = login(client, *COORDINATOR)
    assert response.status_code == 302, "the demo regional coordinator cannot log in"
    return client


def get(client: Any, path: str, **args: str) -> str:
    response = client.get(path, query_string=args)
    assert response.status_code == 200, (path, args, response.status_code)
    return response.get_data(as_text=True)


def use_english(client: Any, path: str) -> None:
    client.submit("/taal", {"lang": "en", "next": path}, page=path)


@pytest.fixture
def towns(app: Flask, demo_region: DemoRegion) -> dict[int, str]:
    """The demo region's municipalities: id -> name."""
    with app.app_context():
        rows = db.session.execute(
            select(Municipality.id, Municipality.name).where(Municipality.region_id == demo_region.region_id)
        ).all()
    return {m_id: name for m_id, name in rows}


def heatmap_cells(page: str, measure: str) -> dict[tuple[str, str], int | str]:
    """(municipality id, section code) -> the number written in the SVG heat map of `measure`."""
    out = {}
    for e in elements(page):
        if e["tag"] == "text" and "app-heatmap__value" in e["attrs"].get("class", ""):
            if ancestor(e, "figure", id=f"heatmap-{measure}") is None:
                continue
            row = ancestor(e, "g", **{"class": "app-heatmap__row"})
            cell = ancestor(e, "g", **{"class": "app-heatmap__cell"})
            assert row is not None and cell is not None
            out[(row["data-municipality"], cell["data-section"])] = as_count(e["text"])
    return out


def table_cells(page: str, table_id: str) -> list[dict[str, Any]]:
    """The data cells (<td>) of one table, each with its row's attributes and its value."""
    out = []
    for e in elements(page):
        if e["tag"] != "td" or ancestor(e, "table", id=table_id) is None:
            continue
        tr = ancestor(e, "tr") or {}
        out.append({"row": tr, "attrs": e["attrs"], "value": as_count(e["text"]), "text": e["text"]})
    return out


def count_cells(page: str) -> list[dict[str, Any]]:
    """Every cell that shows a count of professionals (class app-count), in every table of the page."""
    return [
        {"value": as_count(e["text"]), "text": e["text"]}
        for e in elements(page)
        if e["tag"] == "td" and "app-count" in e["attrs"].get("class", "").split()
    ]


def assert_no_small_counts(page: str) -> None:
    cells = count_cells(page)
    assert cells, "no count cells on the page"
    small = [c["text"] for c in cells if isinstance(c["value"], int) and 0 < c["value"] < 5]
    assert not small, f"counts below k shown: {small}"
    odd = [c["text"] for c in cells if not isinstance(c["value"], int) and c["text"] != "<5"]
    assert not odd, f"count cells that are neither a number nor <5: {odd}"
    svg = [v for (_m, _s), v in heatmap_cells(page, "goal").items()] + [
        v for (_m, _s), v in heatmap_cells(page, "gap").items()
    ]
    assert not [v for v in svg if isinstance(v, int) and 0 < v < 5]


def main_part(page: str) -> str:
    """The page's <main>: the header names the logged-in coordinator, which is fine."""
    return page.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def assert_no_names(page: str, demo: DemoRegion) -> None:
    main = main_part(page)
    assert names_in(main, demo.names) == []
    assert names_in(visible_text(main), demo.names) == []


# --- the heat map page ---------------------------------------------------------------------------


def test_needs_page_shows_every_municipality_heat_map_and_table_agree(
    coordinator: Any, demo_region: DemoRegion, towns: dict[int, str]
) -> None:
    page = get(coordinator, NEEDS)
    text = visible_text(page)
    names = towns
    assert len(names) >= 2
    for name in names.values():
        assert name in text
    assert '<html lang="nl"' in page
    assert "&lt;5" in page and LEGEND["nl"] in page
    hidden: list[Any] = []
    for measure in ("goal", "gap"):
        svg = heatmap_cells(page, measure)
        assert svg, measure
        assert {m for m, _ in svg} <= {str(m) for m in names} and len({m for m, _ in svg}) >= 2
        table = {
            (c["row"]["data-municipality"], c["attrs"]["data-section"]): c["value"]
            for c in table_cells(page, f"heatmap-{measure}-table")
            if c["attrs"].get("data-kind") == "municipality"
            and c["attrs"].get("data-section") not in (None, "total")
        }
        assert svg == table, measure
        # The map is not all "<5".
        assert any(isinstance(v, int) and v >= 5 for v in svg.values()), measure
        hidden += [v for v in svg.values() if v == "<5"]
    assert hidden, "the demo's goal map hides a few small numbers"
    # The region row sits in the footer, with a total and the number of professionals.
    region = [c for c in table_cells(page, "heatmap-goal-table") if c["attrs"].get("data-kind") == "region"]
    assert region and isinstance(region[-1]["value"], int) and region[-1]["value"] >= 5
    assert_no_small_counts(page)
    assert_no_names(page, demo_region)


def test_needs_page_one_colour_scale_with_its_legend(coordinator: Any, demo_region: DemoRegion) -> None:
    """Both maps share one scale: a band is one class and one colour on the whole page, its numbers within
    the legend's range for that band; hidden cells are their own band; the legend is shown once."""
    use_english(coordinator, NEEDS)
    page = get(coordinator, NEEDS)
    legend = [e for e in elements(page) if e["tag"] == "li" and ancestor(e, "div", id="heatmap-legend")]
    assert page.count('class="app-heatmap__legend"') == 1 and legend
    swatches = re.findall(r'<span class="app-swatch app-band--(\w+)" aria-hidden="true"></span>\s*([^<]+)<',
                          page)
    ranges: dict[str, tuple[int, int]] = {}
    for band, text in swatches:
        numbers = [int(n.replace(",", "")) for n in re.findall(r"[\d,]+", text)]
        if band == "hidden":
            assert html.unescape(text).strip().startswith("<5:")
        elif band == "0":
            ranges[band] = (0, 0)
        else:
            ranges[band] = (numbers[0], numbers[-1])
    cells = re.findall(r'<rect class="app-band app-band--(\w+)"[^>]* fill="([^"]+)"[^>]*/>(?:<rect[^>]*/>)?'
                       r'<text class="app-heatmap__value"[^>]*data-value="([^"]*)"', page)
    assert {c[2] for c in cells} and len({c[1] for c in cells if c[0] != "hidden"}) >= 2
    fills: dict[str, set[str]] = {}
    for band, fill, value in cells:
        fills.setdefault(band, set()).add(fill.replace("heatmap-gap", "heatmap-goal"))
        if band == "hidden":
            assert value == "&lt;5"
        else:
            low, high = ranges[band]
            assert low <= int(value) <= high, (band, value, ranges)
    assert all(len(f) == 1 for f in fills.values()), fills
    assert "app-band--hidden" in {f"app-band--{b}" for b in fills}
    # The table is the map's accessible equivalent, behind a disclosure; with a municipality it is open.
    assert re.search(r'<details class="app-regio-details">\s*<summary[^>]*>Show the numbers as a table', page)


def test_needs_page_in_english(coordinator: Any, demo_region: DemoRegion) -> None:
    use_english(coordinator, NEEDS)
    page = get(coordinator, NEEDS)
    assert '<html lang="en"' in page
    assert LEGEND["en"] in page
    text = visible_text(page)
    assert "Professionals with a POP goal, per life domain" in text
    assert "Professionals with a gap but no POP goal, per life domain" in text
    assert "counts a professional once per life domain" in text


def test_team_rows_are_one_click_away_and_small_teams_are_merged_and_never_named(
    coordinator: Any, demo_region: DemoRegion, towns: dict[int, str]
) -> None:
    use_english(coordinator, NEEDS)
    page = get(coordinator, NEEDS)
    # The region as a whole: municipality rows only, each name linking to the same selection with its teams.
    assert not [e for e in elements(page) if "app-team-label" in e["attrs"].get("class", "")]
    assert "to see the numbers of its teams" in visible_text(page)
    links = {html.unescape(h) for h in re.findall(r'class="[^"]*app-teams-link[^"]*" href="([^"]+)"', page)}
    assert links and all("municipality=" in link for link in links)
    assert {int(link.split("municipality=")[1].split("&")[0]) for link in links} <= set(towns)
    headers: list[str] = []
    people: list[Any] = []
    for municipality_id in towns:
        page = get(coordinator, NEEDS, municipality=str(municipality_id))
        headers += [
            e["text"]
            for e in elements(page)
            if e["tag"] == "th" and "app-team-label" in e["attrs"].get("class", "")
        ]
        # Every team row rests on at least k professionals.
        people += [
            c["value"]
            for c in table_cells(page, "heatmap-goal-table")
            if "app-row--team" in c["row"].get("class", "") and "app-people" in c["attrs"].get("class", "")
        ]
        assert_no_names(page, demo_region)
    assert headers, "no team rows"
    assert people and all(isinstance(p, int) and p >= 5 for p in people), people


def test_before_anything_is_published_the_pages_say_so(app: Flask, client: Any) -> None:
    with app.app_context():
        load_demo_region()
    login(client, *COORDINATOR)
    use_english(client, NEEDS)
    for path in (NEEDS, ITEMS, PLAN):
        page = get(client, path)
        assert "Nothing has been published for this region yet." in visible_text(page)
        assert "<svg" not in page.split('id="main"')[1]
    assert client.get("/regio/scholingsplan.xlsx").status_code == 404


# --- the filter -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "notice"), [("nl", "je ziet de standaardselectie"),
                                              ("en", "you see the default selection")])
def test_a_municipality_of_another_region_is_refused_at_the_field(
    coordinator: Any, demo_region: DemoRegion, lang: str, notice: str
) -> None:
    if lang == "en":
        use_english(coordinator, NEEDS)
    page = get(coordinator, NEEDS, municipality="999999", level="algemeen")
    text = visible_text(page)
    assert f'<html lang="{lang}"' in page
    assert notice in text
    assert 'class="app-error-summary' in page and 'href="#municipality"' in page
    assert re.search(r"<title>\s*(Fout|Error):", page)
    # What was chosen stays in the form, and the numbers below are those of the default selection.
    assert re.search(r'<option selected value="algemeen">|<option value="algemeen" selected>', page)
    assert heatmap_cells(page, "goal")


def test_the_pages_say_which_publication_they_show(coordinator: Any, demo_region: DemoRegion) -> None:
    use_english(coordinator, NEEDS)
    text = visible_text(get(coordinator, NEEDS))
    assert "Published figures of najaar 2026" in text and "they do not change" in text
    assert "in the team, municipality and role they had when they submitted" in text


def test_the_municipality_filter_shows_only_that_municipality(
    coordinator: Any, demo_region: DemoRegion, towns: dict[int, str]
) -> None:
    names = towns
    everything = get(coordinator, NEEDS)
    shown = {m for m, _ in heatmap_cells(everything, "goal")}
    chosen = int(sorted(shown)[0])
    page = get(coordinator, NEEDS, municipality=str(chosen))
    svg = heatmap_cells(page, "goal")
    assert {m for m, _ in svg} == {str(chosen)}
    # The same numbers as in the whole region's view: the filter never suppresses again.
    assert svg == {key: v for key, v in heatmap_cells(everything, "goal").items() if key[0] == str(chosen)}
    blocks = {c["row"].get("data-municipality") for c in table_cells(page, "heatmap-goal-table")}
    assert blocks - {None} == {str(chosen)}
    assert re.search(rf'<option selected value="{chosen}">|<option value="{chosen}" selected>', page)
    items = get(coordinator, ITEMS, municipality=str(chosen))
    headers = [
        e["text"]
        for e in elements(items)
        if e["tag"] == "th"
        and ancestor(e, "table", id="items-goal-table")
        and "data-municipality" in e["attrs"]
    ]
    assert headers == [names[chosen]]


def test_the_level_filter_changes_columns_and_counts(coordinator: Any, demo_region: DemoRegion) -> None:
    everything = get(coordinator, NEEDS)
    generic = get(coordinator, NEEDS, level="generiek")
    all_sections = {s for _, s in heatmap_cells(everything, "goal")}
    generic_sections = {s for _, s in heatmap_cells(generic, "goal")}
    assert generic_sections and generic_sections < all_sections
    assert re.search(r'<option selected value="generiek">|<option value="generiek" selected>', generic)
    items = get(coordinator, ITEMS, level="specialistisch")
    levels = {
        c["text"]
        for c in table_cells(items, "items-goal-table")
        if "app-count" not in c["attrs"].get("class", "")
    }
    assert levels == {"Specialistisch"}, levels


# --- the item page --------------------------------------------------------------------------------


def test_items_page(coordinator: Any, demo_region: DemoRegion, towns: dict[int, str]) -> None:
    page = get(coordinator, ITEMS)
    text = visible_text(page)
    for name in towns.values():
        assert name in text
    assert "&lt;5" in page and LEGEND["nl"] in page
    for measure in ("goal", "gap"):
        cells = table_cells(page, f"items-{measure}-table")
        rows = {c["row"].get("data-item") for c in cells} - {None}
        assert len(rows) > 10, measure
        sections = [
            e["text"]
            for e in elements(page)
            if e["tag"] == "th"
            and e["attrs"].get("scope") == "rowgroup"
            and ancestor(e, "table", id=f"items-{measure}-table")
        ]
        assert sections[0].startswith("GC") and any(s.startswith("LG01") for s in sections)
        footer = [c for c in cells if "app-row--region" in c["row"].get("class", "")]
        assert footer and isinstance(footer[-1]["value"], int), footer
    assert_no_small_counts(page)
    assert_no_names(page, demo_region)


# --- the scholingsplan ----------------------------------------------------------------------------


def plan_totals(page: str, dl_id: str) -> dict[str, str]:
    """The totals of one summary list of the plan page: participants, groups, hours, cost."""
    return {
        e["attrs"]["data-total"]: e["text"]
        for e in elements(page)
        if e["tag"] == "dd" and "data-total" in e["attrs"] and ancestor(e, "dl", id=dl_id)
    }


def plan_tables(page: str) -> set[str]:
    return set(re.findall(r'<table[^>]* id="(plan-(?:region|m-\d+-table))"', page))


def test_plan_page(coordinator: Any, demo_region: DemoRegion, towns: dict[int, str]) -> None:
    use_english(coordinator, PLAN)
    page = get(coordinator, PLAN)
    text = visible_text(page)
    summary = plan_totals(page, "plan-region-totals")
    assert set(summary) == {"participants", "groups", "hours", "cost"}
    assert as_count(summary["participants"]) >= 5 and as_count(summary["groups"]) >= 1
    assert summary["cost"].startswith("€") and re.fullmatch(r"€\s?[\d,]+\.\d\d", summary["cost"])
    # Each number once: the region's totals are in the summary, not again in the table's footer.
    assert plan_tables(page) == {"plan-region"}
    assert not [c for c in table_cells(page, "plan-region") if "data-total" in c["attrs"]]
    assert "fewer than 5, or hidden to protect a small number" in text
    # The other parts are a tab-like link away, the current one marked.
    tabs = re.findall(r'<a class="[^"]*app-plan-tabs__link" href="([^"]+)"( aria-current="page")?>([^<]+)<',
                      page)
    assert [(label, bool(current)) for _h, current, label in tabs] == [
        ("Needs and trainings", True), ("Per municipality", False), ("Needs without a training", False),
        ("Regional group offers", False)]
    assert "Needs without a training in the catalogue (a purchasing question)" not in text
    unmatched_page = get(coordinator, PLAN, view="unmatched")
    assert "Needs without a training in the catalogue (a purchasing question)" in visible_text(unmatched_page)
    unmatched = [e for e in elements(unmatched_page)
                 if e["tag"] == "li" and ancestor(e, "section", id="unmatched")]
    assert unmatched and all(e["attrs"].get("data-item") for e in unmatched)
    assert not plan_tables(unmatched_page)
    offers_page = get(coordinator, PLAN, view="offers")
    assert "Proposed regional group offers" in visible_text(offers_page)
    offers = [e["text"] for e in elements(offers_page)
              if e["tag"] == "li" and ancestor(e, "section", id="regional-offers")]
    assert all(re.search(r"\d+ professionals in \d+ municipalities", o) for o in offers), offers
    if not offers:
        assert "No need is shared widely enough for a regional group yet." in visible_text(offers_page)
    # A need whose participants are hidden shows "<5" and no derived numbers.
    hidden_rows = [c for c in table_cells(page, "plan-region")
                   if c["row"].get("data-item") and c["text"] == "<5"]
    assert hidden_rows
    # Per municipality: its totals, its name linking to its own plan (the needs and trainings in it).
    per = get(coordinator, PLAN, view="municipalities")
    links = {html.unescape(h): name for h, name in re.findall(
        r'class="[^"]*app-plan-link" href="([^"]+)">([^<]+)<', per)}
    assert set(links.values()) == set(towns.values())
    needs_hidden = False
    for link, name in links.items():
        response = coordinator.get(link)
        assert response.status_code == 200
        municipality = response.get_data(as_text=True)
        assert f"Needs and trainings in {name}" in visible_text(municipality)
        needs_hidden |= bool(re.search(r"\d+ needs? rests? on fewer than 5 professionals: not in the totals",
                                       visible_text(municipality)))
        assert_no_small_counts(municipality)
    assert needs_hidden
    for shown in (page, per, unmatched_page, offers_page):
        assert_no_names(shown, demo_region)
    assert_no_small_counts(page)


def test_plan_page_hides_what_rests_on_a_small_number(
    coordinator: Any, demo_region: DemoRegion, towns: dict[int, str]
) -> None:
    rows: dict[tuple[str, str], list[str]] = {}
    pages = [get(coordinator, PLAN)] + [get(coordinator, PLAN, municipality=str(m)) for m in towns]
    tables = set()
    for page in pages:
        for table in plan_tables(page):
            tables.add(table)
            for c in table_cells(page, table):
                item = c["row"].get("data-item")
                if item:
                    rows.setdefault((table, item), []).append(c["text"])
    assert "plan-region" in tables and len(tables) == len(towns) + 1
    assert rows
    for item, cells in rows.items():
        participants, _potential, _training, groups, hours, cost = cells
        if participants == "<5":
            assert all(v.startswith("–") for v in (groups, hours, cost)), (item, cells)
    assert any(cells[0] == "<5" for cells in rows.values())


def test_plan_municipality_filter(coordinator: Any, demo_region: DemoRegion, towns: dict[int, str]) -> None:
    names = towns
    chosen = sorted(names)[0]
    region = get(coordinator, PLAN)
    page = get(coordinator, PLAN, municipality=str(chosen))
    # The region's totals (the same as on the region's page) and the chosen municipality's plan.
    assert plan_totals(page, "plan-region-totals") == plan_totals(region, "plan-region-totals")
    assert set(plan_totals(page, "plan-municipality-totals")) == {"participants", "groups", "hours", "cost"}
    assert plan_tables(page) == {f"plan-m-{chosen}-table"}
    assert names[chosen] in visible_text(page)
    assert 'href="/regio/scholingsplan"' in page  # the whole region a link away


@pytest.mark.parametrize("view", ["bogus", "", "needs"])
def test_an_unknown_plan_part_shows_the_first(coordinator: Any, demo_region: DemoRegion, view: str) -> None:
    page = get(coordinator, PLAN, view=view)
    assert plan_tables(page) == {"plan-region"}


def test_index_links_to_the_three_pages(coordinator: Any, demo_region: DemoRegion) -> None:
    page = get(coordinator, "/regio/")
    for path in (NEEDS, ITEMS, PLAN):
        assert f'href="{path}"' in page
