"""The privacy statement and the accessibility statement (toegankelijkheidsverklaring): public pages of the
app, linked from the footer of every page, logged out and logged in, in Dutch and English."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from scan.access import Role
from scan.extensions import db
from tests.factories import login, make_kenniskaart, make_user

PRIVACY = "/privacyverklaring"
ACCESSIBILITY = "/toegankelijkheidsverklaring"


def text(response: Any) -> str:
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.get_data(as_text=True), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def footer(response: Any) -> str:
    body = response.get_data(as_text=True)
    start = body.find("<footer")
    assert start >= 0, "no footer"
    return body[start:body.index("</footer>", start)]


def test_the_statements_are_public_and_in_dutch(client: Any) -> None:
    privacy = client.get(PRIVACY)
    assert privacy.status_code == 200
    page = text(privacy)
    assert "Privacyverklaring" in page and "nooit over cliënten" in page
    assert "24 maanden na het sluiten van hun ronde" in page  # RETENTION_MONTHS, from the configuration
    assert "Onder \"Mijn gegevens\" download je alles" in page
    accessibility = client.get(ACCESSIBILITY)
    assert accessibility.status_code == 200
    page = text(accessibility)
    assert "Toegankelijkheidsverklaring" in page and "voldoet gedeeltelijk" in page
    assert "23 november 2026" in page  # the date through Babel, in Dutch
    assert "Bekende beperkingen" in page and "Nationale ombudsman" in page
    assert " u " not in f" {page} "  # the app says "je"


def test_the_statements_in_english(client: Any) -> None:
    client.submit("/taal", {"lang": "en", "next": PRIVACY}, page="/inloggen")
    page = text(client.get(PRIVACY))
    assert "Privacy statement" in page and "never about clients" in page
    page = text(client.get(ACCESSIBILITY))
    assert "Accessibility statement" in page and "partially complies" in page
    assert "November 23, 2026" in page or "23 November 2026" in page
    assert "Bekende beperkingen" not in page


def test_the_retention_in_the_privacy_statement_follows_the_configuration(app: Any, client: Any) -> None:
    app.config["RETENTION_MONTHS"] = 36
    try:
        assert "36 maanden na het sluiten" in text(client.get(PRIVACY))
    finally:
        app.config["RETENTION_MONTHS"] = 24


def _links(response: Any) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', footer(response)))


@pytest.mark.parametrize("path", ["/inloggen", PRIVACY, ACCESSIBILITY, "/bestaat-niet"])
def test_the_footer_links_to_both_statements_when_logged_out(client: Any, path: str) -> None:
    links = _links(client.get(path))
    assert {PRIVACY, ACCESSIBILITY} <= links
    assert "/kenniskaart" not in links  # only for those who may read it


@pytest.mark.parametrize("role, path", [
    (Role.PROFESSIONAL, "/mijn"),
    (Role.PROFESSIONAL, "/catalogus/aanbod"),
    (Role.TEAMLEIDER, "/teams/"),
    (Role.REGIOCOORDINATOR, "/regio/"),
    (Role.REGIOCOORDINATOR, "/catalogus/"),
    (Role.BEHEERDER, "/beheer/"),
    (Role.BEHEERDER, "/kenniskaart"),
    (Role.BEHEERDER, "/regio/"),  # a refused page (403) has the footer too
])
def test_the_footer_links_on_every_kind_of_page_when_logged_in(app: Any, client: Any, role: Role,
                                                                path: str) -> None:
    with app.app_context():
        make_kenniskaart()
        username = make_user(role).username
        db.session.commit()
    login(client, username)
    links = _links(client.get(path))
    assert {PRIVACY, ACCESSIBILITY, "/kenniskaart"} <= links
    labels = text(client.get(path))
    assert "Privacyverklaring" in labels and "Toegankelijkheidsverklaring" in labels
