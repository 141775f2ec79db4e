"""Shared helpers for the Kenniskaart upload tests: the small test map, variants of it, workbooks."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import func, select

from scan.audit.models import AuditEvent
from scan.extensions import db
from scan.kenniskaart.models import KenniskaartVersion
from tests.kenniskaart.sample import VALID

PAYLOAD_RE = re.compile(r'name="payload"[^>]*value="([^"]+)"')
PAGE = "/beheer/kenniskaart"

# VALID with: GC01 renamed, GC02 level 3 described differently, LG01-S1 removed, LG02-A2 added,
# a leefgebied LG03 added and LG02 renamed.
CHANGED = (
    VALID.replace("{nl: Contact maken, en: Engaging}", "{nl: Contact leggen, en: Making contact}")
    .replace("{nl: GC02 niveau drie, en: GC02 level three}",
             "{nl: GC02 nieuw niveau drie, en: GC02 new level three}")
    .replace(
        """      - code: LG01-S1
        level: specialistisch
        title: {nl: Stabiliseren, en: Stabilising}
        description: {nl: Budgetplan maken, en: Making a budget plan}
        levels:
          3: {nl: LG01-S1 niveau drie, en: LG01-S1 level three}
        not_applicable: true
        related: [GC01, LG02]
""",
        "",
    )
    .replace("{nl: Wonen, en: Housing}", "{nl: Wonen en huisvesting, en: Housing and shelter}")
    + """      - code: LG02-A2
        level: algemeen
        title: {nl: Dakloosheid voorkomen, en: Preventing homelessness}
        description: {nl: Signalen van uitzetting, en: Signs of eviction}
  - code: LG03
    title: {nl: Gezondheid, en: Health}
    description: {nl: Lichamelijk en psychisch, en: Physical and mental}
    items:
      - code: LG03-A1
        level: algemeen
        title: {nl: Zorgmijding herkennen, en: Spotting care avoidance}
        description: {nl: Signalen, en: Signs}
"""
)


def upload(client: Any, data: bytes, name: str) -> Any:
    return client.submit(PAGE, {"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def publish(client: Any, preview: str, payload: str | None = None) -> Any:
    match = PAYLOAD_RE.search(preview)
    assert match or payload is not None, preview
    return client.submit(f"{PAGE}/publiceren", {"payload": payload or match.group(1)}, page=PAGE,
                         follow_redirects=True)


def english(client: Any) -> None:
    client.submit("/taal", {"lang": "en", "next": PAGE}, page=PAGE)


def counts(app: Any) -> tuple[int, int]:
    """(versions, audit events)."""
    with app.app_context():
        return (db.session.scalar(select(func.count(KenniskaartVersion.id))),
                db.session.scalar(select(func.count(AuditEvent.id))))


def edit_workbook(raw: bytes, change: Callable[[Any], None]) -> bytes:
    book = load_workbook(io.BytesIO(raw))
    change(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
