"""How the audit log names what an entry is about ("account m.yilmaz", "team T01 Centrum"): one query per
object type, registered with scan.audit.wording (the audit log sits below every feature and imports none).
The labels of the facts features record (retention's kinds of record) are registered here too.

The owners' queries where they have one (accounts, teams, municipalities); a plain select of a name column
for the others."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select

from scan.assessment.models import Scan
from scan.audit.wording import register, register_facts
from scan.auth.models import User
from scan.auth.queries import usernames
from scan.catalogue.models import Training
from scan.extensions import db
from scan.kenniskaart.models import KenniskaartVersion
from scan.organisation.queries import municipality_names, team_names
from scan.pop.models import Pop
from scan.privacy.registry import retention_kinds
from scan.regio.models import Period, Publication


def _kenniskaart_versions(ids: list[int]) -> Mapping[int, str]:
    rows = db.session.execute(select(KenniskaartVersion.id, KenniskaartVersion.code, KenniskaartVersion.label)
                              .where(KenniskaartVersion.id.in_(ids)))
    return {i: f"{code} {label}" for i, code, label in rows}


def _trainings(ids: list[int]) -> Mapping[int, str]:
    rows = db.session.execute(select(Training.id, Training.code).where(Training.id.in_(ids)))
    return {i: code for i, code in rows}


def _of_owner(model: type[Scan] | type[Pop]):  # type: ignore[no-untyped-def]
    def names(ids: list[int]) -> Mapping[int, str]:
        rows = db.session.execute(select(model.id, User.username).join(User, User.id == model.user_id)
                                  .where(model.id.in_(ids)))
        return {i: name for i, name in rows}
    return names


def _publications(ids: list[int]) -> Mapping[int, str]:
    rows = db.session.execute(select(Publication.id, Period.name, Publication.number)
                              .join(Period, Period.id == Publication.period_id)
                              .where(Publication.id.in_(ids)))
    return {i: f"{name} #{number}" for i, name, number in rows}


register(("account", "user"), usernames)
register(("team",), team_names)
register(("municipality",), municipality_names)
register(("kenniskaart_version",), _kenniskaart_versions)
register(("training",), _trainings)
register(("scan",), _of_owner(Scan))
register(("pop",), _of_owner(Pop))
register(("regio_publication",), _publications)
# The numbers `flask retention` records per kind of record removed ({"scans": 3}).
register_facts({kind.name: kind.label for kind in retention_kinds()})
