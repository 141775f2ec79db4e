"""Region-wide pages a page of municipalities at a time, read from the publication's stored parts.

Promises:
- the stored parts give every figure a reader can ask for exactly as the whole publication gives it
  (aliases resolved), for any set of municipalities;
- following the pager's links, as a coordinator does, shows every municipality exactly once, with the same
  figures, the same region row and the same colour scale as one page with every municipality;
- a page number that is not one shows a page, never an error.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask

from scan.regio import parts, services
from scan.regio.disclosure.linked import build
from scan.regio.disclosure.protection import protect
from scan.regio.publish import payload
from tests.regio import test_pages as pages
from tests.regio.conftest import DemoRegion
from tests.regio.test_overview import _random_counts
from tests.regio.test_pages import ITEMS, NEEDS, PLAN, elements, get, table_cells

demo_region, coordinator, towns = pages.demo_region, pages.coordinator, pages.towns


def figure(data: dict[str, Any], position: str) -> int | None:
    """What the whole payload shows at a position: through its aliases, 0 when not stored."""
    while position in data["alias"]:
        position = data["alias"][position]
    return data["shown"].get(position, 0)


@pytest.mark.parametrize("seed", range(12))
def test_the_parts_show_every_figure_as_the_whole_publication(seed: int) -> None:
    linked = build(_random_counts(seed), 5)
    whole = payload(linked, protect(linked).hidden)
    stored = parts.split(whole)
    meta = stored[parts.META]
    ids = [m[0] for m in meta["municipalities"]]
    assert set(stored) == {parts.META, *(parts.scope(m) for m in ids)} - (
        {parts.scope(m) for m in ids} if len(ids) == 1 else set())
    every = parts.whole(whole)
    asked = {*whole["shown"], *whole["alias"]}
    assert {p: every["shown"][p] for p in asked} == {p: figure(whole, p) for p in asked}
    # Any subset of municipalities: their figures and the region's, nothing of the others.
    for chosen in (ids[:1], ids[1:3], ids[::2]):
        data = parts.merge(meta, [stored[parts.scope(m)] for m in chosen if parts.scope(m) in stored])
        groups = {g[0] for g in data["groups"]}
        for p, value in data["shown"].items():
            assert value == figure(whole, p)
        assert {g[0] for g in whole["groups"] if g[2] in chosen or g[1] == "region"} <= groups


def municipality_rows(page: str, measure: str) -> dict[str, list[Any]]:
    """Municipality id -> the values of its row in the heat map's table."""
    rows: dict[str, list[Any]] = {}
    for c in table_cells(page, f"heatmap-{measure}-table"):
        if c["attrs"].get("data-kind") == "municipality":
            rows.setdefault(c["row"]["data-municipality"], []).append(c["value"])
    return rows


def region_row(page: str, measure: str) -> list[Any]:
    return [c["value"] for c in table_cells(page, f"heatmap-{measure}-table")
            if c["attrs"].get("data-kind") == "region"]


def legend(page: str) -> list[str]:
    return [e["text"] for e in elements(page) if e["tag"] == "li"
            and any("app-heatmap__legend-list" in a.get("class", "") for _t, a in e["ancestors"])]


def follow(client: Any, path: str, **args: str) -> list[str]:
    """Every page of a region-wide page, following the pager's "next" link as a reader does."""
    found = [get(client, path, **args)]
    while (link := re.search(r'rel="next" href="([^"]+)"', found[-1])) is not None:
        assert len(found) < 20, "the pager does not end"
        response = client.get(link.group(1).replace("&amp;", "&"))
        assert response.status_code == 200
        found.append(response.get_data(as_text=True))
    return found


def test_following_the_pager_shows_every_municipality_once_as_one_page_does(
    coordinator: Any, demo_region: DemoRegion, towns: dict[int, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert len(towns) >= 3, "the demo region needs three municipalities for pages of two"
    monkeypatch.setattr(services, "PAGE_SIZE", 100)
    one = get(coordinator, NEEDS)
    assert "Pages of municipalities" not in one and 'rel="next"' not in one
    monkeypatch.setattr(services, "PAGE_SIZE", 2)
    pages = follow(coordinator, NEEDS)
    assert len(pages) == -(-len(towns) // 2)
    assert "Gemeenten 1–2 van" in pages[0]
    for measure in ("goal", "gap"):
        seen: dict[str, list[Any]] = {}
        for page in pages:
            rows = municipality_rows(page, measure)
            assert len(rows) <= 2 and not set(rows) & set(seen), "a municipality on two pages"
            seen |= rows
            assert region_row(page, measure) == region_row(one, measure)
        assert seen == municipality_rows(one, measure)
        assert set(seen) == {str(m) for m in towns}
    # The same colour scale on every page: the legend's value ranges come from the whole region.
    assert all(legend(page) == legend(one) for page in pages) and legend(one)


def test_the_item_table_and_the_plan_are_paged_the_same_way(
    coordinator: Any, demo_region: DemoRegion, towns: dict[int, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "PAGE_SIZE", 100)
    one_items = get(coordinator, ITEMS)
    monkeypatch.setattr(services, "PAGE_SIZE", 2)
    columns: list[str] = []
    for page in follow(coordinator, ITEMS):
        columns += re.findall(r'<th scope="col"[^>]*data-municipality="(\d+)"', page.split("items-gap")[0])
        # The region column is the whole region's on every page.
        assert re.findall(r'app-count--total[^>]*>([^<]*)<', page) == re.findall(
            r'app-count--total[^>]*>([^<]*)<', one_items)
    assert sorted(columns) == sorted(str(m) for m in towns)
    plans: list[str] = []
    monkeypatch.setattr(services, "PAGE_SIZE", 100)
    one_plan = get(coordinator, PLAN, view="municipalities")
    monkeypatch.setattr(services, "PAGE_SIZE", 2)
    for page in follow(coordinator, PLAN, view="municipalities"):
        plans += re.findall(r'<tr class="utrecht-table__row" data-municipality="(\d+)"', page)
        region_part = pages.main_part(page).split('id="plan-municipalities"')[0]
        assert region_part == pages.main_part(one_plan).split('id="plan-municipalities"')[0]
    assert sorted(plans) == sorted(str(m) for m in towns)


@pytest.mark.parametrize("number", ["0", "-3", "999", "abc", "2.5"])
def test_a_page_number_that_is_not_one_shows_a_page(
    coordinator: Any, demo_region: DemoRegion, towns: dict[int, str], monkeypatch: pytest.MonkeyPatch,
    number: str,
) -> None:
    monkeypatch.setattr(services, "PAGE_SIZE", 2)
    page = get(coordinator, NEEDS, page=number)
    assert municipality_rows(page, "goal")
    expected = -(-len(towns) // 2) if number == "999" else 1
    assert f"pagina {expected} van" in page


def test_a_chosen_municipality_reads_only_its_own_part(
    app: Flask, demo_region: DemoRegion, towns: dict[int, str]
) -> None:
    chosen = sorted(towns)[0]
    with app.test_request_context("/"):
        pub = services.publication(demo_region.region_id, None)
        data, every = services.payload(pub, [chosen]), services.payload(pub)
    assert {g[2] for g in data["groups"]} == {chosen, None} and len(every["groups"]) > len(data["groups"])
    # The pager and the filter still know every municipality.
    assert [m[0] for m in data["municipalities"]] == [m[0] for m in every["municipalities"]]


@pytest.mark.parametrize("chosen", [0, 7, 199])
def test_the_filter_s_quick_select_writes_what_wtforms_writes(chosen: int) -> None:
    from wtforms import Form, SelectField
    from wtforms.widgets import Select

    from scan.regio.forms import QuickSelect

    class Both(Form):
        plain = SelectField(choices=[], coerce=int, widget=Select())
        quick = SelectField(choices=[], coerce=int, widget=QuickSelect())

    form = Both(data={"plain": chosen, "quick": chosen})
    choices = [(0, "Alle gemeenten"), *((i, f'Gemeente <{i}> & "{i}"') for i in range(1, 200))]
    form.plain.choices = form.quick.choices = choices
    assert str(form.quick()) == str(form.plain()).replace('"plain"', '"quick"')
    assert str(form.quick()).count("selected") == 1
