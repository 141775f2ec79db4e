"""A Kenniskaart version as a 1EdTech CASE 1.0 package (JSON), for other regions and learning systems.

- the framework is the CFDocument;
- every section and item is a CFItem with its code as humanCodingScheme; CFItemType says which it is
  (competency group, competency, leefgebied, knowledge item);
- the tree is isChildOf associations: item -> section, section -> document (origin is the child);
- the level descriptors are one CFRubric: a CFRubricCriterion per item, a CFRubricCriterionLevel per
  descriptor (score = the level on the scale).

Identifiers are UUID 5 from the Kenniskaart code, the version number and the element, so the same
version always gives the same package. Texts are Dutch (language "nl"); the English title is the
CFItem's alternativeLabel.
"""

from __future__ import annotations

import uuid
from datetime import UTC
from typing import Any

from scan.kenniskaart.models import LEVEL_GENERIC, SECTION_GENERIC, KenniskaartVersion

NAMESPACE = uuid.UUID("7b1c7a52-4c36-5c8e-9d0e-3f0d5e6b9a10")
ITEM_TYPES = {
    "section_generic": "Competency group",
    "section_leefgebied": "Leefgebied",
    "item_generic": "Competency",
    "item_knowledge": "Knowledge item",
}
CREATOR = "Ontwikkelscan"


def identifier(version: KenniskaartVersion, *parts: object) -> str:
    name = ":".join(str(p) for p in (version.code, version.number, *parts))
    return str(uuid.uuid5(NAMESPACE, name))


def _uri(ident: str) -> str:
    return f"urn:uuid:{ident}"


def _link(title: str, ident: str) -> dict[str, str]:
    return {"title": title, "identifier": ident, "uri": _uri(ident)}


def case_package(version: KenniskaartVersion) -> dict[str, Any]:
    changed = version.loaded_at
    if changed.tzinfo is None:
        changed = changed.replace(tzinfo=UTC)
    stamp = changed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    doc_id = identifier(version, "document")
    doc_link = _link(version.title_nl, doc_id)
    type_ids = {key: identifier(version, "itemtype", key) for key in ITEM_TYPES}

    document = {
        "identifier": doc_id,
        "uri": _uri(doc_id),
        "creator": version.region_name or CREATOR,
        "title": version.title_nl,
        "lastChangeDateTime": stamp,
        "version": f"{version.label} ({version.number})",
        "description": version.title_en,
        "language": "nl",
        "adoptionStatus": "Adopted",
        "notes": f"humanCodingScheme {version.code}",
        "CFPackageURI": _link(version.title_nl, doc_id),
    }
    items: list[dict[str, Any]] = []
    associations: list[dict[str, Any]] = []
    criteria: list[dict[str, Any]] = []
    scale = {s.level: s for s in version.scale}
    rubric_id = identifier(version, "rubric")

    def cf_item(key: str, ident: str, code: str, nl: str, en: str, notes: str, position: int) -> None:
        items.append({
            "identifier": ident,
            "uri": _uri(ident),
            "CFDocumentURI": doc_link,
            "fullStatement": nl,
            "alternativeLabel": en,
            "humanCodingScheme": code,
            "listEnumeration": str(position),
            "CFItemType": ITEM_TYPES[key],
            "CFItemTypeURI": _link(ITEM_TYPES[key], type_ids[key]),
            "notes": notes,
            "language": "nl",
            "lastChangeDateTime": stamp,
        })

    def child_of(child_id: str, child: str, parent: dict[str, str], position: int) -> None:
        ident = identifier(version, "association", child_id)
        associations.append({
            "identifier": ident,
            "uri": _uri(ident),
            "associationType": "isChildOf",
            "CFDocumentURI": doc_link,
            "sequenceNumber": position,
            "originNodeURI": _link(child, child_id),
            "destinationNodeURI": parent,
            "lastChangeDateTime": stamp,
        })

    for section in version.sections:
        section_id = identifier(version, "section", section.code)
        key = "section_generic" if section.kind == SECTION_GENERIC else "section_leefgebied"
        cf_item(key, section_id, section.code, section.title_nl, section.title_en,
                section.description_nl, section.position)
        child_of(section_id, section.title_nl, doc_link, section.position)
        for item in section.items:
            item_id = identifier(version, "item", item.code)
            item_key = "item_generic" if item.level_kind == LEVEL_GENERIC else "item_knowledge"
            cf_item(item_key, item_id, item.code, item.title_nl, item.title_en, item.description_nl,
                    item.position)
            child_of(item_id, item.title_nl, _link(section.title_nl, section_id), item.position)
            if not item.descriptors:
                continue
            criterion_id = identifier(version, "criterion", item.code)
            criteria.append({
                "identifier": criterion_id,
                "uri": _uri(criterion_id),
                "category": item.code,
                "description": item.title_nl,
                "CFItemURI": _link(item.title_nl, item_id),
                "position": len(criteria) + 1,
                "rubricId": rubric_id,
                "lastChangeDateTime": stamp,
                "CFRubricCriterionLevels": [
                    {
                        "identifier": (level_id := identifier(version, "level", item.code, d.level)),
                        "uri": _uri(level_id),
                        "description": d.text_nl,
                        "quality": scale[d.level].title_nl if d.level in scale else str(d.level),
                        "score": d.level,
                        "feedback": d.text_en,
                        "position": d.level,
                        "rubricCriterionId": criterion_id,
                        "lastChangeDateTime": stamp,
                    }
                    for d in item.descriptors
                ],
            })
    return {
        "CFDocument": document,
        "CFItems": items,
        "CFAssociations": associations,
        "CFDefinitions": {
            "CFItemTypes": [
                {"identifier": type_ids[key], "uri": _uri(type_ids[key]), "title": title,
                 "description": title, "hierarchyCode": key, "lastChangeDateTime": stamp}
                for key, title in ITEM_TYPES.items()
            ],
        },
        "CFRubrics": [{
            "identifier": rubric_id,
            "uri": _uri(rubric_id),
            "title": version.title_nl,
            "description": ", ".join(f"{s.level} {s.title_nl}" for s in version.scale),
            "lastChangeDateTime": stamp,
            "CFRubricCriteria": criteria,
        }],
    }
