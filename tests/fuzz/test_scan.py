"""The self-assessment with hostile input: saving a part, submitting, and the team leader's reopening."""

from __future__ import annotations

from urllib.parse import quote

from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.helpers import fields, fuzz_post, number, one_of_or_any, text

LEVELS = ("1", "2", "3", "4", "nvt", "")
SCAN_TABLES = ("scan", "scan_answer", "scan_event")


def _item_fields(codes: tuple[str, ...]) -> dict[str, st.SearchStrategy]:
    spec: dict[str, st.SearchStrategy] = {}
    for code in codes:
        spec[f"level-{code}"] = one_of_or_any(*LEVELS)
        spec[f"ambition-{code}"] = one_of_or_any(*LEVELS)
        spec[f"note-{code}"] = text()
    return spec


SECTION_FORM = fields({
    **_item_fields(("GC01", "GC02", "XX99", "LG01-A1")),  # XX99: no such item; LG01-A1: another part
    "lock_version": st.one_of(st.sampled_from(("0", "1", "2", "")), number()),
    "action": one_of_or_any("save", "save_next", "save_previous"),
})


@given(pairs=SECTION_FORM, section=st.one_of(st.sampled_from(("GC", "LG01", "LG02")), st.text(max_size=12)))
def test_saving_a_part_of_the_scan(app, world, browser, pairs, section):
    client, token = browser(world["cor"])  # a draft scan in the open round
    url = f"/scan/{world['round']}/{quote(section, safe='')}" if section else f"/scan/{world['round']}/GC"
    fuzz_post(app, client, url, token, pairs, tables=SCAN_TABLES)


@given(pairs=fields({"x": text()}, extra=True), who=st.sampled_from(("cor", "anna")))
def test_submitting(app, world, browser, pairs, who):
    client, token = browser(world[who])  # Cor: incomplete; Anna: already submitted
    fuzz_post(app, client, f"/scan/{world['round']}/indienen", token, pairs, tables=SCAN_TABLES)


@given(pairs=fields({"reason": text()}), scan=st.sampled_from(("anna_scan", "bert_scan", "cor_scan")))
def test_reopening_with_a_reason(app, world, browser, pairs, scan):
    client, token = browser(world["leader"])
    fuzz_post(app, client, f"/scans/{world[scan]}/heropenen", token, pairs, tables=SCAN_TABLES)
