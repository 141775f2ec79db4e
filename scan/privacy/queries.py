"""Gathering one person's data from every feature, for "Mijn gegevens"."""

from __future__ import annotations

from dataclasses import replace

from scan.auth.models import User
from scan.db import utcnow
from scan.privacy import registry
from scan.privacy.export import PersonalData


def personal_data(user: User) -> PersonalData:
    """Everything stored about the user: each feature's export sections (one query each, or two with
    selectinload), laid out as PersonalData; the agreed levels go with the scans they are about."""
    parts = {section.key: section.load(user) for section in registry.export_sections()}
    calibrations = parts.pop("calibrations")
    scans = tuple(
        replace(scan, calibrations=calibrations.get(scan_id, ()))
        for scan_id, scan in parts.pop("scans").items()
    )
    return PersonalData(scans=scans, exported_at=utcnow(), **parts)
