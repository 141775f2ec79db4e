"""Kenniskaart problems in words: the structured problems of `competencies` rendered through Flask-Babel.

Needs an app context (gettext). The same sentences serve the command line and, later, the upload page.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

from competencies import Checked, Kenniskaart, Problem, check_file, check_text


@dataclass(frozen=True)
class ReportedProblem:
    file: str
    line: int | None
    code: str | None  # the section or item concerned
    field: str  # relative to that element, e.g. "levels.5"
    message: str
    kind: str  # stable identifier, for programs and tests

    def __str__(self) -> str:
        """`FILE:LINE: [CODE] field: message`, leaving out the parts that are unknown."""
        return problem_text(f"{self.file}:{self.line}" if self.line else self.file, self.code, self.field,
                            self.message)


def problem_text(place: str, code: str | None, field: str, message: str) -> str:
    """`PLACE: [CODE] field: message`, leaving out the parts that are unknown (the CLI and the upload)."""
    parts = [f"{place}:"] if place else []
    if code:
        parts.append(f"[{code}]")
    if field:
        parts.append(f"{field}:")
    parts.append(message)
    return " ".join(parts)


@dataclass(frozen=True)
class ValidationReport:
    source_name: str
    kenniskaart: Kenniskaart | None  # only when there are no problems
    problems: tuple[ReportedProblem, ...]

    @property
    def ok(self) -> bool:
        return self.kenniskaart is not None and not self.problems

    def lines(self) -> list[str]:
        return [str(problem) for problem in self.problems]


def validate_file(path: str | os.PathLike[str]) -> ValidationReport:
    return report(check_file(path))


def validate_text(text: str | bytes, source_name: str = "<text>") -> ValidationReport:
    return report(check_text(text, source_name))


def report(checked: Checked) -> ValidationReport:
    problems = tuple(
        ReportedProblem(checked.source_name, p.line, p.code, p.field, message(p), p.kind)
        for p in checked.problems
    )
    return ValidationReport(checked.source_name, checked.kenniskaart, problems)


def message(problem: Problem) -> str:
    """The translated sentence for one problem."""
    params = dict(problem.params)
    render = _MESSAGES.get(problem.kind)
    if render is None:
        return _("Invalid value: %(detail)s", detail=params.get("detail", problem.kind))
    try:
        return render(params)
    except (KeyError, TypeError, ValueError):
        # A parameter missing from a problem must not hide the problem itself.
        return _("Invalid value (%(kind)s).", kind=problem.kind)


def type_name(token: str) -> str:
    """What YAML made of a value (or what the format wants), in words."""
    names: dict[str, Callable[[], str]] = {
        "str": lambda: _("text"),
        "int": lambda: _("a whole number"),
        "float": lambda: _("a decimal number"),
        "bool": lambda: _("true or false"),
        "list": lambda: _("a list (lines starting with -)"),
        "dict": lambda: _("keys with values"),
        "date": lambda: _("a date"),
        "null": lambda: _("nothing"),
    }
    return names.get(token, lambda: _("something else"))()


def _missing_levels(p: Mapping[str, Any]) -> str:
    return ngettext(
        "A generic competency describes every level of the scale; level %(levels)s is missing.",
        "A generic competency describes every level of the scale; levels %(levels)s are missing.",
        p["count"],
        levels=p["levels"],
    )


def _duplicate_code(p: Mapping[str, Any]) -> str:
    if p.get("first_line"):
        return _(
            "The code %(code)s is already used on line %(line)d; every section and item needs its own code.",
            code=p["code"],
            line=p["first_line"],
        )
    return _("The code %(code)s is already used; every section and item needs its own code.", code=p["code"])


def _extra(p: Mapping[str, Any]) -> str:
    if p.get("allowed"):
        return _("Unknown key %(key)s; allowed here are: %(allowed)s.", key=p["key"], allowed=p["allowed"])
    return _("Unknown key %(key)s.", key=p["key"])


def _too_few(p: Mapping[str, Any]) -> str:
    return ngettext(
        "%(key)s needs at least %(num)d entry.",
        "%(key)s needs at least %(num)d entries.",
        p["min"],
        key=p["key"],
    )


_MESSAGES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    # reading the file
    "file_not_found": lambda p: _("The file does not exist."),
    "not_a_file": lambda p: _("This is not a file (a directory, perhaps)."),
    "unreadable": lambda p: _("The file cannot be read: %(reason)s.", reason=p["reason"]),
    "too_large": lambda p: _("The file is larger than %(max)d MB.", max=p["max_mb"]),
    "not_utf8": lambda p: _(
        "The file is not UTF-8 text (byte %(position)d); save it as UTF-8.", position=p["position"]
    ),
    "empty_file": lambda p: _("The file is empty; a Kenniskaart starts with schema_version: 1."),
    "not_a_mapping": lambda p: _(
        "The file must consist of keys with values (schema_version: 1, code: ...), not %(got)s.",
        got=type_name(p["got"]),
    ),
    # YAML
    "yaml_syntax": lambda p: _(
        "YAML syntax error (column %(column)d): %(detail)s.", column=p["column"], detail=p["detail"]
    ),
    "yaml_bad_character": lambda p: _(
        "The file contains a character that YAML does not allow (%(character)s).", character=p["character"]
    ),
    "yaml_duplicate_key": lambda p: _(
        "The key %(key)s appears twice in the same block (first on line %(line)s); YAML would silently keep "
        "only the last one.",
        key=p["key"],
        line=p["first_line"] or "?",
    ),
    "yaml_unsupported_tag": lambda p: _(
        "The YAML tag %(tag)s is not allowed; use plain text, numbers, lists and keys.", tag=p["tag"]
    ),
    "yaml_bad_value": lambda p: _("This value cannot be read: %(detail)s.", detail=p["detail"]),
    "yaml_complex_key": lambda p: _("A key must be a word or a number, not a list or a block."),
    "yaml_merge_key": lambda p: _("Merge keys (<<) are not supported; write the keys out in full."),
    "yaml_recursive_alias": lambda p: _("This alias refers to the block it is part of."),
    "yaml_too_complex": lambda p: _("The file is nested too deeply or repeats anchors too often to be read."),
    # the schema
    "missing": lambda p: _("The key %(key)s is missing.", key=p["key"]),
    "extra_forbidden": _extra,
    "key_not_text": lambda p: _(
        "%(key)s is not a valid key here; allowed are: %(allowed)s.", key=p["key"], allowed=p["allowed"]
    ),
    "needs_translations": lambda p: _(
        "%(key)s needs a Dutch and an English text, written as {nl: ..., en: ...}; found %(value)s.",
        key=p["key"],
        value=p["value"],
    ),
    # Whole sentences per language: "the English text" inflects differently in Dutch ("de Engelse tekst").
    "missing_translation": lambda p: (
        _("The Dutch text (nl) is missing.")
        if p["language"] == "nl"
        else _("The English text (en) is missing.")
    ),
    "empty_translation": lambda p: (
        _("The Dutch text (nl) is empty.") if p["language"] == "nl" else _("The English text (en) is empty.")
    ),
    "empty_text": lambda p: _("%(key)s must not be empty.", key=p["key"]),
    "no_value": lambda p: _(
        "%(key)s has no value; it should be %(expected)s.", key=p["key"], expected=type_name(p["expected"])
    ),
    "not_text": lambda p: _(
        "%(key)s must be text, but YAML reads %(value)s as %(got)s; put it in quotes.",
        key=p["key"],
        value=p["value"],
        got=type_name(p["got"]),
    ),
    "wrong_type": lambda p: _(
        "%(key)s must be %(expected)s, not %(got)s (%(value)s).",
        key=p["key"],
        expected=type_name(p["expected"]),
        got=type_name(p["got"]),
        value=p["value"],
    ),
    "level_key_type": lambda p: _(
        "The level %(value)s must be a whole number from the scale; write it without quotes.",
        value=p["value"],
    ),
    "not_allowed_value": lambda p: _(
        "%(key)s must be one of: %(allowed)s; not %(value)s.",
        key=p["key"],
        allowed=p["allowed"],
        value=p["value"],
    ),
    "too_few": _too_few,
    "too_long": lambda p: _("%(key)s is too long: at most %(max)d characters.", key=p["key"], max=p["max"]),
    "too_small": lambda p: _(
        "%(key)s must be at least %(min)s, not %(value)s.", key=p["key"], min=p["min"], value=p["value"]
    ),
    "code_format": lambda p: _(
        "The code %(value)s is not valid: use letters, digits and '-' only, at most 40 characters.",
        value=p["value"],
    ),
    "schema_version": lambda p: _(
        "schema_version %(value)s is not supported; this version of the application reads %(supported)s.",
        value=p["value"],
        supported=p["supported"],
    ),
    "invalid": lambda p: _("Invalid value: %(detail)s", detail=p["detail"]),
    # across the file
    "duplicate_code": _duplicate_code,
    "unknown_related": lambda p: _(
        "related refers to %(ref)s, which is not a code in this file.", ref=p["ref"]
    ),
    "related_self": lambda p: _("An item cannot be related to itself (%(ref)s).", ref=p["ref"]),
    "duplicate_related": lambda p: _("%(ref)s appears twice in related.", ref=p["ref"]),
    "level_not_on_scale": lambda p: _(
        "Level %(level)s is not on the scale (levels %(levels)s).", level=p["level"], levels=p["levels"]
    ),
    "missing_level_descriptors": _missing_levels,
    "norm_level_not_on_scale": lambda p: _(
        "%(key)s is %(level)s, which is not a level on the scale (%(levels)s).",
        key=p["key"],
        level=p["level"],
        levels=p["levels"],
    ),
    "scale_order": lambda p: _(
        "The scale numbers its levels 1, 2, 3 ... in order, each once; this entry has level %(level)s "
        "where %(expected)d belongs.",
        level=p["level"],
        expected=p["expected"],
    ),
    "no_algemeen_item": lambda p: _("Every leefgebied needs at least one item with level: algemeen."),
}
