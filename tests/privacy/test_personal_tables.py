"""One list of personal data (scan.privacy.registry), checked against the database itself.

Every table that holds personal data is registered: every table with a foreign key to user_account (each
such key declared as the row's person or as a mere mention), and the tables personal by their columns
(the account, login sessions, failed logins by the name typed). For every registered table, a person's rows
appear in their export, are gone or anonymised after their erasure, and are removed by retention where it
applies. Every retention kind a table names is contributed by a feature (and every contributed kind named by
a table), and every number of the erase preview has a feature's part. The checks are shown to fail for a new
table, a dropped entry, an unknown or unnamed retention kind.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import fields, replace
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table, func, select, tuple_, update

from scan.access import Role
from scan.assessment.models import ScanEvent
from scan.audit.models import AuditEvent
from scan.auth import throttle
from scan.auth.models import LoginFailure, User, UserSession
from scan.core.clock import today
from scan.core.personal_data import Erasure, PersonalTable, PreviewCount, RetentionKind
from scan.db import Base, utcnow
from scan.extensions import db
from scan.kenniskaart.models import Item
from scan.pop.models import Pop, PopAction, PopGoal, PopVersion
from scan.privacy import registry
from scan.privacy.erasure import ErasePreview, erase_account, erased_username
from scan.privacy.retention import apply_retention, plan_retention
from scan.teamschouw.models import Agreement, Calibration, TeamSession
from tests.factories import login, make_round, make_scan, make_team, make_user

USER_TABLE = "user_account"
# Personal by their columns, without a foreign key to the account: the account itself, and failed logins
# (kept by the name as typed, and the address). Login sessions have the key and an address.
PERSONAL_BY_COLUMN = {"user_account", "login_failure", "user_session"}


def problems(metadata: MetaData, tables: tuple[PersonalTable, ...]) -> list[str]:
    """Why the registry does not cover the metadata's personal data (empty when it does)."""
    found: list[str] = []
    by_name: dict[str, PersonalTable] = {}
    for entry in tables:
        if entry.table in by_name:
            found.append(f"{entry.table}: registered twice")
        by_name[entry.table] = entry
    for name, table in metadata.tables.items():
        user_keys = {fk.parent.name for fk in table.foreign_keys if fk.column.table.name == USER_TABLE}
        if not user_keys and name not in PERSONAL_BY_COLUMN:
            continue
        entry = by_name.get(name)
        if entry is None:
            found.append(f"{name}: holds personal data but is not registered")
            continue
        declared = set(entry.person_columns) | set(entry.mentions)
        if user_keys != declared:
            found.append(f"{name}: keys to {USER_TABLE} {sorted(user_keys)}, declared {sorted(declared)}")
    for name, entry in by_name.items():
        if name not in metadata.tables:
            found.append(f"{name}: registered but not a table")
        if entry.rows_of is None and (entry.person_columns or entry.export or entry.erase or entry.retention):
            found.append(f"{name}: says where a person's rows are without saying how to find them")
        if entry.rows_of is not None and entry.export is None and not entry.reason:
            found.append(f"{name}: not exported, and no reason given")
        if entry.rows_of is not None and not entry.retention and not entry.reason:
            found.append(f"{name}: not under retention, and no reason given")
        if entry.erasure is Erasure.KEEP and not entry.reason:
            found.append(f"{name}: kept at erasure, and no reason given")
        if entry.erasure is not Erasure.KEEP and entry.erase is None:
            found.append(f"{name}: {entry.erasure} at erasure, but no statement does it")
        if entry.erasure is Erasure.ANONYMISE and not entry.blanked:
            found.append(f"{name}: anonymised, but no column says what")
    return found


def retention_problems(tables: tuple[PersonalTable, ...], kinds: tuple[RetentionKind, ...]) -> list[str]:
    """Why the tables' retention kinds and the features' contributed ones differ (empty when they match)."""
    found: list[str] = []
    contributed = {kind.name for kind in kinds}
    named = {name for entry in tables for name in entry.retention}
    for entry in tables:
        unknown = set(entry.retention) - contributed
        if unknown:
            found.append(f"{entry.table}: unknown retention kinds {sorted(unknown)}")
    for name in sorted(contributed - named):
        found.append(f"{name}: contributed, but no table names it in its retention")
    for attribute in ("name", "position", "removal"):
        values = [getattr(kind, attribute) for kind in kinds]
        if len(values) != len(set(values)):
            found.append(f"retention kinds share a {attribute}")
    for kind in kinds:
        if (kind.with_round is None) == (kind.by_age is None):
            found.append(f"{kind.name}: goes with a round or by age, not both or neither")
        if (kind.model is None) == (kind.purge is None):
            found.append(f"{kind.name}: removed through a model or a purge, not both or neither")
        if kind.first is not None and kind.model is None:
            found.append(f"{kind.name}: runs something before a delete it does not do")
    return found


def preview_problems(parts: tuple[PreviewCount, ...]) -> list[str]:
    found: list[str] = []
    numbers = {f.name for f in fields(ErasePreview)}
    counted = {part.field for part in parts}
    for name in sorted(counted - numbers):
        found.append(f"{name}: counted for the erase preview, which has no such number")
    for name in sorted(numbers - counted):
        found.append(f"{name}: an erase preview number no feature counts")
    return found


def test_every_table_with_personal_data_is_registered() -> None:
    assert problems(Base.metadata, registry.tables()) == []


def test_the_retention_kinds_of_the_tables_are_the_contributed_ones() -> None:
    assert retention_problems(registry.tables(), registry.retention_kinds()) == []


def test_every_number_of_the_erase_preview_is_counted_by_a_feature() -> None:
    assert preview_problems(registry.preview_counts()) == []


def test_an_unknown_or_unnamed_retention_kind_makes_the_check_fail() -> None:
    tables = tuple(
        replace(t, retention=("pop_remarks",)) if t.table == "pop_action" else t for t in registry.tables()
    )
    assert retention_problems(tables, registry.retention_kinds()) == [
        "pop_action: unknown retention kinds ['pop_remarks']",
        "pop_actions: contributed, but no table names it in its retention",
    ]


def test_a_kind_that_goes_both_ways_makes_the_check_fail() -> None:
    kinds = tuple(
        replace(k, by_age=lambda cutoffs: None) if k.name == "answers" else k
        for k in registry.retention_kinds()
    )
    assert retention_problems(registry.tables(), kinds) == [
        "answers: goes with a round or by age, not both or neither"
    ]


def test_a_new_table_with_a_person_makes_the_check_fail() -> None:
    metadata = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(metadata)
    Table("pet", metadata, Column("id", Integer, primary_key=True),
          Column("owner_id", ForeignKey("user_account.id")))
    metadata.tables["pop"].append_column(Column("buddy_id", ForeignKey("user_account.id")))
    assert sorted(problems(metadata, registry.tables())) == [
        "pet: holds personal data but is not registered",
        "pop: keys to user_account ['buddy_id', 'user_id'], declared ['user_id']",
    ]


@pytest.mark.parametrize("dropped", ["team_agreement", "login_failure", "regio_publication"])
def test_a_dropped_registry_entry_makes_the_check_fail(monkeypatch: pytest.MonkeyPatch, dropped: str) -> None:
    kept = tuple(t for t in registry.tables() if t.table != dropped)
    monkeypatch.setattr(registry, "tables", lambda: kept)
    assert problems(Base.metadata, registry.tables()) == [
        f"{dropped}: holds personal data but is not registered"
    ]


# --- one person with a row in every registered table -------------------------------------------------


def _world(*, old: bool = False) -> dict[str, Any]:
    """A professional with rows in every table the registry finds rows of (and texts in every column
    erasure blanks). `old`: in a round that closed long ago, with ended sessions and an old audit log."""
    team = make_team(name="Wijkteam Privacy")
    led = make_team(name="Wijkteam Geleid")
    leader = make_user(Role.TEAMLEIDER, teams=[team], full_name="Lies Leider")
    pro = make_user(Role.PROFESSIONAL, team=team, full_name="Pia Privé", locale="nl",
                    region_id=team.municipality.region_id)
    pro.led_teams = [led]
    days = {"opens_in_days": -1200, "closes_in_days": -1100} if old else {}
    scan_round = make_round(team, title="Ronde Privacy", **days)
    scan = make_scan(scan_round, pro, {"GC01": (2, 3)}, submitted=True, notes={"GC01": "notitie van Pia"})
    gc01 = db.session.scalars(
        select(Item).where(Item.code == "GC01", Item.version_id == scan_round.version_id)
    ).one()
    now = utcnow()
    long_ago = now - timedelta(days=1100) if old else now
    pop = Pop(round_id=scan_round.id, user_id=pro.id)
    version = PopVersion(pop=pop, number=1, status="draft", leader_comment="Goed plan, Pia")
    goal = PopGoal(version=version, position=0, item_id=gc01.id, description="Beter contact",
                   reason="Wil groeien", reason_kind="ambition", target_level=3)
    db.session.add_all([
        ScanEvent(scan_id=scan.id, kind="reopened", actor_id=leader.id, reason="Pia vroeg erom"),
        Calibration(scan_id=scan.id, item_id=gc01.id, agreed_level=3, note="besproken met Pia",
                    set_by_id=leader.id),
        Agreement(round_id=scan_round.id, kind="vraagbaak", member_id=pro.id, section_id=gc01.section_id,
                  text="Pia is vraagbaak", consent="pending"),
        TeamSession(round_id=scan_round.id, held_on=scan_round.closes_on, attendees=[pro]),
        pop, version, goal,
        PopAction(goal=goal, type="training", description="Cursus", reflection="Leerzaam", status="gepland"),
        UserSession(token_hash=secrets.token_hex(32), user_id=pro.id, last_seen_at=long_ago,
                    address="10.9.9.9", revoked_at=long_ago if old else None, created_at=long_ago),
        AuditEvent(actor_id=pro.id, actor_name=pro.username, action="login", address="10.9.9.9"),
        LoginFailure(kind=throttle.ACCOUNT, key=pro.username, at=long_ago),
        LoginFailure(kind=throttle.PAIR, key=f"{pro.username}|10.9.9.9", at=long_ago),
    ])
    pro.last_login_at = now
    db.session.flush()
    if old:
        # The audit log is append-only through the ORM; age it with plain SQL, as retention reads it.
        db.session.execute(update(AuditEvent).where(AuditEvent.actor_id == pro.id).values(at=long_ago))
    db.session.commit()
    return {"id": pro.id, "username": pro.username}


def _with_rows() -> list[PersonalTable]:
    return [t for t in registry.tables() if t.rows_of is not None]


def _keys(entry: PersonalTable, user_id: int) -> list[tuple[Any, ...]]:
    assert entry.rows_of is not None
    stmt = entry.rows_of(user_id)
    primary = [c.name for c in Base.metadata.tables[entry.table].primary_key.columns]
    assert sorted(c.name for c in stmt.selected_columns) == sorted(primary), entry.table
    return [tuple(row) for row in db.session.execute(stmt)]


def _still_there(entry: PersonalTable, keys: list[tuple[Any, ...]]) -> list[Any]:
    """The rows with these primary keys now (all columns)."""
    table = Base.metadata.tables[entry.table]
    columns = list(table.primary_key.columns)
    key = tuple_(*columns) if len(columns) > 1 else columns[0]
    values = keys if len(columns) > 1 else [k[0] for k in keys]
    return list(db.session.execute(select(table).where(key.in_(values))).mappings())


def _at(data: Any, path: str) -> list[Any]:
    """What the export holds at a dotted path, lists flattened ("scans.answers": every scan's answers)."""
    found = [data]
    for part in path.split("."):
        step = []
        for value in found:
            value = value[part]
            step.extend(value if isinstance(value, list) else [value])
        found = step
    return [v for v in found if v not in (None, {}, [])]


def test_a_persons_rows_are_in_the_export_and_gone_or_anonymised_after_erasure(app, client) -> None:
    with app.app_context():
        person = _world()
    assert login(client, person["username"]).status_code == 302
    data = json.loads(client.get("/mijn/gegevens.json").get_data())
    with app.app_context():
        before: dict[str, list[tuple[Any, ...]]] = {}
        for entry in _with_rows():
            before[entry.table] = _keys(entry, person["id"])
            assert before[entry.table], f"the test's person has no {entry.table} rows: add them to _world"
            if entry.export is not None:
                assert _at(data, entry.export), f"{entry.table} missing from the export at {entry.export}"
            rows = _still_there(entry, before[entry.table])
            for column in entry.blanked:
                assert any(r[column] not in ("", None) for r in rows), f"{entry.table}.{column}: empty"

        erase_account(db.session.get(User, person["id"]), None)
        db.session.commit()
        replacement = erased_username(person["id"])
        for entry in _with_rows():
            rows = _still_there(entry, before[entry.table])
            if entry.erasure is Erasure.DELETE:
                assert rows == [], f"{entry.table}: rows left after erasure"
            else:
                assert len(rows) == len(before[entry.table]), f"{entry.table}: rows lost at erasure"
            if entry.erasure is Erasure.ANONYMISE:
                for r in rows:
                    for column in entry.blanked:
                        assert r[column] in ("", None, replacement), f"{entry.table}.{column}: {r[column]!r}"


def test_a_persons_rows_are_removed_by_retention_where_it_applies(app) -> None:
    with app.app_context():
        person = _world(old=True)
        before = {entry.table: _keys(entry, person["id"]) for entry in _with_rows()}
        removed = apply_retention(plan_retention(today()))
        db.session.commit()
        for entry in _with_rows():
            # Found again by the person, not by id: SQLite may give a removed id to retention's own log entry.
            after = _keys(entry, person["id"])
            if entry.retention:
                assert after == [], f"{entry.table}: rows left after retention"
                assert all(removed[kind] for kind in entry.retention), (entry.table, removed)
            else:
                assert after == before[entry.table], f"{entry.table}: removed, though not declared"
        assert db.session.scalar(select(func.count()).select_from(User).where(User.id == person["id"])) == 1


def test_the_export_runs_a_fixed_number_of_queries_however_much_a_person_has(app, count_queries) -> None:
    """One query per export section (the scans three), never one per scan, POP or row."""
    with app.app_context():
        little = _world()
        much = _world()
        user = db.session.get(User, much["id"])
        for n in range(3):
            scan_round = make_round(user.team, title=f"Ronde {n}")
            make_scan(scan_round, user, {"GC01": (1, 2), "GC02": (2, 2)}, submitted=True)
            db.session.add(Pop(round_id=scan_round.id, user_id=user.id,
                               versions=[PopVersion(number=1, status="draft")]))
        db.session.commit()
    counts = []
    for person in (little, much):
        client = app.test_client()
        login(client, person["username"])
        count_queries.statements.clear()
        assert client.get("/mijn/gegevens.json").status_code == 200
        counts.append(count_queries.count)
    assert counts[0] == counts[1]
