"""Loading a Kenniskaart file as a new version. Flush, never commit: the caller commits.

Scans point at version rows, so an existing version is never updated or deleted; a changed file becomes
the next version number of its code, an unchanged file adds nothing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import select

import competencies
from competencies import Kenniskaart, checksum
from competencies.schema import Element, GenericItem, KnowledgeItem
from scan.extensions import db
from scan.kenniskaart.models import (
    LEVEL_GENERIC,
    LEVEL_SPECIALISTISCH,
    SECTION_GENERIC,
    SECTION_LEEFGEBIED,
    Item,
    KenniskaartVersion,
    LevelDescriptor,
    ScaleLevel,
    Section,
)
from scan.kenniskaart.validation import ValidationReport, validate_file, validate_text

# The Kenniskaart the application ships with (package data, next to the schema).
DEFAULT_FILE = Path(competencies.__file__).resolve().parent / "wijkteam.yaml"


class InvalidKenniskaart(ValueError):
    """The shipped default file has problems: a bug in a release, not a user's mistake."""

    def __init__(self, report: ValidationReport) -> None:
        super().__init__("\n".join(report.lines()))
        self.report = report


@dataclass(frozen=True)
class LoadResult:
    report: ValidationReport
    # The new version when created; the newest existing one when the content was unchanged; else None.
    version: KenniskaartVersion | None
    created: bool

    @property
    def ok(self) -> bool:
        return self.report.ok and self.version is not None

    @property
    def unchanged(self) -> bool:
        return self.ok and not self.created


def load_kenniskaart(
    path: str | os.PathLike[str] | None = None,
    *,
    text: str | bytes | None = None,
    source_name: str | None = None,
) -> LoadResult:
    """Validate a file (`path`) or YAML text (`text=`); store it as a new version only when it has no
    problems at all. Nothing is written otherwise."""
    if (path is None) == (text is None):
        raise TypeError("give either path or text")
    if path is not None:
        report = validate_file(path)
        name = source_name or Path(path).name
    else:
        assert text is not None
        name = source_name or "<text>"
        report = validate_text(text, name)
    if not report.ok or report.kenniskaart is None:
        return LoadResult(report, None, False)
    version, created = store_kenniskaart(report.kenniskaart, source_name=name)
    return LoadResult(report, version, created)


def ensure_default_kenniskaart(path: str | os.PathLike[str] = DEFAULT_FILE) -> str | None:
    """Load the shipped Kenniskaart when the database has none yet; a sentence saying so, or None.

    Raises InvalidKenniskaart when that file has problems (the test suite keeps it valid).
    """
    if db.session.scalar(select(KenniskaartVersion.id).limit(1)) is not None:
        return None
    result = load_kenniskaart(path)
    if not result.ok or result.version is None:
        raise InvalidKenniskaart(result.report)
    return _(
        "Loaded %(code)s as version %(number)d (label %(label)s) from %(file)s.",
        code=result.version.code,
        number=result.version.number,
        label=result.version.label,
        file=Path(path).name,
    )


def newest_version(code: str) -> KenniskaartVersion | None:
    """By number, not by time: numbers are the order in which versions were loaded."""
    return db.session.scalars(
        select(KenniskaartVersion)
        .where(KenniskaartVersion.code == code)
        .order_by(KenniskaartVersion.number.desc())
        .limit(1)
    ).first()


def store_kenniskaart(kenniskaart: Kenniskaart, source_name: str = "") -> tuple[KenniskaartVersion, bool]:
    """Write a validated Kenniskaart as the next version of its code; (version, created).

    When the newest version of that code has the same content, return it and add nothing.
    """
    digest = checksum(kenniskaart)
    newest = newest_version(kenniskaart.code)
    if newest is not None and newest.checksum == digest:
        return newest, False

    version = KenniskaartVersion(
        code=kenniskaart.code,
        number=newest.number + 1 if newest is not None else 1,
        label=kenniskaart.version,
        title_nl=kenniskaart.title.nl,
        title_en=kenniskaart.title.en,
        region_name=kenniskaart.region,
        checksum=digest,
        source_name=source_name[-300:],
        norms=kenniskaart.norms.model_dump(mode="json"),
        scale=[
            ScaleLevel(
                level=s.level,
                title_nl=s.title.nl,
                title_en=s.title.en,
                description_nl=s.description.nl,
                description_en=s.description.en,
            )
            for s in kenniskaart.scale
        ],
    )
    generic = kenniskaart.generic_competencies
    sections: list[tuple[Section, list[GenericItem] | list[KnowledgeItem]]] = [
        (_section(SECTION_GENERIC, 1, generic), generic.items)
    ]
    for position, leefgebied in enumerate(kenniskaart.leefgebieden, start=2):
        sections.append((_section(SECTION_LEEFGEBIED, position, leefgebied), leefgebied.items))
    version.sections = [section for section, _items in sections]
    db.session.add(version)
    # Items carry version_id themselves (for the per-version unique code), so the version needs its id first.
    db.session.flush()
    for section, items in sections:
        for position, item in enumerate(items, start=1):
            db.session.add(_item(version, section, position, item))
    db.session.flush()
    return version, True


def _section(kind: str, position: int, source: Element) -> Section:
    return Section(
        code=source.code,
        kind=kind,
        position=position,
        title_nl=source.title.nl,
        title_en=source.title.en,
        description_nl=source.description.nl,
        description_en=source.description.en,
    )


def _item(
    version: KenniskaartVersion, section: Section, position: int, item: GenericItem | KnowledgeItem
) -> Item:
    level_kind = item.level if isinstance(item, KnowledgeItem) else LEVEL_GENERIC
    return Item(
        version_id=version.id,
        section=section,
        code=item.code,
        level_kind=level_kind,
        position=position,
        title_nl=item.title.nl,
        title_en=item.title.en,
        description_nl=item.description.nl,
        description_en=item.description.en,
        not_applicable_allowed=item.not_applicable,
        required=level_kind != LEVEL_SPECIALISTISCH and not item.retired,
        retired=item.retired,
        related=list(item.related),
        descriptors=[
            LevelDescriptor(level=level, text_nl=text.nl, text_en=text.en)
            for level, text in sorted(item.levels.items())
        ],
    )
