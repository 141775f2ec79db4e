"""The team leader's comment with "agree" is kept and shown to the professional and in the PDF."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from scan.extensions import db
from scan.pop.models import PopStatus, PopVersion
from tests.factories import login
from tests.pop.world import build, make_pop


@pytest.fixture
def w(app: Any) -> dict[str, Any]:
    return build(app)


def _comment(app: Any, pop_id: int) -> tuple[str, str]:
    with app.app_context():
        v = db.session.scalars(
            select(PopVersion).where(PopVersion.pop_id == pop_id).order_by(PopVersion.number.desc())
        ).first()
        return v.status, v.leader_comment


def _proposed(app: Any, w: dict[str, Any]) -> tuple[int, Any, Any]:
    ids = make_pop(app, w)
    anna, lies = app.test_client(), app.test_client()
    login(anna, w["anna"])
    login(lies, w["leader"])
    page = f"/pop/{ids['pop']}"
    assert anna.submit(f"{page}/voorstellen", page=page).status_code == 302
    return ids["pop"], anna, lies


def test_the_comment_with_agree_is_kept_and_shown_on_the_page_and_in_the_pdf(app, w):
    pop_id, anna, lies = _proposed(app, w)
    page = f"/pop/{pop_id}"
    # An earlier sending back left a comment; agreeing replaces it with the comment given now.
    assert lies.submit(f"{page}/beoordelen", {"decision": "send_back", "comment": "Voeg een termijn toe."}
                       ).status_code == 302
    assert anna.submit(f"{page}/voorstellen", page=page).status_code == 302
    response = lies.submit(f"{page}/beoordelen",
                           {"decision": "agree", "comment": " Mooi plan; let op je uren. "})
    assert response.status_code == 302
    assert _comment(app, pop_id) == (PopStatus.AGREED, "Mooi plan; let op je uren.")

    html = anna.get(page).get_data(as_text=True)
    assert "Opmerking van de teamleider:" in html and "Mooi plan; let op je uren." in html
    assert "Voeg een termijn toe." not in html
    body = anna.get(f"{page}/pop.pdf").data
    text = re.sub(r"\s+", " ", "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages))
    assert "Opmerking van de teamleider" in text and "Mooi plan; let op je uren." in text


def test_agree_without_a_comment_shows_no_old_comment(app, w):
    pop_id, anna, lies = _proposed(app, w)
    page = f"/pop/{pop_id}"
    lies.submit(f"{page}/beoordelen", {"decision": "send_back", "comment": "Voeg een termijn toe."})
    anna.submit(f"{page}/voorstellen", page=page)
    assert lies.submit(f"{page}/beoordelen", {"decision": "agree", "comment": ""}).status_code == 302
    assert _comment(app, pop_id) == (PopStatus.AGREED, "")
    assert "Voeg een termijn toe." not in anna.get(page).get_data(as_text=True)


def test_a_too_long_comment_with_agree_is_refused_at_the_field_and_kept(app, w):
    pop_id, _, lies = _proposed(app, w)
    typed = "x" * 2001
    response = lies.submit(f"/pop/{pop_id}/beoordelen", {"decision": "agree", "comment": typed})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'href="#comment"' in html and "Gebruik hoogstens 2000 tekens; je gebruikte er 2001." in html
    assert re.search(rf">\s*{typed}</textarea>", html)
    assert _comment(app, pop_id) == (PopStatus.PROPOSED, "")
