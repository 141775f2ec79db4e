"""Loading the demo region. Flush, never commit."""

from __future__ import annotations

from sqlalchemy import func, select

from scan.access import Role
from scan.auth.models import User
from scan.auth.passwords import hash_password
from scan.demo import plan
from scan.extensions import db
from scan.organisation import services as org
from scan.organisation.models import Region


def database_is_empty() -> bool:
    return not db.session.scalar(select(func.count(Region.id))) and not db.session.scalar(
        select(func.count(User.id))
    )


def seed_demo_region() -> int:
    """Create the region, municipalities, teams and every demo account; returns the number of accounts."""
    region = org.create_region(*plan.REGION)
    municipalities = {code: org.create_municipality(region, code, name) for code, name in plan.MUNICIPALITIES}
    teams = {
        code: org.create_team(municipalities[mcode], code, name) for code, name, mcode, _size in plan.TEAMS
    }
    # One hash per role keeps seeding fast; these are shared demo passwords anyway.
    hashes = {role: hash_password(password) for role, password in plan.PASSWORDS.items()}
    accounts = plan.all_accounts()
    for account in accounts:
        user = User(
            username=account.username,
            full_name=account.full_name,
            password_hash=hashes[account.role],
            role=account.role.value,
        )
        if account.role is Role.PROFESSIONAL:
            user.team = teams[account.teams[0]]
        elif account.role is Role.TEAMLEIDER:
            user.led_teams = [teams[code] for code in account.teams]
        elif account.role is Role.REGIOCOORDINATOR:
            user.region = region
        db.session.add(user)
    db.session.flush()
    return len(accounts)


def demo_region_id() -> int | None:
    """The id of the demo region (Regio Lindewaard), when it is loaded."""
    return db.session.scalar(select(Region.id).where(Region.code == plan.REGION[0]))


def existing_demo_accounts() -> list[tuple[plan.DemoAccount, User]]:
    """The demo accounts still present, in plan order, with their database rows."""
    accounts = plan.all_accounts()
    users = {
        u.username: u
        for u in db.session.scalars(select(User).where(User.username.in_([a.username for a in accounts])))
    }
    return [(a, users[a.username]) for a in accounts if a.username in users]
