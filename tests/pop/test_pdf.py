"""The POP as a PDF: read back with a PDF text extractor, as the professional and team leader get it."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from pypdf import PdfReader

from scan.access import Role
from scan.assessment.models import ScanRound
from scan.extensions import db
from scan.pop.models import Pop, PopAction, PopGoal, PopStatus, PopVersion
from scan.pop.pdf.render import ActionRow, GoalRow, PopPdfData, Signature, render_pop, totals
from tests.factories import login, make_team, make_user
from tests.pop.world import build, english

SIGNED_PRO = datetime(2027, 3, 20, 9, 15, tzinfo=UTC)  # 10:15 in Amsterdam (winter time)
SIGNED_LEADER = datetime(2027, 4, 2, 13, 5, tzinfo=UTC)  # 15:05 in Amsterdam (summer time)


def _pdf_text(body: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(body))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def _words(text: str) -> str:
    """Line breaks inside table cells become spaces, so a phrase can be found wherever it wrapped."""
    return re.sub(r"\s+", " ", text)


# --- the renderer on plain data ---------------------------------------------------------------------------


def _plain(**overrides: Any) -> PopPdfData:
    goals = (
        GoalRow(
            "LG01-S1",
            "Stabiliseren",
            "Stabilising",
            "team_priority",
            "Veel schulden in de wijk",
            "Zelfstandig een budgetplan maken",
            3,
            (
                ActionRow(
                    "training",
                    "Cursus volgen",
                    "afgerond",
                    Decimal("14"),
                    14,
                    "Verdieping schulden",
                    "Lindewaard Academie",
                    "",
                    date(2027, 4, 1),
                    date(2027, 5, 15),
                    "Ik vraag nu eerder door.",
                ),
                ActionRow(
                    "meelopen",
                    "Meelopen bij de schuldhulp",
                    "bezig",
                    Decimal("4.5"),
                    0,
                    colleague="Ayşe Yılmaz",
                    planned_from=date(2027, 6, 1),
                ),
                ActionRow("zelfstudie", "Boek lezen", "vervallen", Decimal("10"), 3),
            ),
        ),
        GoalRow("GC08", "Reflecteren", "Reflecting", "own", "Ik wil rustiger worden in drukke weken"),
    )
    data: dict[str, Any] = {
        "professional": "Anna “Ank” Aalders",
        "username": "anna.aalders",
        "team_name": "Wijkteam De Linde",
        "team_code": "WT-LINDE",
        "round_title": "Ontwikkelscan voorjaar 2027",
        "opens_on": date(2027, 3, 1),
        "closes_on": date(2027, 3, 31),
        "kenniskaart_code": "KK-LINDEWAARD",
        "kenniskaart_number": 2,
        "kenniskaart_label": "2026.1",
        "kenniskaart_title_nl": "Kenniskaart Lindewaard",
        "kenniskaart_title_en": "Lindewaard knowledge map",
        "version_number": 2,
        "version_count": 2,
        "status": PopStatus.SIGNED,
        "generated_on": date(2027, 4, 3),
        "professional_signature": Signature("Anna “Ank” Aalders", SIGNED_PRO),
        "leader_signature": Signature("Lies Leider", SIGNED_LEADER),
        "goals": goals,
    }
    data.update(overrides)
    return PopPdfData(**data)


def test_totals_leave_out_dropped_actions() -> None:
    assert totals(_plain().goals) == (Decimal("18.5"), 14)


def test_renderer_in_dutch(app_ctx: Any) -> None:
    reader, text = _pdf_text(render_pop(_plain(), "nl"))
    words = _words(text)
    assert reader.metadata.title == (
        "Persoonlijk ontwikkelplan Anna “Ank” Aalders – Ontwikkelscan voorjaar 2027"
    )
    assert reader.trailer["/Root"]["/Lang"] == "nl"
    assert f"Pagina 1 van {len(reader.pages)}" in reader.pages[0].extract_text()
    assert "Naam Anna “Ank” Aalders" in words
    assert "Wijkteam De Linde (WT-LINDE)" in words
    assert "Ontwikkelscan voorjaar 2027 (1 maart 2027 tot en met 31 maart 2027)" in words
    assert "Kenniskaart Lindewaard – KK-LINDEWAARD, versie 2 (2026.1)" in words
    assert "Versie 2 van 2: Ondertekend" in words
    assert "Doel 1: LG01-S1 Stabiliseren" in words and "Doel 2: GC08 Reflecteren" in words
    assert "Reden: teamprioriteit – Veel schulden in de wijk" in words
    assert "Reden: eigen doel – Ik wil rustiger worden in drukke weken" in words
    assert "Beoogd niveau: 3" in words
    assert "Training uit de catalogus: Verdieping schulden (Lindewaard Academie)" in words
    assert "Collega: Ayşe Yılmaz" in words
    assert "Reflectie: Ik vraag nu eerder door." in words
    assert "1 april 2027 – 15 mei 2027 14 14 afgerond" in words
    assert "4,5 0 bezig" in words and "10 3 vervallen" in words
    assert "Geplande uren 18,5" in words and "Accreditatiepunten 14" in words
    assert "Professional Anna “Ank” Aalders: ondertekend op 20 maart 2027, 10:15" in words
    assert "Teamleider Lies Leider: ondertekend op 2 april 2027, 15:05" in words
    assert "Nog geen acties." in words  # the own goal has none yet


def test_renderer_in_english_and_unsigned(app_ctx: Any) -> None:
    data = _plain(
        status=PopStatus.RETURNED,
        leader_comment="Maak doel 2 concreter",
        professional_signature=Signature("Anna “Ank” Aalders", None),
        leader_signature=Signature("", None),
    )
    reader, text = _pdf_text(render_pop(data, "en"))
    words = _words(text)
    assert reader.metadata.title == (
        "Personal development plan Anna “Ank” Aalders – Ontwikkelscan voorjaar 2027"
    )
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert f"Page 1 of {len(reader.pages)}" in reader.pages[0].extract_text()
    assert "Lindewaard knowledge map – KK-LINDEWAARD, version 2 (2026.1)" in words
    assert "Goal 1: LG01-S1 Stabilising" in words and "Stabiliseren" not in words
    assert "Reason: team priority – Veel schulden in de wijk" in words
    assert "Comment of the team leader Maak doel 2 concreter" in words
    assert "1 April 2027 – 15 May 2027 14 14 done" in words
    assert "Planned hours 18.5" in words
    assert "Professional Anna “Ank” Aalders: not signed yet" in words
    assert "Team leader not signed yet" in words


def test_user_text_is_not_read_as_markup(app_ctx: Any) -> None:
    goal = GoalRow("GC01", "Contact", "Engaging", "own", "<b>eerst</b> & snel")
    _reader, text = _pdf_text(render_pop(_plain(goals=(goal,)), "nl"))
    assert "<b>eerst</b> & snel" in _words(text)


def test_a_long_plan_runs_over_pages_with_numbers(app_ctx: Any) -> None:
    action = ActionRow("training", "Een lange beschrijving. " * 20, "gepland", Decimal("2"), 2)
    goals = tuple(
        GoalRow(f"GC0{n % 8 + 1}", "Titel", "Title", "ambition", actions=(action,) * 3) for n in range(8)
    )
    reader, _text = _pdf_text(render_pop(_plain(goals=goals), "nl"))
    total = len(reader.pages)
    assert total > 1
    assert f"Pagina {total} van {total}" in reader.pages[-1].extract_text()


# --- the route ---------------------------------------------------------------------------------------------


def _signed_pop(app: Any, w: dict[str, Any], goals: int = 2, *, second_version: bool = False) -> int:
    """Anna's POP: version 1 signed by both, with a team priority, an ambition and (from 3 goals) own goals;
    with `second_version` a draft version 2 on top."""
    with app.app_context():
        pop = Pop(round_id=w["round"], user_id=w["anna_id"])
        version = PopVersion(
            pop=pop,
            number=1,
            status=PopStatus.SIGNED,
            professional_signed_at=SIGNED_PRO,
            leader_signed_at=SIGNED_LEADER,
            leader_signed_by_id=w["leader_id"],
            agreed_by_id=w["leader_id"],
            agreed_at=SIGNED_PRO - timedelta(days=1),
        )
        kinds = [
            ("LG01-A1", "team_priority", "Veel vragen over schulden in de wijk"),
            ("GC01", "ambition", "Ambitie 3, niveau 2"),
        ]
        kinds += [("GC02", "own", f"Eigen doel {n}") for n in range(3, goals + 1)]
        for position, (code, kind, reason) in enumerate(kinds[:goals], start=1):
            goal = PopGoal(
                version=version,
                position=position,
                item_id=w["items"][code],
                reason_kind=kind,
                reason=reason,
                description=f"Beschrijving {position}",
            )
            goal.actions = [
                PopAction(
                    type="training",
                    description="Cursus",
                    training_id=w["trainings"]["TR-LG01"],
                    planned_from=date(2027, 4, 1),
                    planned_until=date(2027, 5, 1),
                    hours=Decimal("4.0"),
                    points=4,
                    status="afgerond",
                    reflection="Geleerd: doorvragen",
                ),
                PopAction(
                    type="meelopen",
                    description="Meelopen",
                    colleague_id=w["bert_id"],
                    planned_from=date(2027, 6, 1),
                    planned_until=date(2027, 6, 30),
                    hours=Decimal("8.0"),
                    points=0,
                    status="bezig",
                ),
                PopAction(
                    type="zelfstudie", description="Lezen", hours=Decimal("2.5"), points=1, status="vervallen"
                ),
            ]
        db.session.add(pop)
        if second_version:
            db.session.add(PopVersion(pop=pop, number=2, status=PopStatus.DRAFT))
        db.session.commit()
        return pop.id


@pytest.fixture
def w(app: Any) -> dict[str, Any]:
    return build(app)


def _opens_on(app: Any, w: dict[str, Any]) -> date:
    with app.app_context():
        return db.session.get(ScanRound, w["round"]).opens_on


@pytest.mark.parametrize("who", ["anna", "leader"])
def test_professional_and_team_leader_download_the_pop_in_dutch(
    app: Any, client: Any, w: dict[str, Any], who: str
) -> None:
    pop_id = _signed_pop(app, w)
    login(client, w[who])
    response = client.get(f"/pop/{pop_id}/pop.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="pop-{w["anna"]}-{_opens_on(app, w).isoformat()}-v1.pdf"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    reader, text = _pdf_text(response.data)
    words = _words(text)
    assert reader.metadata.title == "Persoonlijk ontwikkelplan Anna Aalders – Ontwikkelscan voorjaar 2027"
    assert reader.trailer["/Root"]["/Lang"] == "nl"
    assert f"Pagina 1 van {len(reader.pages)}" in reader.pages[0].extract_text()
    assert "Naam Anna Aalders" in words and "Wijkteam Proef" in words
    assert "Testkaart – KK-TEST, versie 1 (2026.1)" in words
    assert "Versie 1 van 1: Ondertekend" in words
    assert "Doel 1: LG01-A1 Geldzorgen herkennen" in words and "Doel 2: GC01 Contact maken" in words
    assert "Reden: teamprioriteit – Veel vragen over schulden in de wijk" in words
    assert "Reden: eigen ambitie – Ambitie 3, niveau 2" in words
    assert "Training uit de catalogus: Schulden vroeg signaleren (Geldwijs Opleidingen)" in words
    assert "Collega: Bert Bakker" in words
    assert "Reflectie: Geleerd: doorvragen" in words
    assert "1 april 2027 – 1 mei 2027 4 4 afgerond" in words
    assert "1 juni 2027 – 30 juni 2027 8 0 bezig" in words and "– 2,5 1 vervallen" in words
    # Two goals of 4 + 8 hours and 4 + 0 points; the dropped self-study does not count.
    assert "Geplande uren 24 Accreditatiepunten 8" in words
    assert "Professional Anna Aalders: ondertekend op 20 maart 2027, 10:15" in words
    assert "Teamleider Lies Leider: ondertekend op 2 april 2027, 15:05" in words


def test_the_pop_in_english(app: Any, client: Any, w: dict[str, Any]) -> None:
    pop_id = _signed_pop(app, w)
    english(client)
    login(client, w["anna"])
    response = client.get(f"/pop/{pop_id}/pop.pdf")
    assert response.status_code == 200
    reader, text = _pdf_text(response.data)
    words = _words(text)
    assert reader.metadata.title == "Personal development plan Anna Aalders – Ontwikkelscan voorjaar 2027"
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert f"Page 1 of {len(reader.pages)}" in reader.pages[0].extract_text()
    assert "Test map – KK-TEST, version 1 (2026.1)" in words
    assert "Goal 1: LG01-A1 Spotting money worries" in words and "Geldzorgen" not in words
    assert "Reason: own ambition – Ambitie 3, niveau 2" in words
    assert "Job shadowing (meelopen)" in words and "in progress" in words and "dropped" in words
    assert "Planned hours 24 Accreditation points 8" in words
    assert "Team leader Lies Leider: signed on 2 April 2027, 15:05" in words


def test_each_version_stays_readable(app: Any, client: Any, w: dict[str, Any]) -> None:
    pop_id = _signed_pop(app, w, second_version=True)
    login(client, w["anna"])
    newest = client.get(f"/pop/{pop_id}/pop.pdf")
    assert newest.headers["Content-Disposition"].endswith('-v2.pdf"')
    words = _words(_pdf_text(newest.data)[1])
    assert "Versie 2 van 2: Concept" in words and "Geen doelen in deze versie." in words
    assert "Professional Anna Aalders: nog niet ondertekend" in words
    assert "Teamleider nog niet ondertekend" in words
    first = client.get(f"/pop/{pop_id}/pop.pdf?versie=1")
    assert first.headers["Content-Disposition"].endswith('-v1.pdf"')
    assert "Versie 1 van 2: Ondertekend" in _words(_pdf_text(first.data)[1])
    assert client.get(f"/pop/{pop_id}/pop.pdf?versie=9").status_code == 404


@pytest.mark.parametrize(
    "who", ["colleague", "other leader", "other team's leader", "coordinator", "administrator"]
)
def test_nobody_else_gets_the_pop(app: Any, client: Any, w: dict[str, Any], who: str) -> None:
    pop_id = _signed_pop(app, w)
    with app.app_context():
        usernames = {
            "colleague": w["bert"],
            "other leader": w["other_leader"],
            "other team's leader": make_user(Role.TEAMLEIDER, teams=[make_team()]).username,
            "coordinator": w["regio"],
            "administrator": w["admin"],
        }
        db.session.commit()
    login(client, usernames[who])
    response = client.get(f"/pop/{pop_id}/pop.pdf")
    assert response.status_code == 403
    assert b"%PDF" not in response.data


def test_anonymous_is_sent_to_log_in(app: Any, client: Any, w: dict[str, Any]) -> None:
    pop_id = _signed_pop(app, w)
    response = client.get(f"/pop/{pop_id}/pop.pdf")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/inloggen?next=")


def test_an_unknown_pop_is_not_found(app: Any, client: Any, w: dict[str, Any]) -> None:
    login(client, w["anna"])
    assert client.get("/pop/999999/pop.pdf").status_code == 404


def test_the_pdf_runs_a_fixed_number_of_queries(
    app: Any, client: Any, w: dict[str, Any], count_queries: Any
) -> None:
    small = _signed_pop(app, w, goals=1)
    large = _signed_pop_for(app, w, "bert", goals=5)
    counts = []
    for username, pop_id in ((w["anna"], small), (w["bert"], large)):
        login(client, username)
        count_queries.statements.clear()
        response = client.get(f"/pop/{pop_id}/pop.pdf")
        assert response.status_code == 200
        counts.append(count_queries.count)
        client.submit("/uitloggen", page="/mijn")
    assert counts[0] == counts[1]


def _signed_pop_for(app: Any, w: dict[str, Any], user_key: str, goals: int) -> int:
    """Like `_signed_pop`, for another member of the team (three actions per goal)."""
    swapped = dict(w, anna_id=w[f"{user_key}_id"])
    return _signed_pop(app, swapped, goals=goals)
