"""The file format without the app: structured problems with their line, element code and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from competencies import Problem, check_file, check_text, checksum, counts
from tests.kenniskaart.sample import VALID, line_of, replace_once, write


def problems(text: str | bytes) -> list[Problem]:
    checked = check_text(text, "kaart.yaml")
    assert not checked.ok
    assert checked.kenniskaart is None
    return list(checked.problems)


def single(text: str | bytes) -> Problem:
    found = problems(text)
    assert len(found) == 1, [(p.kind, p.line, p.field) for p in found]
    return found[0]


def test_the_sample_is_valid_and_counted() -> None:
    checked = check_text(VALID)
    assert checked.ok, checked.problems
    assert checked.kenniskaart is not None
    assert checked.kenniskaart.code == "KK-TEST"
    assert checked.kenniskaart.version == "2026.1"
    c = counts(checked.kenniskaart)
    assert (c.levels, c.sections, c.items) == (4, 3, 5)
    assert (c.generic, c.algemeen, c.specialistisch, c.descriptors) == (2, 2, 1, 9)


def test_defaults_for_optional_keys() -> None:
    kaart = check_text(VALID).kenniskaart
    assert kaart is not None
    lg02_a1 = kaart.leefgebieden[1].items[0]
    assert lg02_a1.not_applicable is False
    assert lg02_a1.related == []
    assert lg02_a1.levels == {}
    assert kaart.leefgebieden[0].items[1].not_applicable is True


def test_duplicate_item_code() -> None:
    broken = replace_once(VALID, "- code: LG02-A1", "- code: LG01-A1")
    p = single(broken)
    assert p.kind == "duplicate_code"
    assert p.line == line_of(broken, "- code: LG01-A1", 2)
    assert p.code == "LG01-A1"
    assert p.field == "code"
    assert p.params["first_line"] == line_of(broken, "- code: LG01-A1", 1)


def test_sections_and_items_share_one_code_space_case_insensitively() -> None:
    broken = replace_once(VALID, "- code: LG02\n", "- code: gc01\n")
    found = problems(broken)
    # LG01-S1 refers to LG02, which is gone now.
    assert [(p.kind, p.params.get("ref")) for p in found if p.kind != "duplicate_code"] == [
        ("unknown_related", "LG02")
    ]
    [p] = [p for p in found if p.kind == "duplicate_code"]
    assert (p.code, p.field) == ("gc01", "code")
    assert p.line == line_of(broken, "- code: gc01")
    assert p.params["first_line"] == line_of(broken, "- code: GC01")


def test_unknown_related_code() -> None:
    broken = replace_once(VALID, "related: [GC01, LG02]", "related: [GC01, LG99]")
    p = single(broken)
    assert p.kind == "unknown_related"
    assert p.line == line_of(broken, "related: [GC01, LG99]")
    assert (p.code, p.field, p.params["ref"]) == ("LG01-S1", "related[2]", "LG99")


def test_related_to_itself() -> None:
    broken = replace_once(VALID, "related: [GC01, LG02]", "related: [LG01-S1]")
    p = single(broken)
    assert (p.kind, p.code, p.field) == ("related_self", "LG01-S1", "related[1]")


def test_missing_english_translation() -> None:
    broken = replace_once(VALID, "title: {nl: Stabiliseren, en: Stabilising}", "title: {nl: Stabiliseren}")
    p = single(broken)
    assert p.kind == "missing_translation"
    assert p.line == line_of(broken, "title: {nl: Stabiliseren}")
    assert (p.code, p.field, p.params["language"]) == ("LG01-S1", "title.en", "en")


def test_empty_dutch_translation_on_its_own_line() -> None:
    broken = replace_once(
        VALID,
        "description: {nl: Huisvesting, en: Housing matters}",
        'description:\n      nl: "  "\n      en: x',
    )
    p = single(broken)
    assert p.kind == "empty_translation"
    assert p.line == line_of(broken, 'nl: "  "')
    assert (p.code, p.field) == ("LG02", "description.nl")


def test_level_five_on_a_scale_of_four() -> None:
    broken = replace_once(VALID, "3: {nl: LG01-S1 niveau drie", "5: {nl: LG01-S1 niveau drie")
    p = single(broken)
    assert p.kind == "level_not_on_scale"
    assert p.line == line_of(broken, "5: {nl: LG01-S1")
    assert (p.code, p.field, p.params["levels"]) == ("LG01-S1", "levels.5", "1, 2, 3, 4")


def test_generic_competency_must_describe_every_level() -> None:
    broken = replace_once(VALID, "        4: {nl: GC02 niveau vier, en: GC02 level four}\n", "")
    p = single(broken)
    assert p.kind == "missing_level_descriptors"
    assert p.line == line_of(broken, "levels:", 2)
    assert (p.code, p.field, p.params["levels"]) == ("GC02", "levels", "4")


def test_text_where_a_whole_number_belongs() -> None:
    broken = replace_once(VALID, "specialists_min: 2", "specialists_min: two")
    p = single(broken)
    assert p.kind == "wrong_type"
    assert p.line == line_of(broken, "specialists_min: two")
    assert p.code is None
    assert p.field == "norms.team.specialists_min"
    assert (p.params["expected"], p.params["got"], p.params["value"]) == ("int", "str", '"two"')


def test_quoted_scale_level_is_text_not_a_number() -> None:
    broken = replace_once(VALID, "  - level: 3\n", '  - level: "3"\n')
    # Only this one: with an unreadable scale, no level elsewhere is judged against a guess.
    p = single(broken)
    assert (p.kind, p.field, p.code) == ("wrong_type", "scale[3].level", None)
    assert p.line == line_of(broken, '- level: "3"')


def test_number_where_text_belongs_asks_for_quotes() -> None:
    broken = replace_once(VALID, 'version: "2026.1"', "version: 2026.1")
    p = single(broken)
    assert (p.kind, p.line, p.field, p.params["got"]) == ("not_text", 3, "version", "float")


def test_yaml_syntax_error_has_its_line() -> None:
    broken = replace_once(VALID, "region: Regio Test", "region: Regio: Test")
    p = single(broken)
    assert p.kind == "yaml_syntax"
    assert p.line == line_of(broken, "region: Regio: Test")
    assert p.code is None


def test_unclosed_bracket_is_a_syntax_error() -> None:
    broken = replace_once(VALID, "related: [GC01, LG02]", "related: [GC01, LG02")
    p = single(broken)
    assert p.kind == "yaml_syntax"
    assert p.line is not None and p.line > line_of(broken, "related: [GC01, LG02")


def test_duplicate_key_is_reported_not_overwritten() -> None:
    broken = replace_once(
        VALID, "        not_applicable: true\n", "        not_applicable: true\n        level: algemeen\n"
    )
    p = single(broken)
    assert p.kind == "yaml_duplicate_key"
    assert p.line == line_of(broken, "level: algemeen", 2)
    assert p.code == "LG01-S1"
    assert p.field == "level"
    assert p.params["first_line"] == line_of(broken, "level: specialistisch")


def test_unknown_extra_key() -> None:
    broken = replace_once(
        VALID, "    description: {nl: Huisvesting", "    colour: blue\n    description: {nl: Huisvesting"
    )
    p = single(broken)
    assert p.kind == "extra_forbidden"
    assert p.line == line_of(broken, "colour: blue")
    assert (p.code, p.field) == ("LG02", "colour")
    assert "items" in p.params["allowed"] and "colour" not in p.params["allowed"]


def test_missing_key_points_at_its_element() -> None:
    broken = replace_once(VALID, "    description: {nl: Huisvesting, en: Housing matters}\n", "")
    p = single(broken)
    assert (p.kind, p.code, p.field) == ("missing", "LG02", "description")
    assert p.line == line_of(broken, "- code: LG02\n".strip())


def test_missing_item_code_names_the_section() -> None:
    broken = replace_once(VALID, "      - code: LG02-A1\n        level: algemeen", "      - level: algemeen")
    found = problems(broken)
    assert [(p.kind, p.code, p.field) for p in found] == [("missing", "LG02", "items[1].code")]


def test_knowledge_level_must_be_algemeen_or_specialistisch() -> None:
    broken = replace_once(VALID, "level: specialistisch", "level: Specialistisch")
    p = single(broken)
    assert p.kind == "not_allowed_value"
    assert p.params["allowed"] == "algemeen, specialistisch"
    assert (p.code, p.field) == ("LG01-S1", "level")


def test_each_leefgebied_needs_an_algemeen_item() -> None:
    broken = replace_once(
        VALID,
        "      - code: LG02-A1\n        level: algemeen",
        "      - code: LG02-A1\n        level: specialistisch",
    )
    p = single(broken)
    assert (p.kind, p.code, p.field) == ("no_algemeen_item", "LG02", "items")
    assert p.line == line_of(broken, "items:", 3)


def test_scale_must_run_from_one_without_gaps() -> None:
    broken = replace_once(VALID, "  - level: 2\n", "  - level: 7\n")
    found = problems(broken)
    order = [p for p in found if p.kind == "scale_order"]
    assert len(order) == 1
    assert order[0].line == line_of(broken, "- level: 7")
    assert order[0].params == {"key": "level", "level": 7, "expected": 2}
    # Level 2 is no longer on the scale, so the norms and descriptors that use it are wrong too.
    assert {p.field for p in found if p.kind == "norm_level_not_on_scale"} == {
        "norms.individual.generic_min_level",
        "norms.individual.algemeen_min_level",
    }


def test_norm_level_outside_the_scale() -> None:
    broken = replace_once(VALID, "specialist_level: 3", "specialist_level: 5")
    p = single(broken)
    assert (p.kind, p.field, p.line) == ("norm_level_not_on_scale", "norms.team.specialist_level", 21)


def test_specialists_min_at_least_one() -> None:
    p = single(replace_once(VALID, "specialists_min: 2", "specialists_min: 0"))
    assert (p.kind, p.field, p.params["min"]) == ("too_small", "norms.team.specialists_min", 1)


def test_code_format() -> None:
    broken = replace_once(VALID, "- code: LG02-A1", "- code: LG02 A1")
    p = single(broken)
    assert (p.kind, p.code, p.field) == ("code_format", "LG02 A1", "code")
    assert p.line == line_of(broken, "- code: LG02 A1")


def test_code_longer_than_forty_characters() -> None:
    long_code = "LG02-" + "X" * 36
    p = single(replace_once(VALID, "- code: LG02-A1", f"- code: {long_code}"))
    assert p.kind == "code_format"


def test_title_without_translations() -> None:
    broken = replace_once(VALID, "title: {nl: Wonen, en: Housing}", "title: Wonen")
    p = single(broken)
    assert (p.kind, p.code, p.field, p.params["value"]) == ("needs_translations", "LG02", "title", '"Wonen"')


def test_unsupported_schema_version() -> None:
    p = single(replace_once(VALID, "schema_version: 1", "schema_version: 2"))
    assert (p.kind, p.line, p.params["supported"]) == ("schema_version", 1, 1)


def test_string_level_key() -> None:
    broken = replace_once(VALID, "3: {nl: LG01-S1 niveau drie", '"3": {nl: LG01-S1 niveau drie')
    p = single(broken)
    assert (p.kind, p.code, p.field) == ("level_key_type", "LG01-S1", "levels.3")
    assert p.line == line_of(broken, '"3": {nl: LG01-S1')


def test_empty_items_list() -> None:
    broken = replace_once(
        VALID,
        "    items:\n      - code: LG02-A1\n        level: algemeen\n"
        "        title: {nl: Huurachterstand herkennen, en: Spotting rent arrears}\n"
        "        description: {nl: Signalen van achterstand, en: Signs of arrears}\n",
        "    items: []\n",
    )
    p = single(broken)
    assert (p.kind, p.code, p.field) == ("no_algemeen_item", "LG02", "items")


def test_every_problem_at_once_in_file_order() -> None:
    broken = replace_once(VALID, "related: [GC01, LG02]", "related: [GC01, LG99]")
    broken = replace_once(broken, "region: Regio Test", "region: 12")
    broken = replace_once(broken, "- code: GC02", "- code: GC01")
    found = problems(broken)
    assert [p.kind for p in found] == ["not_text", "duplicate_code", "unknown_related"]
    assert [p.line for p in found] == sorted(p.line or 0 for p in found)


def test_problem_path_is_the_full_document_position() -> None:
    broken = replace_once(VALID, "title: {nl: Stabiliseren, en: Stabilising}", "title: {nl: Stabiliseren}")
    assert single(broken).path == ("leefgebieden", 0, "items", 1, "title", "en")


# --- never a traceback, whatever arrives ------------------------------------------------------------------

BILLION_LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefg", "bcdefgh", strict=True)
)


@pytest.mark.parametrize(
    ("text", "kind", "line"),
    [
        ("", "empty_file", 1),
        ("# only a comment\n", "empty_file", 1),
        ("~\n", "empty_file", 1),
        ("- one\n- two\n", "not_a_mapping", 1),
        ("just a sentence\n", "not_a_mapping", 1),
        ("a: 1\n---\nb: 2\n", "yaml_syntax", 2),
        ("a:\n\tb: 1\n", "yaml_syntax", 2),
        ("a: 1\nb: \x00\n", "yaml_bad_character", 2),
        (BILLION_LAUGHS, "yaml_too_complex", None),
        ("a: " + "[" * 5000 + "]" * 5000 + "\n", "yaml_too_complex", None),
        ("code: !!python/object/apply:os.system [ls]\n", "yaml_unsupported_tag", 1),
        ("schema_version: 1\ncode: !custom KK\n", "yaml_unsupported_tag", 2),
        ("a: &x\n  b: *x\n", "yaml_recursive_alias", 2),
        ("base: &b {x: 1}\nother:\n  <<: *b\n", "yaml_merge_key", 3),
        ("? [a, b]\n: 1\n", "yaml_complex_key", 1),
        ("a: !!timestamp 2020-99-99\n", "yaml_bad_value", 1),
    ],
)
def test_strange_input_gives_a_problem_not_an_exception(text: str, kind: str, line: int | None) -> None:
    found = problems(text)
    matching = [p for p in found if p.kind == kind]
    assert matching, [(p.kind, p.line) for p in found]
    if line is not None:
        assert matching[0].line == line


def test_binary_junk(tmp_path: Path) -> None:
    checked = check_file(write(tmp_path, b"ok: 1\n\xff\xfe\x00\x81 junk"))
    assert [(p.kind, p.line) for p in checked.problems] == [("not_utf8", 2)]
    assert checked.problems[0].params["position"] == 7


def test_missing_file_and_directory(tmp_path: Path) -> None:
    missing = check_file(tmp_path / "nope.yaml")
    assert [(p.kind, p.line) for p in missing.problems] == [("file_not_found", None)]
    directory = check_file(tmp_path)
    assert [p.kind for p in directory.problems] == ["not_a_file"]


def test_file_with_byte_order_mark_is_fine(tmp_path: Path) -> None:
    checked = check_file(write(tmp_path, "\ufeff" + VALID))
    assert checked.ok, checked.problems


def test_bytes_and_text_give_the_same_result() -> None:
    assert check_text(VALID.encode()).ok


# --- the checksum ---------------------------------------------------------------------------------------


def test_checksum_ignores_comments_order_and_quoting() -> None:
    reformatted = replace_once(VALID, 'version: "2026.1"', "version: '2026.1'  # the label")
    reformatted = replace_once(reformatted, "region: Regio Test\n", "")
    reformatted = reformatted.replace("schema_version: 1\n", "schema_version: 1\nregion: Regio Test\n")
    first, second = check_text(VALID).kenniskaart, check_text(reformatted).kenniskaart
    assert first is not None and second is not None
    assert checksum(first) == checksum(second)
    assert len(checksum(first)) == 64


def test_checksum_changes_with_content() -> None:
    changed = replace_once(VALID, "Budgetplan maken", "Een budgetplan maken")
    first, second = check_text(VALID).kenniskaart, check_text(changed).kenniskaart
    assert first is not None and second is not None
    assert checksum(first) != checksum(second)
