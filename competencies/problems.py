"""A problem found in a Kenniskaart file, as structured data (a kind plus parameters).

The words a person reads are made elsewhere (scan/kenniskaart/validation.py), so this package stays free
of Flask and can be translated at display time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# A position in the parsed document: mapping keys and list indices, as pydantic reports them in `loc`.
Path = tuple[Any, ...]


@dataclass(frozen=True)
class Problem:
    kind: str  # e.g. "duplicate_code", "missing", "yaml_syntax"; see README.md for the list
    params: Mapping[str, Any] = field(default_factory=dict)
    line: int | None = None  # 1-based; None when the problem concerns the whole file
    code: str | None = None  # the code of the section or item concerned, when there is one
    field: str = ""  # where, relative to that element, e.g. "levels.5" or "items[2].title.en"
    path: Path = ()  # the full position in the document, for programs (0-based list indices)


@dataclass(frozen=True)
class RawProblem:
    """A problem before its line, element code and field are worked out from the document."""

    kind: str
    params: dict[str, Any]
    path: Path = ()
    line: int | None = None  # set when the YAML layer knows better than the path (e.g. a repeated key)
