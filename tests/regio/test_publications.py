"""Publications as the coordinator and the administrator use them: periods, publishing once the rounds have
closed, the audit's summary, corrections, the daily job, and figures that never change once published."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from scan.access import Role
from scan.assessment.models import Scan
from scan.core import clock
from scan.extensions import db
from scan.regio import periods, publish
from scan.regio.models import Period, Publication
from tests.factories import PASSWORD, login, make_region, make_user
from tests.regio.conftest import DEMO_TODAY, PERIOD, load_demo_region, publish_demo_period
from tests.regio.test_pages import COORDINATOR, get, use_english, visible_text

PUBLICATIONS = "/regio/publicaties"
ADMIN = ("beheer", "beheer-demo-2026")


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    monkeypatch.setattr(clock, "today", lambda: DEMO_TODAY)
    return DEMO_TODAY


@pytest.fixture
def region(app: Flask, today: date) -> int:
    with app.app_context():
        return load_demo_region().region_id


def _scalar(app: Flask, stmt: Any) -> Any:
    with app.app_context():
        return db.session.scalar(stmt)


def _files(client: Any) -> dict[str, bytes]:
    """Every CSV view of the default selection, without the export date (the only thing that may differ)."""
    from scan.regio.exports.tables import VIEW_NAMES

    out = {}
    for view in VIEW_NAMES:
        if view == "about":
            continue
        response = client.get(f"/regio/export/{view}.csv")
        assert response.status_code == 200, view
        out[view] = response.data
    return out


def test_the_coordinator_adds_a_period_and_publishes_it(app: Flask, client: Any, region: int) -> None:
    login(client, *COORDINATOR)
    use_english(client, PUBLICATIONS)
    page = get(client, PUBLICATIONS)
    assert "No period has been added yet." in visible_text(page)
    response = client.submit(PUBLICATIONS, {"name": "najaar 2026", "first_day": "2026-07-01",
                                            "last_day": "2026-12-31"})
    assert response.status_code == 302
    page = get(client, PUBLICATIONS)
    text = visible_text(page)
    assert "najaar 2026" in text and "Ready to publish" in text
    period_id = _scalar(app, select(Period.id))
    response = client.submit(f"{PUBLICATIONS}/{period_id}/publiceren", page=PUBLICATIONS)
    assert response.status_code == 302
    text = visible_text(get(client, PUBLICATIONS))
    assert "najaar 2026 is published" in text
    assert re.search(r"[\d,]+ of [\d,]+ figures hidden .* none can be narrowed down", text)
    # The need pages now show it.
    assert "Published figures of najaar 2026" in visible_text(get(client, "/regio/behoefte"))


def test_a_period_with_an_open_round_cannot_be_published(app: Flask, client: Any, region: int) -> None:
    login(client, *COORDINATOR)
    use_english(client, PUBLICATIONS)
    client.submit(PUBLICATIONS,
                  {"name": "voorjaar 2027", "first_day": "2027-01-01", "last_day": "2027-03-31"})
    text = visible_text(get(client, PUBLICATIONS))
    assert re.search(r"\d+ rounds? still open", text)
    period_id = _scalar(app, select(Period.id))
    client.submit(f"{PUBLICATIONS}/{period_id}/publiceren", page=PUBLICATIONS)
    assert "cannot be published yet" in visible_text(get(client, PUBLICATIONS))
    assert _scalar(app, select(func.count(Publication.id))) == 0


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"name": "najaar 2026", "first_day": "2026-12-31", "last_day": "2026-07-01"}, "last_day",
     "The last day cannot be before the first day."),
    ({"name": "herfst", "first_day": "2026-09-01", "last_day": "2027-01-31"}, "first_day",
     "This overlaps the period najaar 2026"),
    ({"name": "najaar 2026", "first_day": "2025-07-01", "last_day": "2025-12-31"}, "name",
     "The region already has a period with this name."),
    ({"name": "", "first_day": "2025-07-01", "last_day": "2025-12-31"}, "name", "This field is required."),
])
def test_a_period_is_refused_at_the_field_and_keeps_what_was_typed(
        app: Flask, client: Any, region: int, fields: dict[str, str], field: str, message: str) -> None:
    with app.app_context():
        periods.add(region, *PERIOD)
        db.session.commit()
    login(client, *COORDINATOR)
    use_english(client, PUBLICATIONS)
    response = client.submit(PUBLICATIONS, fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in visible_text(page)
    assert f'href="#{field}"' in page
    for name, value in fields.items():
        if value:
            typed = re.escape(value)
            assert re.search(rf'id="{name}"[^>]*value="{typed}"|value="{typed}"[^>]*id="{name}"', page), name
    assert _scalar(app, select(func.count(Period.id))) == 1


def test_another_region_cannot_publish_or_see_this_period(app: Flask, client: Any, region: int) -> None:
    with app.app_context():
        period_id = periods.add(region, *PERIOD).id
        other = make_region()
        make_user(Role.REGIOCOORDINATOR, region=other, username="c.elders")
        db.session.commit()
    login(client, "c.elders", PASSWORD)
    assert client.submit(f"{PUBLICATIONS}/{period_id}/publiceren", page=PUBLICATIONS).status_code == 404
    assert "najaar 2026" not in visible_text(get(client, PUBLICATIONS))
    assert _scalar(app, select(func.count(Publication.id))) == 0


def test_the_administrator_sees_every_region_s_audit_and_changes_nothing(
        app: Flask, client: Any, region: int) -> None:
    with app.app_context():
        publish_demo_period(region)
    login(client, *ADMIN)
    use_english(client, PUBLICATIONS)
    page = get(client, PUBLICATIONS)
    text = visible_text(page)
    assert "Regio Lindewaard" in text and "najaar 2026" in text and "figures hidden" in text
    assert "Add a period" not in text and "/publiceren" not in page
    assert client.submit(PUBLICATIONS, {"name": "x", "first_day": "2025-01-01", "last_day": "2025-02-01"},
                         page=PUBLICATIONS).status_code == 200
    assert _scalar(app, select(func.count(Period.id))) == 1


def test_published_figures_never_change(app: Flask, client: Any, region: int) -> None:
    """Live counts, a role changed afterwards, a draft POP goal: none of it moves a published figure."""
    from scan.auth.models import User
    from scan.pop.models import Pop, PopGoal, PopVersion

    with app.app_context():
        publish_demo_period(region)
    login(client, *COORDINATOR)
    before = _files(client)
    with app.app_context():
        scan = db.session.scalar(select(Scan).where(Scan.status == "submitted").order_by(Scan.id))
        user = db.session.get(User, scan.user_id)
        user.role = Role.TEAMLEIDER.value  # an administrator changes one person's role
        scan.status = "draft"  # and the scan is reopened
        pop = db.session.scalar(select(Pop).where(Pop.round_id == scan.round_id))
        if pop is not None:
            version = PopVersion(pop_id=pop.id, number=99, status="draft")
            db.session.add(version)
            db.session.flush()
            item_id = db.session.scalar(select(PopGoal.item_id).limit(1))
            db.session.add(PopGoal(version_id=version.id, position=0, item_id=item_id))
        db.session.commit()
    assert _files(client) == before


def test_a_correction_is_a_new_publication_audited_with_the_earlier_one(app: Flask, region: int) -> None:
    with app.app_context():
        first = publish_demo_period(region)
        period = db.session.get(Period, first.period_id)
        # One more scan submitted late, then a correction.
        scan = db.session.scalar(select(Scan).where(Scan.status == "draft", Scan.round.has(
            opens_on=date(2026, 8, 27))).limit(1)) or db.session.scalar(
            select(Scan).join(Scan.round).where(Scan.status == "submitted").limit(1))
        scan.status = "submitted"
        db.session.flush()
        second = publish.publish(period, None, DEMO_TODAY)
        db.session.commit()
        assert (first.number, second.number) == (1, 2)
        import json

        earlier, later = json.loads(first.truth), json.loads(second.truth)
        shown_before, shown_after = first.data()["shown"], second.data()["shown"]
        for pos, value in shown_after.items():
            old = shown_before.get(pos)
            if value is not None and old is not None:
                # Both shown: a change of 1..k−1 would give the late submitter's needs away.
                assert value == old or abs(value - old) >= 5, pos
        assert earlier != later or second.hidden >= first.hidden


def test_a_period_too_large_to_publish_from_the_page_is_left_to_the_server(
        app: Flask, client: Any, runner: Any, region: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # The demo's period counts more submitted scans than this.
    monkeypatch.setitem(app.config, "REGIO_PUBLISH_NOW_MAX", 10)
    with app.app_context():
        period_id = periods.add(region, *PERIOD).id
        db.session.commit()
    login(client, *COORDINATOR)
    use_english(client, PUBLICATIONS)
    response = client.submit(f"{PUBLICATIONS}/{period_id}/publiceren", page=PUBLICATIONS)
    assert response.status_code == 302
    text = visible_text(get(client, PUBLICATIONS))
    assert re.search(rf"najaar 2026 counts \d+ submitted scans: publishing it takes minutes.*"
                     rf"“flask regio publish {period_id}”", text), text
    assert _scalar(app, select(func.count(Publication.id))) == 0
    result = runner.invoke(args=["regio", "publish", str(period_id)])
    assert result.exit_code == 0, result.output
    assert _scalar(app, select(func.count(Publication.id))) == 1


def test_the_daily_job_publishes_due_periods_once(app: Flask, runner: Any, region: int) -> None:
    with app.app_context():
        periods.add(region, *PERIOD)
        periods.add(region, "voorjaar 2027", date(2027, 1, 1), date(2027, 3, 31))  # its round is open
        db.session.commit()
    result = runner.invoke(args=["regio", "publish-due"])
    assert result.exit_code == 0, result.output
    # The command line speaks Dutch (the app's default language).
    assert "najaar 2026 gepubliceerd (#1)" in result.output and "voorjaar 2027" not in result.output
    again = runner.invoke(args=["regio", "publish-due"])
    assert again.exit_code == 0 and "Er is geen periode die gepubliceerd moet worden." in again.output
    with app.app_context():
        assert _scalar(app, select(func.count(Publication.id))) == 1


def test_publish_command_errors_are_clear(app: Flask, runner: Any, region: int) -> None:
    result = runner.invoke(args=["regio", "publish", "999"])
    assert result.exit_code == 1 and "Er is geen periode 999." in result.output
    result = runner.invoke(args=["regio", "publish", str(2**63)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    with app.app_context():
        period_id = periods.add(region, "voorjaar 2027", date(2027, 1, 1), date(2027, 3, 31)).id
        db.session.commit()
    result = runner.invoke(args=["regio", "publish", str(period_id)])
    assert result.exit_code == 1 and "kan nog niet worden gepubliceerd" in result.output
    assert "Traceback" not in result.output


def test_two_servers_publishing_at_once_store_one(app: Flask, region: int) -> None:
    """The second insert of the same (period, number) is refused by the database: one publication."""
    with app.app_context():
        period = periods.add(region, *PERIOD)
        db.session.commit()
        first = publish.publish(period, None, DEMO_TODAY)
        # A second server that read "no publication yet" before the first one committed:
        db.session.add(Publication(period_id=period.id, number=first.number, k=5, payload="{}", truth="{}"))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_trends_show_the_last_publications_side_by_side(app: Flask, client: Any, region: int) -> None:
    with app.app_context():
        publish_demo_period(region)
    login(client, *COORDINATOR)
    use_english(client, "/regio/trends")
    page = get(client, "/regio/trends")
    text = visible_text(page)
    assert "najaar 2026" in text and "Professionals with a gap but no POP goal" in text
    cells = re.findall(r'<td class="utrecht-table__cell utrecht-table__cell--numeric">\s*([^<]+?)\s*</td>',
                       page)
    assert cells and all(c == "&lt;5" or c == "–" or int(c.replace(",", "")) == 0
                         or int(c.replace(",", "")) >= 5 for c in cells)
    xlsx = client.get("/regio/scholingsplan.xlsx")
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(xlsx.data))
    sheet = next(ws for ws in book.worksheets if ws.title.startswith("Trends"))
    assert "najaar 2026" in str(sheet.cell(1, 2).value)


def test_the_period_must_have_ended(app: Flask, region: int) -> None:
    with app.app_context():
        period = periods.add(region, "lopend", DEMO_TODAY - timedelta(days=400),
                             DEMO_TODAY + timedelta(days=5))
        with pytest.raises(publish.NotReady):
            publish.publish(period, None, DEMO_TODAY)


def test_counting_that_runs_out_of_time_is_a_message_not_a_500(
        app: Flask, client: Any, region: int, monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy.exc import OperationalError

    def too_slow(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("SELECT ...", {}, Exception("canceling statement due to statement timeout"))

    with app.app_context():
        period_id = periods.add(region, *PERIOD).id
        db.session.commit()
    monkeypatch.setattr("scan.regio.needs.period_counts", too_slow)
    login(client, *COORDINATOR)
    use_english(client, PUBLICATIONS)
    response = client.submit(f"{PUBLICATIONS}/{period_id}/publiceren", page=PUBLICATIONS)
    assert response.status_code == 302
    assert "Publishing did not finish: counting took too long." in visible_text(get(client, PUBLICATIONS))
    assert _scalar(app, select(func.count(Publication.id))) == 0
