"""Hypothesis settings for the fuzz tests: reproducible, quick, sized by FUZZ_EXAMPLES.

The suite runs twice (SQLite, then PostgreSQL) on a two-core machine, so each test tries a few dozen
examples; `FUZZ_EXAMPLES=500 FUZZ_NO_SHRINK=1 pytest --timeout=0 tests/fuzz` searches harder by hand
(`--timeout=0` lifts the time limit per test of pyproject.toml for such a run).
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings

from tests.factories import login

settings.register_profile(
    "fuzz",
    # The same examples on every run and every machine: a failure in CI shows up again locally.
    derandomize=True,
    database=None,
    deadline=None,
    # Each test builds its world once (a function-scoped fixture) and keeps it for all its examples.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    max_examples=int(os.environ.get("FUZZ_EXAMPLES") or 25),
    print_blob=True,
    # FUZZ_NO_SHRINK=1 reports a failure as found, without minimising it first: quicker for a wide search.
    phases=[p for p in Phase if not (p is Phase.shrink and os.environ.get("FUZZ_NO_SHRINK"))],
)
settings.load_profile("fuzz")


# --- the little world the fuzz tests share ---------------------------------------------------------


@pytest.fixture
def world(app: Any) -> dict[str, Any]:
    """The POP tests' world (tests/pop/world.py): a team with leader Lies, Anna and Bert (submitted scans),
    Cor (a draft scan) in an open round, another team, a regional coordinator, an administrator,
    priorities, vraagbaak agreements and catalogue trainings."""
    from tests.pop.world import build

    return build(app)


@pytest.fixture
def browser(app: Any) -> Any:
    """`browser(username)` -> (a logged-in test client, its CSRF token), for all examples of a test."""

    def open_as(username: str) -> tuple[Any, str]:
        client = app.test_client()
        assert login(client, username).status_code == 302
        return client, client.csrf_token("/account/wachtwoord")

    return open_as
