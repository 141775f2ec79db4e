"""diff(): a pure function on two validated Kenniskaarten."""

from __future__ import annotations

from competencies import Kenniskaart, check_text
from scan.kenniskaart.diff import diff
from tests.beheer.kenniskaart_helpers import CHANGED
from tests.kenniskaart.sample import VALID


def _map(text: str) -> Kenniskaart:
    checked = check_text(text)
    assert checked.ok, checked.problems
    assert checked.kenniskaart is not None
    return checked.kenniskaart


def test_the_same_content_has_no_changes() -> None:
    assert diff(_map(VALID), _map(VALID)).empty


def test_comments_and_key_order_are_no_change() -> None:
    text = VALID.replace('version: "2026.1"\nregion: Regio Test',
                         'region: Regio Test  # x\nversion: "2026.1"')
    assert diff(_map(VALID), _map(text)).empty


def test_added_removed_renamed_and_descriptor_changes() -> None:
    changes = diff(_map(VALID), _map(CHANGED))
    assert not changes.empty and not changes.new_code
    assert [i.code for i in changes.items_added] == ["LG02-A2", "LG03-A1"]
    assert changes.items_added[0].section == "LG02"
    assert [i.code for i in changes.items_removed] == ["LG01-S1"]
    assert [(r.code, r.old_en, r.new_en) for r in changes.items_renamed] == [
        ("GC01", "Engaging", "Making contact")
    ]
    assert [(s.code, s.new_nl) for s in changes.sections_renamed] == [("LG02", "Wonen en huisvesting")]
    assert [s.code for s in changes.sections_added] == ["LG03"]
    assert changes.sections_removed == []
    [descriptor] = changes.descriptors_changed
    assert (descriptor.code, descriptor.level) == ("GC02", 3)
    assert descriptor.old_en == "GC02 level three" and descriptor.new_en == "GC02 new level three"


def test_retiring_an_item_and_other_fields() -> None:
    text = VALID.replace(
        "        description: {nl: Signalen van achterstand, en: Signs of arrears}\n",
        "        description: {nl: Signalen van achterstand, en: Signs of arrears}\n        retired: true\n"
        "        levels: {2: {nl: Nieuw, en: New}}\n",
    ).replace('version: "2026.1"', 'version: "2026.2"')
    changes = diff(_map(VALID), _map(text))
    assert [i.code for i in changes.items_retired] == ["LG02-A1"]
    [descriptor] = changes.descriptors_changed
    assert (descriptor.code, descriptor.level) == ("LG02-A1", 2)
    assert (descriptor.old_nl, descriptor.new_nl) == (None, "Nieuw")
    assert changes.general == ("version",)


def test_removed_descriptor_and_section() -> None:
    text = VALID.replace(
        "        levels:\n          3: {nl: LG01-S1 niveau drie, en: LG01-S1 level three}\n", ""
    )
    changes = diff(_map(VALID), _map(text))
    [descriptor] = changes.descriptors_changed
    assert descriptor.new_nl is None and descriptor.old_nl == "LG01-S1 niveau drie"
    # The other way round: LG03 removed.
    changes = diff(_map(CHANGED), _map(VALID))
    assert [s.code for s in changes.sections_removed] == ["LG03"]
    assert {i.code for i in changes.items_removed} == {"LG02-A2", "LG03-A1"}
    assert [i.code for i in changes.items_added] == ["LG01-S1"]


def test_a_new_code_is_all_new() -> None:
    other = VALID.replace("code: KK-TEST", "code: KK-ANDERS")
    changes = diff(_map(VALID), _map(other))
    assert changes.new_code and len(changes.items_added) == 5
    assert diff(None, _map(VALID)).new_code
