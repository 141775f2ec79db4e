"""The administrator's Kenniskaart page in the browser: axe (WCAG 2.1 A/AA) on the versions list, the
page with upload errors and the preview of a new version, in Dutch and English.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from scan.access import Role
from scan.extensions import db
from scan.kenniskaart.models import KenniskaartVersion
from tests import factories
from tests.beheer.kenniskaart_helpers import CHANGED
from tests.browser.conftest import assert_accessible
from tests.browser.test_scan_pages import log_in_as, post_and_wait, visit

ERROR_TITLE = {"nl": "Fout:", "en": "Error:"}
PAGE = "/beheer/kenniskaart"
# A duplicate code: a located error.
BROKEN_YAML = CHANGED.replace("code: LG02-A2", "code: GC01").encode("utf-8")


@pytest.fixture(params=["nl", "en"])
def lang(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def admin(app: Flask) -> str:
    with app.app_context():
        factories.make_kenniskaart()
        user = factories.make_user(Role.BEHEERDER)
        db.session.commit()
        return user.username


def _versions(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(KenniskaartVersion.id)))


def upload(page: Any, name: str, payload: bytes) -> Any:
    page.locator("#file").set_input_files({"name": name, "mimeType": "application/yaml", "buffer": payload})
    return post_and_wait(page, "main form[enctype] [type=submit]")


def test_versions_list(page: Any, admin: str, lang: str) -> None:
    log_in_as(page, admin, lang)
    visit(page, PAGE)
    assert page.get_by_text("KK-TEST", exact=False).first.is_visible()
    assert page.locator('a[href$=".case.json"]').count() == 1
    assert_accessible(page, f"Kenniskaart versions ({lang})")


def test_upload_with_errors(page: Any, app: Flask, admin: str, lang: str) -> None:
    log_in_as(page, admin, lang)
    visit(page, PAGE)
    response = upload(page, "kaart.yaml", BROKEN_YAML)
    assert response.status == 422, response.status
    assert page.title().startswith(ERROR_TITLE[lang]), page.title()
    assert page.locator(".app-error-summary").count() == 1
    assert page.locator('.app-error-summary a[href="#file"]').count() == 1
    assert page.locator("#problems").get_by_text("GC01").count() >= 1
    assert _versions(app) == 1
    assert_accessible(page, f"Kenniskaart upload with errors ({lang})")


def test_preview(page: Any, app: Flask, admin: str, lang: str) -> None:
    log_in_as(page, admin, lang)
    visit(page, PAGE)
    response = upload(page, "kaart.yaml", CHANGED.encode("utf-8"))
    assert response.status == 200, response.status
    for heading in ("added-heading", "removed-heading", "renamed-heading", "descriptors-heading"):
        assert page.locator(f"#{heading}").count() == 1, heading
    assert page.get_by_text("LG02-A2").first.is_visible()
    assert _versions(app) == 1  # nothing written before publishing
    assert_accessible(page, f"Kenniskaart preview ({lang})")
    post_and_wait(page, "main form[action$='/publiceren'] [type=submit]")
    assert page.url.endswith(PAGE), page.url
    assert _versions(app) == 2
    assert_accessible(page, f"Kenniskaart versions after publishing ({lang})")
