"""Every form is protected against cross-site requests: a POST without a CSRF token is refused.

The route matrix (tests/test_route_permissions.py) lists every rule and method, and who may use it. Here
every POST rule is sent, by each visitor who may use it, with a form that would change something but
without a csrf_token: the app's own CSRF check (CSRFProtect, on in the test configuration as in production)
must answer 400 with the translated "expired" page, and the database must stay exactly as it was.
"""

from __future__ import annotations

from typing import Any

import pytest

from scan.access import Role
from tests.factories import PASSWORD, login
from tests.security.dbstate import changed, db_state
from tests.test_route_permissions import ALL_ROLES, ANON, MATRIX, build_world

EXPIRED = {"nl": "Het formulier is verlopen", "en": "The form has expired"}

# Forms of routes everyone may use, filled in so they would act if the token were not checked.
EXTRA_FORMS: dict[str, dict[str, str]] = {
    "auth.login": {"username": "{professional}", "password": PASSWORD},
    "core.set_language": {"lang": "en"},
}


def post_endpoints(who: Any) -> list[str]:
    return [endpoint for endpoint, (methods, _path, allowed) in MATRIX.items()
            if "POST" in methods.split() and who in allowed]


def test_csrf_protection_is_on_in_the_tests(app):
    assert app.config.get("WTF_CSRF_ENABLED", True) is True
    assert app.config.get("WTF_CSRF_CHECK_DEFAULT", True) is True
    assert not app.extensions["csrf"]._exempt_views and not app.extensions["csrf"]._exempt_blueprints


def test_every_post_rule_is_sent_by_someone_allowed():
    every_post = {endpoint for endpoint, (methods, _p, _a) in MATRIX.items() if "POST" in methods.split()}
    sent = {endpoint for who in (ANON, *ALL_ROLES) for endpoint in post_endpoints(who)}
    assert every_post and sent == every_post


@pytest.mark.parametrize("who", [ANON, *ALL_ROLES], ids=lambda w: str(w))
def test_every_post_without_a_csrf_token_is_refused_and_changes_nothing(app, who):
    world = build_world(app)
    client = app.test_client()
    if who != ANON:
        assert login(client, world.names[who]).status_code == 302
    values = {**world.ids, "professional": world.names[Role.PROFESSIONAL]}
    with app.app_context():
        before = db_state()
    problems = []
    for endpoint in post_endpoints(who):
        url = world.url(endpoint)
        form = {k: v.format(**values) for k, v in EXTRA_FORMS.get(endpoint, {}).items()}
        form.update(world.form(endpoint))
        assert "csrf_token" not in form
        response = client.post(url, data=form)
        html = response.get_data(as_text=True)
        if response.status_code != 400 or EXPIRED["nl"] not in html:
            problems.append(f"POST {url} ({endpoint}) as {who}: {response.status_code}")
        with app.app_context():
            after = db_state()
        if changed(before, after):
            problems.append(f"POST {url} ({endpoint}) as {who} changed {changed(before, after)}")
    assert not problems, "\n".join(problems)
    # Still logged in (the logout was refused too), still in Dutch (so was the language switch).
    if who != ANON:
        assert client.get("/account/wachtwoord").status_code == 200


def test_the_expired_page_speaks_the_visitors_language(app, client):
    assert client.submit("/taal", {"lang": "en"}, page="/inloggen").status_code == 302
    response = client.post("/inloggen", data={"username": "iemand", "password": PASSWORD})
    assert response.status_code == 400
    assert EXPIRED["en"] in response.get_data(as_text=True)
