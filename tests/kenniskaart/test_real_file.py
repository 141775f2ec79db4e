"""The Kenniskaart the application ships with must validate and load."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from competencies import check_file, counts
from scan.kenniskaart.services import load_kenniskaart

WIJKTEAM = Path(__file__).resolve().parents[2] / "competencies" / "wijkteam.yaml"


@pytest.mark.skipif(not WIJKTEAM.exists(), reason="competencies/wijkteam.yaml not written yet")
def test_wijkteam_yaml_validates() -> None:
    checked = check_file(WIJKTEAM)
    assert checked.ok, "\n".join(
        f"{p.line}: [{p.code}] {p.field}: {p.kind} {dict(p.params)}" for p in checked.problems
    )
    assert checked.kenniskaart is not None
    c = counts(checked.kenniskaart)
    assert c.generic >= 1 and c.algemeen >= len(checked.kenniskaart.leefgebieden)


@pytest.mark.skipif(not WIJKTEAM.exists(), reason="competencies/wijkteam.yaml not written yet")
def test_wijkteam_yaml_loads(app_ctx: Flask) -> None:
    result = load_kenniskaart(WIJKTEAM)
    assert result.ok and result.created
    assert result.version is not None and result.version.number == 1
