from sqlalchemy import func, select

from scan.access import Role
from scan.auth.models import User, UserSession
from scan.auth.passwords import verify_password
from scan.extensions import db
from tests.factories import PASSWORD, login, make_user

NEW = "een nieuw en lang wachtwoord"


def _user(app, **kwargs):
    with app.app_context():
        user = make_user(Role.PROFESSIONAL, **kwargs)
        db.session.commit()
        return user.username


def _form(current=PASSWORD, new=NEW, confirm=NEW):
    return {"current_password": current, "password": new, "confirm": confirm}


def test_changing_the_password(app, client):
    username = _user(app)
    login(client, username)
    response = client.submit("/account/wachtwoord", _form(), follow_redirects=True)
    assert "Je wachtwoord is gewijzigd." in response.get_data(as_text=True)
    with app.app_context():
        user = db.session.scalars(select(User).where(User.username == username)).one()
        assert verify_password(user.password_hash, NEW)


def test_errors_are_shown_at_the_field_and_in_the_summary(app, client):
    username = _user(app)
    login(client, username)
    html = client.submit("/account/wachtwoord", _form(current="fout-fout-fout-fout")).get_data(as_text=True)
    assert "Het huidige wachtwoord klopt niet." in html
    assert 'href="#current_password"' in html  # the summary links to the field
    html = client.submit("/account/wachtwoord", _form(new="kort", confirm="kort")).get_data(as_text=True)
    assert "Gebruik minstens 12 tekens." in html
    html = client.submit("/account/wachtwoord", _form(confirm=NEW + "x")).get_data(as_text=True)
    assert "De twee nieuwe wachtwoorden zijn niet gelijk." in html
    html = client.submit("/account/wachtwoord", _form(new="qwerty123456", confirm="qwerty123456"))
    assert "te vaak gebruikt" in html.get_data(as_text=True)
    with app.app_context():
        user = db.session.scalars(select(User).where(User.username == username)).one()
        assert verify_password(user.password_hash, PASSWORD)


def test_a_password_change_logs_out_other_devices(app, client):
    username = _user(app)
    login(client, username)
    other = app.test_client()
    login(other, username)
    client.submit("/account/wachtwoord", _form())
    assert client.get("/mijn").status_code == 200
    assert "/inloggen" in other.get("/mijn").headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(UserSession.revoked_at.is_(None))) == 1


def test_a_temporary_password_must_be_changed_first(app, client):
    username = _user(app, must_change_password=True)
    response = login(client, username)
    assert response.headers["Location"] == "/account/wachtwoord"
    # Every other page sends the user back until the password is changed.
    assert client.get("/mijn").headers["Location"] == "/account/wachtwoord"
    html = client.get("/account/wachtwoord").get_data(as_text=True)
    assert "tijdelijk wachtwoord" in html
    response = client.submit("/account/wachtwoord", _form())
    assert response.headers["Location"] == "/mijn"
    assert client.get("/mijn").status_code == 200
