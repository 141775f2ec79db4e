"""`flask kenniskaart validate|load|list`: exit codes and what a person reads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from scan.extensions import db
from scan.kenniskaart.models import Item, KenniskaartVersion
from tests.kenniskaart.sample import ITEMS, VALID, line_of, replace_once, write


def run(runner: Any, *args: str) -> Any:
    return runner.invoke(args=["kenniskaart", *args])


def count(app: Flask, model: type) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_validate_a_valid_file(runner: Any, tmp_path: Path) -> None:
    path = write(tmp_path, VALID)
    result = run(runner, "validate", str(path))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        f"{path}: OK: KK-TEST 2026.1, 4 scale levels, 3 sections, 5 items "
        "(2 generic, 2 algemeen, 1 specialistisch)."
    )


def test_validate_prints_every_problem_on_its_own_line(runner: Any, tmp_path: Path) -> None:
    broken = replace_once(VALID, "related: [GC01, LG02]", "related: [GC01, LG99]")
    broken = replace_once(broken, "- code: GC02", "- code: GC01")
    broken = replace_once(broken, "3: {nl: LG01-S1 niveau drie", "5: {nl: LG01-S1 niveau drie")
    path = write(tmp_path, broken)
    result = run(runner, "validate", str(path))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert lines == [
        f"{path}:{line_of(broken, '- code: GC01', 2)}: [GC01] code: The code GC01 is already used on line "
        f"{line_of(broken, '- code: GC01')}; every section and item needs its own code.",
        f"{path}:{line_of(broken, '5: {nl: LG01-S1')}: [LG01-S1] levels.5: Level 5 is not on the scale "
        "(levels 1, 2, 3, 4).",
        f"{path}:{line_of(broken, 'LG99')}: [LG01-S1] related[2]: related refers to LG99, which is not "
        "a code in this file.",
        "3 problems.",
    ]


def test_validate_syntax_error_and_missing_file(runner: Any, tmp_path: Path) -> None:
    path = write(tmp_path, replace_once(VALID, "region: Regio Test", "region: Regio: Test"))
    result = run(runner, "validate", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"{path}:4: YAML syntax error (column 14): mapping values are not allowed here"
    )
    gone = run(runner, "validate", str(tmp_path / "gone.yaml"))
    assert gone.exit_code == 1
    assert gone.stderr.splitlines() == [f"{tmp_path / 'gone.yaml'}: The file does not exist.", "1 problem."]
    directory = run(runner, "validate", str(tmp_path))
    assert directory.exit_code == 1 and "not a file" in directory.stderr


def test_validate_binary_and_empty_files(runner: Any, tmp_path: Path) -> None:
    junk = run(runner, "validate", str(write(tmp_path, bytes(range(256)) * 4, "junk.yaml")))
    assert junk.exit_code == 1 and "not UTF-8" in junk.stderr and "Traceback" not in junk.output
    empty = run(runner, "validate", str(write(tmp_path, "", "empty.yaml")))
    assert empty.exit_code == 1 and "empty" in empty.stderr
    top_list = run(runner, "validate", str(write(tmp_path, "- a\n- b\n", "list.yaml")))
    assert top_list.exit_code == 1 and "keys with values" in top_list.stderr


def test_load_then_load_again_then_a_change(app: Flask, runner: Any, tmp_path: Path) -> None:
    path = write(tmp_path, VALID)
    first = run(runner, "load", str(path))
    assert first.exit_code == 0, first.output
    assert first.output.splitlines()[0] == f"Loaded KK-TEST as version 1 (label 2026.1) from {path}."
    assert count(app, KenniskaartVersion) == 1 and count(app, Item) == ITEMS

    again = run(runner, "load", str(path))
    assert again.exit_code == 0
    assert again.output.strip() == "Nothing changed: version 1 of KK-TEST already has exactly this content."
    assert count(app, KenniskaartVersion) == 1

    path.write_text(replace_once(VALID, 'version: "2026.1"', 'version: "2026.2"'), encoding="utf-8")
    changed = run(runner, "load", str(path))
    assert changed.exit_code == 0
    assert changed.output.splitlines()[0] == f"Loaded KK-TEST as version 2 (label 2026.2) from {path}."
    assert count(app, KenniskaartVersion) == 2 and count(app, Item) == 2 * ITEMS


def test_load_a_broken_file_writes_nothing(app: Flask, runner: Any, tmp_path: Path) -> None:
    broken = replace_once(VALID, "title: {nl: Stabiliseren, en: Stabilising}", "title: {nl: Stabiliseren}")
    path = write(tmp_path, broken)
    result = run(runner, "load", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{path}:{line_of(broken, 'Stabiliseren}')}: [LG01-S1] title.en: The English text (en) is missing.",
        "1 problem; nothing was loaded.",
    ]
    assert count(app, KenniskaartVersion) == 0 and count(app, Item) == 0


def test_list(app: Flask, runner: Any, tmp_path: Path) -> None:
    empty = run(runner, "list")
    assert empty.exit_code == 0
    assert empty.output.strip() == "No Kenniskaart has been loaded yet."

    run(runner, "load", str(write(tmp_path, VALID)))
    run(
        runner,
        "load",
        str(write(tmp_path, replace_once(VALID, 'version: "2026.1"', 'version: "2026.2"'), "b.yaml")),
    )
    result = run(runner, "list")
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("KK-TEST  version 2  2026.2  ")
    assert lines[0].endswith(f"  {ITEMS} items  (current)")
    assert lines[1].startswith("KK-TEST  version 1  2026.1  ")
    assert lines[1].endswith(f"  {ITEMS} items")
