"""The Kenniskaart as XLSX and as a CASE package: the same data as the YAML file, located problems."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from flask_babel import force_locale

from competencies import checksum
from scan.kenniskaart import case, upload, xlsx
from scan.kenniskaart.diff import diff
from scan.kenniskaart.services import DEFAULT_FILE, load_kenniskaart
from tests.beheer.kenniskaart_helpers import edit_workbook
from tests.factories import make_kenniskaart


@pytest.fixture
def version(app_ctx: Any) -> Any:
    # Messages in English, so the assertions do not depend on the Dutch catalog.
    with force_locale("en"):
        yield make_kenniskaart()


def _workbook(version: Any) -> bytes:
    return xlsx.write_xlsx(upload.model_data(upload.version_model(version)))


def test_yaml_to_xlsx_and_back_is_the_same_content(version: Any) -> None:
    raw = _workbook(version)
    result = upload.check_upload(raw, "kaart.xlsx")
    assert result.ok, [str(p) for p in result.problems]
    assert result.kenniskaart is not None
    assert checksum(result.kenniskaart) == version.checksum
    assert diff(upload.version_model(version), result.kenniskaart).empty
    text = upload.to_yaml(upload.model_data(result.kenniskaart))
    yaml_result = upload.check_upload(text.encode(), "k.yaml")
    assert yaml_result.ok and checksum(yaml_result.kenniskaart) == version.checksum


def test_the_shipped_map_survives_the_round_trip(app_ctx: Any) -> None:
    shipped = load_kenniskaart(DEFAULT_FILE).version
    result = upload.check_upload(_workbook(shipped), "wijkteam.xlsx")
    assert result.ok, [str(p) for p in result.problems[:5]]
    assert checksum(result.kenniskaart) == shipped.checksum


def test_the_sheets_mirror_the_yaml_keys(version: Any) -> None:
    sheets = {title: (header, rows) for title, header, rows in
              xlsx.workbook_sheets(upload.model_data(upload.version_model(version)))}
    assert list(sheets) == ["kenniskaart", "scale", "sections", "items", "levels"]
    assert sheets["items"][0][:4] == ["section", "code", "level", "title.nl"]
    assert ["code", "KK-TEST"] in sheets["kenniskaart"][1]
    assert sheets["items"][1][3][:3] == ["LG01", "LG01-S1", "specialistisch"]
    assert ["LG01-S1", 3, "LG01-S1 niveau drie", "LG01-S1 level three"] in sheets["levels"][1]


def _problems(raw: bytes, name: str = "kaart.xlsx") -> list[tuple[str, str, str]]:
    result = upload.check_upload(raw, name)
    assert not result.ok and result.kenniskaart is None
    return [(p.kind, p.location, p.message) for p in result.problems]


def test_numbers_typed_as_text_and_decimals_as_numbers_are_read(version: Any) -> None:
    def change(book: Any) -> None:
        book["scale"]["A2"] = "1"  # the level as text
        book["kenniskaart"]["B4"] = 2026.1  # version typed as a number
        book["items"]["H2"] = "ja"  # not_applicable as a Dutch yes

    result = upload.check_upload(edit_workbook(_workbook(version), change), "k.xlsx")
    assert result.ok, [str(p) for p in result.problems]
    assert result.kenniskaart.version == "2026.1"
    assert result.kenniskaart.generic_competencies.items[0].not_applicable is True


def test_a_wrong_value_names_sheet_row_and_column(version: Any) -> None:
    def change(book: Any) -> None:
        book["scale"]["A3"] = "twee"
        book["items"]["C4"] = "expert"  # LG01-A1 level

    problems = _problems(edit_workbook(_workbook(version), change))
    locations = {kind: location for kind, location, _message in problems}
    assert locations["not_allowed_value"] == "sheet items, row 4, column level (C)"
    assert any(location == "sheet scale, row 3, column level (A)" for _k, location, _m in problems)


def test_missing_text_names_the_cell_row(version: Any) -> None:
    def change(book: Any) -> None:
        book["items"]["E2"].value = None  # GC01 title.en

    problems = _problems(edit_workbook(_workbook(version), change))
    assert ("missing_translation", "sheet items, row 2, column title.en (E)",
            "The English text (en) is missing.") in problems


def test_unknown_item_in_levels_and_duplicate_level(version: Any) -> None:
    def change(book: Any) -> None:
        sheet = book["levels"]
        sheet["A2"] = "GC99"
        sheet.append(["GC02", 1, "nog een keer", "again"])

    problems = _problems(edit_workbook(_workbook(version), change))
    kinds = [kind for kind, _l, _m in problems]
    assert "xlsx_unknown_item" in kinds and "xlsx_duplicate_level" in kinds
    assert ("xlsx_unknown_item", "sheet levels, row 2, column item (A)",
            "item refers to GC99, which is not a code on the sheet items.") in problems


def test_sections_need_exactly_one_generic_row(version: Any) -> None:
    problems = _problems(edit_workbook(_workbook(version), lambda b: b["sections"].cell(2, 2, "leefgebied")))
    assert "xlsx_no_generic" in [k for k, _l, _m in problems]
    problems = _problems(edit_workbook(_workbook(version), lambda b: b["sections"].cell(3, 2, "generiek")))
    assert "xlsx_second_generic" in [k for k, _l, _m in problems]
    problems = _problems(edit_workbook(_workbook(version), lambda b: b["sections"].cell(3, 2, "thema")))
    assert ("xlsx_section_kind", "sheet sections, row 3, column kind (B)",
            "kind must be one of: generiek, leefgebied; not thema.") in problems


def test_an_unknown_key_on_the_first_sheet(version: Any) -> None:
    def change(book: Any) -> None:
        book["kenniskaart"].append(["kleur", "rood"])

    problems = _problems(edit_workbook(_workbook(version), change))
    assert problems[0][:2] == ("xlsx_unknown_key", "sheet kenniskaart, row 12, column key (A)")


# --- CASE ---------------------------------------------------------------------------------------------


def test_case_package_structure(version: Any) -> None:
    package = case.case_package(version)
    document = package["CFDocument"]
    assert document["title"] == "Testkaart" and document["language"] == "nl"
    assert document["creator"] == "Regio Test" and document["lastChangeDateTime"].endswith("+00:00")
    assert uuid.UUID(document["identifier"]).version == 5
    assert case.case_package(version)["CFDocument"]["identifier"] == document["identifier"]  # deterministic

    items = {i["humanCodingScheme"]: i for i in package["CFItems"]}
    all_items = [item for section in version.sections for item in section.items]
    assert set(items) == {s.code for s in version.sections} | {i.code for i in all_items}
    assert items["GC01"]["CFItemType"] == "Competency"
    assert items["LG01-A1"]["CFItemType"] == "Knowledge item"
    assert items["LG01"]["CFItemType"] == "Leefgebied"
    assert items["GC01"]["fullStatement"] == "Contact maken"
    assert items["GC01"]["alternativeLabel"] == "Engaging"

    ids = {i["identifier"]: code for code, i in items.items()}
    parents = {}
    for association in package["CFAssociations"]:
        assert association["associationType"] == "isChildOf"
        child = ids[association["originNodeURI"]["identifier"]]
        parents[child] = association["destinationNodeURI"]["identifier"]
    # Every element has exactly one parent: items their section, sections the document.
    assert set(parents) == set(items) and len(package["CFAssociations"]) == len(items)
    for section in version.sections:
        assert parents[section.code] == document["identifier"]
        for item in section.items:
            assert parents[item.code] == items[section.code]["identifier"]

    [rubric] = package["CFRubrics"]
    criteria = {c["category"]: c for c in rubric["CFRubricCriteria"]}
    assert set(criteria) == {i.code for i in all_items if i.descriptors}
    for item in all_items:
        if not item.descriptors:
            continue
        criterion = criteria[item.code]
        assert criterion["CFItemURI"]["identifier"] == items[item.code]["identifier"]
        levels = [(lv["score"], lv["description"], lv["feedback"])
                  for lv in criterion["CFRubricCriterionLevels"]]
        assert levels == [(d.level, d.text_nl, d.text_en) for d in item.descriptors]
    assert criteria["GC01"]["CFRubricCriterionLevels"][0]["quality"] == "Beginnend"


def test_a_zip_that_unpacks_to_too_much_is_refused(version: Any) -> None:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (xlsx.MAX_UNPACKED_BYTES + 1))
    problems = _problems(out.getvalue())
    assert problems == [("xlsx_too_big", "", "The workbook unpacks to more than 50 MB; that is far more "
                                            "than this import needs. Remove what does not belong in it, or "
                                            "split it.")]
