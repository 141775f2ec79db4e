"""The training catalogue with hostile input: the entry form and the import (CSV/XLSX)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from scan.access import Role
from scan.catalogue.models import Training
from scan.extensions import db
from tests.factories import make_kenniskaart, make_user
from tests.fuzz.helpers import (
    fields,
    fuzz_post,
    number,
    one_of_or_any,
    spreadsheet,
    text,
    upload_and_confirm,
    xlsx_bytes,
)

CATALOGUE = ("training", "training_item_code")
HEADER = ["code", "title", "provider", "type", "level", "hours", "cost", "points", "min_group", "max_group",
          "items", "active"]
TYPES = ("training", "e-learning", "intervisie", "coaching", "meelopen")
LEVELS = ("", "algemeen", "specialistisch")


@pytest.fixture
def manager(app: Any) -> dict[str, Any]:
    with app.app_context():
        make_kenniskaart()
        user = make_user(Role.REGIOCOORDINATOR)
        training = Training(region_id=user.region_id, code="TR01", title="Motiverende gespreksvoering",
                            type="training")
        db.session.add(training)
        db.session.commit()
        return {"user": user.username, "training": training.id}


@given(data=st.data())
def test_entry_form(app, manager, browser, data):
    client, token = browser(manager["user"])
    spec = {
        "code": one_of_or_any("TR01", "tr26", "TR-" + "X" * 40), "title": text(), "provider": text(),
        "type": one_of_or_any(*TYPES), "level": one_of_or_any(*LEVELS), "hours": number(),
        "cost": st.one_of(number(), st.sampled_from(("12,50", "12,505", "€ 1.000,00", "1e6"))),
        "points": number(), "min_group": number(), "max_group": number(),
        "items": one_of_or_any("GC01", "gc01, LG01-A1 lg01-s1", "XX99", ",,;;"),
        "active": one_of_or_any("y", ""),
    }
    url = data.draw(st.sampled_from(("/catalogus/nieuw", f"/catalogus/{manager['training']}/wijzigen")))
    fuzz_post(app, client, url, token, data.draw(fields(spec)), tables=CATALOGUE)


def _rows() -> st.SearchStrategy[list[list[Any]]]:
    cell = st.one_of(one_of_or_any(*TYPES, *LEVELS, "TR26", "GC01", "7,5", "12,50", "ja", "nee"), text(),
                     number())
    row = st.lists(cell, min_size=0, max_size=13)
    # Rows in the right shape, so the import gets to its rules, the preview and the confirmation, with
    # hostile text and numbers in the columns a person fills in.
    shaped = st.tuples(
        st.from_regex(r"TR[0-9]{2}", fullmatch=True), text(), text(), st.sampled_from(TYPES),
        st.sampled_from(LEVELS), number(), number(), number(), number(), number(),
        one_of_or_any("GC01", "GC01 LG01-A1", ""), one_of_or_any("ja", "nee", ""),
    ).map(list)
    header = st.one_of(st.just(HEADER), st.just(HEADER[:3]), row)
    return st.one_of(
        st.builds(lambda h, rows: [h, *rows], header, st.lists(row, max_size=5)),
        st.lists(shaped, min_size=1, max_size=4).map(lambda rows: [HEADER, *rows]),
    )


@given(file=spreadsheet(_rows(), "catalogus"))
# Always once through the preview to the confirmation, with formulas for a title and a provider.
@example(file=(xlsx_bytes([HEADER[:5], ["TR26", '=HYPERLINK("http://x";"y")', "@SUM(A1)", "training", ""]]),
               "catalogus.xlsx"))
def test_import(app, manager, browser, file):
    client, token = browser(manager["user"])
    upload_and_confirm(app, client, "/catalogus/import", "/catalogus/import/bevestigen", token, file)
