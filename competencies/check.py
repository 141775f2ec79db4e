"""Check a Kenniskaart file or text: YAML, then the typed schema, then the checks across the file.

Every problem is reported at once, each with its line and the code of the section or item concerned;
nothing raises, whatever the input.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from competencies.problems import Path, Problem, RawProblem
from competencies.schema import Kenniskaart, cross_check, element_prefixes, problem_from_error, type_token
from competencies.yamlsource import ParsedYaml, decode, parse, read_source

# YAML problems after which the value at that path is None: pydantic saying so again would be noise.
_VALUE_LOST = {"yaml_unsupported_tag", "yaml_bad_value", "yaml_recursive_alias", "yaml_merge_key"}


@dataclass(frozen=True)
class Checked:
    source_name: str
    kenniskaart: Kenniskaart | None  # set only when there are no problems
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return self.kenniskaart is not None and not self.problems


def check_file(path: str | os.PathLike[str]) -> Checked:
    text, problems = read_source(path)
    if text is None:
        return _finish(str(path), None, problems, ParsedYaml())
    return _check(text, str(path))


def check_text(text: str | bytes, source_name: str = "<text>") -> Checked:
    if isinstance(text, bytes):
        decoded, problems = decode(text)
        if decoded is None:
            return _finish(source_name, None, problems, ParsedYaml())
        text = decoded
    return _check(text, source_name)


def _check(text: str, source_name: str) -> Checked:
    return check_parsed(parse(text), source_name)


def check_parsed(parsed: ParsedYaml, source_name: str) -> Checked:
    """Check data that was read elsewhere (YAML, or a spreadsheet turned into the same structure).

    `parsed.lines` maps a path to a number that orders and locates problems: the YAML line, or for a
    spreadsheet a cell number that the caller maps back to its sheet, row and column.
    """
    problems = list(parsed.problems)
    data = parsed.data
    if data is None and problems:
        return _finish(source_name, None, problems, parsed)
    if not isinstance(data, dict):
        # A document of just `~` or `---` is as good as empty.
        kind = "empty_file" if data is None else "not_a_mapping"
        problems.append(RawProblem(kind, {"got": type_token(data)}, (), line=1))
        return _finish(source_name, None, problems, parsed)

    def line_of(path: Path) -> int | None:
        return _line_of(parsed.lines, path)

    kenniskaart: Kenniskaart | None = None
    try:
        kenniskaart = Kenniskaart.model_validate(data)
    except ValidationError as error:
        lost = [p.path for p in problems if p.kind in _VALUE_LOST]
        for details in error.errors(include_url=False):
            problem = problem_from_error(details)
            if not any(problem.path[: len(path)] == path for path in lost):
                problems.append(problem)
    problems.extend(cross_check(data, line_of))
    return _finish(source_name, None if problems else kenniskaart, problems, parsed)


def _line_of(lines: dict[Path, int], path: Path) -> int | None:
    """The line of the path, or of the nearest enclosing node that exists (a missing key has none)."""
    for end in range(len(path), -1, -1):
        line = lines.get(path[:end])
        if line is not None:
            return line
    return None


def _finish(
    source_name: str, kenniskaart: Kenniskaart | None, raw: list[RawProblem], parsed: ParsedYaml
) -> Checked:
    problems = [_locate(problem, parsed) for problem in raw]
    problems.sort(key=lambda p: (p.line or 0, p.field))
    return Checked(source_name, kenniskaart, tuple(problems))


def _locate(raw: RawProblem, parsed: ParsedYaml) -> Problem:
    line = raw.line if raw.line is not None else (_line_of(parsed.lines, raw.path) if raw.path else None)
    code, start = None, 0
    for prefix in element_prefixes(raw.path):
        element = _get(parsed.data, prefix)
        value = element.get("code") if isinstance(element, dict) else None
        if isinstance(value, str) and value.strip():
            code, start = " ".join(value.split())[:40], len(prefix)
    return Problem(raw.kind, raw.params, line, code, format_path(parsed.data, raw.path, start), raw.path)


def _get(data: Any, path: Path) -> Any:
    for step in path:
        if isinstance(data, dict):
            data = data.get(step)
        elif isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data):
            data = data[step]
        else:
            return None
    return data


def format_path(data: Any, path: Path, start: int = 0) -> str:
    """`items[2].levels.5`: list positions counted from 1 as people do, mapping keys by name."""
    text = ""
    node = data
    for i, step in enumerate(path):
        is_index = isinstance(node, list) and isinstance(step, int)
        if i >= start:
            if is_index:
                text += f"[{step + 1}]"
            else:
                text += ("." if text else "") + str(step)
        node = _get(node, (step,))
    return text
