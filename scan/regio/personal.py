"""The region's personal data: none of its own, only who published (the contract:
scan.core.personal_data; collected by scan.privacy)."""

from __future__ import annotations

from scan.core.personal_data import Erasure, PersonalTable

TABLES = (
    PersonalTable(
        "regio_publication", None, Erasure.KEEP, mentions=("published_by_id",),
        reason="a publication never changes; only who published it, whose name leaves with the anonymised "
        "account",
    ),
)
