"""A small valid Kenniskaart, and helpers to break it one line at a time.

Tests find lines by their text (`line_of`), so a change to this sample cannot silently shift them.
"""

from __future__ import annotations

from pathlib import Path

VALID = """\
schema_version: 1
code: KK-TEST
version: "2026.1"
region: Regio Test
title: {nl: Testkaart, en: Test map}
scale:
  - level: 1
    title: {nl: Beginnend, en: Beginner}
    description: {nl: Weet dat het bestaat, en: Knows it exists}
  - level: 2
    title: {nl: Basis, en: Basic}
    description: {nl: Zelfstandig in gewone situaties, en: Independent in standard situations}
  - level: 3
    title: {nl: Gevorderd, en: Advanced}
    description: {nl: Zelfstandig in complexe situaties, en: Independent in complex situations}
  - level: 4
    title: {nl: Expert, en: Expert}
    description: {nl: Vraagbaak voor anderen, en: Go-to person}
norms:
  individual: {generic_min_level: 2, algemeen_min_level: 2}
  team: {specialists_min: 2, specialist_level: 3}
generic_competencies:
  code: GC
  title: {nl: Generieke competenties, en: Generic competencies}
  description: {nl: Voor iedereen, en: For everyone}
  items:
    - code: GC01
      title: {nl: Contact maken, en: Engaging}
      description: {nl: Maakt contact, en: Makes contact}
      levels:
        1: {nl: GC01 niveau een, en: GC01 level one}
        2: {nl: GC01 niveau twee, en: GC01 level two}
        3: {nl: GC01 niveau drie, en: GC01 level three}
        4: {nl: GC01 niveau vier, en: GC01 level four}
      related: [LG01-A1]
    - code: GC02
      title: {nl: Vraagverheldering, en: Needs assessment}
      description: {nl: Verheldert de vraag, en: Clarifies the question}
      levels:
        1: {nl: GC02 niveau een, en: GC02 level one}
        2: {nl: GC02 niveau twee, en: GC02 level two}
        3: {nl: GC02 niveau drie, en: GC02 level three}
        4: {nl: GC02 niveau vier, en: GC02 level four}
leefgebieden:
  - code: LG01
    title: {nl: Financien, en: Finances}
    description: {nl: Geld en schulden, en: Money and debt}
    items:
      - code: LG01-A1
        level: algemeen
        title: {nl: Geldzorgen herkennen, en: Spotting money worries}
        description: {nl: Signalen van schulden, en: Signs of debt}
      - code: LG01-S1
        level: specialistisch
        title: {nl: Stabiliseren, en: Stabilising}
        description: {nl: Budgetplan maken, en: Making a budget plan}
        levels:
          3: {nl: LG01-S1 niveau drie, en: LG01-S1 level three}
        not_applicable: true
        related: [GC01, LG02]
  - code: LG02
    title: {nl: Wonen, en: Housing}
    description: {nl: Huisvesting, en: Housing matters}
    items:
      - code: LG02-A1
        level: algemeen
        title: {nl: Huurachterstand herkennen, en: Spotting rent arrears}
        description: {nl: Signalen van achterstand, en: Signs of arrears}
"""

# What VALID holds, for assertions on what gets stored.
SECTIONS = 3  # GC + LG01 + LG02
ITEMS = 5
GENERIC_ITEMS = 2
DESCRIPTORS = 4 + 4 + 1


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the n-th line containing `needle`."""
    hits = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(hits) >= occurrence, f"{needle!r} occurs {len(hits)} times"
    return hits[occurrence - 1]


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def write(tmp_path: Path, text: str | bytes, name: str = "kaart.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path
