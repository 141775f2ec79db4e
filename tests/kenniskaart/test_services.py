"""Loading a Kenniskaart as a version: all or nothing, never rewriting an existing version."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from scan.extensions import db
from scan.kenniskaart.models import Item, KenniskaartVersion, LevelDescriptor, ScaleLevel, Section
from scan.kenniskaart.services import InvalidKenniskaart, ensure_default_kenniskaart, load_kenniskaart
from tests.kenniskaart.sample import DESCRIPTORS, ITEMS, SECTIONS, VALID, replace_once, write


def row_counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model)) or 0
        for model in (KenniskaartVersion, ScaleLevel, Section, Item, LevelDescriptor)
    )


def test_load_writes_a_version_with_everything_in_it(app_ctx: Flask, tmp_path: Path) -> None:
    result = load_kenniskaart(write(tmp_path, VALID))
    assert result.ok and result.created
    db.session.commit()
    assert row_counts() == (1, 4, SECTIONS, ITEMS, DESCRIPTORS)

    version = db.session.scalars(select(KenniskaartVersion)).one()
    assert (version.code, version.number, version.label) == ("KK-TEST", 1, "2026.1")
    assert (version.title_nl, version.title_en, version.region_name) == (
        "Testkaart",
        "Test map",
        "Regio Test",
    )
    assert version.source_name == "kaart.yaml"
    assert len(version.checksum) == 64
    assert version.norms == {
        "individual": {"generic_min_level": 2, "algemeen_min_level": 2},
        "team": {"specialists_min": 2, "specialist_level": 3},
    }
    assert [(s.level, s.title_nl, s.title_en) for s in version.scale] == [
        (1, "Beginnend", "Beginner"),
        (2, "Basis", "Basic"),
        (3, "Gevorderd", "Advanced"),
        (4, "Expert", "Expert"),
    ]
    assert [(s.code, s.kind, s.position) for s in version.sections] == [
        ("GC", "generiek", 1),
        ("LG01", "leefgebied", 2),
        ("LG02", "leefgebied", 3),
    ]
    items = {item.code: item for section in version.sections for item in section.items}
    assert [(i.code, i.level_kind, i.position, i.required) for i in version.sections[1].items] == [
        ("LG01-A1", "algemeen", 1, True),
        ("LG01-S1", "specialistisch", 2, False),
    ]
    assert {i.level_kind for i in version.sections[0].items} == {"generiek"}
    assert all(i.required for i in version.sections[0].items)
    assert items["LG01-S1"].not_applicable_allowed is True
    assert items["LG01-A1"].not_applicable_allowed is False
    assert all(item.version_id == version.id for item in items.values())
    assert [(d.level, d.text_nl, d.text_en) for d in items["GC02"].descriptors][3] == (
        4,
        "GC02 niveau vier",
        "GC02 level four",
    )
    assert [d.level for d in items["LG01-S1"].descriptors] == [3]
    assert items["LG02-A1"].descriptors == []


def test_loading_the_same_content_again_adds_nothing(app_ctx: Flask, tmp_path: Path) -> None:
    first = load_kenniskaart(write(tmp_path, VALID))
    db.session.commit()
    before = row_counts()
    # Same content, other spelling: a comment and other quotes do not make a new version.
    again = load_kenniskaart(text=replace_once(VALID, 'version: "2026.1"', "version: '2026.1'  # same"))
    assert again.ok and again.unchanged and not again.created
    assert again.version is not None and first.version is not None
    assert again.version.id == first.version.id
    db.session.commit()
    assert row_counts() == before


def test_a_broken_file_writes_nothing(app_ctx: Flask, tmp_path: Path) -> None:
    broken = replace_once(VALID, "related: [GC01, LG02]", "related: [GC01, LG99]")
    result = load_kenniskaart(write(tmp_path, broken))
    assert not result.ok and result.version is None and not result.created
    assert [p.kind for p in result.report.problems] == ["unknown_related"]
    db.session.commit()
    assert row_counts() == (0, 0, 0, 0, 0)


def test_a_changed_file_becomes_version_two_and_version_one_stays(app_ctx: Flask, tmp_path: Path) -> None:
    load_kenniskaart(write(tmp_path, VALID))
    db.session.commit()
    v1 = db.session.scalars(select(KenniskaartVersion)).one()
    v1_items = sorted(
        (i.id, i.code, i.title_nl, i.section_id)
        for i in db.session.scalars(select(Item).where(Item.version_id == v1.id))
    )

    changed = replace_once(
        VALID, "title: {nl: Stabiliseren, en: Stabilising}", "title: {nl: Stabiliseren!, en: Stabilising}"
    )
    changed = replace_once(changed, 'version: "2026.1"', 'version: "2026.2"')
    result = load_kenniskaart(write(tmp_path, changed, "v2.yaml"))
    assert result.ok and result.created
    db.session.commit()
    db.session.expire_all()

    versions = db.session.scalars(select(KenniskaartVersion).order_by(KenniskaartVersion.number)).all()
    assert [(v.number, v.label) for v in versions] == [(1, "2026.1"), (2, "2026.2")]
    assert versions[0].checksum != versions[1].checksum
    assert (
        sorted(
            (i.id, i.code, i.title_nl, i.section_id)
            for i in db.session.scalars(select(Item).where(Item.version_id == v1.id))
        )
        == v1_items
    )
    new_titles = {
        i.code: i.title_nl for i in db.session.scalars(select(Item).where(Item.version_id == versions[1].id))
    }
    assert new_titles["LG01-S1"] == "Stabiliseren!"
    assert row_counts() == (2, 8, 2 * SECTIONS, 2 * ITEMS, 2 * DESCRIPTORS)


def test_going_back_to_older_content_is_a_new_version(app_ctx: Flask) -> None:
    changed = replace_once(VALID, "Budgetplan maken", "Een budgetplan maken")
    for text in (VALID, changed, VALID):
        assert load_kenniskaart(text=text).created
    db.session.commit()
    numbers = db.session.scalars(select(KenniskaartVersion.number).order_by(KenniskaartVersion.number)).all()
    assert numbers == [1, 2, 3]


def test_numbers_count_per_code(app_ctx: Flask) -> None:
    load_kenniskaart(text=VALID)
    other = load_kenniskaart(text=replace_once(VALID, "code: KK-TEST", "code: KK-ANDERS"))
    assert other.version is not None and other.version.number == 1


def test_path_or_text_not_both(app_ctx: Flask) -> None:
    with pytest.raises(TypeError):
        load_kenniskaart()
    with pytest.raises(TypeError):
        load_kenniskaart("a.yaml", text=VALID)


def test_ensure_default_loads_only_into_an_empty_database(app_ctx: Flask, tmp_path: Path) -> None:
    path = write(tmp_path, VALID)
    assert ensure_default_kenniskaart(path) == "Loaded KK-TEST as version 1 (label 2026.1) from kaart.yaml."
    changed = write(tmp_path, replace_once(VALID, 'version: "2026.1"', 'version: "2026.2"'), "b.yaml")
    assert ensure_default_kenniskaart(changed) is None
    assert row_counts()[0] == 1


def test_ensure_default_refuses_a_broken_file(app_ctx: Flask, tmp_path: Path) -> None:
    path = write(tmp_path, replace_once(VALID, "specialist_level: 3", "specialist_level: 8"))
    with pytest.raises(InvalidKenniskaart) as raised:
        ensure_default_kenniskaart(path)
    assert "norms.team.specialist_level" in str(raised.value)
    assert row_counts() == (0, 0, 0, 0, 0)


def test_related_codes_and_retired_items_are_stored(app_ctx: Flask, tmp_path: Path) -> None:
    text = replace_once(VALID, "      - code: LG01-S1\n", "      - code: LG01-S1\n        retired: true\n")
    result = load_kenniskaart(write(tmp_path, text))
    assert result.ok, result.report.lines()
    db.session.commit()
    items = {item.code: item for item in db.session.scalars(select(Item))}
    assert items["LG01-S1"].retired and not items["LG01-S1"].required
    assert not items["LG01-A1"].retired
    assert any(item.related for item in items.values())
