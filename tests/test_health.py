from scan import create_app
from tests.conftest import TEST_CONFIG


def test_health_reports_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_health_reports_an_unreachable_database(tmp_path):
    broken = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite:////nonexistent-dir/x/db.sqlite"})
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "error"}


def test_every_response_carries_a_request_id(client):
    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/healthz").headers["X-Request-ID"]
    assert first and second and first != second
    assert client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers["X-Request-ID"] == "abc-123"


def test_log_lines_are_json_with_the_request_id(app):
    import json
    import logging

    from scan.core.logging import JsonFormatter

    with app.test_request_context("/mijn"):
        from flask import g

        g.request_id = "r-1"
        record = logging.LogRecord("scan", logging.WARNING, __file__, 1, "hallo %s", ("wereld",), None)
        entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "hallo wereld" and entry["request_id"] == "r-1" and entry["path"] == "/mijn"
