"""Security headers on every kind of answer the app gives, and the session cookie's flags.

Every GET route of the route-permission matrix is requested as a role that may use it, so a new route is
covered as soon as it is listed there (and the matrix test makes sure it is).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from scan import create_app
from scan.access import Role
from scan.extensions import db
from tests.conftest import TEST_CONFIG, Client
from tests.factories import login, make_user
from tests.test_route_permissions import ALL_ROLES, ANON, MATRIX, build_world, methods_of

UNSAFE_SOURCES = ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:", "http:", "https:")
HALF_A_YEAR = 180 * 24 * 3600  # what HSTS preload lists ask at least; we send a year


def parse_csp(header: str) -> dict[str, list[str]]:
    """The policy as {directive: [sources]}; a directive given twice would be ambiguous, so it fails."""
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if not words:
            continue
        name = words[0].lower()
        assert name not in directives, f"directive {name} given twice in {header!r}"
        directives[name] = words[1:]
    return directives


def assert_security_headers(response: Any, *, hsts: bool) -> None:
    where = f"{response.request.method} {response.request.path} -> {response.status_code}"
    csp_header = response.headers.get("Content-Security-Policy")
    assert csp_header, f"no Content-Security-Policy on {where}"
    assert "Content-Security-Policy-Report-Only" not in response.headers, where
    csp = parse_csp(csp_header)
    for directive, sources in csp.items():
        lowered = [s.lower() for s in sources]
        for unsafe in UNSAFE_SOURCES:
            if unsafe == "data:" and directive == "img-src":
                continue  # inline SVG icons in CSS; an image cannot run script
            assert unsafe not in lowered, f"{directive} allows {unsafe} on {where}"
    assert csp.get("default-src") == ["'self'"], where
    assert csp.get("script-src") == ["'self'"], where
    assert csp.get("style-src") == ["'self'"], where
    assert csp.get("object-src") == ["'none'"], where
    assert csp.get("frame-ancestors") == ["'none'"], where
    assert csp.get("base-uri") in (["'none'"], ["'self'"]), where
    assert csp.get("form-action") == ["'self'"], where
    assert response.headers.get("X-Content-Type-Options") == "nosniff", where
    assert response.headers.get("Referrer-Policy") in ("same-origin", "no-referrer", "strict-origin"), where
    assert response.headers.get("X-Frame-Options") == "DENY", where
    if hsts:
        value = response.headers.get("Strict-Transport-Security", "")
        match = re.fullmatch(r"max-age=(\d+)(; includeSubDomains)?(; preload)?", value)
        assert match and int(match.group(1)) >= HALF_A_YEAR, f"HSTS {value!r} on {where}"
    else:
        assert "Strict-Transport-Security" not in response.headers, where


def assert_not_stored(response: Any) -> None:
    where = f"{response.request.method} {response.request.path} -> {response.status_code}"
    assert "no-store" in response.headers.get("Cache-Control", ""), f"personal, yet may be cached: {where}"


def _hsts(app: Flask) -> bool:
    return bool(app.config["HSTS"])


def _user(app: Flask, role: Role = Role.PROFESSIONAL) -> str:
    with app.app_context():
        user = make_user(role)
        db.session.commit()
        return user.username


# --- the policy itself ------------------------------------------------------------------------------


def test_the_policy_parser_sees_each_directive():
    csp = parse_csp("default-src 'self'; script-src 'self' ; img-src 'self' data:;")
    assert csp == {"default-src": ["'self'"], "script-src": ["'self'"], "img-src": ["'self'", "data:"]}
    with pytest.raises(AssertionError, match="twice"):
        parse_csp("script-src 'self'; script-src 'unsafe-inline'")


def test_a_weak_policy_fails_the_check(app, client):
    response = client.get("/inloggen")
    response.headers["Content-Security-Policy"] = response.headers["Content-Security-Policy"].replace(
        "style-src 'self'", "style-src 'self' 'unsafe-inline'"
    )
    with pytest.raises(AssertionError, match="unsafe-inline"):
        assert_security_headers(response, hsts=_hsts(app))


# --- every kind of answer ---------------------------------------------------------------------------


def test_anonymous_answers(app, client):
    cases = {
        "/inloggen": 200,  # an HTML page
        "/": 302,  # a redirect
        "/mijn": 302,  # to the login page
        "/healthz": 200,  # JSON
        "/static/css/app.css": 200,  # a static file
        "/favicon.ico": 404,
        "/bestaat/niet": 404,
    }
    for path, status in cases.items():
        response = client.get(path)
        assert response.status_code == status, path
        assert_security_headers(response, hsts=_hsts(app))
    assert client.get("/healthz").is_json
    assert client.get("/static/css/app.css").mimetype == "text/css"
    # 405: logging out takes a POST.
    response = client.get("/uitloggen")
    assert response.status_code == 405
    assert_security_headers(response, hsts=_hsts(app))
    # The CSRF refusal: a form without its token.
    response = client.post("/inloggen", data={"username": "x", "password": "y"})
    assert response.status_code == 400
    assert_security_headers(response, hsts=_hsts(app))


@pytest.mark.parametrize("role", ALL_ROLES, ids=str)
def test_logged_in_answers_are_never_stored(app, client, role):
    username = _user(app, role)
    response = login(client, username)
    assert response.status_code == 302
    assert_security_headers(response, hsts=_hsts(app))
    for path, status in {
        "/": 302,
        "/account/wachtwoord": 200,
        "/mijn/gegevens": 200,
        "/mijn/gegevens.json": 200,
        "/mijn/gegevens.csv": 200,
        "/bestaat/niet": 404,
        "/beheer/" if role is not Role.BEHEERDER else "/regio/": 403,
    }.items():
        response = client.get(path)
        assert response.status_code == status, (role, path)
        assert_security_headers(response, hsts=_hsts(app))
        assert_not_stored(response)
    for response in (
        client.get("/uitloggen"),  # 405
        client.post("/account/wachtwoord", data={"password": "x"}),  # the CSRF 400
        client.submit("/account/wachtwoord", {"current_password": "fout"}),  # the form again, 200
    ):
        assert response.status_code in (200, 400, 405), response.status_code
        assert_security_headers(response, hsts=_hsts(app))
        assert_not_stored(response)


def test_every_get_route_in_the_matrix(app):
    """Each GET route of MATRIX, as every role that may use it: downloads, exports, JSON and pages alike."""
    world = build_world(app)
    clients: dict[Any, Any] = {}

    def client_for(who: Any) -> Any:
        if who not in clients:
            clients[who] = app.test_client()
            if who != ANON:
                assert login(clients[who], world.names[who]).status_code == 302
        return clients[who]

    seen_types: set[str] = set()
    for endpoint, (_methods, _path, allowed) in MATRIX.items():
        if "GET" not in methods_of(endpoint) or endpoint == "auth.logout":
            continue
        for who in sorted(allowed, key=str):
            response = client_for(who).get(world.url(endpoint))
            assert response.status_code in (200, 302), (endpoint, who, response.status_code)
            assert_security_headers(response, hsts=_hsts(app))
            if who != ANON and endpoint != "static":
                assert_not_stored(response)
            seen_types.add(response.mimetype)
    # The walk met every kind of answer the brief names: pages, JSON, CSS, PDF, XLSX and CSV downloads.
    assert {
        "text/html", "application/json", "text/css", "application/pdf", "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    } <= seen_types, seen_types


# --- an unexpected error ----------------------------------------------------------------------------


@pytest.fixture
def broken_app(app: Flask) -> Iterator[Flask]:
    """A second app on the test database with a route that fails (the suite's app is left alone)."""
    other = create_app({**TEST_CONFIG, "PROPAGATE_EXCEPTIONS": False})
    other.test_client_class = Client

    def explode() -> str:
        raise RuntimeError("geheime details uit de database")

    explode.is_public = True  # type: ignore[attr-defined]
    other.add_url_rule("/test-alleen/kapot", "test_only_broken", explode)
    yield other
    with other.app_context():
        db.engine.dispose()


def test_a_server_error_carries_the_headers_and_no_traceback(broken_app):
    response = broken_app.test_client().get("/test-alleen/kapot")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Traceback" not in html and "geheime details" not in html and "RuntimeError" not in html
    assert_security_headers(response, hsts=bool(broken_app.config["HSTS"]))


def test_a_server_error_for_a_logged_in_user_is_not_stored(broken_app):
    username = _user(broken_app)
    client = broken_app.test_client()
    assert login(client, username).status_code == 302
    response = client.get("/test-alleen/kapot")
    assert response.status_code == 500
    assert_security_headers(response, hsts=bool(broken_app.config["HSTS"]))
    assert_not_stored(response)


# --- production and development ---------------------------------------------------------------------


def _app_for(monkeypatch: pytest.MonkeyPatch, env: str) -> Flask:
    monkeypatch.setenv("SCAN_ENV", env)
    monkeypatch.setenv("SECRET_KEY", "a-production-secret-of-enough-length-0123456789")
    # The test settings without their cookie override: the environment decides, as in production.
    config = {k: v for k, v in TEST_CONFIG.items() if k != "SESSION_COOKIE_SECURE"}
    other = create_app(config)
    other.test_client_class = Client
    return other


@pytest.fixture
def production_app(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    other = _app_for(monkeypatch, "production")
    yield other
    with other.app_context():
        db.engine.dispose()


@pytest.fixture
def development_app(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    other = _app_for(monkeypatch, "development")
    yield other
    with other.app_context():
        db.engine.dispose()


def _session_cookie(response: Any) -> str:
    cookies = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("ontwikkelscan_session=")]
    assert len(cookies) == 1, response.headers.getlist("Set-Cookie")
    return cookies[0]


def _flags(cookie: str) -> set[str]:
    return {part.strip().lower() for part in cookie.split(";")[1:]}


def test_production_sends_hsts_and_a_secure_session_cookie(production_app):
    assert production_app.config["ENV_NAME"] == "production"
    client = production_app.test_client()
    for path in ("/inloggen", "/healthz", "/static/css/app.css", "/bestaat/niet"):
        response = client.get(path)
        assert_security_headers(response, hsts=True)
        assert "includesubdomains" in response.headers["Strict-Transport-Security"].lower()
    response = login(client, _user(production_app))
    assert response.status_code == 302
    flags = _flags(_session_cookie(response))
    assert {"httponly", "samesite=lax", "secure"} <= flags, flags
    # With that cookie the next page is the logged-in one, and not stored.
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    assert_security_headers(page, hsts=True)
    assert_not_stored(page)


def test_development_sends_no_hsts_and_a_plain_http_cookie(development_app):
    assert development_app.config["ENV_NAME"] == "development"
    client = development_app.test_client()
    for path in ("/inloggen", "/healthz", "/bestaat/niet"):
        assert_security_headers(client.get(path), hsts=False)
    response = login(client, _user(development_app))
    flags = _flags(_session_cookie(response))
    assert {"httponly", "samesite=lax"} <= flags and "secure" not in flags, flags
