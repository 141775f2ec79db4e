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
