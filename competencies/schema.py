"""The Kenniskaart file format as typed pydantic models, and the checks that span the whole file.

Strict types: YAML turns `version: 2026.1` into a number and `level: "3"` into text; both are mistakes we
want reported, not silently converted. Lengths follow the database columns (scan/kenniskaart/models.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints
from pydantic_core import ErrorDetails, PydanticCustomError

from competencies.problems import Path, RawProblem

SCHEMA_VERSION = 1
CODE_RE = re.compile(r"^[A-Za-z0-9-]{1,40}$")
LEVEL_ALGEMEEN = "algemeen"
LEVEL_SPECIALISTISCH = "specialistisch"


def _check_code(value: str) -> str:
    if not CODE_RE.match(value):
        raise PydanticCustomError("code_format", "invalid code {value}", {"value": value})
    return value


def _check_schema_version(value: int) -> int:
    if value != SCHEMA_VERSION:
        raise PydanticCustomError(
            "schema_version",
            "unsupported schema version {value}",
            {"value": value, "supported": SCHEMA_VERSION},
        )
    return value


Code = Annotated[str, AfterValidator(_check_code)]
NonEmpty = Annotated[str, StringConstraints(min_length=1)]
Title300 = Annotated[str, StringConstraints(min_length=1, max_length=300)]
Title100 = Annotated[str, StringConstraints(min_length=1, max_length=100)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, str_strip_whitespace=True)


class Text(_Strict):
    """A text in Dutch and English; both are required and may not be empty."""

    nl: NonEmpty
    en: NonEmpty


class Title(_Strict):
    nl: Title300
    en: Title300


class ShortTitle(_Strict):
    nl: Title100
    en: Title100


class ScaleLevel(_Strict):
    level: int
    title: ShortTitle
    description: Text


class IndividualNorms(_Strict):
    generic_min_level: int
    algemeen_min_level: int


class TeamNorms(_Strict):
    specialists_min: Annotated[int, Field(ge=1)]
    specialist_level: int


class Norms(_Strict):
    individual: IndividualNorms
    team: TeamNorms


class Element(_Strict):
    """A section or an item: what has a code, a title and a description."""

    code: Code
    title: Title
    description: Text


class ItemBase(Element):
    not_applicable: bool = False
    related: list[Code] = Field(default_factory=list)
    # Codes are never renumbered: an item that is no longer scanned stays in the file, flagged.
    retired: bool = False


class GenericItem(ItemBase):
    levels: dict[int, Text]  # every level of the scale (checked in cross_check)


class KnowledgeItem(ItemBase):
    level: Literal["algemeen", "specialistisch"]
    levels: dict[int, Text] = Field(default_factory=dict)


class GenericCompetencies(Element):
    items: list[GenericItem] = Field(min_length=1)


class Leefgebied(Element):
    items: list[KnowledgeItem]  # at least one algemeen item (checked in cross_check)


class Kenniskaart(_Strict):
    schema_version: Annotated[int, AfterValidator(_check_schema_version)]
    code: Code
    version: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    region: Annotated[str, StringConstraints(max_length=200)] = ""
    title: Title
    scale: list[ScaleLevel] = Field(min_length=1)
    norms: Norms
    generic_competencies: GenericCompetencies
    leefgebieden: list[Leefgebied] = Field(min_length=1)


# --- what a path points at, for messages ----------------------------------------------------------------


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated[...] and `X | None` down to the type that matters for a message."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
            continue
        if origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            if len(args) == 1:
                annotation = args[0]
                continue
        return annotation


def annotation_at(path: Path) -> Any:
    """The declared type at a document path (None when the path leaves the format)."""
    current: Any = Kenniskaart
    for step in path:
        current = _unwrap(current)
        origin = get_origin(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(step) if isinstance(step, str) else None
            if field is None:
                return None
            current = field.annotation
        elif origin is list:
            current = get_args(current)[0]
        elif origin is dict:
            current = get_args(current)[1]
        else:
            return None
    return _unwrap(current)


def allowed_keys(path: Path) -> list[str]:
    target = annotation_at(path)
    if isinstance(target, type) and issubclass(target, BaseModel):
        return list(target.model_fields)
    return []


def literal_values(path: Path) -> list[Any]:
    target = annotation_at(path)
    return list(get_args(target)) if get_origin(target) is Literal else []


# --- pydantic errors as problems ------------------------------------------------------------------------

_EXPECTED_BY_ERROR = {
    "string_type": "str",
    "int_type": "int",
    "bool_type": "bool",
    "list_type": "list",
    "dict_type": "dict",
    "model_type": "dict",
    "model_attributes_type": "dict",
}


def type_token(value: Any) -> str:
    """A short name for what YAML produced; rendered into words (and translated) by the caller."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "str"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "dict"
    if isinstance(value, dt.date):
        return "date"
    return "other"


def shown(value: Any) -> str:
    """A value as it might appear in the file, shortened for a one-line message."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = f'"{value}"'
    elif isinstance(value, dict | list):
        text = "{…}" if isinstance(value, dict) else "[…]"
    else:
        text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "…"


def problem_from_error(error: ErrorDetails) -> RawProblem:
    """Turn one pydantic error into a problem kind with parameters (no English sentence)."""
    loc: Path = tuple(error["loc"])
    kind = error["type"]
    value = error.get("input")
    ctx = dict(error.get("ctx") or {})
    is_key = bool(loc) and loc[-1] == "[key]"
    if is_key:
        loc = loc[:-1]
    key = str(loc[-1]) if loc else ""
    params: dict[str, Any] = {"key": key}

    if is_key:
        return RawProblem("level_key_type", {"key": key, "value": shown(value)}, loc)
    if kind == "missing":
        if key in ("nl", "en"):
            return RawProblem("missing_translation", {"key": key, "language": key}, loc)
        return RawProblem("missing", params, loc)
    if kind == "extra_forbidden":
        return RawProblem("extra_forbidden", {**params, "allowed": ", ".join(allowed_keys(loc[:-1]))}, loc)
    if kind == "string_too_short":
        if key in ("nl", "en"):
            return RawProblem("empty_translation", {"key": key, "language": key}, loc)
        return RawProblem("empty_text", params, loc)
    if kind == "invalid_key":
        return RawProblem("key_not_text", {**params, "allowed": ", ".join(allowed_keys(loc[:-1]))}, loc)
    if kind in _EXPECTED_BY_ERROR:
        expected = _EXPECTED_BY_ERROR[kind]
        got = type_token(value)
        if got == "null":
            return RawProblem("no_value", {**params, "expected": expected}, loc)
        if annotation_at(loc) in (Text, Title, ShortTitle):
            # The usual slip: `title: Geld` instead of `title: {nl: Geld, en: Money}`.
            return RawProblem("needs_translations", {**params, "got": got, "value": shown(value)}, loc)
        if expected == "str" and got in ("int", "float", "date", "bool"):
            return RawProblem("not_text", {**params, "got": got, "value": shown(value)}, loc)
        return RawProblem(
            "wrong_type", {**params, "expected": expected, "got": got, "value": shown(value)}, loc
        )
    if kind == "literal_error":
        allowed = ", ".join(str(v) for v in literal_values(loc)) or str(ctx.get("expected", ""))
        return RawProblem("not_allowed_value", {**params, "allowed": allowed, "value": shown(value)}, loc)
    if kind == "too_short":
        return RawProblem("too_few", {**params, "min": int(ctx.get("min_length", 1))}, loc)
    if kind == "string_too_long":
        return RawProblem("too_long", {**params, "max": int(ctx.get("max_length", 0))}, loc)
    if kind == "greater_than_equal":
        return RawProblem("too_small", {**params, "min": ctx.get("ge"), "value": shown(value)}, loc)
    if kind == "code_format":
        return RawProblem("code_format", {**params, "value": shown(value)}, loc)
    if kind == "schema_version":
        return RawProblem(
            "schema_version", {**params, "value": shown(value), "supported": SCHEMA_VERSION}, loc
        )
    # Unknown to us: keep pydantic's own (English) words rather than lose the problem.
    return RawProblem("invalid", {**params, "detail": error.get("msg", kind)}, loc)


# --- checks across the file, on the raw data so they run even when pydantic found problems --------------


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _elements(data: dict[str, Any]) -> Iterator[tuple[Path, dict[str, Any], str | None]]:
    """(path, mapping, kind) of every section and item in file order; kind is None for sections."""
    generic = data.get("generic_competencies")
    if isinstance(generic, dict):
        yield ("generic_competencies",), generic, None
        items = generic.get("items")
        if isinstance(items, list):
            for j, item in enumerate(items):
                if isinstance(item, dict):
                    yield ("generic_competencies", "items", j), item, "generiek"
    leefgebieden = data.get("leefgebieden")
    if isinstance(leefgebieden, list):
        for i, section in enumerate(leefgebieden):
            if not isinstance(section, dict):
                continue
            yield ("leefgebieden", i), section, None
            items = section.get("items")
            if isinstance(items, list):
                for j, item in enumerate(items):
                    if isinstance(item, dict):
                        yield ("leefgebieden", i, "items", j), item, "knowledge"


def element_prefixes(path: Path) -> list[Path]:
    """The paths of the sections and items that contain `path`, outermost first."""
    candidates: list[Path] = []
    if path[:1] == ("generic_competencies",):
        candidates.append(path[:1])
        if len(path) >= 3 and path[1] == "items" and _is_int(path[2]):
            candidates.append(path[:3])
    elif path[:1] == ("leefgebieden",) and len(path) >= 2 and _is_int(path[1]):
        candidates.append(path[:2])
        if len(path) >= 4 and path[2] == "items" and _is_int(path[3]):
            candidates.append(path[:4])
    return candidates


def _levels_text(levels: set[int] | list[int]) -> str:
    return ", ".join(str(n) for n in sorted(levels))


def cross_check(data: dict[str, Any], line_of: Callable[[Path], int | None]) -> list[RawProblem]:
    problems: list[RawProblem] = []
    scale = _check_scale(data, problems)
    _check_norms(data, scale, problems)
    codes = _check_codes(data, line_of, problems)
    for path, element, item_kind in _elements(data):
        if item_kind is None:
            continue
        _check_item_levels(path, element, item_kind, scale, problems)
        _check_related(path, element, codes, problems)
    _check_algemeen(data, problems)
    return problems


def _check_scale(data: dict[str, Any], problems: list[RawProblem]) -> set[int]:
    """The levels of the scale; empty when the scale cannot be read, so no check leans on a guess."""
    entries = data.get("scale")
    if not isinstance(entries, list):
        return set()
    levels: set[int] = set()
    reported = False
    for i, entry in enumerate(entries):
        level = entry.get("level") if isinstance(entry, dict) else None
        if not _is_int(level):
            return set()  # pydantic reports the wrong type or the missing key
        levels.add(level)
        # One rule covers gaps, repeats and order; report the first break only, the rest follows from it.
        if level != i + 1 and not reported:
            reported = True
            problems.append(
                RawProblem(
                    "scale_order", {"key": "level", "level": level, "expected": i + 1}, ("scale", i, "level")
                )
            )
    return levels


def _check_norms(data: dict[str, Any], scale: set[int], problems: list[RawProblem]) -> None:
    norms = data.get("norms")
    if not scale or not isinstance(norms, dict):
        return
    for group, key in (
        ("individual", "generic_min_level"),
        ("individual", "algemeen_min_level"),
        ("team", "specialist_level"),
    ):
        block = norms.get(group)
        value = block.get(key) if isinstance(block, dict) else None
        if _is_int(value) and value not in scale:
            problems.append(
                RawProblem(
                    "norm_level_not_on_scale",
                    {"key": key, "level": value, "levels": _levels_text(scale)},
                    ("norms", group, key),
                )
            )


def _check_codes(
    data: dict[str, Any], line_of: Callable[[Path], int | None], problems: list[RawProblem]
) -> set[str]:
    """Every section and item code, once; sections and items share one code space."""
    first: dict[str, Path] = {}
    codes: set[str] = set()
    for path, element, _kind in _elements(data):
        code = element.get("code")
        if not isinstance(code, str) or not code.strip():
            continue
        code = code.strip()
        codes.add(code)
        # Case-insensitive: GC01 and gc01 would be the same thing to a reader (and in a URL).
        folded = code.casefold()
        if folded in first:
            problems.append(
                RawProblem(
                    "duplicate_code",
                    {"key": "code", "code": code, "first_line": line_of((*first[folded], "code"))},
                    (*path, "code"),
                )
            )
        else:
            first[folded] = path
    return codes


def _check_item_levels(
    path: Path, item: dict[str, Any], item_kind: str, scale: set[int], problems: list[RawProblem]
) -> None:
    levels = item.get("levels")
    if not scale or not isinstance(levels, dict):
        return
    for level in levels:
        if _is_int(level) and level not in scale:
            problems.append(
                RawProblem(
                    "level_not_on_scale",
                    {"key": str(level), "level": level, "levels": _levels_text(scale)},
                    (*path, "levels", level),
                )
            )
    if item_kind == "generiek":
        missing = scale - {level for level in levels if _is_int(level)}
        if missing:
            problems.append(
                RawProblem(
                    "missing_level_descriptors",
                    {"key": "levels", "levels": _levels_text(missing), "count": len(missing)},
                    (*path, "levels"),
                )
            )


def _check_related(path: Path, item: dict[str, Any], codes: set[str], problems: list[RawProblem]) -> None:
    related = item.get("related")
    if not isinstance(related, list):
        return
    own = item.get("code").strip() if isinstance(item.get("code"), str) else None
    seen: set[str] = set()
    for j, ref in enumerate(related):
        if not isinstance(ref, str):
            continue  # pydantic reports it
        ref = ref.strip()
        ref_path = (*path, "related", j)
        if ref == own:
            problems.append(RawProblem("related_self", {"key": "related", "ref": ref}, ref_path))
        elif ref not in codes:
            problems.append(RawProblem("unknown_related", {"key": "related", "ref": ref}, ref_path))
        elif ref in seen:
            problems.append(RawProblem("duplicate_related", {"key": "related", "ref": ref}, ref_path))
        seen.add(ref)


def _check_algemeen(data: dict[str, Any], problems: list[RawProblem]) -> None:
    leefgebieden = data.get("leefgebieden")
    if not isinstance(leefgebieden, list):
        return
    for i, section in enumerate(leefgebieden):
        items = section.get("items") if isinstance(section, dict) else None
        if not isinstance(items, list):
            continue  # pydantic reports a missing or wrong `items`
        if not any(isinstance(item, dict) and item.get("level") == LEVEL_ALGEMEEN for item in items):
            problems.append(RawProblem("no_algemeen_item", {"key": "items"}, ("leefgebieden", i, "items")))


# --- facts about a valid Kenniskaart ----------------------------------------------------------------------


def canonical_json(kenniskaart: Kenniskaart) -> str:
    """The validated content in one fixed spelling: comments, key order and quoting do not count."""
    return json.dumps(
        kenniskaart.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )


def checksum(kenniskaart: Kenniskaart) -> str:
    return hashlib.sha256(canonical_json(kenniskaart).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Counts:
    levels: int
    sections: int  # the generic competencies count as one section
    items: int
    generic: int
    algemeen: int
    specialistisch: int
    descriptors: int


def counts(kenniskaart: Kenniskaart) -> Counts:
    knowledge = [item for lg in kenniskaart.leefgebieden for item in lg.items]
    generic = kenniskaart.generic_competencies.items
    return Counts(
        levels=len(kenniskaart.scale),
        sections=1 + len(kenniskaart.leefgebieden),
        items=len(generic) + len(knowledge),
        generic=len(generic),
        algemeen=sum(1 for item in knowledge if item.level == LEVEL_ALGEMEEN),
        specialistisch=sum(1 for item in knowledge if item.level == LEVEL_SPECIALISTISCH),
        descriptors=sum(len(item.levels) for item in [*generic, *knowledge]),
    )
