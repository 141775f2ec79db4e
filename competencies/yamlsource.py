"""Reading a Kenniskaart file as YAML while remembering the line of every key and value.

`yaml.safe_load` throws line numbers away and silently keeps the last of two equal keys, so we compose
the node tree with the SafeLoader and build plain Python data from it ourselves.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from competencies.problems import Path, RawProblem

MAX_BYTES = 2 * 1024 * 1024
# Anchors and aliases can make a small file expand enormously ("billion laughs"); stop well before that.
MAX_NODES = 200_000
MAX_DEPTH = 40

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}


@dataclass
class ParsedYaml:
    data: Any = None
    lines: dict[Path, int] = field(default_factory=dict)  # path -> 1-based line of its key or value
    problems: list[RawProblem] = field(default_factory=list)


def read_source(path: str | os.PathLike[str]) -> tuple[str | None, list[RawProblem]]:
    """The file's text, or the problems that prevent reading it (never an exception)."""
    fs_path = FsPath(path)
    try:
        if not fs_path.exists():
            return None, [RawProblem("file_not_found", {"path": str(path)})]
        if not fs_path.is_file():
            return None, [RawProblem("not_a_file", {"path": str(path)})]
        if fs_path.stat().st_size > MAX_BYTES:
            return None, [RawProblem("too_large", {"max_mb": MAX_BYTES // (1024 * 1024)})]
        raw = fs_path.read_bytes()
    except OSError as error:
        return None, [RawProblem("unreadable", {"reason": error.strerror or str(error)})]
    return decode(raw)


def decode(raw: bytes) -> tuple[str | None, list[RawProblem]]:
    if len(raw) > MAX_BYTES:
        return None, [RawProblem("too_large", {"max_mb": MAX_BYTES // (1024 * 1024)})]
    try:
        # utf-8-sig: editors on Windows like to start the file with a byte order mark.
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, [RawProblem("not_utf8", {"position": error.start + 1}, line=line)]


def parse(text: str) -> ParsedYaml:
    """Parse YAML text into plain data plus the line of every path; problems instead of exceptions."""
    result = ParsedYaml()
    if len(text) > MAX_BYTES:
        result.problems.append(RawProblem("too_large", {"max_mb": MAX_BYTES // (1024 * 1024)}))
        return result
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        result.problems.append(_syntax_problem(error))
        return result
    except yaml.reader.ReaderError as error:
        line = text[: error.position].count("\n") + 1
        char = error.character
        shown = f"U+{char:04X}" if isinstance(char, int) else repr(char)
        result.problems.append(RawProblem("yaml_bad_character", {"character": shown}, line=line))
        return result
    except yaml.YAMLError as error:
        result.problems.append(RawProblem("yaml_syntax", {"detail": str(error), "column": 0}))
        return result
    except RecursionError:
        result.problems.append(RawProblem("yaml_too_complex", {}))
        return result
    if root is None:
        result.problems.append(RawProblem("empty_file", {}, line=1))
        return result
    builder = _Builder(result)
    try:
        result.data = builder.build(root, ())
    except _TooComplex as stop:
        result.data = None
        result.problems.append(RawProblem("yaml_too_complex", {}, line=stop.line))
    return result


def _syntax_problem(error: yaml.MarkedYAMLError) -> RawProblem:
    mark = error.problem_mark or error.context_mark
    detail = error.problem or ""
    if error.context:
        detail = f"{detail} ({error.context})" if detail else error.context
    return RawProblem(
        "yaml_syntax",
        {"detail": detail.strip(), "column": mark.column + 1 if mark else 0},
        line=mark.line + 1 if mark else None,
    )


class _TooComplex(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


class _Builder:
    def __init__(self, result: ParsedYaml) -> None:
        self.result = result
        self.nodes_left = MAX_NODES
        # Only used for scalars: it knows YAML 1.1's ints, floats, booleans and dates.
        self.constructor = SafeConstructor()
        self.open: set[int] = set()  # collection nodes being built, to catch an alias to an ancestor

    def problem(self, kind: str, params: dict[str, Any], node: Node, path: Path) -> None:
        self.result.problems.append(RawProblem(kind, params, path, line=node.start_mark.line + 1))

    def build(self, node: Node, path: Path) -> Any:
        line = node.start_mark.line + 1
        self.nodes_left -= 1
        if self.nodes_left < 0 or len(path) > MAX_DEPTH:
            raise _TooComplex(line)
        # A key's line was already recorded; it is where people look, not the start of a nested block.
        self.result.lines.setdefault(path, line)
        if isinstance(node, ScalarNode):
            return self.scalar(node, path)
        if id(node) in self.open:
            # The node starts where the anchor was set; the line that matters is where the alias is used.
            self.result.problems.append(
                RawProblem("yaml_recursive_alias", {}, path, line=self.result.lines[path])
            )
            return None
        self.open.add(id(node))
        try:
            if isinstance(node, SequenceNode) and node.tag == _TAG + "seq":
                return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
            if isinstance(node, MappingNode) and node.tag == _TAG + "map":
                return self.mapping(node, path)
            self.problem("yaml_unsupported_tag", {"tag": node.tag}, node, path)
            return None
        finally:
            self.open.discard(id(node))

    def scalar(self, node: ScalarNode, path: Path) -> Any:
        if node.tag not in _SCALAR_TAGS:
            self.problem("yaml_unsupported_tag", {"tag": node.tag}, node, path)
            return None
        try:
            return self.constructor.construct_object(node, deep=True)
        except (ConstructorError, ValueError, OverflowError) as error:
            detail = getattr(error, "problem", None) or str(error)
            self.problem("yaml_bad_value", {"detail": detail}, node, path)
            return None

    def mapping(self, node: MappingNode, path: Path) -> dict[Any, Any]:
        data: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                # PyYAML's merge would make a key given twice look legitimate; we want keys written out.
                self.problem("yaml_merge_key", {}, key_node, path)
                continue
            if not isinstance(key_node, ScalarNode):
                self.problem("yaml_complex_key", {}, key_node, path)
                continue
            key = self.scalar(key_node, path)
            key_path = (*path, key)
            if key in data:
                self.problem(
                    "yaml_duplicate_key",
                    {"key": str(key), "first_line": self.result.lines.get(key_path)},
                    key_node,
                    key_path,
                )
                continue
            self.result.lines.setdefault(key_path, key_node.start_mark.line + 1)
            data[key] = self.build(value_node, key_path)
        return data
