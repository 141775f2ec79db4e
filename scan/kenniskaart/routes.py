"""The current Kenniskaart, for everyone logged in to read in the app: its sections with their items, each
item's description and what every level of the scale means for it, in the reader's language."""

from __future__ import annotations

from flask import render_template

from scan.access import Role, require
from scan.kenniskaart import bp, queries


@bp.get("/kenniskaart")
@require(*Role)
def read() -> str:
    """Five queries whatever the size: the version, its sections with items and descriptors (three) and the
    scale (one)."""
    version = queries.current_version()
    sections = queries.sections(version.id) if version is not None else []
    scale = queries.scale(version.id) if version is not None else []
    return render_template("kenniskaart/read.html", version=version, sections=sections, scale=scale,
                           scale_titles={level.level: level for level in scale})
