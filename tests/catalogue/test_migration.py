"""Migration e2c4a7b91d10: the one catalogue becomes one per region, on a database of its own.

The database is built up to the revision before (d13e5c1f0a01) and filled with plain SQL, so the rows fit
that schema whatever later migrations change (`migration_app` in tests/conftest.py: on SQLite a temporary
file; with TEST_DATABASE_URL on PostgreSQL a schema of its own in that database, dropped afterwards).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import downgrade, upgrade

from scan.extensions import db

BEFORE, AFTER = "d13e5c1f0a01", "e2c4a7b91d10"
NOW = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def _add(table: str, **values: Any) -> int:
    columns = ", ".join(values)
    params = ", ".join(f":{name}" for name in values)
    return int(db.session.execute(
        sa.text(f"INSERT INTO {table} ({columns}) VALUES ({params}) RETURNING id"), values
    ).scalar_one())


def _team(region_code: str) -> tuple[int, int]:
    """A region with one municipality and one team: (region id, team id)."""
    region = _add("region", code=region_code, name=f"Regio {region_code}", created_at=NOW)
    municipality = _add("municipality", region_id=region, code=f"GM-{region_code}",
                        name=f"Gemeente {region_code}", created_at=NOW)
    return region, _add("team", municipality_id=municipality, code=f"T-{region_code}",
                        name=f"Team {region_code}", created_at=NOW)


def _kenniskaart_item() -> tuple[int, int]:
    """A minimal Kenniskaart version with one item: (version id, item id)."""
    version = _add("kenniskaart_version", code="KK", number=1, label="1", title_nl="KK", title_en="KK",
                   region_name="", checksum="x", source_name="x", norms="{}", loaded_at=NOW)
    section = _add("kenniskaart_section", version_id=version, code="GC", kind="generiek", position=1,
                   title_nl="GC", title_en="GC", description_nl="", description_en="")
    item = _add("kenniskaart_item", version_id=version, section_id=section, code="GC01",
                level_kind="algemeen", position=1, title_nl="GC01", title_en="GC01", description_nl="",
                description_en="",
                not_applicable_allowed=False, required=True, retired=False, related="[]")
    return version, item


def _pop_actions(team: int, version: int, item: int, username: str, trainings: list[int | None]) -> list[int]:
    """A professional of the team with a POP in a round of the team: one action per training (or none)."""
    user = _add("user_account", username=username, full_name=username, password_hash="x", role="professional",
                active=True, must_change_password=False, team_id=team, created_at=NOW)
    scan_round = _add("scan_round", team_id=team, version_id=version, title="Ronde",
                      opens_on=date(2026, 10, 1), closes_on=date(2026, 12, 1), created_at=NOW)
    pop = _add("pop", round_id=scan_round, user_id=user, created_at=NOW)
    pop_version = _add("pop_version", pop_id=pop, number=1, status="draft", created_at=NOW, leader_comment="")
    goal = _add("pop_goal", version_id=pop_version, position=1, item_id=item, description="",
                reason_kind="own", reason="")
    return [_add("pop_action", goal_id=goal, type="training", description="Cursus", training_id=training,
                 hours=8, points=0, status="gepland", reflection="") for training in trainings]


def _training(code: str, title: str, items: tuple[str, ...], active: bool = True) -> int:
    training = _add("training", code=code, title=title, provider="Academie", type="training",
                    level="algemeen", hours=7.5, cost_cents=12_50, points=7, min_group=4, max_group=12,
                    active=active)
    for item_code in items:
        db.session.execute(sa.text("INSERT INTO training_item_code (training_id, item_code) VALUES (:t, :c)"),
                           {"t": training, "c": item_code})
    return training


def _rows(sql: str, **params: Any) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in db.session.execute(sa.text(sql), params).all()]


FIELDS = "code, title, provider, type, level, hours, cost_cents, points, min_group, max_group, active"
ENTRY_BEFORE = f"SELECT {FIELDS} FROM training WHERE id = :id"
ENTRY = f"SELECT region_id, {FIELDS} FROM training WHERE id = :id"
ITEMS = "SELECT item_code FROM training_item_code WHERE training_id = :t ORDER BY item_code"


def test_existing_entries_go_to_the_first_region_and_are_copied_into_the_others(migration_app: Flask) -> None:
    with migration_app.app_context():
        upgrade(revision=BEFORE)
        first, team_a = _team("AA")
        second, team_b = _team("BB")
        third = _add("region", code="CC", name="Regio CC", created_at=NOW)  # no teams yet
        version, item = _kenniskaart_item()
        tr01 = _training("TR01", "Motiverende gespreksvoering", ("GC01", "GC02"))
        tr02 = _training("TR02", "Oude training", ("GC03",), active=False)
        actions_a = _pop_actions(team_a, version, item, "anna", [tr01, None])
        actions_b = _pop_actions(team_b, version, item, "bob", [tr01, tr02, None])
        db.session.commit()
        before = {t: _rows(ENTRY_BEFORE, id=t)[0] for t in (tr01, tr02)}
        db.session.commit()  # the migration runs on a connection of its own: hold no lock

        upgrade(revision=AFTER)

        # The originals keep their ids and go to the region with the lowest id.
        originals = _rows("SELECT id, region_id FROM training WHERE id IN (:a, :b) ORDER BY id",
                          a=tr01, b=tr02)
        assert originals == [(tr01, first), (tr02, first)]
        by_region: dict[int, dict[str, int]] = {}
        for training_id, region_id, code in _rows("SELECT id, region_id, code FROM training"):
            by_region.setdefault(region_id, {})[code] = training_id
        assert set(by_region) == {first, second, third}
        for region_id, codes in by_region.items():
            assert set(codes) == {"TR01", "TR02"}
            for code, original in (("TR01", tr01), ("TR02", tr02)):
                copy = codes[code]
                # Every field the same (inactive stays inactive), the item codes too.
                assert _rows(ENTRY, id=copy)[0] == (region_id, *before[original])
                assert _rows(ITEMS, t=copy) == _rows(ITEMS, t=original) != []
        # POP actions refer to their own region's entry; an action without a training keeps none.
        action_training = dict(_rows("SELECT id, training_id FROM pop_action"))
        assert [action_training[a] for a in actions_a] == [tr01, None]
        in_second = by_region[second]
        assert [action_training[a] for a in actions_b] == [in_second["TR01"], in_second["TR02"], None]
        # From now on a code is unique per region, not across regions.
        with pytest.raises(sa.exc.IntegrityError):
            db.session.execute(sa.text(
                "INSERT INTO training (region_id, code, title, provider, type, hours, cost_cents, points,"
                " active) VALUES (:r, 'TR01', 'x', '', 'training', 0, 0, 0, true)"
            ), {"r": second})
        db.session.rollback()

        # Downgrading merges them back: the originals stay, every action refers to them again.
        downgrade(revision=BEFORE)
        assert _rows("SELECT id FROM training ORDER BY id") == [(tr01,), (tr02,)]
        assert {t: _rows(ENTRY_BEFORE, id=t)[0] for t in (tr01, tr02)} == before
        assert _rows("SELECT count(*) FROM training_item_code") == [(3,)]
        assert dict(_rows("SELECT id, training_id FROM pop_action")) == {
            actions_a[0]: tr01, actions_a[1]: None,
            actions_b[0]: tr01, actions_b[1]: tr02, actions_b[2]: None,
        }


def test_an_empty_catalogue_migrates_without_regions(migration_app: Flask) -> None:
    with migration_app.app_context():
        upgrade(revision=BEFORE)
        upgrade(revision=AFTER)
        assert _rows("SELECT version_num FROM alembic_version") == [(AFTER,)]


def test_entries_without_any_region_are_refused_and_nothing_changes(
    migration_app: Flask, capsys: pytest.CaptureFixture[str]
) -> None:
    with migration_app.app_context():
        upgrade(revision=BEFORE)
        tr01 = _training("TR01", "Motiverende gespreksvoering", ("GC01",))
        db.session.commit()
        with pytest.raises(SystemExit):  # flask db upgrade prints the message and exits with 1
            upgrade(revision=AFTER)
        assert "no region to give them to" in capsys.readouterr().err
        db.session.rollback()
        assert _rows("SELECT version_num FROM alembic_version") == [(BEFORE,)]
        assert _rows("SELECT id, code FROM training") == [(tr01, "TR01")]
        columns = {c["name"] for c in sa.inspect(db.engine).get_columns("training")}
        assert "region_id" not in columns
