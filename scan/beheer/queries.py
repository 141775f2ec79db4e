from __future__ import annotations

from sqlalchemy import func, select

from scan.access import Role, role_label
from scan.auth.models import User
from scan.extensions import db


def account_counts() -> list[tuple[str, int, int]]:
    """Per role: its label, active accounts, deactivated accounts."""
    counts = {
        (role, active): n
        for role, active, n in db.session.execute(
            select(User.role, User.active, func.count()).group_by(User.role, User.active)
        ).all()
    }
    return [
        (str(role_label(role)), counts.get((role.value, True), 0), counts.get((role.value, False), 0))
        for role in Role
    ]
