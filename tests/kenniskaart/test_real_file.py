"""The Kenniskaart the application ships with must validate and load."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from competencies import check_file, counts
from scan.kenniskaart.services import load_kenniskaart

WIJKTEAM = Path(__file__).resolve().parents[2] / "competencies" / "wijkteam.yaml"


def test_wijkteam_yaml_validates() -> None:
    # No skip when the file is missing: the app ships it, so a missing file is a failure.
    assert WIJKTEAM.is_file(), f"{WIJKTEAM} is missing"
    checked = check_file(WIJKTEAM)
    assert checked.ok, "\n".join(
        f"{p.line}: [{p.code}] {p.field}: {p.kind} {dict(p.params)}" for p in checked.problems
    )
    assert checked.kenniskaart is not None
    c = counts(checked.kenniskaart)
    assert c.generic >= 1 and c.algemeen >= len(checked.kenniskaart.leefgebieden)


def test_wijkteam_yaml_loads(app_ctx: Flask) -> None:
    result = load_kenniskaart(WIJKTEAM)
    assert result.ok and result.created
    assert result.version is not None and result.version.number == 1


def test_wijkteam_yaml_is_as_complete_as_the_issue_asks() -> None:
    """At least 8 generic competencies and 10 leefgebieden, each leefgebied with an `algemeen` and a
    `specialistisch` item, and every element titled and described in Dutch and English."""
    checked = check_file(WIJKTEAM)
    kk = checked.kenniskaart
    assert kk is not None
    generic = kk.generic_competencies.items
    assert len(generic) >= 8
    assert len(kk.leefgebieden) >= 10
    for lg in kk.leefgebieden:
        kinds = [item.level for item in lg.items]
        assert kinds.count("algemeen") >= 1 and kinds.count("specialistisch") >= 1, lg.code
    knowledge = [item for lg in kk.leefgebieden for item in lg.items]
    elements = [kk.generic_competencies, *generic, *kk.leefgebieden, *knowledge]
    codes = [e.code for e in elements]
    assert len(codes) == len(set(codes))
    for e in elements:
        for text in (e.title.nl, e.title.en, e.description.nl, e.description.en):
            assert isinstance(text, str) and text.strip(), e.code
    for level in kk.scale:
        assert level.title.nl.strip() and level.title.en.strip() and level.description.en.strip()
