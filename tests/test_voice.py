"""One voice (docs/glossary.md): Dutch says "je", English says "life domain", and every page writes a day and
a moment in one format per language, through Babel (scan.i18n: "27 november 2026, 14:35")."""

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from scan.access import Role
from scan.extensions import db
from scan.i18n import format_day, format_moment
from tests.factories import login, make_round, make_scan, make_team, make_user

ROOT = Path(__file__).resolve().parent.parent

MONTHS = {
    "nl": "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december",
    "en": "January|February|March|April|May|June|July|August|September|October|November|December",
}
# Anything else that looks like a date or a time: US or numeric days, abbreviated months, 12-hour clocks.
OTHER_FORMATS = re.compile(
    r"\b\d{1,2}[/-]\d{1,2}[/-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}:\d{2}(:\d{2})?\s?(AM|PM|am|pm)\b"
    r"|\b(AM|PM)\b|\b\d{1,2} (jan|feb|mrt|apr|jun|jul|aug|sep|okt|nov|dec)\.? \d{4}\b"
    r"|\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}, \d{4}\b"
)


def _catalog(lang: str):  # type: ignore[no-untyped-def]
    with open(ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle)


def _strings(message) -> list[str]:  # type: ignore[no-untyped-def]
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


def test_dutch_says_je_never_u():
    formal = re.compile(r"\b(u|U|uw|Uw)\b")
    found = [s for m in _catalog("nl") if m.id for s in _strings(m) if formal.search(s)]
    assert found == []


def test_english_says_life_domain():
    found = [s for m in _catalog("en") if m.id for s in _strings(m) if re.search("leefgebied", s, re.I)]
    assert found == []


def test_dutch_item_is_item_not_onderdeel():
    """"onderdeel" is a part (section) of the Kenniskaart, never one of its items."""
    found = []
    for m in _catalog("nl"):
        ident = m.id[0] if isinstance(m.id, tuple) else m.id
        about_items = re.search(r"\bitems?\b", ident or "", re.I)
        if about_items and not re.search(r"section|part|element", ident, re.I):
            found += [s for s in _strings(m) if re.search("onderde", s, re.I)]
    assert found == []


def test_the_pop_is_not_judged():
    """The POP promises "niet voor beoordeling": no page asks to judge a plan."""
    found = [s for m in _catalog("nl") if m.id for s in _strings(m) if re.search(r"beoordel(en|eeld|ing)", s)
             and "niet voor beoordeling" not in s]
    assert found == []


def test_one_day_and_moment_format_per_language(app):
    moment = datetime(2026, 11, 27, 13, 35, tzinfo=UTC)
    with app.test_request_context():
        from flask_babel import force_locale

        with force_locale("nl"):
            assert format_day(moment) == "27 november 2026"
            assert format_moment(moment) == "27 november 2026, 14:35"
        with force_locale("en"):
            assert format_day(moment) == "27 November 2026"
            assert format_moment(moment) == "27 November 2026, 14:35"
    # Documents render without a request, with the same result.
    assert format_moment(moment, locale="en_GB") == "27 November 2026, 14:35"
    assert format_day(moment.date(), locale="nl_NL") == "27 november 2026"


def test_templates_and_code_format_dates_only_through_the_two_helpers():
    problems = []
    for path in (ROOT / "templates").rglob("*.html"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\|\s*(date|datetime)\(|strftime|isoformat\(\)", line):
                problems.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    # Machine formats (ISO 8601 in files and JSON) are no reader's text.
    machine = {"i18n.py", "case.py"}
    for path in (ROOT / "scan").rglob("*.py"):
        if path.name in machine:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\b(format_date|format_datetime|babel_date|strftime)\b", line):
                problems.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert problems == []


def _dated_pages(app, client, lang: str) -> list[str]:  # type: ignore[no-untyped-def]
    with app.app_context():
        team = make_team()
        professional = make_user(Role.PROFESSIONAL, team=team)
        leader = make_user(Role.TEAMLEIDER, team=team)
        scan_round = make_round(team)
        make_scan(scan_round, professional, submitted=True)
        db.session.commit()
        names = professional.username, leader.username
        ids = team.id, scan_round.id
    pages = []
    login(client, names[0])
    client.submit("/taal", {"lang": lang, "next": "/mijn"}, page="/mijn")
    for url in ("/mijn", "/scan", f"/mijn/resultaat/{ids[1]}", "/mijn/gegevens"):
        response = client.get(url)
        assert response.status_code == 200, url
        pages.append(response.get_data(as_text=True))
    client.submit("/uitloggen", {}, page="/mijn")
    login(client, names[1])
    client.submit("/taal", {"lang": lang, "next": "/mijn"}, page="/mijn")
    response = client.get(f"/teams/{ids[0]}/rondes/{ids[1]}")
    assert response.status_code == 200
    pages.append(response.get_data(as_text=True))
    return pages


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_pages_write_days_and_moments_one_way(app, client, lang):
    pages = _dated_pages(app, client, lang)
    text = "\n".join(re.sub(r"<[^>]+>", " ", page) for page in pages)
    text = re.sub(r'(value|href|datetime|min|max)="[^"]*"', "", text)
    assert OTHER_FORMATS.findall(text) == []
    day = rf"\d{{1,2}} ({MONTHS[lang]}) \d{{4}}"
    assert re.search(rf"{day}, \d{{2}}:\d{{2}}\b", text), "a submitted moment is shown"
    assert len(re.findall(day, text)) >= 4
