"""Pages run a fixed number of SQL queries, however large the team or region grows."""

from scan.access import Role
from scan.extensions import db
from scan.organisation.models import Region
from tests.factories import login, make_municipality, make_region, make_team, make_user


def _queries_for(app, client, count_queries, path):
    count_queries.statements.clear()
    assert client.get(path).status_code == 200
    return count_queries.count


def test_team_page_query_count_does_not_grow_with_members(app, client, count_queries):
    with app.app_context():
        small, large = make_team(), make_team()
        for _ in range(3):
            make_user(Role.PROFESSIONAL, team=small)
        for _ in range(30):
            make_user(Role.PROFESSIONAL, team=large)
        leader = make_user(Role.TEAMLEIDER, teams=[small, large])
        db.session.commit()
        username, small_id, large_id = leader.username, small.id, large.id
    login(client, username)
    small_count = _queries_for(app, client, count_queries, f"/teams/{small_id}")
    large_count = _queries_for(app, client, count_queries, f"/teams/{large_id}")
    assert small_count == large_count
    assert _queries_for(app, client, count_queries, "/teams/") <= small_count


def test_region_page_query_count_does_not_grow_with_municipalities(app, client, count_queries):
    with app.app_context():
        region = make_region()
        coordinator = make_user(Role.REGIOCOORDINATOR, region=region)
        team = make_team(make_municipality(region))
        make_user(Role.PROFESSIONAL, team=team)
        db.session.commit()
        username, region_id = coordinator.username, region.id
    login(client, username)
    before = _queries_for(app, client, count_queries, "/regio/")
    with app.app_context():
        region = db.session.get(Region, region_id)
        for _ in range(10):
            municipality = make_municipality(region)
            for _ in range(3):
                make_user(Role.PROFESSIONAL, team=make_team(municipality))
        db.session.commit()
    assert _queries_for(app, client, count_queries, "/regio/") == before
