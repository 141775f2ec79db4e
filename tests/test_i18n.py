"""Dutch by default, English complete: no untranslated or fuzzy message, no bare text in templates."""

import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from scan.access import Role
from scan.extensions import db
from tests.factories import login, make_user

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None,
            "lazy_ngettext": (1, 2)}
METHODS = [("scan/**.py", "python"), ("competencies/**.py", "python"), ("templates/**.html", "jinja2")]


def _source_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT),
        METHODS,
        keywords=KEYWORDS,
        options_map={"templates/**.html": {}},
        # Babel skips folders starting with "_" by default, which would hide templates/_macros.
        directory_filter=lambda path: not os.path.basename(path).startswith(".")
        and os.path.basename(path) not in ("node_modules", "__pycache__"),
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_catalog_is_complete_and_nothing_fuzzy(lang):
    with open(ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po", "rb") as handle:
        catalog = read_po(handle)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            problems.append(f"untranslated: {message.id!r}")
    in_catalog = {m.id[0] if isinstance(m.id, tuple) else m.id for m in catalog if m.id}
    problems += [f"missing from catalog: {m!r}" for m in sorted(_source_messages() - in_catalog)]
    assert not problems, "\n".join(problems)


def test_compiled_catalogs_exist():
    for lang in ("nl", "en"):
        assert (ROOT / "translations" / lang / "LC_MESSAGES" / "messages.mo").exists()


class _TextFinder(HTMLParser):
    CHECKED_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder"}

    def __init__(self) -> None:
        super().__init__()
        self.bare: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in self.CHECKED_ATTRIBUTES and value and re.search(r"[A-Za-z]", value):
                self.bare.append(f"{name}={value!r}")

    def handle_data(self, data):
        text = data.strip()
        if text and re.search(r"[A-Za-z]", text.replace("Ontwikkelscan", "")):
            self.bare.append(text)


def _without_jinja(source: str) -> str:
    source = re.sub(r"\{#.*?#\}", "", source, flags=re.S)
    return re.sub(r"\{\{.*?\}\}|\{%.*?%\}", "", source, flags=re.S)


# A long text written once per language (the accessibility statement, after the Dutch model statement) is
# one template per language, `<name>.nl.html` and `<name>.en.html`, both present; its text is not gettext's.
PER_LANGUAGE = re.compile(r"\.(nl|en)\.html$")


def test_templates_have_no_text_outside_gettext():
    problems = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        if PER_LANGUAGE.search(path.name):
            for lang in ("nl", "en"):
                if not path.with_name(PER_LANGUAGE.sub(f".{lang}.html", path.name)).exists():
                    problems.append(f"{path.relative_to(ROOT)}: no {lang} version")
            continue
        finder = _TextFinder()
        finder.feed(_without_jinja(path.read_text(encoding="utf-8")))
        problems += [f"{path.relative_to(ROOT)}: {text}" for text in finder.bare]
    assert not problems, "\n".join(problems)


def test_the_checker_catches_bare_text():
    finder = _TextFinder()
    finder.feed(_without_jinja('<p>{{ _("Fine") }}</p><p>Vergeten</p><img alt="Logo">'))
    assert sorted(finder.bare) == ["Vergeten", "alt='Logo'"]


def test_language_switch_without_javascript(client):
    html = client.get("/inloggen").get_data(as_text=True)
    assert '<html lang="nl"' in html and "Inloggen" in html
    response = client.submit("/taal", {"lang": "en", "next": "/inloggen"}, page="/inloggen")
    assert response.headers["Location"] == "/inloggen"
    html = client.get("/inloggen").get_data(as_text=True)
    assert '<html lang="en"' in html and "Log in" in html and "Inloggen</h1>" not in html


def test_a_logged_in_users_language_is_remembered_for_the_next_login(app, client):
    with app.app_context():
        user = make_user(Role.PROFESSIONAL)
        db.session.commit()
        username = user.username
    login(client, username)
    client.submit("/taal", {"lang": "en", "next": "/mijn"}, page="/mijn")
    assert "My development" in client.get("/mijn").get_data(as_text=True)
    other = app.test_client()
    login(other, username)
    assert '<html lang="en"' in other.get("/mijn").get_data(as_text=True)


def test_unknown_language_is_ignored(client):
    client.submit("/taal", {"lang": "xx", "next": "/inloggen"}, page="/inloggen")
    assert '<html lang="nl"' in client.get("/inloggen").get_data(as_text=True)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_number_filter_writes_whole_numbers_as_babel_does(app, lang):
    from flask_babel import force_locale, format_decimal

    from scan.i18n import _grouping, format_number

    numbers = [0, 1, -1, 7, 999, 1000, -1000, 1234, 12345, 999999, 1000000, -2500000, 10**12 + 7]
    with app.test_request_context("/"), force_locale(lang):
        assert _grouping(lang) is not None  # the fast path is taken for the app's languages
        assert [format_number(n) for n in numbers] == [format_decimal(n) for n in numbers]
        assert format_number(1234.5) == format_decimal(1234.5)
        assert format_number(1234, "#,##0.00") == format_decimal(1234, "#,##0.00")
    assert {"nl": "1.234", "en": "1,234"}[lang] in [format_number_in(app, lang, 1234)]


def format_number_in(app, lang, value):
    from flask_babel import force_locale

    from scan.i18n import format_number

    with app.test_request_context("/"), force_locale(lang):
        return format_number(value)
