"""The regional exports of a publication, written once and kept (`regio_publication_file`).

Rendering a workbook or PDF of a large region takes seconds and grows with the region, while a publication's
figures never change. So each file is written once per publication, kind, language and selection, and kept;
later downloads read it back. What else a file shows (the catalogue the plan is matched on, the Kenniskaart's
titles, the region's and municipality's names, the trends beside it, the layout) can change, so a file is kept
with a fingerprint of those, and a download whose fingerprint differs writes it again.

Nothing here renders, commits or reads the request: the routes pass the inputs and a function that writes.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from scan.config import ROOT
from scan.db import utcnow
from scan.extensions import db
from scan.regio.models import Publication, PublicationFile
from scan.regio.overview import Labels
from scan.regio.plan import Offer
from scan.regio.services import Selection

# Bump when what a file shows changes in code (layout, columns; the translations count themselves): every kept
# file is then written again on its next download.
FORMAT_VERSION = 1


def file_name(kind: str, lang: str, selection: Selection, valid: bool = True) -> str:
    """The kept file's name within its publication, e.g. "csv:offers|en|level=algemeen&municipality=3".

    An invalid filter exports the default selection with a note saying so. The routes do not keep that file
    (a refused request changes nothing); its own name keeps it apart from the default file all the same."""
    query = urlencode(sorted(selection.query_args().items()))
    return f"{kind}|{lang}|{query}" + ("" if valid else "|invalid")


def _plain(value: Any) -> Any:
    """JSON for what json does not know; sets sorted so the same catalogue always gives the same text."""
    if isinstance(value, set | frozenset):
        return sorted(value)
    if isinstance(value, Decimal | date | datetime):
        return str(value)
    raise TypeError(f"not in a fingerprint: {type(value).__name__}")


def fingerprint(
    publication: Publication,
    *,
    region: tuple[str, str],
    municipality_name: str,
    valid: bool,
    offers: Sequence[Offer],
    labels: Labels,
    trends: Sequence[Publication],
    texts: Sequence[str] = (),
) -> str:
    """sha256 (hex) of everything a file's content depends on besides the publication's figures.

    The publication's own id, number and moment are in it too: on SQLite a deleted publication's id can be
    given to the next one, and its kept files must not pass for the new one's. `trends` are the publications
    the trends sheet shows (their periods' names head its columns); `texts` what else the route prints (the
    publication's sentence, in the file's language)."""
    facts = {
        "format": FORMAT_VERSION,
        "publication": [publication.id, publication.number, publication.published_at.isoformat()],
        "region": list(region),
        "municipality": municipality_name,
        "valid": valid,
        "offers": [dataclasses.asdict(o) for o in offers],
        "labels": dataclasses.asdict(labels),
        "trends": [[p.id, p.period.name] for p in trends],
        "texts": list(texts),
        "catalogues": _catalogues(str(ROOT / "translations")),
    }
    text = json.dumps(facts, default=_plain, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


@functools.cache
def _catalogues(directories: str) -> str:
    """The compiled translations, once per process: a release that changes a file's wording writes the
    file again without anyone bumping FORMAT_VERSION."""
    digest = hashlib.sha256()
    for directory in directories.split(";"):
        for path in sorted(Path(directory).glob("*/LC_MESSAGES/*.mo")):
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _kept(publication_id: int, name: str) -> tuple[str, bytes] | None:
    """(fingerprint, body) of a kept file. On PostgreSQL the body is read in binary: as text a bytea
    travels hex-encoded, twice its size, and decoding it took six times as long as the binary read
    (17.7 ms against 2.8 ms for a workbook of 1.5 MB), more than all the rest of the download. psycopg's
    binary cursor is not reachable through SQLAlchemy, so this one statement goes to the driver directly
    (in the session's transaction)."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        raw: Any = connection.connection.dbapi_connection
        with raw.cursor(binary=True) as cursor:
            cursor.execute("SELECT fingerprint, body FROM regio_publication_file"
                           " WHERE publication_id = %s AND name = %s", (publication_id, name))
            row = cursor.fetchone()
    else:
        row = connection.execute(select(PublicationFile.fingerprint, PublicationFile.body).where(
            PublicationFile.publication_id == publication_id, PublicationFile.name == name)).first()
    return (row[0], bytes(row[1])) if row is not None else None


def get_or_write(publication: Publication, name: str, fingerprint: str, write: Callable[[], bytes]) -> bytes:
    """The kept file `name` of the publication if it was written with this fingerprint; else `write()`,
    kept (inserted, or replacing the stale one) and returned. Flushes, never commits."""
    kept = _kept(publication.id, name)
    if kept is not None and kept[0] == fingerprint:
        return kept[1]
    body = write()
    if kept is not None:
        db.session.execute(update(PublicationFile).where(
            PublicationFile.publication_id == publication.id, PublicationFile.name == name,
        ).values(fingerprint=fingerprint, body=body, written_at=utcnow()))
        return body
    try:
        with db.session.begin_nested():
            db.session.add(PublicationFile(publication_id=publication.id, name=name, fingerprint=fingerprint,
                                           body=body, written_at=utcnow()))
    except IntegrityError:
        # Another worker wrote the same file at the same moment: keep theirs (a later download compares its
        # fingerprint again), and this download gets what was just written.
        pass
    return body
