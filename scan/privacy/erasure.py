"""Erasing a leaver (AVG): every table in scan.privacy.registry does its part, the account last.

Plain functions that flush, never commit; the caller (route or command) commits once.

Erasure keeps what the regional counts rest on (levels, ambitions, agreed levels, POP goals with their
Kenniskaart items, statuses, hours) and removes or anonymises everything that names or describes the person;
each feature says which in its `personal` module.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select

from scan.access import Role
from scan.audit import actions as audit_actions
from scan.audit.services import record
from scan.auth.models import User
from scan.core.personal_data import Erasure
from scan.extensions import db
from scan.privacy import registry


class ErasureRefused(ValueError):
    """Erasing this account is not allowed; the message says why (translated)."""


def erased_username(user_id: int) -> str:
    return f"verwijderd-{user_id}"


@dataclass(frozen=True)
class ErasePreview:
    """What erasing an account removes and what it keeps, in numbers (shown before confirming).

    Each number is the sum of the features' parts (ERASE_PREVIEW in their `personal` modules).
    """

    scans: int  # kept: levels and ambitions (anonymous)
    notes: int  # removed: answer notes and calibration notes on their scans
    scan_history: int  # reasons of reopenings of their scans, removed
    pops: int  # kept: goals' items, actions' types, hours and statuses
    pop_texts: int  # removed: goal and action texts, reflections, team leader comments
    agreements: int  # removed: teamschouw agreements naming them
    sessions: int  # removed
    audit_events: int  # kept, with the name replaced
    led_teams: int  # links removed


def _count(stmt: Select[Any]) -> int:
    return db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


def erase_preview(user: User) -> ErasePreview:
    numbers = {f.name: 0 for f in fields(ErasePreview)}
    for part in registry.preview_counts():
        numbers[part.field] += _count(part.rows(user.id))
    return ErasePreview(**numbers)


def check_erasable(user: User, by: User | None) -> None:
    """Raise ErasureRefused when the account may not be erased (by this administrator)."""
    if user.erased_at is not None:
        raise ErasureRefused(str(_l("This account has already been erased.")))
    if by is not None and by.id == user.id:
        raise ErasureRefused(str(_l("You cannot erase your own account.")))
    if user.role == Role.BEHEERDER.value and user.active:
        others = db.session.scalar(
            select(func.count()).where(
                User.role == Role.BEHEERDER.value, User.active.is_(True), User.id != user.id
            )
        )
        if not others:
            raise ErasureRefused(str(_l("This is the last active administrator; it cannot be erased.")))


def erase_account(user: User, by: User | None) -> None:
    """Erase a leaver: anonymise the account, remove what they (or others about them) wrote, keep counts.

    Kept on purpose: the account row (id, role) with its scans' levels and ambitions, agreed levels, POP
    goals' Kenniskaart items and target levels, actions' types, periods, hours and statuses, so every
    regional count, also of past periods, stays the same. Texts the leaver typed about someone else
    (a reason for reopening a colleague's scan, a calibration note) belong to that colleague's history and
    stay; the leaver's name is gone from them because the account is anonymised.
    """
    check_erasable(user, by)
    uid = user.id
    replacement = erased_username(uid)
    for table in registry.tables():
        if table.erasure is not Erasure.KEEP and table.erase is not None:
            table.erase(user, replacement)
    db.session.flush()
    record(audit_actions.ACCOUNT_ERASE, object_type="user", object_id=uid, actor=by)
    db.session.flush()
