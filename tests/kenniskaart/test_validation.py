"""Problems in words (needs an app context for gettext), and the one-line format."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from scan.kenniskaart import validation
from scan.kenniskaart.validation import ReportedProblem, validate_file, validate_text
from tests.kenniskaart.sample import VALID, line_of, replace_once, write

# One broken variant per kind of problem the format can have; each must get a real sentence.
BROKEN = [
    replace_once(VALID, "- code: LG02-A1", "- code: LG01-A1"),
    replace_once(VALID, "related: [GC01, LG02]", "related: [LG01-S1, GC01, GC01, LG99]"),
    replace_once(VALID, "title: {nl: Stabiliseren, en: Stabilising}", "title: {nl: Stabiliseren, en: ''}"),
    replace_once(VALID, "title: {nl: Wonen, en: Housing}", "title: {en: Housing}"),
    replace_once(VALID, "3: {nl: LG01-S1 niveau drie", "5: {nl: LG01-S1 niveau drie"),
    replace_once(VALID, "        4: {nl: GC02 niveau vier, en: GC02 level four}\n", ""),
    replace_once(VALID, "specialists_min: 2", "specialists_min: two"),
    replace_once(VALID, "specialist_level: 3", "specialist_level: 9"),
    replace_once(VALID, 'version: "2026.1"', "version: 2026.1"),
    replace_once(VALID, "region: Regio Test", "region: Regio: Test"),
    replace_once(VALID, "region: Regio Test", "region: Regio Test\nregion: Elders"),
    replace_once(
        VALID, "    description: {nl: Huisvesting", "    colour: blue\n    description: {nl: Huisvesting"
    ),
    replace_once(VALID, "level: specialistisch", "level: Specialistisch"),
    replace_once(VALID, "  - level: 2\n", "  - level: 7\n"),
    replace_once(VALID, "- code: LG02-A1", "- code: LG02 A1"),
    replace_once(VALID, "title: {nl: Wonen, en: Housing}", "title: Wonen"),
    replace_once(VALID, "schema_version: 1", "schema_version: 3"),
    replace_once(VALID, "3: {nl: LG01-S1 niveau drie", '"3": {nl: LG01-S1 niveau drie'),
    replace_once(VALID, "specialists_min: 2", "specialists_min: 0"),
    replace_once(VALID, "not_applicable: true", "not_applicable: maybe"),
    replace_once(VALID, "related: [GC01, LG02]", "related: GC01"),
    replace_once(VALID, "region: Regio Test", "region:"),
    replace_once(VALID, "region: Regio Test", "region: " + "x" * 201),
    replace_once(VALID, "code: KK-TEST", "code: ''"),
    replace_once(VALID, "  items:\n    - code: GC01", "  items: []\n  old:\n    - code: GC01"),
    replace_once(VALID, "    description: {nl: Huisvesting, en: Housing matters}\n", ""),
    "a: &x\n  b: *x\n",
    "x: !custom 1\n",
    "base: &b {x: 1}\nother:\n  <<: *b\n",
    "? [a]\n: 1\n",
    "a: 1\nb: \x00\n",
    "1: one\n",
    "- a list\n",
    "",
]


@pytest.mark.parametrize("text", BROKEN)
def test_every_problem_gets_its_own_sentence(app_ctx: Flask, text: str) -> None:
    report = validate_text(text, "kaart.yaml")
    assert not report.ok
    assert report.problems
    for problem in report.problems:
        assert problem.kind in validation._MESSAGES, problem.kind
        # The fallbacks mean a kind or a parameter was forgotten.
        assert not problem.message.startswith("Invalid value"), str(problem)
        assert "%(" not in problem.message
        assert str(problem).startswith("kaart.yaml:")


def test_the_line_format(app_ctx: Flask) -> None:
    broken = replace_once(VALID, "title: {nl: Stabiliseren, en: Stabilising}", "title: {nl: Stabiliseren}")
    [problem] = validate_text(broken, "kaart.yaml").problems
    line = line_of(broken, "title: {nl: Stabiliseren}")
    assert str(problem) == f"kaart.yaml:{line}: [LG01-S1] title.en: The English text (en) is missing."


def test_a_problem_without_element_or_line() -> None:
    problem = ReportedProblem("k.yaml", None, None, "", "The file does not exist.", "file_not_found")
    assert str(problem) == "k.yaml: The file does not exist."
    top = ReportedProblem("k.yaml", 3, None, "version", "Bad.", "not_text")
    assert str(top) == "k.yaml:3: version: Bad."


def test_messages_name_the_field_and_the_value(app_ctx: Flask) -> None:
    broken = replace_once(VALID, "specialists_min: 2", "specialists_min: two")
    [problem] = validate_text(broken, "k.yaml").problems
    assert problem.message == 'specialists_min must be a whole number, not text ("two").'
    broken = replace_once(
        VALID, "    description: {nl: Huisvesting", "    colour: blue\n    description: {nl: Huisvesting"
    )
    [problem] = validate_text(broken, "k.yaml").problems
    assert problem.message == ("Unknown key colour; allowed here are: code, title, description, items.")
    broken = replace_once(VALID, 'version: "2026.1"', "version: 2026.1")
    [problem] = validate_text(broken, "k.yaml").problems
    assert (
        problem.message
        == "version must be text, but YAML reads 2026.1 as a decimal number; put it in quotes."
    )


def test_duplicate_code_message_names_the_first_line(app_ctx: Flask) -> None:
    broken = replace_once(VALID, "- code: LG02-A1", "- code: LG01-A1")
    [problem] = validate_text(broken, "k.yaml").problems
    first = line_of(broken, "- code: LG01-A1")
    assert f"already used on line {first}" in problem.message


def test_validate_file_reads_from_disk(app_ctx: Flask, tmp_path: Path) -> None:
    path = write(tmp_path, VALID)
    report = validate_file(path)
    assert report.ok
    assert report.kenniskaart is not None and report.kenniskaart.code == "KK-TEST"
    missing = validate_file(tmp_path / "gone.yaml")
    assert missing.lines() == [f"{tmp_path / 'gone.yaml'}: The file does not exist."]
