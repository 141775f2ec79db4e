"""Every select and radio group as WTForms 3.4 will build it: choices given as SelectChoice, never as tuples
(3.3 warns about tuples, 3.4 drops them and the form breaks). The deprecation warnings are errors in the
test run (pyproject.toml); this test also covers choices set after the form was made, which do not warn."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from wtforms.fields.choices import SelectChoice

from tests.factories import login
from tests.test_route_permissions import ALL_ROLES, MATRIX, build_world


@pytest.fixture
def only_select_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    """SelectChoice.from_input as WTForms 3.4 has it: a SelectChoice or nothing."""
    real = SelectChoice.from_input.__func__  # type: ignore[attr-defined]

    def strict(cls: type[SelectChoice], choice: Any, optgroup: Any = None) -> SelectChoice:
        if not isinstance(choice, SelectChoice):
            raise TypeError(f"a choice that is not a SelectChoice: {choice!r}")
        return real(cls, choice, optgroup)

    monkeypatch.setattr(SelectChoice, "from_input", classmethod(strict))


@pytest.mark.parametrize("who", ALL_ROLES, ids=str)
def test_every_page_builds_its_choices_as_wtforms_3_4_will(app: Flask, who: Any,
                                                           only_select_choices: None) -> None:
    world = build_world(app)
    client = app.test_client()
    assert login(client, world.names[who]).status_code == 302
    pages = [endpoint for endpoint, (methods, _path, allowed) in MATRIX.items()
             if "GET" in methods.split() and who in allowed and endpoint != "auth.logout"]
    assert pages
    for endpoint in pages:
        response = client.get(world.url(endpoint))
        assert response.status_code in (200, 302), (endpoint, response.status_code)
