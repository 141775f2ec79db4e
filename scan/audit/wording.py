"""Reading an audit entry in the reader's language: what it is about by name, its detail worded from facts.

An entry stores facts, never sentences: the object as (type, id) and the detail as JSON facts
(`record(..., facts={"created": 2})`). The name ("account m.yilmaz") is looked up when the log is read, one
query per object type on a page whatever its size, through the namers that the features above the audit log
register (`register`; see scan/beheer/audit_names.py): the audit log imports no feature. Old entries with a
free-text detail ("created: 2; changed: 0") are read as facts where they have that shape, and shown as
they are where they do not.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from scan.access import Role, role_label
from scan.audit.actions import ACTIONS

# ids -> names, in one query.
Namer = Callable[[list[int]], Mapping[int, str]]

_NAMERS: dict[str, Namer] = {}

OBJECT_TYPES: dict[str, Any] = {
    "account": _l("account"),
    "user": _l("account"),
    "team": _l("team"),
    "municipality": _l("municipality"),
    "kenniskaart_version": _l("Kenniskaart version"),
    "training": _l("training"),
    "scan": _l("scan"),
    "pop": _l("POP"),
    "regio_publication": _l("regional publication"),
    "retention": _l("retention"),
    "catalogue.import": _l("training catalogue import"),
}

FACTS: dict[str, Any] = {
    "created": _l("created"),
    "changed": _l("changed"),
    "unchanged": _l("unchanged"),
    "added": _l("added"),
    "role": _l("role"),
    "fields": _l("fields changed"),
    "code": _l("code"),
    "municipality": _l("municipality"),
    "items": _l("items"),
    "rounds": _l("rounds"),
    "round": _l("round"),
    "version": _l("version"),
    "rows": _l("rows"),
    "person": _l("person"),
    "action": _l("action"),
    "first": _l("from"),
    "last": _l("up to and including"),
    "team": _l("team"),
    "region": _l("region"),
    "signed_as": _l("signed as"),
    "via": _l("via"),
    "reason": _l("reason"),
    "change": _l("change"),
    "label": _l("label"),
    "period": _l("period"),
    "number": _l("number"),
    "hidden": _l("figures hidden"),
    "positions": _l("figures in total"),
    "publication": _l("publication"),
    "level": _l("level"),
    "selection": _l("selection"),
    "moved_from": _l("moved from"),
    "moved_to": _l("moved to"),
}

# Facts whose values are roles ("teamleider"): worded by the role's label.
ROLE_FACTS = frozenset({"role", "signed_as"})

# Values that are words themselves (field names, states): worded too; anything else is shown as stored.
WORDS: dict[str, Any] = {
    "name": _l("name"),
    "full_name": _l("name"),
    "role": _l("role"),
    "team": _l("team"),
    "teams led": _l("teams led"),
    "led_teams": _l("teams led"),
    "region": _l("region"),
    "code": _l("code"),
    "municipality": _l("municipality"),
    "title": _l("title"),
    "throttled": _l("too many attempts"),
    "activated": _l("activated"),
    "deactivated": _l("deactivated"),
    "none": _l("none"),
    "created": _l("created"),
    "import": _l("import"),
    "default": _l("default"),
    # The catalogue's fields (scan.catalogue.services.TrainingData).
    "provider": _l("provider"),
    "type": _l("type"),
    "level": _l("level"),
    "hours": _l("hours"),
    "cost_cents": _l("cost"),
    "points": _l("accreditation points"),
    "min_group": _l("minimum group size"),
    "max_group": _l("maximum group size"),
    "item_codes": _l("Kenniskaart items"),
    "active": _l("active"),
}

_FACT = re.compile(r"^([a-z][a-z _]*): (.*)$")
_LEGACY = (
    (re.compile(r"^(\d+) rows$"), "rows"),
    (re.compile(r"^round (\d+)$"), "round"),
    (re.compile(r"^version (\d+)$"), "version"),
    (re.compile(r"^code (\S+)$"), "code"),
)


def register(object_types: Iterable[str], namer: Namer) -> None:
    """A feature above the audit log tells how its objects are named (ids -> names, one query)."""
    for object_type in object_types:
        _NAMERS[object_type] = namer


def register_facts(labels: Mapping[str, Any]) -> None:
    """A feature above the audit log tells how the fact keys it records are labelled (e.g. the kinds of
    record retention removes: {"scans": _l("scans")})."""
    FACTS.update({key: label for key, label in labels.items() if key not in FACTS})


def object_names(events: Iterable[Any]) -> dict[tuple[str, str], str]:
    """The name of every object the events are about: one query per object type, whatever their number."""
    wanted: dict[str, set[int]] = {}
    for event in events:
        if event.object_type in _NAMERS and event.object_id.isdigit():
            wanted.setdefault(event.object_type, set()).add(int(event.object_id))
    names: dict[tuple[str, str], str] = {}
    for object_type, ids in wanted.items():
        for object_id, name in _NAMERS[object_type](sorted(ids)).items():
            names[(object_type, str(object_id))] = name
    return names


def object_type_label(object_type: str) -> str:
    label = OBJECT_TYPES.get(object_type)
    return str(label) if label is not None else object_type


def object_text(event: Any, names: Mapping[tuple[str, str], str]) -> str:
    """ "account m.yilmaz"; the id where the object is gone or has no name ("account 78")."""
    name = names.get((event.object_type, event.object_id)) or event.object_id
    return " ".join(part for part in (object_type_label(event.object_type), name) if part)


def facts_detail(facts: Mapping[str, Any]) -> str:
    """The stored form of a detail: JSON facts, worded when read."""
    return json.dumps(dict(facts), ensure_ascii=False, sort_keys=False, default=str)


def _word_value(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_word_value(v) for v in value)
    text = str(value)
    word = WORDS.get(text)
    return str(word) if word is not None else text


def _role_value(value: Any) -> str | None:
    return str(role_label(str(value))) if str(value) in {role.value for role in Role} else None


def _word_facts(facts: Iterable[tuple[str, Any]]) -> str:
    parts = []
    for key, value in facts:
        label = FACTS.get(key)
        worded = ACTIONS.get(str(value)) if key == "action" else None
        if worded is None and key in ROLE_FACTS:
            worded = _role_value(value)
        if worded is None:
            worded = _word_value(value)
        parts.append(f"{label if label is not None else key}: {worded}")
    return "; ".join(parts)


def _legacy_facts(detail: str) -> list[tuple[str, Any]] | None:
    """An old free-text detail as facts, or None when any part of it has another shape."""
    facts: list[tuple[str, Any]] = []
    for part in re.split(r"; |, (?=[a-z][a-z _]*: )|, (?=code )|, (?=as )", detail):
        part = part.strip()
        if part in WORDS:
            facts.append(("", part))
            continue
        match = _FACT.match(part)
        if match and match.group(1) in FACTS:
            key, value = match.groups()
            facts.append((key, [v.strip() for v in value.split(",")] if key == "fields" else value))
            continue
        for pattern, key in _LEGACY:
            found = pattern.match(part)
            if found:
                facts.append((key, found.group(1)))
                break
        else:
            return None
    return facts


def detail_text(detail: str) -> str:
    """The detail in the reader's language: JSON facts worded; an old free-text detail read as facts where
    it has that shape, and shown as stored where it does not."""
    if not detail:
        return ""
    if detail.startswith("{"):
        try:
            facts = json.loads(detail)
        except ValueError:
            return detail
        if isinstance(facts, dict):
            return _word_facts(facts.items())
        return detail
    legacy = _legacy_facts(detail)
    if legacy is None:
        return detail
    return "; ".join(_word_value(value) if not key else _word_facts([(key, value)]) for key, value in legacy)
