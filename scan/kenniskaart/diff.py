"""What changes when a checked Kenniskaart replaces the current version. A pure function on two
validated Kenniskaarten (competencies.Kenniskaart); no database, no request.

Items and sections are matched by code (codes are stable across versions).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from competencies import Kenniskaart
from competencies.schema import Element, GenericItem, KnowledgeItem, Text

Item = GenericItem | KnowledgeItem


@dataclass(frozen=True)
class Titled:
    code: str
    title_nl: str
    title_en: str
    section: str = ""  # for an item: the code of its section


@dataclass(frozen=True)
class Renamed:
    code: str
    old_nl: str
    old_en: str
    new_nl: str
    new_en: str


@dataclass(frozen=True)
class DescriptorChange:
    code: str  # the item
    level: int
    old_nl: str | None  # None: the level had no descriptor
    old_en: str | None
    new_nl: str | None  # None: the descriptor is removed
    new_en: str | None


@dataclass(frozen=True)
class OtherChange:
    code: str
    fields: tuple[str, ...]  # keys as in the file, e.g. ("description", "level")


@dataclass(frozen=True)
class Diff:
    new_code: bool = False  # no version with this code yet: everything is new
    sections_added: list[Titled] = field(default_factory=list)
    sections_removed: list[Titled] = field(default_factory=list)
    sections_renamed: list[Renamed] = field(default_factory=list)
    items_added: list[Titled] = field(default_factory=list)
    items_removed: list[Titled] = field(default_factory=list)  # absent from the new file
    items_retired: list[Titled] = field(default_factory=list)  # present, newly marked retired
    items_renamed: list[Renamed] = field(default_factory=list)
    descriptors_changed: list[DescriptorChange] = field(default_factory=list)
    other_changes: list[OtherChange] = field(default_factory=list)  # other fields of items and sections
    general: tuple[str, ...] = ()  # top-level keys that changed: version, title, region, scale, norms

    @property
    def empty(self) -> bool:
        return not (
            self.new_code or self.sections_added or self.sections_removed or self.sections_renamed
            or self.items_added or self.items_removed or self.items_retired or self.items_renamed
            or self.descriptors_changed or self.other_changes or self.general
        )


def _sections(k: Kenniskaart) -> list[tuple[Element, list[Item]]]:
    return [(k.generic_competencies, list(k.generic_competencies.items)),
            *[(lg, list(lg.items)) for lg in k.leefgebieden]]


def _items(k: Kenniskaart) -> dict[str, tuple[Item, str]]:
    return {item.code: (item, section.code) for section, items in _sections(k) for item in items}


def _titled(element: Element, section: str = "") -> Titled:
    return Titled(element.code, element.title.nl, element.title.en, section)


def _renamed(old: Element, new: Element) -> Renamed | None:
    if old.title == new.title:
        return None
    return Renamed(new.code, old.title.nl, old.title.en, new.title.nl, new.title.en)


_ITEM_FIELDS = ("description", "level", "not_applicable", "related")


def diff(old: Kenniskaart | None, new: Kenniskaart) -> Diff:
    """The changes from `old` (the current version, None when there is none) to `new`."""
    if old is None or old.code != new.code:
        return Diff(
            new_code=True,
            sections_added=[_titled(s) for s, _items in _sections(new)],
            items_added=[_titled(i, s) for i, s in _items(new).values()],
        )
    result = Diff()
    old_sections = {s.code: s for s, _items in _sections(old)}
    new_sections = {s.code: s for s, _items in _sections(new)}
    for code, section in new_sections.items():
        before = old_sections.get(code)
        if before is None:
            result.sections_added.append(_titled(section))
            continue
        renamed = _renamed(before, section)
        if renamed:
            result.sections_renamed.append(renamed)
        if before.description != section.description:
            result.other_changes.append(OtherChange(code, ("description",)))
    result.sections_removed.extend(_titled(s) for c, s in old_sections.items() if c not in new_sections)

    old_items, new_items = _items(old), _items(new)
    for code, (item, section) in new_items.items():
        if code not in old_items:
            result.items_added.append(_titled(item, section))
            continue
        before, old_section = old_items[code]
        if item.retired and not before.retired:
            result.items_retired.append(_titled(item, section))
        renamed = _renamed(before, item)
        if renamed:
            result.items_renamed.append(renamed)
        result.descriptors_changed.extend(_descriptors(code, before.levels, item.levels))
        fields = [name for name in _ITEM_FIELDS if getattr(before, name, None) != getattr(item, name, None)]
        if section != old_section:
            fields.append("section")
        if before.retired and not item.retired:
            fields.append("retired")
        if fields:
            result.other_changes.append(OtherChange(code, tuple(fields)))
    result.items_removed.extend(_titled(i, s) for c, (i, s) in old_items.items() if c not in new_items)

    general = [key for key in ("version", "region", "title", "scale", "norms")
               if getattr(old, key) != getattr(new, key)]
    # A new order of sections or items is a change too (the scan follows the file's order).
    if [s.code for s, _i in _sections(old)] != [s.code for s, _i in _sections(new)] or [
        c for c in old_items if c in new_items
    ] != [c for c in new_items if c in old_items]:
        general.append("order")
    return Diff(**{**result.__dict__, "general": tuple(general)})


def _descriptors(code: str, old: dict[int, Text], new: dict[int, Text]) -> list[DescriptorChange]:
    changes = []
    for level in sorted(set(old) | set(new)):
        before, after = old.get(level), new.get(level)
        if before == after:
            continue
        changes.append(DescriptorChange(
            code, level,
            before.nl if before else None, before.en if before else None,
            after.nl if after else None, after.en if after else None,
        ))
    return changes
