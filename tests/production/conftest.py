"""Two app servers on the test database, for the tests that move a user between them."""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask import Flask

from tests.conftest import TEST_DATABASE_URL
from tests.production.servers import AppServer


@pytest.fixture(scope="module")
def servers(app: Flask, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[AppServer, AppServer]]:
    """Servers A and B: separate gunicorn processes, one worker each, on the database the `app` fixture built.

    They keep nothing between requests, so the data each test commits (and `_clean_tables` removes) is all
    they see.
    """
    workdir = tmp_path_factory.mktemp("servers")
    secret = os.environ["SECRET_KEY"]  # one key for every server, as in production
    pair = tuple(AppServer(name, TEST_DATABASE_URL, secret, workdir) for name in ("A", "B"))
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            for started in [pool.submit(server.start) for server in pair]:
                started.result()
        yield pair
    finally:
        for server in pair:
            server.stop()
