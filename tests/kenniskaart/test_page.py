"""The current Kenniskaart, read in the app (`/kenniskaart`) by everyone logged in: sections with their items,
each item's description and level descriptors with the scale's titles, in the reader's language, the version
label and date; a fixed number of queries whatever the map's size."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from scan.access import Role
from scan.extensions import db
from tests.factories import login, make_kenniskaart, make_user
from tests.kenniskaart.sample import VALID

URL = "/kenniskaart"


def text(response: Any) -> str:
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.get_data(as_text=True), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def _reader(app: Any, role: Role = Role.PROFESSIONAL, **extra: Any) -> str:
    with app.app_context():
        username = make_user(role, **extra).username
        db.session.commit()
        return username


@pytest.mark.parametrize("role", list(Role))
def test_every_role_reads_the_current_kenniskaart_in_dutch(app: Any, client: Any, role: Role) -> None:
    with app.app_context():
        make_kenniskaart()
        db.session.commit()
    login(client, _reader(app, role))
    response = client.get(URL)
    assert response.status_code == 200
    page = text(response)
    assert "Testkaart" in page
    assert re.search(r"Versie 2026\.1, gepubliceerd op \d{1,2} \w+ \d{4}\.", page), page[:400]
    # The scale, the sections in order, each item with its description and its level descriptors.
    assert "1 · Beginnend Weet dat het bestaat" in page
    assert page.index("Generieke competenties") < page.index("Financien") < page.index("Wonen")
    assert "GC01 Contact maken Maakt contact" in page
    assert "3 · Gevorderd GC01 niveau drie" in page
    assert "LG01-S1 Stabiliseren Specialistisch item: niet verplicht in de scan." in page
    assert "LG02-A1 Huurachterstand herkennen" in page
    assert ".yaml" not in page and "competencies/" not in page


def test_english_readers_read_it_in_english(app: Any, client: Any) -> None:
    with app.app_context():
        make_kenniskaart()
        db.session.commit()
    login(client, _reader(app, locale="en"))
    page = text(client.get(URL))
    assert "Test map" in page and "Version 2026.1, published on" in page
    assert "GC01 Engaging Makes contact" in page and "3 · Advanced GC01 level three" in page
    assert "Contact maken" not in page


def test_the_newest_version_is_shown(app: Any, client: Any) -> None:
    with app.app_context():
        make_kenniskaart()
        make_kenniskaart(VALID.replace('version: "2026.1"', 'version: "2026.2"')
                         .replace("Contact maken", "Contact leggen"))
        db.session.commit()
    login(client, _reader(app))
    page = text(client.get(URL))
    assert "Versie 2026.2" in page and "GC01 Contact leggen" in page and "Contact maken" not in page


def test_without_a_kenniskaart_the_page_says_so(app: Any, client: Any) -> None:
    login(client, _reader(app, Role.BEHEERDER))
    response = client.get(URL)
    assert response.status_code == 200
    assert "Er is nog geen Kenniskaart geladen." in text(response)


def test_anonymous_visitors_are_sent_to_log_in(client: Any) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]


def _bigger_map(extra_sections: int) -> str:
    """VALID with more leefgebieden, each with two items with descriptors."""
    blocks = []
    for n in range(extra_sections):
        code = f"LG{n + 10:02d}"
        blocks.append(f"""\
  - code: {code}
    title: {{nl: Gebied {n}, en: Area {n}}}
    description: {{nl: Gebied, en: Area}}
    items:
      - code: {code}-A1
        level: algemeen
        title: {{nl: Item {n} a, en: Item {n} a}}
        description: {{nl: Een, en: One}}
        levels:
          2: {{nl: twee, en: two}}
      - code: {code}-A2
        level: algemeen
        title: {{nl: Item {n} b, en: Item {n} b}}
        description: {{nl: Twee, en: Two}}
        levels:
          3: {{nl: drie, en: three}}
""")
    return VALID + "".join(blocks)


def test_query_count_does_not_grow_with_the_map(app: Any, client: Any, count_queries: Any) -> None:
    with app.app_context():
        make_kenniskaart()
        db.session.commit()
    login(client, _reader(app))
    client.get(URL)
    count_queries.statements.clear()
    assert client.get(URL).status_code == 200
    small = count_queries.count
    with app.app_context():
        make_kenniskaart(_bigger_map(20).replace('version: "2026.1"', 'version: "2026.9"'))
        db.session.commit()
    count_queries.statements.clear()
    response = client.get(URL)
    assert "Item 19 b" in text(response)
    assert count_queries.count == small
