"""Every route with a number in its path, the number replaced by one that no row has and no INTEGER column
holds, requested as a role that may use the route: a 404 (or a refusal), never an overflow in the driver."""

from __future__ import annotations

import pytest

from tests.factories import login
from tests.fuzz.helpers import send_and_check
from tests.test_route_permissions import ANON, MATRIX, build_world, methods_of

# Just past PostgreSQL's integer, just past SQLite's 64 bits, and far past both.
OUT_OF_RANGE = (2**31, 2**63, int("9" * 40))
# Path parts that are not numbers, with a value each route knows.
TEXT_ARGS = {"section_code": "GC", "fmt": "yaml", "view": "scholingsplan", "filename": "css/app.css"}


@pytest.mark.parametrize("number", OUT_OF_RANGE, ids=("2^31", "2^63", "40 digits"))
def test_ids_out_of_range(app, number):
    world = build_world(app)
    urls = app.url_map.bind("localhost")
    clients = {}
    checked = 0
    for rule in app.url_map.iter_rules():
        ints = {name for name, conv in rule._converters.items() if type(conv).__name__ == "IntegerConverter"}
        if not ints:
            continue
        who = sorted((w for w in MATRIX[rule.endpoint][2] if w != ANON), key=str)[0]
        if who not in clients:
            client = app.test_client()
            assert login(client, world.names[who]).status_code == 302
            clients[who] = (client, client.csrf_token("/account/wachtwoord"))
        client, token = clients[who]
        args = {arg: number if arg in ints else TEXT_ARGS[arg] for arg in rule.arguments}
        url = urls.build(rule.endpoint, args)
        for method in methods_of(rule.endpoint):
            send = (lambda u=url, c=client: c.get(u)) if method == "GET" else (
                lambda u=url, c=client, t=token: c.post(u, data={"csrf_token": t}))
            response = send_and_check(app, client, send, never_writes=True)
            assert response.status_code in (302, 400, 403, 404), (method, url, response.status_code)
            checked += 1
    assert checked > 40
